"""R25: other agencies see nothing (404), malformed input names its field (400), bad credentials get 401."""

from __future__ import annotations

import time

import jwt
import pytest

from tests.conftest import token_for

STAFF_ROUTES = [
    ("GET", "/api/visits/{vid}"), ("GET", "/api/visits/{vid}/session"), ("GET", "/api/visits/{vid}/timeline"),
    ("POST", "/api/visits/{vid}/invite"), ("POST", "/api/visits/{vid}/clock-in"),
    ("POST", "/api/visits/{vid}/clock-out"), ("POST", "/api/visits/{vid}/session/join"),
    ("POST", "/api/visits/{vid}/session/leave"), ("POST", "/api/visits/{vid}/session/end"),
    ("PUT", "/api/visits/{vid}/notes"), ("PATCH", "/api/visits/{vid}"),
]
BODIES = {"/invite": {"delivery": "link"}, "/notes": {"notes": "x"}}


def _body(path):
    for suffix, body in BODIES.items():
        if path.endswith(suffix):
            return body
    return {"employee_id": "emp2"} if path.endswith("{vid}") else None


@pytest.mark.parametrize(("method", "path"), STAFF_ROUTES)
def test_r25_other_agency_gets_404_never_403(api, tokens, make_visit, flow, method, path):
    # Given a visit of agency 1 with a session
    vid = make_visit()
    flow.link(vid)
    before = flow.timeline(vid)
    # When agency 2's caregiver and coordinator call any staff route on it
    for token in (tokens["other"], tokens["other_coord"]):
        body = _body(path) if method != "GET" else None
        response = api.call(method, path.format(vid=vid), body, token)
        # Then it does not exist for them, and nothing changed
        assert response.status_code == 404, (method, path, response.body)
        assert response.json_body == {"Code": "NOT_FOUND", "Message": "Not found."}
    assert flow.timeline(vid) == before


def test_r25_unknown_visit_is_404(api, tokens):
    response = api.call("GET", "/api/visits/doesnotexist", token=tokens["emp1"])
    assert response.status_code == 404 and response.json_body["Code"] == "NOT_FOUND"


def test_r25_other_agency_schedules_and_people_are_404(api, tokens):
    week = "?from=2026-11-20T00:00:00Z&to=2026-11-27T00:00:00Z"
    assert api.call("GET", f"/api/employees/emp1/schedule{week}", token=tokens["other_coord"]).status_code == 404
    assert api.call("GET", f"/api/clients/cli1/schedule{week}", token=tokens["other_coord"]).status_code == 404
    assert api.call("PATCH", "/api/clients/cli1", {"name": "X"}, tokens["other_coord"]).status_code == 404
    names = [c["name"] for c in api.call("GET", "/api/clients", token=tokens["other_coord"]).json_body]
    assert names == ["Agnes Moore"]


def _expired_token():
    return token_for("ag1", "emp1", "employee", now=time.time() - 2 * 24 * 3600)


@pytest.mark.parametrize("header", [
    None, "", "Bearer", "Bearer not-a-jwt", "Basic abc",
    "Bearer " + jwt.encode({"iss": "virtual-visits-local", "aud": "virtual-visits-local", "exp": 9999999999,
                            "custom:agency_id": "ag1", "custom:employee_id": "emp1", "custom:role": "employee"},
                           "wrong-key-wrong-key-wrong-key-wrong-key", algorithm="HS256"),
    "Bearer " + jwt.encode({"iss": "virtual-visits-local", "aud": "virtual-visits-local", "exp": 9999999999,
                            "custom:agency_id": "ag1", "custom:employee_id": "emp1", "custom:role": "admin"},
                           "test-only-secret-not-used-anywhere-else-0123456789", algorithm="HS256"),
    "EXPIRED",
])
def test_r25_missing_or_invalid_staff_credentials_get_401(api, world, header):
    headers = {} if header is None else {"Authorization": _expired_token() if header == "EXPIRED" else header}
    if header == "EXPIRED":
        headers["Authorization"] = "Bearer " + headers["Authorization"]
    response = api.client.http.get("/api/me", headers=headers)
    assert response.status_code == 401


def test_r25_coordinator_routes_refuse_employees_with_403(api, tokens):
    response = api.call("POST", "/api/clients", {"name": "New Client"}, tokens["emp1"])
    assert response.status_code == 403 and response.json_body["Code"] == "FORBIDDEN"
    response = api.call("GET", "/api/employees", token=tokens["emp1"])
    assert response.status_code == 403


def test_r25_employee_sees_only_own_schedule(api, tokens, make_visit):
    make_visit(employee="emp2")
    week = "?from=2026-11-20T00:00:00Z&to=2026-11-27T00:00:00Z"
    assert api.call("GET", f"/api/employees/emp2/schedule{week}", token=tokens["emp1"]).status_code == 403
    mine = api.call("GET", f"/api/clients/cli1/schedule{week}", token=tokens["emp1"]).json_body
    assert all(v["employee_id"] == "emp1" for v in mine)
    everything = api.call("GET", f"/api/clients/cli1/schedule{week}", token=tokens["coord"]).json_body
    assert {v["employee_id"] for v in everything} == {"emp2"}


def test_r05_a_caregiver_reads_only_their_own_visits_coordinators_any(api, tokens, make_visit, flow):
    # Given a visit of Maria's, with notes and a timeline
    vid = make_visit()
    flow.link(vid)
    assert api.call("PUT", f"/api/visits/{vid}/notes", {"notes": "Took her blood pressure"},
                    tokens["emp1"]).status_code == 200
    for suffix in ("", "/session", "/timeline"):
        # When a colleague of the same agency asks for it
        response = api.call("GET", f"/api/visits/{vid}{suffix}", token=tokens["emp2"])
        # Then it is refused, without a word of the visit (minimum necessary)
        assert response.status_code == 403, (suffix, response.body)
        assert response.json_body == {"Code": "NOT_ASSIGNED",
                                      "Message": "You need to be assigned to the visit to see it."}
        # ... while Maria and the coordinator see it
        assert api.call("GET", f"/api/visits/{vid}{suffix}", token=tokens["emp1"]).status_code == 200
        assert api.call("GET", f"/api/visits/{vid}{suffix}", token=tokens["coord"]).status_code == 200
