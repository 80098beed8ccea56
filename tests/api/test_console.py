"""The coordinator's console through the routes, on moto: R33 (lists, records, settings), R34 (cancel), R35 (the
board) and R36 (deactivation and role change through the authorizer)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import boto3
from botocore.stub import ANY, Stubber

from chalicelib.integrations.meetings import ChimeMeetings
from chalicelib.integrations.staff_accounts import CognitoAccounts
from chalicelib.services import Services, use_services
from tests.api.test_chime import expect_meeting
from tests.conftest import NOW, iso

CANCELLED = {"Code": "VISIT_CANCELLED", "Message": "This visit was cancelled. Please contact your care provider."}
UNAUTHORIZED = {"Code": "UNAUTHORIZED", "Message": "Sign in to continue."}


def test_r34_the_clients_link_of_a_cancelled_visit_answers_409_with_r34s_text(api, tokens, make_visit, flow):
    # Given a visit whose client has the link open
    vid = make_visit()
    token = flow.link(vid)
    assert flow.client("view", token).status_code == 200
    # When the coordinator cancels it
    response = api.call("POST", f"/api/visits/{vid}/cancel", token=tokens["coord"])
    assert response.status_code == 200 and response.json_body["session"]["ended_reason"] == "cancelled"
    # Then the client's page, join and leave answer R34, with the security headers
    for action in ("view", "attendee", "leave"):
        refused = flow.client(action, token)
        assert (refused.status_code, refused.json_body) == (409, CANCELLED)
        assert refused.headers["Cache-Control"] == "no-store" and refused.headers["Referrer-Policy"] == "no-referrer"
    # And the caregiver can neither invite nor clock in; the timeline has the cancel
    assert flow.invite(vid).json_body == {"Code": "VISIT_CANCELLED", "Message": "This visit was cancelled."}
    assert flow.post(vid, "clock-in").status_code == 409
    assert flow.timeline(vid) == ["link_copied", "link_opened", "visit_cancelled", "session_ended"]


def test_r34_cancel_during_a_chime_call_deletes_the_meeting(api, tokens, make_visit, flow, services, clock):
    # Given a caregiver in a Chime meeting
    client = boto3.client("chime-sdk-meetings", region_name="us-east-1")
    with Stubber(client) as chime:
        use_services(Services(clock=clock, meetings=ChimeMeetings(client, "us-east-1", sleep=lambda _: None)))
        try:
            vid = make_visit()
            flow.link(vid)
            flow.post(vid, "clock-in")
            # the meeting and the caregiver's attendee in one call (issue 16)
            expect_meeting(chime, vid, "11111111-2222-3333-4444-555555555555",
                           attendee_id="66666666-7777-8888-9999-000000000000")
            assert flow.post(vid, "session/join").status_code == 200
            # When the visit is cancelled, then its meeting is deleted (everyone in it is out)
            chime.add_response("delete_meeting", {}, {"MeetingId": "11111111-2222-3333-4444-555555555555"})
            assert api.call("POST", f"/api/visits/{vid}/cancel", token=tokens["coord"]).status_code == 200
            chime.assert_no_pending_responses()
        finally:
            use_services(services)
    assert flow.post(vid, "session/join").json_body["Code"] == "VISIT_CANCELLED"


def test_r34_a_caregiver_cannot_cancel_and_another_agency_cannot_see_the_visit(api, tokens, make_visit):
    vid = make_visit()
    assert api.call("POST", f"/api/visits/{vid}/cancel", token=tokens["emp1"]).status_code == 403
    assert api.call("POST", f"/api/visits/{vid}/cancel", token=tokens["other_coord"]).status_code == 404


def test_r35_the_board_moves_from_invited_to_client_waiting_to_in_call(api, tokens, make_visit, flow):
    vid = make_visit()

    def live() -> dict[str, Any]:
        board = api.call("GET", "/api/board", token=tokens["coord"]).json_body
        return next(r for r in board["visits"] if r["id"] == vid)

    assert live()["state"] == "not_invited"
    token = flow.link(vid)
    assert live()["state"] == "invited"
    flow.client("view", token)
    assert live()["state"] == "client_waiting" and flow.session(vid)["client_waiting"] is True
    flow.post(vid, "clock-in")
    flow.post(vid, "session/join")
    flow.client("attendee", token)
    assert live()["state"] == "in_call"
    # The caregiver's schedule says nothing of waiting now; it did while the client waited
    window = f"?from={iso(NOW - timedelta(hours=1))}&to={iso(NOW + timedelta(hours=1))}"
    mine = api.call("GET", f"/api/schedule{window}", token=tokens["emp1"]).json_body
    assert [e["client_waiting"] for e in mine if e["id"] == vid] == [False]


def test_r35_the_board_takes_a_date_and_refuses_anything_else_naming_it(api, tokens, make_visit):
    make_visit(start=NOW + timedelta(days=1))
    tomorrow = api.call("GET", "/api/board?date=2026-11-26", token=tokens["coord"]).json_body
    assert tomorrow["date"] == "2026-11-26" and len(tomorrow["visits"]) == 1
    refused = api.call("GET", "/api/board?date=26/11/2026", token=tokens["coord"])
    assert refused.status_code == 400 and "'date'" in refused.json_body["Message"]
    assert api.call("GET", "/api/board", token=tokens["emp1"]).status_code == 403


def test_r35_a_join_page_that_says_the_client_hung_up_clears_the_wait(api, tokens, make_visit, flow):
    vid = make_visit()
    token = flow.link(vid)
    assert api.call("POST", "/api/join", {"token": token, "waiting": True}).status_code == 200
    assert flow.session(vid)["client_waiting"] is True
    assert api.call("POST", "/api/join", {"token": token, "waiting": False}).status_code == 200
    assert flow.session(vid)["client_waiting"] is False
    refused = api.call("POST", "/api/join", {"token": token, "waiting": "yes"})
    assert refused.status_code == 400 and "'waiting'" in refused.json_body["Message"]


def test_r36_a_deactivated_caregiver_is_refused_at_once_here_and_their_sign_in_too(api, tokens, make_visit):
    # Given Maria's token works
    assert api.call("GET", "/api/me", token=tokens["emp1"]).status_code == 200
    # When the coordinator deactivates her
    changed = api.call("PATCH", "/api/employees/emp1", {"active": False}, tokens["coord"])
    assert changed.status_code == 200 and changed.json_body["active"] is False
    # Then her requests answer 401 (locally nothing caches the authorizer's answer; in AWS within 5 minutes)
    refused = api.call("GET", "/api/me", token=tokens["emp1"])
    assert (refused.status_code, refused.json_body) == (401, UNAUTHORIZED)
    # And the employee list shows her deactivated; reactivating lets her back in
    staff = api.call("GET", "/api/employees?q=maria", token=tokens["coord"]).json_body
    assert [(e["id"], e["active"]) for e in staff] == [("emp1", False)]
    assert api.call("PATCH", "/api/employees/emp1", {"active": True}, tokens["coord"]).status_code == 200
    assert api.call("GET", "/api/me", token=tokens["emp1"]).status_code == 200


def test_r36_after_a_role_change_the_same_token_acts_with_the_new_role(api, tokens):
    assert api.call("GET", "/api/clients", token=tokens["emp2"]).status_code == 403
    assert api.call("PATCH", "/api/employees/emp2", {"role": "coordinator"}, tokens["coord"]).status_code == 200
    assert api.call("GET", "/api/clients", token=tokens["emp2"]).status_code == 200
    assert api.call("GET", "/api/me", token=tokens["emp2"]).json_body["role"] == "coordinator"


def test_r36_a_coordinator_cannot_lock_themselves_out(api, tokens):
    refused = api.call("PATCH", "/api/employees/coord1", {"active": False}, tokens["coord"])
    assert refused.status_code == 422 and refused.json_body["Code"] == "OWN_ACCOUNT"
    assert api.call("GET", "/api/me", token=tokens["coord"]).status_code == 200


def test_r36_creating_an_employee_in_aws_makes_their_cognito_user_with_the_claims(api, tokens, services, clock):
    client = boto3.client("cognito-idp", region_name="us-east-1")
    with Stubber(client) as cognito:
        use_services(Services(clock=clock, meetings=services.meetings,
                              staff_accounts=CognitoAccounts(client, "us-east-1_Pool")))
        try:
            cognito.add_response("admin_create_user", {"User": {"Username": "ana"}}, {
                "UserPoolId": "us-east-1_Pool", "Username": "ana@sunrise.example.test",
                "DesiredDeliveryMediums": ["EMAIL"], "UserAttributes": [
                    {"Name": "email", "Value": "ana@sunrise.example.test"},
                    {"Name": "email_verified", "Value": "true"}, {"Name": "name", "Value": "Ana Ruiz"},
                    {"Name": "custom:agency_id", "Value": "ag1"}, {"Name": "custom:employee_id", "Value": ANY},
                    {"Name": "custom:role", "Value": "employee"}]})
            added = api.call("POST", "/api/employees", {"name": "Ana Ruiz", "email": "ana@sunrise.example.test",
                                                        "role": "employee"}, tokens["coord"])
            assert added.status_code == 201, added.body
            cognito.add_client_error("admin_create_user", "UsernameExistsException", http_status_code=400)
            taken = api.call("POST", "/api/employees", {"name": "Ana Again", "email": "ana@sunrise.example.test",
                                                        "role": "employee"}, tokens["coord"])
            assert taken.status_code == 409 and taken.json_body["Message"] == (
                "The field 'email' is already someone's sign-in.")
            cognito.assert_no_pending_responses()
        finally:
            use_services(services)
    names = [e["name"] for e in api.call("GET", "/api/employees", token=tokens["coord"]).json_body]
    assert names.count("Ana Ruiz") == 1 and "Ana Again" not in names


def test_r33_records_and_lists_through_the_routes(api, tokens, make_visit):
    coord = tokens["coord"]
    assert [c["id"] for c in api.call("GET", "/api/clients?q=RIGBY", token=coord).json_body] == ["cli1"]
    assert api.call("GET", "/api/clients/cli1", token=coord).json_body["email"] == "eleanor.rigby@mail.example.test"
    assert api.call("GET", "/api/clients/cli3", token=coord).status_code == 404
    changed = api.call("PATCH", "/api/service-codes/PC", {"allows_virtual_visits": True}, coord)
    assert changed.json_body == {"code": "PC", "name": "Personal care", "allows_virtual_visits": True}
    duplicate = api.call("POST", "/api/service-codes", {"code": "PC", "name": "x", "allows_virtual_visits": True},
                         coord)
    assert duplicate.status_code == 409 and "'code'" in duplicate.json_body["Message"]
    vid = make_visit()
    window = f"from={iso(NOW - timedelta(hours=1))}&to={iso(NOW + timedelta(hours=1))}"
    listed = api.call("GET", f"/api/visits?{window}&q=maria", token=coord).json_body
    assert [(v["id"], v["employee"]["name"]) for v in listed] == [(vid, "Maria Lopez")]
    assert api.call("GET", f"/api/visits?{window}&q=james", token=coord).json_body == []
    bad = api.call("GET", f"/api/visits?{window}&employee_id=a%20b", token=coord)
    assert bad.status_code == 400 and "'employee_id'" in bad.json_body["Message"]


def test_r33_agency_settings_through_the_routes(api, tokens):
    coord = tokens["coord"]
    assert api.call("GET", "/api/agency", token=coord).json_body == {
        "id": "ag1", "name": "Sunrise Home Care", "time_zone": "America/New_York", "locale": "en-US",
        "reminder_minutes": 15}
    changed = api.call("PATCH", "/api/agency", {"locale": "es-US", "reminder_minutes": 30}, coord)
    assert changed.status_code == 200 and changed.json_body["reminder_minutes"] == 30
    assert api.call("GET", "/api/me", token=tokens["emp1"]).json_body["agency"]["locale"] == "es-US"
    refused = api.call("PATCH", "/api/agency", {"time_zone": "Mars/Olympus"}, coord)
    assert refused.status_code == 400 and refused.json_body["Message"] == (
        "The field 'time_zone' must be a time zone name, like America/New_York.")
    assert api.call("PATCH", "/api/agency", {"reminder_minutes": 5}, tokens["emp1"]).status_code == 403
    body = json.loads(api.call("GET", "/api/agency", token=tokens["other_coord"]).body)
    assert body["id"] == "ag2" and body["time_zone"] == "Europe/London"


def test_r36_in_aws_deactivating_reactivating_and_a_role_change_go_to_cognito_first(api, tokens, services, clock,
                                                                                    monkeypatch):
    client = boto3.client("cognito-idp", region_name="us-east-1")
    maria = {"UserPoolId": "us-east-1_Pool", "Username": "maria@sunrise.example.test"}
    with Stubber(client) as cognito:
        in_aws = Services(clock=clock, meetings=services.meetings, staff_accounts=CognitoAccounts(client,
                                                                                                  "us-east-1_Pool"))
        use_services(in_aws)
        try:
            # Deactivate: disabled and signed out everywhere, then the directory; her token is refused
            cognito.add_response("admin_disable_user", {}, maria)
            cognito.add_response("admin_user_global_sign_out", {}, maria)
            assert api.call("PATCH", "/api/employees/emp1", {"active": False}, tokens["coord"]).status_code == 200
            assert api.call("GET", "/api/me", token=tokens["emp1"]).status_code == 401
            # Reactivate
            cognito.add_response("admin_enable_user", {}, maria)
            assert api.call("PATCH", "/api/employees/emp1", {"active": True}, tokens["coord"]).status_code == 200
            # A role change: the claim the next tokens carry
            cognito.add_response("admin_update_user_attributes", {}, {
                **maria, "UserAttributes": [{"Name": "custom:role", "Value": "coordinator"}]})
            assert api.call("PATCH", "/api/employees/emp1", {"role": "coordinator"}, tokens["coord"]).json_body[
                "role"] == "coordinator"
            # Cognito out of reach: 503, and nothing changed
            cognito.add_client_error("admin_update_user_attributes", "InternalErrorException", http_status_code=500)
            refused = api.call("PATCH", "/api/employees/emp1", {"role": "employee"}, tokens["coord"])
            assert refused.status_code == 503 and refused.json_body["Code"] == "SIGN_IN_UNAVAILABLE"
            assert api.call("GET", "/api/me", token=tokens["emp1"]).json_body["role"] == "coordinator"
            # A new employee whose directory record cannot be written: the sign-in made for them is removed
            cognito.add_response("admin_create_user", {"User": {"Username": "ana"}})
            cognito.add_response("admin_delete_user", {}, {"UserPoolId": "us-east-1_Pool",
                                                           "Username": "ana@sunrise.example.test"})
            from chalicelib.errors import ServiceBusy

            def busy(*_: Any, **__: Any) -> Any:
                raise ServiceBusy()

            monkeypatch.setattr(in_aws.directory, "add_employee", busy)
            failed = api.call("POST", "/api/employees", {"name": "Ana Ruiz", "email": "ana@sunrise.example.test",
                                                         "role": "employee"}, tokens["coord"])
            assert failed.status_code == 503 and failed.json_body["Code"] == "SERVICE_BUSY"
            cognito.assert_no_pending_responses()
        finally:
            use_services(services)
