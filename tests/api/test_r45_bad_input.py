"""R45 through the real routes on moto: each class of bad input found by trying the product as a stranger would,
refused at its root with `{"Code", "Message"}`, the JSON content type and the security headers, storing nothing."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.http import SECURITY_HEADERS
from tests.aws_calls import counting_aws_calls
from tests.conftest import NOW, iso

WRITES = ("dynamodb.PutItem", "dynamodb.UpdateItem", "dynamodb.TransactWriteItems", "dynamodb.DeleteItem",
          "dynamodb.BatchWriteItem", "sesv2.SendEmail")
DEEP = b"[" * 5000 + b"]" * 5000


def assert_refusal(response: Any, status: int, code: str | None = None) -> dict[str, str]:
    """A refusal in the API's shape, with every security header."""
    assert response.status_code == status, (response.status_code, response.body)
    body = json.loads(response.body)
    assert set(body) == {"Code", "Message"} and (code is None or body["Code"] == code), body
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (name, response.headers)
    return dict(body)


def body_routes(api: Any, vid: str) -> list[tuple[str, str, str | None]]:
    staff = [("PATCH", f"/api/visits/{vid}"), ("POST", "/api/visits"), ("PUT", f"/api/visits/{vid}/notes"),
             ("POST", f"/api/visits/{vid}/invite"), ("POST", "/api/clients"), ("PATCH", "/api/clients/cli1"),
             ("POST", "/api/employees"), ("POST", "/api/service-codes")]
    public = [("POST", "/api/join"), ("POST", "/api/join/attendee"), ("POST", "/api/join/leave"),
              ("POST", "/api/media/local/signal"), ("POST", "/api/media/local/poll")]
    return [(m, path, "coord") for m, path in staff] + [(m, path, None) for m, path in public]


def test_r45_deeply_nested_json_is_400_on_every_body_route_and_writes_nothing(api, tokens, make_visit):
    # Given a visit, and about 5 KB of nested arrays (every body route answered 500, /api/join without a token)
    vid = make_visit()
    for method, path, who in body_routes(api, vid):
        # When it is sent to each body route
        with counting_aws_calls() as calls:
            response = api.call(method, path, raw=DEEP, token=tokens[who] if who else None)
        # Then a 400 in the API's shape, and nothing written
        assert_refusal(response, 400, "BAD_REQUEST")
        assert not any(calls.operations[w] for w in WRITES), (path, calls.operations)


def test_r45_an_unpaired_surrogate_is_refused_before_it_reaches_storage(api, tokens, make_visit):
    # Given a name holding an unpaired surrogate (accepted before, then a 500 from storage after its retries)
    raw = b'{"name": "Eleanor \\ud800"}'
    with counting_aws_calls() as calls:
        response = api.call("POST", "/api/clients", raw=raw, token=tokens["coord"])
    # Then 400 naming the field, and nothing was tried at all
    assert "'name'" in assert_refusal(response, 400, "BAD_REQUEST")["Message"]
    assert sum(calls.operations.values()) == 0
    vid = make_visit()
    notes = api.call("PUT", f"/api/visits/{vid}/notes", raw=b'{"notes": "\\udc00"}', token=tokens["emp1"])
    assert "'notes'" in assert_refusal(notes, 400)["Message"]


@pytest.mark.parametrize("email", ["eleanor@mail.example.test\n", "ele\x00anor@mail.example.test",
                                   "ele\x1banor@mail.example.test"])
def test_r45_an_email_with_a_trailing_newline_or_control_characters_is_never_stored(api, tokens, email):
    # `$` accepted a trailing newline: the address was stored, and every later email invite answered 500.
    response = api.call("PATCH", "/api/clients/cli1", {"email": email}, tokens["coord"])
    assert "'email'" in assert_refusal(response, 400)["Message"]
    clients = api.call("GET", "/api/clients", token=tokens["coord"]).json_body
    assert [c["email"] for c in clients if c["id"] == "cli1"] == ["eleanor.rigby@mail.example.test"]


def test_r45_a_service_code_with_a_trailing_newline_is_malformed(api, tokens):
    response = api.call("POST", "/api/service-codes", {"code": "CODE\n", "name": "x", "allows_virtual_visits": True},
                        tokens["coord"])
    assert "'code'" in assert_refusal(response, 400)["Message"]


@pytest.mark.parametrize(("change", "status", "field"), [
    ({"end": "9999-12-31T23:59:59Z"}, 400, "end"),       # the year 9999 overflowed the invite and reschedules
    ({"end": iso(NOW + timedelta(days=2))}, 422, "end"),  # longer than a visit can be
    ({"start": iso(NOW + timedelta(days=800)), "end": iso(NOW + timedelta(days=800, hours=1))}, 422, "start"),
])
def test_r45_times_no_visit_can_have_are_refused_naming_the_field(api, tokens, make_visit, flow, change, status,
                                                                  field):
    # Given a visit with a sent invite
    vid = make_visit()
    assert flow.invite(vid).status_code == 200
    # When the coordinator moves it out of any visit's range
    response = api.call("PATCH", f"/api/visits/{vid}", change, tokens["coord"])
    # Then the refusal names the field, and the invite still works
    body = assert_refusal(response, status)
    assert f"'{field}'" in body["Message"]
    assert flow.invite(vid).status_code == 200


@pytest.mark.parametrize(("script", "escaped"), [("n", False), ("漢", False), ("漢", True), ("🙂", False),
                                                 ("🙂", True)])
def test_r45_notes_of_exactly_20000_characters_are_saved_in_any_script(api, tokens, make_visit, script, escaped):
    # Given notes of the documented maximum, 20,000 characters, in a script of up to 4 bytes a character,
    # sent as UTF-8 or JSON-escaped (the body cap answered 413 from about 16,000 ASCII characters)
    vid = make_visit()
    notes = script * 20000
    raw = json.dumps({"notes": notes}, ensure_ascii=escaped).encode()
    # When the caregiver saves them; Then they are saved whole
    response = api.call("PUT", f"/api/visits/{vid}/notes", raw=raw, token=tokens["emp1"])
    assert response.status_code == 200, response.body
    assert api.call("GET", f"/api/visits/{vid}", token=tokens["emp1"]).json_body["notes"] == notes
    # And one character more is refused, naming the field
    longer = json.dumps({"notes": notes + script}, ensure_ascii=escaped).encode()
    assert "'notes'" in assert_refusal(api.call("PUT", f"/api/visits/{vid}/notes", raw=longer,
                                                token=tokens["emp1"]), 400)["Message"]


@pytest.mark.parametrize(("method", "path", "who"), [("POST", "/api/join", None), ("PUT", "/api/visits/v/notes",
                                                                                    "emp1"),
                                                     ("GET", "/api/me", "emp1")])
def test_r45_a_body_of_another_content_type_gets_chalices_415_in_the_apis_shape(api, tokens, method, path, who):
    # Chalice answers a content type its route does not take before the route runs: no JSON body, no headers
    response = api.call(method, path, raw=b"token=abc", token=tokens[who] if who else None,
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_refusal(response, 415, "UNSUPPORTED_MEDIA_TYPE")


def test_r45_a_method_the_route_lacks_is_a_405_in_the_apis_shape(api, tokens):
    response = api.call("DELETE", "/api/me", token=tokens["emp1"])
    assert_refusal(response, 405, "METHOD_NOT_ALLOWED")


def test_r45_every_success_also_carries_the_security_headers(api, tokens):
    response = api.call("GET", "/api/service-codes", token=tokens["emp1"])
    assert response.status_code == 200
    assert all(response.headers.get(name) == value for name, value in SECURITY_HEADERS.items())


def test_r45_the_attendance_csv_neutralises_a_cell_that_would_run_as_a_formula(api, tokens, make_visit):
    # Given a service code starting with '-' (an id may), on a virtual visit
    created = api.call("POST", "/api/service-codes", {"code": "-cmd", "name": "Formula", "allows_virtual_visits": True},
                       tokens["coord"])
    assert created.status_code == 201, created.body
    vid = make_visit(service="-cmd")
    # When the coordinator downloads the day's report as CSV
    response = api.call("GET", "/api/reports/virtual-visits?from=2026-11-25&to=2026-11-26", token=tokens["coord"],
                        headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(response.body.decode())))
    # Then the cell is text to a spreadsheet, while the JSON report keeps the value as it is
    assert [r["service_code"] for r in rows if r["visit_id"] == vid] == ["'-cmd"]
    json_rows = api.call("GET", "/api/reports/virtual-visits?from=2026-11-25&to=2026-11-26",
                         token=tokens["coord"]).json_body
    assert [r["service_code"] for r in json_rows if r["visit_id"] == vid] == ["-cmd"]
