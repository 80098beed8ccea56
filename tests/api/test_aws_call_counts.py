"""Issue 7: the exact AWS calls each action of the full flow makes, so a regression fails CI.

Counted with a botocore `after-call` hook on the process's one botocore session (DynamoDB and SES, on
moto) and on the stubbed Chime client. The table, with the minimum each action needs and why, is in
docs/PERFORMANCE.md; `make bench` prints it from this same flow.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.integrations.meetings import ChimeMeetings
from chalicelib.services import Services, use_services
from tests.api.test_chime import attendee, expect_meeting
from tests.aws_calls import Calls, capacity_units, counting_aws_calls, item_size
from tests.conftest import NOW, iso
from tests.sms_stub import StubbedSms

Q, GET, BATCH, TX, UPDATE = ("dynamodb.Query", "dynamodb.GetItem", "dynamodb.BatchGetItem",
                             "dynamodb.TransactWriteItems", "dynamodb.UpdateItem")
SEND = "sesv2.SendEmail"
TEXT = "pinpoint-sms-voice-v2.SendTextMessage"
CREATE_MEETING, CREATE_ATTENDEE, DELETE_MEETING = ("chime-sdk-meetings.CreateMeetingWithAttendees",
                                                   "chime-sdk-meetings.CreateAttendee",
                                                   "chime-sdk-meetings.DeleteMeeting")

# What each action costs today, exactly. docs/PERFORMANCE.md sets each beside its minimum.
EXPECTED: dict[str, dict[str, int]] = {
    "POST /api/visits (coordinator schedules)": {BATCH: 1, "dynamodb.PutItem": 1},
    "PATCH /api/visits/{id} (coordinator reschedules, R10)": {Q: 1, TX: 1, GET: 1},
    "GET /api/me": {BATCH: 1},
    # One client in it (several: one BatchGetItem), and the session of the visit under way: is its client waiting?
    "GET /api/schedule": {Q: 1, GET: 1, BATCH: 1},
    "GET /api/service-codes": {Q: 1},
    "GET /api/visits/{id} (dialog opens)": {Q: 1, GET: 1},
    "GET /api/visits/{id}/session (dialog, call window poll)": {Q: 1},
    "POST invite email (first)": {Q: 1, BATCH: 1, TX: 2, SEND: 1},
    "POST invite email (resend)": {Q: 1, BATCH: 1, TX: 1, SEND: 1},
    "POST invite link (copy)": {Q: 1, TX: 1},
    "POST clock-in": {Q: 1, TX: 1, GET: 1},
    "POST /api/join (client page opens the link: marks it opened and waiting, R35)": {GET: 1, Q: 1, BATCH: 1, TX: 1},
    "POST /api/join (its poll 10 s later: nothing to write)": {GET: 1, Q: 1, BATCH: 1},
    "POST /api/join (its poll 20 s later: renews the waiting mark)": {GET: 1, Q: 1, BATCH: 1, UPDATE: 1},
    "POST session/join (caregiver, first)": {Q: 1, CREATE_MEETING: 1, TX: 2},  # the meeting with its attendee
    "POST /api/join/attendee (client, first)": {GET: 1, Q: 1, CREATE_ATTENDEE: 1, TX: 1},
    "POST /api/join/leave (client)": {GET: 1, Q: 1, TX: 1},
    "POST /api/join/attendee (client, rejoin)": {GET: 1, Q: 1, CREATE_ATTENDEE: 1, TX: 1},
    "POST session/leave (caregiver closes the window)": {Q: 1, TX: 1},
    "POST session/join (caregiver, rejoin)": {Q: 1, CREATE_ATTENDEE: 1, TX: 1},
    "PUT notes": {UPDATE: 1},
    "GET timeline": {Q: 1},
    "POST session/end (hang up)": {Q: 1, TX: 1, DELETE_MEETING: 1, UPDATE: 1},
    "POST clock-out (after the hang-up)": {Q: 1, TX: 1, GET: 1},
    "POST clock-out (during the call: ends it, R22)": {Q: 1, TX: 1, DELETE_MEETING: 1, UPDATE: 1, GET: 1},
    "Chime event: AttendeeJoined": {GET: 2, TX: 1},
    "SES event: permanent bounce": {UPDATE: 1, TX: 1},
    "sweep: one expired session with a live meeting (4 shards)": {Q: 4, TX: 1, DELETE_MEETING: 1, UPDATE: 1},
    "POST invite sms (first)": {Q: 1, BATCH: 1, TX: 2, TEXT: 1, "dynamodb.PutItem": 1},
    "SMS event: text could not be delivered": {UPDATE: 1, TX: 1},
    "sweep: one due reminder, sent by text (4 shards)": {Q: 5, BATCH: 1, UPDATE: 1, TEXT: 1, "dynamodb.PutItem": 2,
                                                        "dynamodb.DeleteItem": 1},
    # The agency (its zone), the day's visits, their sessions, their one client, the staff (names, who is active).
    "GET /api/board (R35: the day's 3 virtual visits)": {BATCH: 2, Q: 2, GET: 1},
    "POST cancel (R34: ends the session with the visit, deletes its meeting)": {
        Q: 1, TX: 1, DELETE_MEETING: 1, UPDATE: 1, GET: 2},
    "PATCH /api/employees/{id} (R36: deactivate; the upcoming visits looked up)": {GET: 1, Q: 1, UPDATE: 1},
}
# The staff authorizer's own calls for each request it runs: in AWS, API Gateway keeps its answer for a token for 5
# minutes, so a caregiver's visit of 76 requests runs it about 12 times, not 76 (R36; docs/PERFORMANCE.md).
AUTHORIZER = {GET: 1}
UNAUTHORIZED_ACTIONS = ("POST /api/join", "Chime event", "SES event", "SMS event", "sweep")


@pytest.fixture
def chime(services: Any, clock: Any) -> Iterator[tuple[Stubber, Any]]:
    client = boto3.client("chime-sdk-meetings", region_name="us-east-1")
    stubber = Stubber(client)
    stubber.activate()
    sms = StubbedSms()
    use_services(Services(clock=clock, meetings=ChimeMeetings(client, "us-east-1", sleep=lambda _: None),
                          texter=sms.texter))
    yield stubber, client, sms
    stubber.deactivate()
    sms.done()
    use_services(services)


def _chime_event(api: Any, meeting_id: str, kind: str, external: str) -> Any:
    detail = {"version": "0", "eventType": f"chime:{kind}", "meetingId": meeting_id, "externalUserId": external,
              "attendeeId": str(uuid.uuid4()), "timestamp": int(NOW.timestamp() * 1000) + 5000}
    return api.client.lambda_.invoke("on_chime_event", api.client.events.generate_cw_event(
        source="aws.chime", detail_type="Chime Meeting State Change", detail=detail, resources=[])).payload


def _bounce(api: Any, vid: str) -> Any:
    detail = {"eventType": "Bounce", "bounce": {"bounceType": "Permanent"},
              "mail": {"tags": {"agency": ["ag1"], "client": ["cli1"], "visit": [vid]}}}
    return api.client.lambda_.invoke("on_email_event", api.client.events.generate_cw_event(
        source="aws.ses", detail_type="Email Bounced", detail=detail, resources=[])).payload


Measured = list[tuple[str, Counter[str], list[tuple[str, dict[str, Any], dict[str, Any]]]]]


def run_full_flow(api: Any, tokens: dict[str, str], flow: Any, clock: Any, chime: Stubber, calls: Calls,
                  sms: StubbedSms) -> Measured:
    """Every route of a visit's life, in order, with the calls each made (and their log)."""
    measured: Measured = []

    def record(action: str) -> None:
        counts = calls.take()
        measured.append((action, counts, calls.taken_log))
        # Each staff request runs the authorizer once (here, where nothing caches its answer), and only then.
        staff = not action.startswith(UNAUTHORIZED_ACTIONS)
        assert dict(calls.taken_authorizer) == (AUTHORIZER if staff else {}), (action, calls.taken_authorizer)

    def step(action: str, response: Any, status: int = 200) -> Any:
        assert response.status_code == status, (action, response.status_code, response.body)
        record(action)
        return response.json_body

    emp, coord = tokens["emp1"], tokens["coord"]
    window = f"?from={iso(NOW - timedelta(hours=12))}&to={iso(NOW + timedelta(hours=12))}"

    def new_visit() -> str:
        response = api.call("POST", "/api/visits", {
            "client_id": "cli1", "employee_id": "emp1", "service_code": "TELE",
            "start": iso(NOW - timedelta(minutes=10)), "end": iso(NOW + timedelta(minutes=50)), "virtual": True,
        }, coord)
        return str(step("POST /api/visits (coordinator schedules)", response, 201)["id"])

    vid = new_visit()
    step("GET /api/me", api.call("GET", "/api/me", token=emp))
    step("GET /api/schedule", api.call("GET", f"/api/schedule{window}", token=emp))
    step("GET /api/service-codes", api.call("GET", "/api/service-codes", token=emp))
    step("GET /api/visits/{id} (dialog opens)", api.call("GET", f"/api/visits/{vid}", token=emp))
    step("GET /api/visits/{id}/session (dialog, call window poll)", api.call("GET", f"/api/visits/{vid}/session",
                                                                           token=emp))
    step("POST invite email (first)", flow.invite(vid))
    step("POST invite email (resend)", flow.invite(vid))
    link = step("POST invite link (copy)", flow.invite(vid, "link"))["join_url"].split("#", 1)[1]
    step("POST clock-in", flow.post(vid, "clock-in"))
    step("POST /api/join (client page opens the link: marks it opened and waiting, R35)", flow.client("view", link))
    clock.advance(timedelta(seconds=10))
    step("POST /api/join (its poll 10 s later: nothing to write)", flow.client("view", link))
    clock.advance(timedelta(seconds=10))
    step("POST /api/join (its poll 20 s later: renews the waiting mark)", flow.client("view", link))
    clock.advance(timedelta(seconds=-20))
    mid = str(uuid.uuid4())
    emp_att, cli_att = str(uuid.uuid4()), str(uuid.uuid4())
    expect_meeting(chime, vid, mid, attendee_id=emp_att)
    step("POST session/join (caregiver, first)", flow.post(vid, "session/join"))
    for action in ("POST /api/join/attendee (client, first)", "POST /api/join/leave (client)",
                   "POST /api/join/attendee (client, rejoin)"):
        if "attendee" in action:
            chime.add_response("create_attendee", attendee(f"client-{vid}", cli_att),
                               {"MeetingId": mid, "ExternalUserId": f"client-{vid}"})
        step(action, flow.client(action.split()[1].rsplit("/", 1)[1], link))
    step("POST session/leave (caregiver closes the window)", flow.post(vid, "session/leave"))
    chime.add_response("create_attendee", attendee("employee-emp1", emp_att),
                       {"MeetingId": mid, "ExternalUserId": "employee-emp1"})
    step("POST session/join (caregiver, rejoin)", flow.post(vid, "session/join"))
    step("PUT notes", api.call("PUT", f"/api/visits/{vid}/notes", {"notes": "Checked in by video."}, emp))
    step("GET timeline", api.call("GET", f"/api/visits/{vid}/timeline", token=emp))
    chime.add_response("delete_meeting", {}, {"MeetingId": mid})
    step("POST session/end (hang up)", flow.post(vid, "session/end"))
    step("POST clock-out (after the hang-up)", flow.post(vid, "clock-out"))

    # A second visit, rescheduled, then clocked out mid-call: that ends the session and its meeting (R22).
    second = new_visit()
    later = {"end": iso(NOW + timedelta(minutes=70))}
    step("PATCH /api/visits/{id} (coordinator reschedules, R10)", api.call("PATCH", f"/api/visits/{second}", later,
                                                                           coord))
    flow.invite(second, "link")
    flow.post(second, "clock-in")
    mid2 = str(uuid.uuid4())
    expect_meeting(chime, second, mid2, attendee_id=emp_att)
    flow.post(second, "session/join")
    calls.take()
    chime.add_response("delete_meeting", {}, {"MeetingId": mid2})
    step("POST clock-out (during the call: ends it, R22)", flow.post(second, "clock-out"))

    # A third visit, in a call, for the events and the sweep.
    third = new_visit()
    flow.invite(third, "link")
    flow.post(third, "clock-in")
    mid3 = str(uuid.uuid4())
    expect_meeting(chime, third, mid3, attendee_id=emp_att)
    flow.post(third, "session/join")
    calls.take()
    assert _chime_event(api, mid3, "AttendeeJoined", f"client-{third}") == "applied"
    record("Chime event: AttendeeJoined")
    assert _bounce(api, third) == "applied"
    record("SES event: permanent bounce")
    clock.advance(timedelta(minutes=80))
    chime.add_response("delete_meeting", {}, {"MeetingId": mid3})
    swept = api.client.lambda_.invoke("sweep", api.client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])).payload
    assert swept["expired"] == 1 and swept["meetings_deleted"] == 1, swept
    record("sweep: one expired session with a live meeting (4 shards)")
    clock.advance(timedelta(minutes=-80))

    # The coordinator's side: the board, a cancel during a call, a deactivation.
    step("GET /api/board (R35: the day's 3 virtual visits)", api.call("GET", "/api/board", token=coord))
    fourth = new_visit()
    flow.invite(fourth, "link")
    flow.post(fourth, "clock-in")
    mid4 = str(uuid.uuid4())
    expect_meeting(chime, fourth, mid4, attendee_id=emp_att)
    flow.post(fourth, "session/join")
    calls.take()
    chime.add_response("delete_meeting", {}, {"MeetingId": mid4})
    step("POST cancel (R34: ends the session with the visit, deletes its meeting)",
         api.call("POST", f"/api/visits/{fourth}/cancel", token=coord))
    step("PATCH /api/employees/{id} (R36: deactivate; the upcoming visits looked up)",
         api.call("PATCH", "/api/employees/emp2", {"active": False}, coord))
    chime.assert_no_pending_responses()

    # A fourth visit, two hours ahead, for a client with only a mobile phone: invited by text, then reminded (R28,
    # R32), and a delivery event (R29).
    api.call("PATCH", "/api/clients/cli2", {"mobile_phone": "+15550100123", "sms_consent": True}, coord)
    start = clock() + timedelta(hours=2)
    fourth = api.call("POST", "/api/visits", {
        "client_id": "cli2", "employee_id": "emp1", "service_code": "TELE", "start": iso(start),
        "end": iso(start + timedelta(minutes=45)), "virtual": True}, coord).json_body["id"]
    calls.take()
    sms.accepts(2)
    step("POST invite sms (first)", flow.invite(fourth, "sms"))
    detail = {"eventType": "TEXT_UNREACHABLE", "isFinal": True, "messageStatus": "UNREACHABLE",
              "context": sms.requests[0]["Context"]}
    assert api.client.lambda_.invoke("on_text_event", api.client.events.generate_cw_event(
        source="aws.sms-voice", detail_type="Text Message Delivery Status Updated", detail=detail,
        resources=[])).payload == "applied"
    record("SMS event: text could not be delivered")
    clock.advance(start - timedelta(minutes=15) - clock())
    swept = api.client.lambda_.invoke("sweep", api.client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])).payload
    assert swept["reminded"] == 1 and swept["examined"] == 1, swept
    record("sweep: one due reminder, sent by text (4 shards)")
    return measured


def test_every_action_makes_exactly_the_expected_aws_calls(api: Any, tokens: dict[str, str], flow: Any,
                                                           clock: Any, chime: tuple[Stubber, Any, StubbedSms]) -> None:
    stubber, chime_client, sms = chime
    # Given the full flow of a virtual visit, with every AWS call counted
    with counting_aws_calls(chime_client, sms.client) as calls:
        # When each action runs once
        measured = run_full_flow(api, tokens, flow, clock, stubber, calls, sms)
    report = os.environ.get("AWS_CALLS_REPORT")
    if report:  # `make bench` reads the table, with the capacity units of each action, from here
        write_report(Path(report), measured)
    # Then each made exactly the calls in the table (docs/PERFORMANCE.md), no more and no fewer
    got = {action: dict(counts) for action, counts, _ in measured}
    assert len(got) == len(EXPECTED) and all(dict(c) == got[a] for a, c, _ in measured)  # repeats made the same
    assert got == EXPECTED


def write_report(path: Path, measured: Measured) -> None:
    from chalicelib.config import settings

    client = boto3.client("dynamodb", region_name="us-east-1")
    sizes = {(i["pk"]["S"], i["sk"]["S"]): item_size(i) for page in client.get_paginator("scan").paginate(
        TableName=settings().table_name) for i in page["Items"]}
    rows = []
    for action, counts, log in measured:
        rru, wru = capacity_units(log, sizes)
        rows.append({"action": action, "calls": dict(counts), "rru": rru, "wru": wru})
    path.write_text(json.dumps(rows, indent=1))
