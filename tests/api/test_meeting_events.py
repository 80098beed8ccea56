"""Chime meeting events: presence and meeting ends as Chime saw them; duplicates, reordering, unknowns, loss."""

from __future__ import annotations

import uuid
from datetime import timedelta

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.integrations.meetings import ChimeMeetings
from chalicelib.services import Services, use_services
from tests.conftest import NOW

CHIME = "Chime Meeting State Change"


def event(api, meeting_id, kind, external=None, at=None):
    detail = {"version": "0", "eventType": f"chime:{kind}", "meetingId": meeting_id,
              "timestamp": int((at or NOW).timestamp() * 1000), "mediaRegion": "us-east-1"}
    if external:
        detail.update(externalUserId=external, attendeeId=str(uuid.uuid4()))
    return api.client.lambda_.invoke("on_chime_event", api.client.events.generate_cw_event(
        source="aws.chime", detail_type=CHIME, detail=detail, resources=[])).payload


@pytest.fixture
def call(make_visit, flow):
    vid = make_visit()
    token = flow.link(vid)
    flow.post(vid, "clock-in")
    meeting_id = flow.post(vid, "session/join").json_body["meeting"]["MeetingId"]
    return vid, token, meeting_id


def test_r15_r19_attendee_events_drive_presence_and_timeline(api, flow, call, clock):
    vid, _, mid = call
    assert event(api, mid, "AttendeeJoined", f"client-{vid}", NOW + timedelta(seconds=5)) == "applied"
    assert flow.session(vid)["client_present"] is True
    assert event(api, mid, "AttendeeDropped", f"client-{vid}", NOW + timedelta(seconds=9)) == "applied"
    status = flow.session(vid)
    assert status["client_present"] is False and status["state"] == "active"  # R19: the session stays open
    assert flow.timeline(vid)[-2:] == ["client_joined", "client_left"]
    assert event(api, mid, "AttendeeLeft", "employee-emp1", NOW + timedelta(seconds=12)) == "applied"
    assert flow.session(vid)["employee_present"] is False


def test_duplicate_and_out_of_order_events_change_nothing_wrongly(api, flow, call):
    vid, _, mid = call
    joined = NOW + timedelta(seconds=20)
    assert event(api, mid, "AttendeeJoined", f"client-{vid}", joined) == "applied"
    assert event(api, mid, "AttendeeJoined", f"client-{vid}", joined) == "no change"  # duplicate
    assert event(api, mid, "AttendeeLeft", f"client-{vid}", joined - timedelta(seconds=10)) == "no change"  # late
    assert flow.session(vid)["client_present"] is True
    assert flow.timeline(vid).count("client_joined") == 1


def test_unknown_meetings_and_attendees_are_ignored(api, flow, call):
    vid, _, mid = call
    before = flow.timeline(vid)
    assert event(api, str(uuid.uuid4()), "AttendeeJoined", "client-x") == "unknown meeting"
    assert event(api, mid, "AttendeeJoined", "someone-else") == "unknown attendee"
    assert event(api, mid, "MeetingStarted") == "ignored"
    assert flow.timeline(vid) == before


def test_meeting_ended_on_open_session_makes_the_next_join_recreate_it(api, flow, call):
    vid, token, mid = call
    assert event(api, mid, "MeetingEnded", at=NOW + timedelta(minutes=1)) == "applied"
    status = flow.session(vid)
    assert status["state"] == "active" and status["employee_present"] is False
    again = flow.post(vid, "session/join").json_body["meeting"]["MeetingId"]
    assert again != mid
    assert flow.client("attendee", token).json_body["meeting"]["MeetingId"] == again
    assert event(api, mid, "AttendeeJoined", f"client-{vid}") == "not current"  # an event of the old meeting


def test_events_after_the_end_change_nothing(api, flow, call):
    vid, _, mid = call
    flow.post(vid, "session/end")
    assert event(api, mid, "AttendeeJoined", f"client-{vid}", NOW + timedelta(minutes=1)) == "not current"
    assert flow.session(vid)["state"] == "over"


def test_lost_attendee_left_is_healed_by_reconciliation(api, flow, make_visit, services, clock):
    # Given a Chime call where the client joined, and Chime's AttendeeLeft never arrived
    client = boto3.client("chime-sdk-meetings", region_name="us-east-1")
    stubber = Stubber(client)
    stubber.activate()
    use_services(Services(clock=clock, meetings=ChimeMeetings(client, "us-east-1", sleep=lambda _: None)))
    try:
        vid = make_visit()
        token = flow.link(vid)
        flow.post(vid, "clock-in")
        mid = str(uuid.uuid4())
        stubber.add_response("create_meeting_with_attendees", {
            "Meeting": {"MeetingId": mid, "MediaRegion": "us-east-1"},
            "Attendees": [{"AttendeeId": "att-a1", "ExternalUserId": "employee-emp1", "JoinToken": "jt-1"}]})
        stubber.add_response("create_attendee", {"Attendee": {"AttendeeId": "att-a2", "ExternalUserId": f"client-{vid}",
                                                             "JoinToken": "jt-1"}})
        flow.post(vid, "session/join")
        flow.client("attendee", token)
        assert flow.session(vid)["client_present"] is True
        # When the reconciliation time passes and the sweep asks Chime who is there
        clock.advance(timedelta(minutes=11))
        stubber.add_response("get_meeting", {"Meeting": {"MeetingId": mid}}, {"MeetingId": mid})
        stubber.add_response("list_attendees", {"Attendees": [
            {"AttendeeId": "att-a1", "ExternalUserId": "employee-emp1", "JoinToken": "jt-1"}]},
            {"MeetingId": mid, "MaxResults": 100})
        result = api.client.lambda_.invoke("sweep", api.client.events.generate_cw_event(
            source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])).payload
        # Then the client is marked gone, the caregiver stays, and it is on the timeline
        assert result["reconciled"] == 1 and result["expired"] == 0
        stubber.assert_no_pending_responses()
        status = flow.session(vid)
        assert status["client_present"] is False and status["employee_present"] is True
        assert flow.timeline(vid)[-1] == "client_left"
        # And when Chime has ended the meeting, the next reconciliation forgets it
        clock.advance(timedelta(minutes=11))
        stubber.add_client_error("get_meeting", "NotFoundException", "gone", 404)
        api.client.lambda_.invoke("sweep", api.client.events.generate_cw_event(
            source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]))
        stubber.assert_no_pending_responses()
        assert flow.session(vid)["employee_present"] is False
    finally:
        stubber.deactivate()
        use_services(services)
