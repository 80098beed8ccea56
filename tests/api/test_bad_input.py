"""Bad input gets a clear 4xx naming the problem, and changes nothing (R25)."""

from __future__ import annotations

import pytest

CASES = [
    (b"{not json", 400, "The request body is not valid JSON."),
    (b"[]", 400, "The request body must be a JSON object."),
    (b"", 400, "The request body must be a JSON object."),
    (b'{"delivery": 5}', 400, "The field 'delivery' must be a string."),
    (b'{"delivery": "fax"}', 400, "The field 'delivery' must be one of 'email', 'sms', 'link', 'resend'."),
    (b'{"delivery": "email", "cc": "x@y.z"}', 400, "The field 'cc' is not accepted here."),
    (b'{}', 400, "The field 'delivery' is required."),
    (b'{"delivery": "' + b"e" * 300_000 + b'"}', 413, "The request body is too large."),
]


@pytest.mark.parametrize(("raw", "status", "message"), CASES)
def test_r25_bad_invite_bodies_are_refused_and_change_nothing(api, tokens, make_visit, flow, raw, status, message):
    vid = make_visit()
    response = api.call("POST", f"/api/visits/{vid}/invite", raw=raw, token=tokens["emp1"])
    assert response.status_code == status
    assert response.json_body["Message"] == message
    assert flow.session(vid)["state"] == "none"
    assert flow.timeline(vid) == []


@pytest.mark.parametrize("path", ["/api/visits/a%23b", "/api/visits/" + "x" * 65, "/api/visits/a.b"])
def test_r25_malformed_ids_name_the_field(api, tokens, path):
    response = api.call("GET", path, token=tokens["emp1"])
    assert response.status_code == 400
    assert "'visit_id'" in response.json_body["Message"]


@pytest.mark.parametrize(("body", "field"), [
    ({"start": "tomorrow"}, "start"),
    ({"start": "2026-11-25T10:00:00"}, "start"),
    ({"employee_id": 7}, "employee_id"),
    ({"employee_id": "nobody"}, "employee_id"),
    ({"end": None}, "end"),
    ({"priority": "high"}, "priority"),
])
def test_r25_bad_visit_changes_name_the_field_and_change_nothing(api, tokens, make_visit, body, field):
    vid = make_visit()
    before = api.call("GET", f"/api/visits/{vid}", token=tokens["coord"]).json_body
    response = api.call("PATCH", f"/api/visits/{vid}", body, tokens["coord"])
    assert response.status_code == 400, response.body
    assert f"'{field}'" in response.json_body["Message"]
    assert api.call("GET", f"/api/visits/{vid}", token=tokens["coord"]).json_body == before


def test_r25_end_before_start_is_refused(api, tokens, make_visit):
    vid = make_visit()
    response = api.call("PATCH", f"/api/visits/{vid}", {"end": "2026-11-25T09:00:00Z"}, tokens["coord"])
    assert response.status_code == 422 and response.json_body["Code"] == "INVALID_SCHEDULE"


@pytest.mark.parametrize(("body", "field"), [
    ({"client_id": "cli1", "employee_id": "emp1", "service_code": "TELE", "start": "2026-11-25T16:00:00Z"}, "end"),
    ({"client_id": "nope", "employee_id": "emp1", "service_code": "TELE", "start": "2026-11-25T16:00:00Z",
      "end": "2026-11-25T17:00:00Z"}, "client_id"),
    ({"client_id": "cli1", "employee_id": "emp1", "service_code": "NOPE", "start": "2026-11-25T16:00:00Z",
      "end": "2026-11-25T17:00:00Z"}, "service_code"),
    ({"client_id": "cli1", "employee_id": "emp1", "service_code": "TELE", "start": "2026-11-25T16:00:00Z",
      "end": "2026-11-25T17:00:00Z", "virtual": "yes"}, "virtual"),
])
def test_r25_bad_new_visits_name_the_field(api, tokens, body, field):
    week = "?from=2026-11-20T00:00:00Z&to=2026-11-30T00:00:00Z"
    response = api.call("POST", "/api/visits", body, tokens["coord"])
    assert response.status_code == 400 and f"'{field}'" in response.json_body["Message"]
    assert api.call("GET", f"/api/employees/emp1/schedule{week}", token=tokens["coord"]).json_body == []


@pytest.mark.parametrize("query", ["", "?from=2026-11-20T00:00:00Z", "?from=x&to=y",
                                   "?from=2026-11-20T00:00:00Z&to=2026-11-19T00:00:00Z",
                                   "?from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z"])
def test_r25_bad_schedule_ranges_name_the_field(api, tokens, query):
    response = api.call("GET", f"/api/schedule{query}", token=tokens["emp1"])
    assert response.status_code == 400
    assert "'from'" in response.json_body["Message"] or "'to'" in response.json_body["Message"]


@pytest.mark.parametrize("body", [{"token": 5}, {"token": "x" * 201}, {"tok": "abc"}, {}])
def test_r25_bad_client_bodies_are_400(api, world, body):
    response = api.call("POST", "/api/join", body)
    assert response.status_code == 400 and response.json_body["Code"] == "BAD_REQUEST"


@pytest.mark.parametrize("token", ["short", "A" * 43, "../../etc/passwd" + "a" * 27])
def test_r10_unknown_or_malformed_tokens_are_invalid_links(api, world, token):
    response = api.call("POST", "/api/join", {"token": token})
    assert response.status_code == 404 and response.json_body["Code"] == "INVALID_LINK"


def test_notes_too_long_is_refused(api, tokens, make_visit):
    vid = make_visit()
    response = api.call("PUT", f"/api/visits/{vid}/notes", {"notes": "x" * 20001}, tokens["emp1"])
    assert response.status_code in (400, 413)
    assert api.call("GET", f"/api/visits/{vid}", token=tokens["emp1"]).json_body["notes"] == ""
