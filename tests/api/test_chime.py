"""The Chime provider through botocore Stubber: exact requests, lazy meetings, idempotent attendees, faults."""

from __future__ import annotations

import uuid

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.integrations.meetings import JOIN_PATIENCE, ChimeMeetings, Patience
from chalicelib.services import Services, use_services

ECHO = {"Audio": {"EchoReduction": "AVAILABLE"}}


def meeting(vid: str, meeting_id: str) -> dict:
    return {"Meeting": {
        "MeetingId": meeting_id, "ExternalMeetingId": f"visit-{vid}", "MediaRegion": "us-east-1",
        "MeetingArn": f"arn:aws:chime:us-east-1:111122223333:meeting/{meeting_id}",
        "MediaPlacement": {
            "AudioHostUrl": "abc.k.m1.ue1.app.chime.aws:3478", "AudioFallbackUrl": "wss://haxrp.m1.ue1.app.chime.aws:443/calls/x",
            "SignalingUrl": "wss://signal.m1.ue1.app.chime.aws/control/x", "TurnControlUrl": "https://2713.cell.us-east-1.meetings.chime.aws/v2/turn_sessions",
            "EventIngestionUrl": "https://data.svc.ue1.ingest.chime.aws/v1/client-events",
        },
        "MeetingFeatures": ECHO,
    }}


def expect_meeting(chime, vid: str, meeting_id: str, seq: int = 1, who: str = "employee-emp1",
                   attendee_id: str | None = None) -> str:
    """CreateMeetingWithAttendees with exactly the parameters the session's n-th meeting must carry: the meeting
    and the joining caller's attendee in one call. Returns the attendee's id."""
    attendee_id = attendee_id or str(uuid.uuid4())
    chime.add_response("create_meeting_with_attendees", {
        **meeting(vid, meeting_id), "Attendees": [attendee(who, attendee_id)["Attendee"]], "Errors": [],
    }, {
        "ClientRequestToken": f"{vid}-{seq}", "MediaRegion": "us-east-1", "ExternalMeetingId": f"visit-{vid}",
        "MeetingFeatures": ECHO, "Attendees": [{"ExternalUserId": who}],
    })
    return attendee_id


def attendee(external: str, attendee_id: str) -> dict:
    return {"Attendee": {"ExternalUserId": external, "AttendeeId": attendee_id, "JoinToken": "jt-" + attendee_id}}


@pytest.fixture
def chime(services, clock):
    client = boto3.client("chime-sdk-meetings", region_name="us-east-1")
    stubber = Stubber(client)
    stubber.activate()
    # Waits recorded, not slept; the draw at its ceiling, so the number of attempts is exact.
    use_services(Services(clock=clock, meetings=ChimeMeetings(client, "us-east-1", sleep=lambda _: None,
                                                              draw=lambda: 1.0)))
    yield stubber
    stubber.deactivate()
    use_services(services)


def attempts_at_ceiling(patience: Patience) -> int:
    """How many attempts a call makes through constant failures when every wait is the longest allowed."""
    waited, attempt = 0.0, 0
    while attempt + 1 < patience.attempts and waited + patience.wait(attempt, 1.0) <= patience.budget:
        waited += patience.wait(attempt, 1.0)
        attempt += 1
    return attempt + 1


def _ready(make_visit, flow):
    vid = make_visit()
    token = flow.link(vid)
    flow.post(vid, "clock-in")
    return vid, token


def test_chime_meeting_is_created_lazily_and_attendees_are_idempotent(chime, make_visit, flow):
    vid, token = _ready(make_visit, flow)  # no Chime call so far: the stubber has nothing queued
    mid, emp_att, cli_att = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    expect_meeting(chime, vid, mid, attendee_id=emp_att)  # one call: the meeting with the caregiver in it
    chime.add_response("create_attendee", attendee(f"client-{vid}", cli_att),
                       {"MeetingId": mid, "ExternalUserId": f"client-{vid}"})
    chime.add_response("create_attendee", attendee("employee-emp1", emp_att),
                       {"MeetingId": mid, "ExternalUserId": "employee-emp1"})
    chime.add_response("delete_meeting", {}, {"MeetingId": mid})

    joined = flow.post(vid, "session/join").json_body
    assert joined["provider"] == "chime"
    assert joined["meeting"]["MediaPlacement"]["SignalingUrl"].startswith("wss://")
    assert joined["attendee"] == {"attendee_id": emp_att, "external_user_id": "employee-emp1",
                                  "join_token": "jt-" + emp_att}
    assert flow.client("attendee", token).json_body["attendee"]["attendee_id"] == cli_att
    assert flow.post(vid, "session/join").json_body["attendee"]["attendee_id"] == emp_att
    assert flow.post(vid, "session/end").json_body["state"] == "over"
    chime.assert_no_pending_responses()


def test_chime_ids_carry_no_personal_data(chime, make_visit, flow):
    vid, _ = _ready(make_visit, flow)
    mid = str(uuid.uuid4())
    expect_meeting(chime, vid, mid)
    flow.post(vid, "session/join")
    chime.assert_no_pending_responses()
    for personal in ("Eleanor", "Rigby", "Maria", "Lopez", "@"):
        assert personal not in f"visit-{vid} {vid}-1 employee-emp1 client-{vid}"


def test_chime_meeting_found_gone_is_recreated_for_the_same_session(chime, make_visit, flow):
    vid, _ = _ready(make_visit, flow)
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    att = expect_meeting(chime, vid, first)
    chime.add_client_error("create_attendee", "NotFoundException", "The meeting does not exist.", 404,
                           expected_params={"MeetingId": first, "ExternalUserId": "employee-emp1"})
    expect_meeting(chime, vid, second, seq=2, attendee_id=att)
    assert flow.post(vid, "session/join").json_body["meeting"]["MeetingId"] == first
    assert flow.post(vid, "session/join").json_body["meeting"]["MeetingId"] == second
    chime.assert_no_pending_responses()
    assert flow.session(vid)["state"] == "active"


def test_chime_throttling_is_retried_then_answered_503_video_busy(chime, make_visit, flow):
    vid, _ = _ready(make_visit, flow)
    for _ in range(attempts_at_ceiling(JOIN_PATIENCE)):  # 2: one retry after 0.2 s
        chime.add_client_error("create_meeting_with_attendees", "ThrottlingException", "Rate exceeded", 429)
    response = flow.post(vid, "session/join")
    assert response.status_code == 503 and response.headers["Retry-After"] == "2"
    assert response.json_body == {
        "Code": "VIDEO_BUSY",
        "Message": "Many video visits are starting at this moment. Please try again in a minute.",
    }
    chime.assert_no_pending_responses()
    assert flow.session(vid)["state"] == "invited"
    assert "employee_joined" not in flow.timeline(vid)


def test_chime_refusal_is_not_retried_and_answered_503_video_unavailable(chime, make_visit, flow):
    vid, _ = _ready(make_visit, flow)
    chime.add_client_error("create_meeting_with_attendees", "ForbiddenException", "Not allowed", 403)
    response = flow.post(vid, "session/join")
    assert response.status_code == 503
    assert response.json_body == {
        "Code": "VIDEO_UNAVAILABLE", "Message": "The video service is busy just now. Please try again in a moment.",
    }
    chime.assert_no_pending_responses()


def test_chime_server_error_then_success_joins(chime, make_visit, flow):
    vid, _ = _ready(make_visit, flow)
    mid = str(uuid.uuid4())
    chime.add_client_error("create_meeting_with_attendees", "ServiceFailureException", "Internal", 500)
    expect_meeting(chime, vid, mid)
    assert flow.post(vid, "session/join").status_code == 200
    chime.assert_no_pending_responses()


def test_a_repeated_request_answering_someone_elses_attendee_is_not_handed_out(chime, make_visit, flow):
    # Given the caregiver's join repeats a request token whose first request named another attendee
    vid, _ = _ready(make_visit, flow)
    mid, own = str(uuid.uuid4()), str(uuid.uuid4())
    chime.add_response("create_meeting_with_attendees", {
        **meeting(vid, mid), "Attendees": [attendee("client-someone-else", str(uuid.uuid4()))["Attendee"]],
        "Errors": [],
    }, {
        "ClientRequestToken": f"{vid}-1", "MediaRegion": "us-east-1", "ExternalMeetingId": f"visit-{vid}",
        "MeetingFeatures": ECHO, "Attendees": [{"ExternalUserId": "employee-emp1"}],
    })
    chime.add_response("create_attendee", attendee("employee-emp1", own),
                       {"MeetingId": mid, "ExternalUserId": "employee-emp1"})
    # When the caregiver joins
    joined = flow.post(vid, "session/join").json_body
    # Then the caregiver gets an attendee of their own, made with CreateAttendee
    assert joined["attendee"]["attendee_id"] == own and joined["attendee"]["join_token"] == "jt-" + own
    chime.assert_no_pending_responses()


def test_failed_delete_at_hang_up_still_ends_and_the_sweep_finishes_it(api, chime, make_visit, flow):
    vid, _ = _ready(make_visit, flow)
    mid = str(uuid.uuid4())
    expect_meeting(chime, vid, mid)
    for _ in range(3):
        chime.add_client_error("delete_meeting", "ServiceUnavailableException", "Down", 503)
    chime.add_response("delete_meeting", {}, {"MeetingId": mid})
    flow.post(vid, "session/join")
    ended = flow.post(vid, "session/end")
    assert ended.status_code == 200 and ended.json_body["state"] == "over"
    result = api.client.lambda_.invoke("sweep", api.client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]))
    assert result.payload == {"expired": 0, "meetings_deleted": 1, "reconciled": 0, "examined": 1,
                              "reminded": 0}
    chime.assert_no_pending_responses()
    again = api.client.lambda_.invoke("sweep", api.client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]))
    assert again.payload["examined"] == 0
