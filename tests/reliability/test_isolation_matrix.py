"""Tenant isolation (issue 6, item 5; R05, R25): every staff route against every kind of caller.

The staff routes come from the app itself (every route behind the authorizer) and must match the OpenAPI
document, so a new route fails here until its row is added to EXPECTED. Each cell runs on fresh data of
agency 1 and asserts the status written in the table. Every refused cell also proves nothing changed (the
whole table is the same before and after), and no answer to a caller of agency 2 carries agency 1's data.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt
import pytest

from tests.conftest import NOW, Api, World, iso, token_for
from tests.reliability.stored import all_stored_items

# Columns: who calls. The four agency-1/agency-2 staff columns are real users; the others carry the assigned
# employee's claims, but without a token, in a malformed one, expired, signed with another key, or unsigned.
CALLERS = ("assigned", "same_agency", "coordinator", "other_employee", "other_coordinator",
           "no_token", "malformed", "expired", "wrong_key", "unsigned")
UNAUTHENTICATED = (401, 401, 401, 401, 401)

# Rows: (method, path) -> the status each caller gets, in CALLERS' order.
# - Other agencies get 404 on anything of agency 1 named in the path (R25). On collection routes there is
#   nothing of agency 1 to name: they act on their own agency (200/201) or get their role's 403, and their
#   answer must carry none of agency 1's data. POST /api/visits with agency 1's client and employee ids
#   answers 400 naming the field, exactly as for ids that exist nowhere, so ids cannot be probed.
# - Acting on a visit (invite, clock, join, leave, end, notes) is for the assigned employee only (R05):
#   colleagues and coordinators get 403.
# - Reading a visit (details, session, timeline) is for the assigned employee and coordinators: a colleague
#   gets 403 (minimum necessary: notes, the client's name and the timeline are health data).
EXPECTED: dict[tuple[str, str], tuple[int, ...]] = {
    ("GET", "/api/me"): (200, 200, 200, 200, 200, *UNAUTHENTICATED),
    ("GET", "/api/schedule"): (200, 200, 200, 200, 200, *UNAUTHENTICATED),
    ("GET", "/api/employees/{employee_id}/schedule"): (200, 403, 200, 404, 404, *UNAUTHENTICATED),
    ("GET", "/api/clients/{client_id}/schedule"): (200, 200, 200, 404, 404, *UNAUTHENTICATED),
    ("GET", "/api/visits/{visit_id}"): (200, 403, 200, 404, 404, *UNAUTHENTICATED),
    ("PATCH", "/api/visits/{visit_id}"): (403, 403, 200, 404, 404, *UNAUTHENTICATED),
    ("POST", "/api/visits"): (403, 403, 201, 403, 400, *UNAUTHENTICATED),
    ("GET", "/api/visits/{visit_id}/session"): (200, 403, 200, 404, 404, *UNAUTHENTICATED),
    ("GET", "/api/visits/{visit_id}/timeline"): (200, 403, 200, 404, 404, *UNAUTHENTICATED),
    ("PUT", "/api/visits/{visit_id}/notes"): (200, 403, 403, 404, 404, *UNAUTHENTICATED),
    ("POST", "/api/visits/{visit_id}/invite"): (200, 403, 403, 404, 404, *UNAUTHENTICATED),
    ("POST", "/api/visits/{visit_id}/clock-in"): (200, 403, 403, 404, 404, *UNAUTHENTICATED),
    ("POST", "/api/visits/{visit_id}/clock-out"): (200, 403, 403, 404, 404, *UNAUTHENTICATED),
    ("POST", "/api/visits/{visit_id}/session/join"): (200, 403, 403, 404, 404, *UNAUTHENTICATED),
    ("POST", "/api/visits/{visit_id}/session/leave"): (200, 403, 403, 404, 404, *UNAUTHENTICATED),
    ("POST", "/api/visits/{visit_id}/session/end"): (200, 403, 403, 404, 404, *UNAUTHENTICATED),
    ("GET", "/api/clients"): (403, 403, 200, 403, 200, *UNAUTHENTICATED),
    ("POST", "/api/clients"): (403, 403, 201, 403, 201, *UNAUTHENTICATED),
    ("PATCH", "/api/clients/{client_id}"): (403, 403, 200, 404, 404, *UNAUTHENTICATED),
    ("GET", "/api/employees"): (403, 403, 200, 403, 200, *UNAUTHENTICATED),
    ("POST", "/api/employees"): (403, 403, 201, 403, 201, *UNAUTHENTICATED),
    ("GET", "/api/service-codes"): (200, 200, 200, 200, 200, *UNAUTHENTICATED),
    ("POST", "/api/service-codes"): (403, 403, 201, 403, 201, *UNAUTHENTICATED),
    ("GET", "/api/reports/virtual-visits"): (403, 403, 200, 403, 200, *UNAUTHENTICATED),
    ("GET", "/api/visits"): (403, 403, 200, 403, 200, *UNAUTHENTICATED),
    ("POST", "/api/visits/{visit_id}/cancel"): (403, 403, 200, 404, 404, *UNAUTHENTICATED),
    ("GET", "/api/board"): (403, 403, 200, 403, 200, *UNAUTHENTICATED),
    ("GET", "/api/agency"): (403, 403, 200, 403, 200, *UNAUTHENTICATED),
    ("PATCH", "/api/agency"): (403, 403, 200, 403, 200, *UNAUTHENTICATED),
    ("GET", "/api/clients/{client_id}"): (403, 403, 200, 404, 404, *UNAUTHENTICATED),
    # The coordinator deactivates the assigned employee; agency 2 finds no such employee.
    ("PATCH", "/api/employees/{employee_id}"): (403, 403, 200, 404, 404, *UNAUTHENTICATED),
    # "PC" is agency 1's code alone: agency 2's coordinator finds none (its own TELE it may change).
    ("PATCH", "/api/service-codes/{code}"): (403, 403, 200, 403, 404, *UNAUTHENTICATED),
}

# What each route needs to find in place so that its rightful caller succeeds.
SETUP = {
    "/session/join": "ready", "/session/leave": "joined", "/session/end": "invited", "/clock-out": "clocked_in",
    "/session": "invited", "/timeline": "invited",
}
WEEK = {"from": iso(NOW - timedelta(days=3)), "to": iso(NOW + timedelta(days=3))}
# Agency 1's names, emails and ids: none may appear in an answer to a caller of agency 2.
AGENCY_1_MARKERS = ("Sunrise", "Dana", "Whitfield", "Maria", "Lopez", "James", "Okafor", "Eleanor", "Rigby",
                    "Walter", "sunrise.example", "eleanor.rigby", '"ag1"', '"emp1"', '"emp2"', '"coord1"', '"cli1"',
                    '"cli2"')
CELLS: list[str] = []


@dataclass(frozen=True)
class Cell:
    method: str
    path: str
    caller: str
    expected: int


def staff_routes_of_the_app() -> set[tuple[str, str]]:
    """Every route the app serves behind its staff authorizer."""
    from app import app

    return {(method, path) for path, entries in app.routes.items() for method, entry in entries.items()
            if entry.authorizer is not None}


def staff_routes_of_the_document() -> set[tuple[str, str]]:
    from chalicelib.openapi import build

    doc = build("test", "local")
    return {(method.upper(), path) for path, ops in doc["paths"].items() for method, op in ops.items()
            if op["security"]}


def _headers_for(caller: str, tokens: dict[str, str]) -> dict[str, str]:
    claims = {"iss": "virtual-visits-local", "aud": "virtual-visits-local", "exp": int(time.time()) + 3600,
              "token_use": "id", "custom:agency_id": "ag1", "custom:employee_id": "emp1",
              "custom:role": "employee"}
    bearer = {
        "assigned": tokens["emp1"], "same_agency": tokens["emp2"], "coordinator": tokens["coord"],
        "other_employee": tokens["other"], "other_coordinator": tokens["other_coord"],
        "malformed": "not-a-jwt",
        "expired": token_for("ag1", "emp1", "employee", now=time.time() - 2 * 24 * 3600),
        "wrong_key": jwt.encode(claims, "another-key-another-key-another-key-0123", algorithm="HS256"),
        "unsigned": jwt.encode(claims, None, algorithm="none"),
    }.get(caller)
    return {} if bearer is None else {"Authorization": f"Bearer {bearer}"}


class Matrix:
    """Runs one cell: data of agency 1 in the state the route needs, then the caller's request.

    A cell gets fresh data unless the cells before it on this route were refused or only read: a refused
    cell is proven to change nothing, so its data is still in the state the route needs.
    """

    def __init__(self, api: Api, tokens: dict[str, str], make_visit: Callable[..., str]) -> None:
        self.api, self.tokens, self.make_visit = api, tokens, make_visit
        self.serial = 0
        self.prepared: dict[str, dict[str, str]] = {}

    def prepare(self, path: str) -> dict[str, str]:
        params = {"employee_id": "emp1", "client_id": "cli1", "code": "PC"}
        if "{visit_id}" in path:
            vid = self.make_visit()
            state = next((s for suffix, s in SETUP.items() if path.endswith(suffix)), "fresh")
            steps = {"invited": ["invite"], "clocked_in": ["clock-in"], "ready": ["invite", "clock-in"],
                     "joined": ["invite", "clock-in", "session/join"]}.get(state, [])
            for step in steps:
                body = {"delivery": "link"} if step == "invite" else None
                response = self.api.call("POST", f"/api/visits/{vid}/{step}", body, self.tokens["emp1"])
                assert response.status_code == 200, (step, response.body)
            params["visit_id"] = vid
        return params

    def body(self, method: str, path: str) -> Any:
        self.serial += 1
        n = self.serial
        return {
            ("PATCH", "/api/visits/{visit_id}"): {"start": iso(NOW), "end": iso(NOW + timedelta(minutes=45))},
            ("POST", "/api/visits"): {"client_id": "cli1", "employee_id": "emp1", "service_code": "TELE",
                                      "start": iso(NOW), "end": iso(NOW + timedelta(hours=1)), "virtual": True},
            ("PUT", "/api/visits/{visit_id}/notes"): {"notes": "Took the morning medication."},
            ("POST", "/api/visits/{visit_id}/invite"): {"delivery": "link"},
            ("POST", "/api/clients"): {"name": f"New Client {n}"},
            ("PATCH", "/api/clients/{client_id}"): {"preferred_language": "es"},
            ("POST", "/api/employees"): {"name": f"New Employee {n}", "email": f"new{n}@example.test",
                                         "role": "employee"},
            ("POST", "/api/service-codes"): {"code": f"CODE{n}", "name": "Respite", "allows_virtual_visits": True},
            ("PATCH", "/api/agency"): {"reminder_minutes": 10 + n % 5},
            ("PATCH", "/api/employees/{employee_id}"): {"active": False},
            ("PATCH", "/api/service-codes/{code}"): {"name": f"Personal care {n}"},
        }.get((method, path))

    def run(self, cell: Cell) -> Any:
        params = self.prepared.get(cell.path) or self.prepare(cell.path)
        self.prepared[cell.path] = params
        url = cell.path.format(**params)
        if cell.path.endswith("/schedule") or cell.path.startswith("/api/reports/") or \
                (cell.method, cell.path) == ("GET", "/api/visits"):
            url += f"?from={WEEK['from']}&to={WEEK['to']}"
        body = self.body(cell.method, cell.path)
        headers = {"Content-Type": "application/json", **_headers_for(cell.caller, self.tokens)}
        before = all_stored_items()
        response = self.api.client.http.request(cell.method, url, headers=headers,
                                                body=json.dumps(body).encode() if body is not None else b"")
        if response.status_code >= 400:
            assert all_stored_items() == before, f"{cell} was refused but changed stored data"
        elif cell.method != "GET":
            del self.prepared[cell.path]
        return response


@pytest.fixture
def matrix(api: Api, tokens: dict[str, str], make_visit: Callable[..., str]) -> Matrix:
    return Matrix(api, tokens, make_visit)


@pytest.fixture(scope="module", autouse=True)
def report(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and CELLS:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nisolation cells asserted: {len(CELLS)} "
                                f"({len(EXPECTED)} staff routes x {len(CALLERS)} callers)")


def test_the_matrix_covers_every_staff_route() -> None:
    # Given the routes the app serves behind its authorizer, and those its OpenAPI document names as staff
    served, documented = staff_routes_of_the_app(), staff_routes_of_the_document()
    # Then they are the same, and the expected table has exactly one full row for each
    assert served == documented
    assert set(EXPECTED) == served, {"missing rows": served - set(EXPECTED), "stale rows": set(EXPECTED) - served}
    assert all(len(row) == len(CALLERS) for row in EXPECTED.values())


@pytest.mark.parametrize(("method", "path"), sorted(EXPECTED))
def test_each_caller_gets_the_expected_status(matrix: Matrix, world: World, method: str, path: str) -> None:
    for caller, expected in zip(CALLERS, EXPECTED[(method, path)], strict=True):
        # Given fresh data of agency 1; When this caller calls the route
        cell = Cell(method, path, caller, expected)
        response = matrix.run(cell)
        # Then the status is the one in the table
        assert response.status_code == expected, (cell, response.body)
        body = response.body.decode()
        if expected == 404:
            assert json.loads(body) == {"Code": "NOT_FOUND", "Message": "Not found."}, cell
        elif expected == 401:
            assert json.loads(body).get("Code", "UNAUTHORIZED") == "UNAUTHORIZED", (cell, body)
        elif expected >= 400:
            assert set(json.loads(body)) == {"Code", "Message"}, (cell, body)
        # And a caller of agency 2 learns nothing about agency 1
        if caller.startswith("other_"):
            leaked = [marker for marker in AGENCY_1_MARKERS if marker in body]
            assert not leaked, (cell, leaked, body)
        CELLS.append(f"{method} {path} {caller}")
