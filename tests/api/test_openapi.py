"""The OpenAPI document matches the app's real routes and methods, both ways; dev routes exist only locally."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

ROUTES_SCRIPT = (
    "import json, app; print(json.dumps(sorted((m.lower(), p) for p, ms in app.app.routes.items() for m in ms)))"
)
DOC_SCRIPT = (
    "import json; from chalicelib.openapi import build; from chalicelib.config import from_environ as f; "
    "c = f(); d = build(c.stage, c.meeting_provider); "
    "print(json.dumps(sorted((m, p) for p, ms in d['paths'].items() for m in ms)))"
)


def _run(script: str, stage: str, provider: str) -> list[list[str]]:
    env = {**os.environ, "APP_STAGE": stage, "MEETING_PROVIDER": provider}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True, timeout=60)
    return [list(pair) for pair in json.loads(out.stdout)]


def test_openapi_matches_routes_in_every_stage():
    for stage, provider in (("prod", "chime"), ("local", "local"), ("test", "local")):
        routes = _run(ROUTES_SCRIPT, stage, provider)
        documented = _run(DOC_SCRIPT, stage, provider)
        assert routes == documented, (stage, set(map(tuple, routes)) ^ set(map(tuple, documented)))


def test_dev_routes_are_absent_in_prod_and_present_locally():
    prod = {path for _, path in _run(ROUTES_SCRIPT, "prod", "chime")}
    local = {path for _, path in _run(ROUTES_SCRIPT, "local", "local")}
    dev = {"/api/dev/users", "/api/dev/login", "/api/dev/outbox", "/api/dev/clock", "/api/dev/end-meeting"}
    assert dev <= local
    assert not dev & prod
    assert not {p for p in prod if p.startswith("/api/media/local")}


def test_openapi_is_served_with_request_schemas(api):
    doc = api.call("GET", "/api/openapi.json").json_body
    invite = doc["paths"]["/api/visits/{visit_id}/invite"]["post"]
    schema = invite["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["delivery"]["enum"] == ["email", "sms", "link", "resend"]
    assert schema["additionalProperties"] is False
    assert invite["security"] == [{"staffToken": []}]
    assert doc["paths"]["/api/join"]["post"]["security"] == []
    for name in ("SessionStatus", "Visit", "JoinResponse", "ClientView", "Error"):
        assert name in doc["components"]["schemas"]
