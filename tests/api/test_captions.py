"""R39: live captions through Chime live transcription, tested against the real service model with Stubber.

Every request to Chime is checked whole (the language comes from the client's preferred language), every end stops
captions before it deletes the meeting, and nothing ever starts them on a session that ended.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.integrations.meetings import ChimeMeetings
from chalicelib.services import Services, use_services
from tests.api.test_chime import attendee, expect_meeting
from tests.conftest import NOW

SETTINGS = {"Region": "auto", "EnablePartialResultsStabilization": True, "PartialResultsStability": "high"}


def expect_start(chime: Stubber, meeting_id: str, language: str = "en-US") -> None:
    chime.add_response("start_meeting_transcription", {}, {
        "MeetingId": meeting_id,
        "TranscriptionConfiguration": {"EngineTranscribeSettings": {"LanguageCode": language, **SETTINGS}},
    })


def expect_stop(chime: Stubber, meeting_id: str) -> None:
    chime.add_response("stop_meeting_transcription", {}, {"MeetingId": meeting_id})


@pytest.fixture
def chime(services, clock):
    client = boto3.client("chime-sdk-meetings", region_name="us-east-1")
    stubber = Stubber(client)
    stubber.activate()
    use_services(Services(clock=clock, meetings=ChimeMeetings(client, "us-east-1", sleep=lambda _: None)))
    yield stubber
    stubber.deactivate()
    use_services(services)


def in_call(chime: Stubber, make_visit: Any, flow: Any, client: str = "cli1") -> tuple[str, str, str]:
    """A visit whose caregiver is in the call; returns the visit, the client's link token and the meeting."""
    vid = make_visit(client=client)
    token = flow.link(vid)
    flow.post(vid, "clock-in")
    mid = str(uuid.uuid4())
    expect_meeting(chime, vid, mid)
    assert flow.post(vid, "session/join").status_code == 200
    return vid, token, mid


def captions(api: Any, tokens: dict[str, str], vid: str, on: bool, who: str = "emp1") -> Any:
    return api.call("POST", f"/api/visits/{vid}/session/captions", {"on": on}, tokens[who])


def link_captions(api: Any, token: str, on: bool) -> Any:
    return api.call("POST", "/api/join/captions", {"token": token, "on": on})


def test_r39_the_caregiver_turns_captions_on_and_off_for_the_call(api, tokens, chime, make_visit, flow):
    # Given a caregiver in the call
    vid, _link, mid = in_call(chime, make_visit, flow)

    # When they turn captions on, then on again (a double tap), then off
    expect_start(chime, mid)
    on = captions(api, tokens, vid, True)
    again = captions(api, tokens, vid, True)
    expect_stop(chime, mid)
    off = captions(api, tokens, vid, False)

    # Then Chime started and stopped transcription once each, in US English, and the status says so
    chime.assert_no_pending_responses()
    assert on.status_code == 200 and on.json_body["captions_on"] is True
    assert again.json_body["captions_on"] is True
    assert off.status_code == 200 and off.json_body["captions_on"] is False
    # ... and the timeline records who turned them on and off (R26)
    assert flow.timeline(vid)[-2:] == ["captions_on", "captions_off"]


def test_r39_captions_are_in_the_clients_language(api, tokens, chime, make_visit, flow):
    # Given a client whose preferred language is Spanish
    client = api.call("POST", "/api/clients", {"name": "Rosa Diaz", "email": "rosa@mail.example.test",
                                               "preferred_language": "es"}, tokens["coord"]).json_body["id"]
    vid, link, mid = in_call(chime, make_visit, flow, client=client)

    # When the client turns captions on from the join page
    expect_start(chime, mid, "es-US")
    response = link_captions(api, link, True)

    # Then transcription runs in US Spanish, and a client joining now is told captions are on
    chime.assert_no_pending_responses()
    assert response.status_code == 200 and response.json_body == {"captions_on": True, "state": "active"}
    chime.add_response("create_attendee", attendee(f"client-{vid}", str(uuid.uuid4())),
                       {"MeetingId": mid, "ExternalUserId": f"client-{vid}"})
    assert flow.client("attendee", link).json_body["captions_on"] is True
    assert flow.timeline(vid)[-2] == "captions_on"


@pytest.mark.parametrize("ending", ["session/end", "clock-out"])
def test_r39_every_end_stops_captions_before_it_deletes_the_meeting(api, tokens, chime, make_visit, flow, ending):
    # Given a call with captions on
    vid, _link, mid = in_call(chime, make_visit, flow)
    expect_start(chime, mid)
    captions(api, tokens, vid, True)

    # When the caregiver hangs up, or clocks out during the call (R22)
    expect_stop(chime, mid)
    chime.add_response("delete_meeting", {}, {"MeetingId": mid})
    assert flow.post(vid, ending).status_code == 200

    # Then transcription stopped first, then the meeting went: nothing bills on after the end
    chime.assert_no_pending_responses()
    assert flow.session(vid)["captions_on"] is False


def test_r39_the_sweep_stops_captions_of_an_expired_session(api, tokens, chime, make_visit, flow, clock):
    # Given a call with captions on that nobody hangs up
    vid, _link, mid = in_call(chime, make_visit, flow)
    expect_start(chime, mid)
    captions(api, tokens, vid, True)

    # When the link expires (R13) and the sweep runs (R27)
    clock.advance(timedelta(minutes=70))
    expect_stop(chime, mid)
    chime.add_response("delete_meeting", {}, {"MeetingId": mid})
    result = api.client.lambda_.invoke("sweep", api.client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]))

    # Then the sweep stopped the captions before deleting the meeting
    assert result.payload["expired"] == 1
    chime.assert_no_pending_responses()


def test_r39_captions_never_start_on_a_session_that_ended(api, tokens, chime, make_visit, flow, clock):
    # Given a call the caregiver hung up
    vid, link, mid = in_call(chime, make_visit, flow)
    chime.add_response("delete_meeting", {}, {"MeetingId": mid})
    flow.post(vid, "session/end")

    # When either side asks for captions
    by_caregiver = captions(api, tokens, vid, True)
    by_client = link_captions(api, link, True)

    # Then both are refused with R23's texts, and Chime is never asked
    assert by_caregiver.status_code == 409 and by_caregiver.json_body["Code"] == "SESSION_OVER"
    assert by_client.status_code == 409
    assert by_client.json_body["Message"] == "Your caregiver has ended the session. You can now close this page."
    chime.assert_no_pending_responses()
    assert "captions_on" not in flow.timeline(vid)


def test_r39_no_captions_after_the_link_expired(api, tokens, chime, make_visit, flow, clock):
    vid, link, _mid = in_call(chime, make_visit, flow)
    clock.advance(timedelta(minutes=66))
    assert captions(api, tokens, vid, True).json_body["Code"] == "LINK_EXPIRED"
    assert link_captions(api, link, True).json_body == {
        "Code": "LINK_EXPIRED",
        "Message": "This link has expired. Please contact your care provider for a new invitation.",
    }
    chime.assert_no_pending_responses()


def test_r39_a_chime_failure_changes_nothing(api, tokens, chime, make_visit, flow):
    # Given a call, and Chime refusing to start transcription (e.g. Transcribe's stream quota is used up)
    vid, _link, mid = in_call(chime, make_visit, flow)
    chime.add_client_error("start_meeting_transcription", "BadRequestException", "Transcription quota", 400,
                           expected_params={"MeetingId": mid, "TranscriptionConfiguration": {
                               "EngineTranscribeSettings": {"LanguageCode": "en-US", **SETTINGS}}})

    response = captions(api, tokens, vid, True)

    # Then the caller hears it, and nothing says captions are on
    assert response.status_code == 503
    assert response.json_body == {"Code": "CAPTIONS_UNAVAILABLE",
                                  "Message": "Captions could not be changed just now. Please try again in a moment."}
    chime.assert_no_pending_responses()
    assert flow.session(vid)["captions_on"] is False
    assert "captions_on" not in flow.timeline(vid)


def test_r39_a_replaced_meeting_gets_captions_again(api, tokens, chime, make_visit, flow):
    # Given captions on, and Chime ending the meeting on its own (an idle meeting)
    vid, _link, first = in_call(chime, make_visit, flow)
    expect_start(chime, first)
    captions(api, tokens, vid, True)
    second = str(uuid.uuid4())
    chime.add_client_error("create_attendee", "NotFoundException", "The meeting does not exist.", 404,
                           expected_params={"MeetingId": first, "ExternalUserId": "employee-emp1"})
    expect_meeting(chime, vid, second, seq=2)

    # When the caregiver joins again, into the new meeting
    expect_start(chime, second)
    joined = flow.post(vid, "session/join").json_body

    # Then captions were started on the new meeting, and the join says they are on
    assert joined["meeting"]["MeetingId"] == second and joined["captions_on"] is True
    chime.assert_no_pending_responses()


def test_r39_only_the_assigned_caregiver_and_the_link_holder_turn_captions_on(api, tokens, chime, make_visit, flow):
    vid, _link, _mid = in_call(chime, make_visit, flow)
    assert captions(api, tokens, vid, True, who="emp2").json_body["Code"] == "NOT_ASSIGNED"
    assert captions(api, tokens, vid, True, who="other").status_code == 404  # R25
    assert link_captions(api, "A" * 43, True).json_body["Code"] == "INVALID_LINK"
    assert api.call("POST", f"/api/visits/{vid}/session/captions", {"on": "yes"},
                    tokens["emp1"]).json_body["Code"] == "BAD_REQUEST"
    chime.assert_no_pending_responses()


def test_r39_the_local_provider_has_no_captions(api, tokens, make_visit, flow):
    # Given the local stack's provider, which cannot caption
    vid = make_visit()
    link = flow.link(vid)
    flow.post(vid, "clock-in")
    flow.post(vid, "session/join")

    # Then asking for captions is refused plainly (the pages leave the button out)
    response = captions(api, tokens, vid, True)
    assert response.status_code == 422 and response.json_body["Code"] == "CAPTIONS_NOT_AVAILABLE"
    assert link_captions(api, link, True).status_code == 422
    assert flow.session(vid)["captions_on"] is False


def test_r39_captions_before_any_invite_need_a_session(api, tokens, make_visit):
    vid = make_visit(start=NOW + timedelta(hours=1))
    response = captions(api, tokens, vid, True)
    assert response.status_code == 409 and response.json_body["Code"] == "NO_SESSION"
