# The README's two commands: `make dev` runs the whole product locally, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
PORT ?= 8000
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
INFRA_REQS := $(wildcard infra/requirements.txt)
FRONTEND_LOCK := $(wildcard frontend/package-lock.json)

.PHONY: dev test lint unit browser-deps frontend venv clean bench bench-sweep reliability

$(STAMPS)/venv: requirements.txt requirements-dev.txt $(INFRA_REQS)
	@mkdir -p $(STAMPS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check 'pip<26.3'
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt $(if $(INFRA_REQS),-r infra/requirements.txt)
	@touch $@

venv: $(STAMPS)/venv

ifneq ($(FRONTEND_LOCK),)
FRONTEND_SRC := $(shell find frontend -path frontend/node_modules -prune -o -path frontend/dist -prune -o -path frontend/generated -prune -o -type f -print)
# The front end's API types come from the API's OpenAPI document (frontend/scripts/openapi_document.py).
OPENAPI_SRC := $(shell find chalicelib -name "*.py")
frontend/dist/index.html: $(FRONTEND_SRC) $(OPENAPI_SRC) $(STAMPS)/venv
	$(PY) frontend/scripts/openapi_document.py
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run build
frontend: frontend/dist/index.html
else
frontend:
	@echo "no front end yet (frontend/package-lock.json missing)"
endif

# Debian's Chromium for the browser tests; installed when missing.
browser-deps:
	@command -v chromium >/dev/null || { echo "installing chromium"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); }
	@command -v chromium >/dev/null

dev: venv frontend
	PORT=$(PORT) $(PY) -m devstack

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy app.py chalicelib devstack

test: venv frontend browser-deps
	cd frontend && npm test
	$(VENV)/bin/pytest -q -p no:cacheprovider
	$(MAKE) --no-print-directory lint

# The rules over in-memory stores, no moto (tests/unit only): seconds, not minutes.
unit: venv
	$(VENV)/bin/pytest -q -p no:cacheprovider tests/unit

# The full reliability run of issue 6 (fuzzing, lifecycle properties, races at full size); figures in docs/RELIABILITY.md.
reliability: venv frontend
	RELIABILITY_FULL=1 $(VENV)/bin/pytest -q -p no:cacheprovider tests/reliability

bench: venv frontend browser-deps
	$(PY) -m benchmarks

bench-sweep: venv
	$(PY) -m benchmarks.sweep --sizes $(or $(SIZES),10000,100000)

clean:
	rm -rf $(VENV) $(STAMPS) frontend/node_modules frontend/dist chalice.out infra/cdk.out
