"""R39 rules over the in-memory stores, with the real Chime integration on a stubbed client (no network)."""

from __future__ import annotations

import uuid
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.errors import SessionOver
from chalicelib.integrations.meetings import ChimeMeetings
from chalicelib.logic.captions import for_caregiver, transcription_language
from tests.unit.conftest import CAREGIVER


@pytest.mark.parametrize(("preferred", "language"), [
    ("en", "en-US"), ("es", "es-US"), ("fr", "fr-CA"), ("pt", "pt-BR"), ("zh", "zh-CN"),
    ("vi", "en-US"), ("ht", "en-US"), (None, "en-US"),
])
def test_r39_captions_follow_the_clients_preferred_language(preferred, language):
    assert transcription_language(preferred) == language


@pytest.fixture
def chime(agency: Any) -> Any:
    client = boto3.client("chime-sdk-meetings", region_name="us-east-1", aws_access_key_id="x",
                          aws_secret_access_key="x")
    stubber = Stubber(client)
    stubber.activate()
    agency.services._meetings = ChimeMeetings(client, "us-east-1", sleep=lambda _: None)
    yield client, stubber
    stubber.deactivate()


def test_r39_an_end_racing_the_start_leaves_no_captions_running(agency, chime):
    # Given a caregiver in a Chime call
    client, stubber = chime
    vid = agency.visit()
    agency.link(vid)
    agency.clock_in(vid)
    mid = str(uuid.uuid4())
    stubber.add_response("create_meeting_with_attendees", {
        "Meeting": {"MeetingId": mid}, "Errors": [],
        "Attendees": [{"AttendeeId": "a1", "ExternalUserId": "employee-emp1", "JoinToken": "jt-a1"}]})
    agency.join(vid)

    # When the caregiver hangs up in another window while Chime is starting the captions
    def hang_up_meanwhile(**_: Any) -> None:
        client.meta.events.unregister("provide-client-params.chime-sdk-meetings.StartMeetingTranscription",
                                      hang_up_meanwhile)
        agency.hang_up(vid)

    client.meta.events.register("provide-client-params.chime-sdk-meetings.StartMeetingTranscription",
                                hang_up_meanwhile)
    stubber.add_response("delete_meeting", {}, {"MeetingId": mid})  # the hang-up's
    stubber.add_response("start_meeting_transcription", {})
    stubber.add_response("stop_meeting_transcription", {}, {"MeetingId": mid})

    # Then the captions lose: refused with R23's text, and what Chime started is stopped again
    with pytest.raises(SessionOver):
        for_caregiver(agency.services, CAREGIVER, vid, True, agency.now())
    stubber.assert_no_pending_responses()
    assert agency.session(vid)["captions_on"] is False
    assert "captions_on" not in agency.timeline(vid)
