"""API fuzzing (issue 6, item 1): Schemathesis against `/api/openapi.json` on the running local stack.

Schemathesis runs all four phases (examples, coverage, fuzzing, stateful) with the checks below, as its CLI
does, in rounds. Each round signs in as one staff member and names a member of the *other* agency as its peer, so
`object_level_authorization` replays every object the first one reads as the second one, and `ignored_auth`
replays authenticated calls without and with broken credentials:

- a caregiver of each agency (invite, clock, join, end and notes on their own visits);
- the coordinator of each agency (visits, clients, employees and service codes).

`fuzz_hooks.py` mixes real ids (of both agencies), live client link tokens and times around now into the
generated requests, so the fuzzing reaches the rules and not only "not found". The stack is this module's own:
the fuzzing changes its data (rescheduled visits, ended sessions, new clients), which other modules must not see.

`make test` runs a small round each; `make reliability` (RELIABILITY_FULL=1) runs at least 100 examples per
operation. The figures are printed, and written as JSON to FUZZ_SUMMARY when that is set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.reliability.conftest import FULL

CHECKS = ["not_a_server_error", "status_code_conformance", "response_schema_conformance", "content_type_conformance",
          "ignored_auth", "use_after_free", "object_level_authorization"]
PHASES = ["examples", "coverage", "fuzzing", "stateful"]
# Fuzzing examples per operation and round; four rounds, so the full run gives every operation at least 100.
MAX_EXAMPLES = 50 if FULL else 3
MIN_PER_OPERATION = 100 if FULL else 5
# Stateful scenarios per round (chains that follow the document's links), and the steps each may take.
STATEFUL_EXAMPLES = 100 if FULL else 5
STATEFUL_STEPS = 20
# Moving the shared clock would expire every session the rest of the run needs; it has its own tests. The document
# itself is the URL Schemathesis loads the schema from, which it never tests (tests/api/test_openapi.py does).
EXCLUDED_PATHS = ["/api/dev/clock", "/api/openapi.json"]


@dataclass(frozen=True)
class Round:
    """Who Schemathesis signs in as, and the peer of the other agency that must never see their objects."""

    user: str
    peer: str


ROUNDS = [
    Round("sunrise-maria", "harbor-tom"),
    Round("harbor-coord", "sunrise-coord"),
    Round("harbor-tom", "sunrise-maria"),
    Round("sunrise-coord", "harbor-coord"),
]
CAREGIVERS = {"sunrise": "sunrise-maria", "harbor": "harbor-tom"}
# `make test`: a caregiver of one agency and the coordinator of the other, each with the other agency as peer.
SMALL_ROUNDS = ROUNDS[:2]


@dataclass
class Figures:
    per_operation: Counter[str] = field(default_factory=Counter)
    per_phase: Counter[str] = field(default_factory=Counter)
    failures: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    phases: dict[str, set[str]] = field(default_factory=dict)
    rounds: list[dict[str, Any]] = field(default_factory=list)
    checks: Counter[tuple[str, str]] = field(default_factory=Counter)


class Stack:
    """JSON calls to the fuzzing stack as its demo users."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.tokens: dict[str, str] = {}

    def call(self, method: str, path: str, body: Any = None, user: str | None = None) -> tuple[int, Any]:
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         data=json.dumps(body).encode() if body is not None else None)
        request.add_header("Content-Type", "application/json")
        if user is not None:
            request.add_header("Authorization", f"Bearer {self.token(user)}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def token(self, user: str) -> str:
        if user not in self.tokens:
            status, body = self.call("POST", "/api/dev/login", {"employee_id": user})
            assert status == 200, body
            self.tokens[user] = body["token"]
        return self.tokens[user]


@pytest.fixture(scope="module")
def fuzz_stack() -> Iterator[Stack]:
    from devstack.stack import start_stack

    running = start_stack(port=0)
    try:
        yield Stack(running.url)
    finally:
        running.stop()


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _fresh_visits(stack: Stack, caregiver: str, coordinator: str) -> list[str]:
    """Two new virtual visits of the caregiver around now: one invited, one invited, clocked in and joined."""
    agency = caregiver.split("-")[0]
    client = {"sunrise": "sunrise-eleanor", "harbor": "harbor-agnes"}[agency]
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    visits = []
    for _ in range(2):
        status, visit = stack.call("POST", "/api/visits", {
            "client_id": client, "employee_id": caregiver, "service_code": "TELE",
            "start": _iso(now - timedelta(minutes=5)), "end": _iso(now + timedelta(hours=2)), "virtual": True,
        }, coordinator)
        assert status == 201, visit
        visits.append(visit["id"])
    stack.call("POST", f"/api/visits/{visits[1]}/clock-in", None, caregiver)
    return visits


def _seeds(stack: Stack, round_: Round) -> dict[str, list[str]]:
    """Real values for the hooks: the round's agency's ids, and link tokens of live sessions of both agencies.

    Only the caller's own agency's ids go into staff paths. `object_level_authorization` replays one owner read
    per operation as the peer; that read must be of an object the caller owns (the other agency's ids answer 404
    to the caller, and the peer's replay, of the caller's objects, is what proves isolation).
    """
    own = round_.user.split("-")[0]
    visit_ids: list[str] = []
    tokens: list[str] = []
    for agency in ("sunrise", "harbor"):
        caregiver, coordinator = CAREGIVERS[agency], f"{agency}-coord"
        fresh = _fresh_visits(stack, caregiver, coordinator)
        for visit in [*fresh, f"{agency}-v-now", f"{agency}-v-noemail", f"{agency}-v-inperson",
                      f"{agency}-v-yesterday", f"{agency}-v-second"]:
            if agency == own:
                visit_ids.append(visit)
            status, invited = stack.call("POST", f"/api/visits/{visit}/invite", {"delivery": "link"}, caregiver)
            if status == 200:
                tokens.append(invited["join_url"].split("#", 1)[1])
        stack.call("POST", f"/api/visits/{fresh[1]}/session/join", None, caregiver)
    assert tokens, "no live link token to fuzz the client's routes with"
    users = stack.call("GET", "/api/dev/users")[1]
    clients = [c["id"] for c in stack.call("GET", "/api/clients", None, f"{own}-coord")[1]]
    return {"visit_ids": visit_ids, "tokens": tokens, "client_ids": clients,
            "employee_ids": [u["employee_id"] for u in users if u["agency_id"] == own]}


def _config(directory: Path, stack: Stack, round_: Round, seed: int) -> Path:
    """A schemathesis.toml for one round: Web Fuzzing Commons auth with the two peers."""
    wfc = {"auth": [{"name": name, "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {stack.token(name)}"}]}
                    for name in (round_.user, round_.peer)]}
    (directory / "wfc.json").write_text(json.dumps(wfc))
    toml = "\n".join([
        f"seed = {seed}",
        "[auth.wfc]",
        f'path = "{directory / "wfc.json"}"',
        f'user = "{round_.user}"',
        f'peers = ["{round_.user}", "{round_.peer}"]',
        "[phases.stateful]",
        f"max-steps = {STATEFUL_STEPS}",
        "[phases.stateful.generation]",
        f"max-examples = {STATEFUL_EXAMPLES}",
        "",
    ])
    path = directory / "schemathesis.toml"
    path.write_text(toml)
    return path


def _run_round(stack: Stack, round_: Round, directory: Path, seed: int) -> tuple[dict[str, Any], list[Any], str]:
    """One `schemathesis run` (the CLI: all phases, with the recorder the stateful checks need)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "seeds.json").write_text(json.dumps(_seeds(stack, round_)))
    config = _config(directory, stack, round_, seed)
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run",
        f"{stack.url}/api/openapi.json",
        "--phases", ",".join(PHASES), "--checks", ",".join(CHECKS),
        "--max-examples", str(MAX_EXAMPLES), "--workers", "1", "--request-timeout", "30",
        "--generation-database", "none", "--no-color",
        "--report", "json,ndjson", "--report-json-path", str(directory / "report.json"),
        "--report-ndjson-path", str(directory / "events.ndjson"),
        *[arg for path in EXCLUDED_PATHS for arg in ("--exclude-path", path)],
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.reliability.fuzz_hooks",
           "FUZZ_SEEDS": str(directory / "seeds.json"), "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    result = subprocess.run(command, cwd=directory, env=env, capture_output=True, text=True, timeout=4 * 3600,
                            check=False)
    output = result.stdout + result.stderr
    (directory / "output.txt").write_text(output)
    report_file, events_file = directory / "report.json", directory / "events.ndjson"
    report = json.loads(report_file.read_text()) if report_file.exists() else {}
    events = ([json.loads(line) for line in events_file.read_text().splitlines() if line.strip()]
              if events_file.exists() else [])
    return report, events, output


def _count(figures: Figures, events: list[Any]) -> None:
    """Test cases per operation and per phase, from the run's event stream (stateful steps by their operation)."""
    for event in events:
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished.get("recorder") or {}
        cases = recorder.get("cases") or {}
        for case in cases.values():
            value = case["value"]
            label = (f"{value['method']} {value['path']}" if finished["phase"] == "stateful"
                     else recorder.get("label", "?"))
            figures.per_operation[label] += 1
        figures.per_phase[finished["phase"]] += len(cases)
        figures.phases.setdefault(finished["phase"], set()).add(finished["status"])
        for checks in (recorder.get("checks") or {}).values():
            for check in checks:
                figures.checks[(check["name"], check["status"])] += 1


def _inputless(stack: Stack) -> set[str]:
    """Operations that take nothing at all (no parameter, body or credentials): each request is the same one."""
    document = stack.call("GET", "/api/openapi.json")[1]
    return {f"{method.upper()} {path}" for path, methods in document["paths"].items()
            for method, op in methods.items()
            if path not in EXCLUDED_PATHS and not op.get("parameters") and "requestBody" not in op
            and not op.get("security")}


def _summary(figures: Figures, seed: int, inputless: set[str]) -> dict[str, Any]:
    operations = dict(sorted(figures.per_operation.items()))
    with_inputs = [count for label, count in operations.items() if label not in inputless]
    return {
        "full": FULL, "seed": seed, "max_examples_per_round": MAX_EXAMPLES, "rounds": figures.rounds,
        "phases": {phase: sorted(statuses) for phase, statuses in figures.phases.items()},
        "cases_per_phase": dict(figures.per_phase), "cases_total": sum(figures.per_phase.values()),
        "operations": len(operations), "min_cases_per_operation_with_inputs": min(with_inputs, default=0),
        "operations_without_inputs": {label: operations.get(label, 0) for label in sorted(inputless)},
        "cases_per_operation": operations,
        "checks": {f"{name}:{status}": count for (name, status), count in sorted(figures.checks.items())},
        "failures": figures.failures, "errors": figures.errors,
    }


def _show(request: pytest.FixtureRequest, summary: dict[str, Any]) -> None:
    if os.environ.get("FUZZ_SUMMARY"):
        Path(os.environ["FUZZ_SUMMARY"]).write_text(json.dumps(summary, indent=1))
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nAPI fuzzing: {summary['cases_total']} test cases, per phase "
                                f"{summary['cases_per_phase']}, at least "
                                f"{summary['min_cases_per_operation_with_inputs']} per operation with inputs, over "
                                f"{summary['operations']} operations; {len(summary['failures'])} failures; "
                                f"rounds {summary['rounds']}")


def test_schemathesis_finds_no_failure_in_any_phase(fuzz_stack: Stack, tmp_path_factory: pytest.TempPathFactory,
                                                    request: pytest.FixtureRequest):
    # Given the local stack, staff of two agencies, live client link tokens, and the API's own OpenAPI document
    seed = int(os.environ.get("FUZZ_SEED") or time.time_ns() % 2**63)
    figures = Figures()
    outputs = []
    # When Schemathesis runs every phase with the seven checks, once per round of caller and peer
    for number, round_ in enumerate(ROUNDS if FULL else SMALL_ROUNDS):
        started = time.monotonic()
        report, events, output = _run_round(fuzz_stack, round_, tmp_path_factory.mktemp(f"fuzz-{number}"), seed)
        _count(figures, events)
        figures.failures += [{"round": round_.user, **failure} for failure in report.get("failures", [])]
        figures.errors += [{"round": round_.user, **error} for error in report.get("errors", [])]
        figures.rounds.append({"user": round_.user, "peer": round_.peer, "seconds": round(time.monotonic() - started),
                               "cases": (report.get("test_cases") or {}).get("generated"),
                               "exit_code": report.get("exit_code")})
        if report.get("exit_code") != 0:
            outputs.append(f"--- round {round_.user} (peer {round_.peer}) ---\n{output[-12000:]}")
    summary = _summary(figures, seed, _inputless(fuzz_stack))
    _show(request, summary)
    # Then every round completed every phase, with no failure and no error
    assert outputs == [], "\n".join(outputs)
    assert figures.failures == [] and figures.errors == []
    for phase in PHASES:
        assert figures.per_phase[phase] > 0 and "error" not in figures.phases[phase], (phase, summary["phases"])
    # And the seven checks ran, and every operation got its examples
    ran = {name for name, status in figures.checks if status == "success"}
    assert set(CHECKS) <= ran, ran
    # (an operation that takes no input at all has one possible request; it must still be tried in every round)
    assert summary["operations"] >= 30, summary
    assert summary["min_cases_per_operation_with_inputs"] >= MIN_PER_OPERATION, summary
    assert all(count >= len(figures.rounds) for count in summary["operations_without_inputs"].values()), summary
