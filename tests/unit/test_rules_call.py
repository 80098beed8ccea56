"""Joining, the call and its end, over in-memory stores and the local video provider (R11-R16, R19-R24)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.errors import (
    AlreadyClockedOut,
    ClientLinkExpired,
    ClientSessionOver,
    LinkExpired,
    NoSession,
    NotAssignedToJoin,
    NotClockedIn,
    SessionOver,
    WaitingForCaregiver,
)
from tests.unit.conftest import COLLEAGUE


def test_r11_the_caregiver_must_clock_in_before_joining(agency):
    vid = agency.visit()
    agency.link(vid)
    with pytest.raises(NotClockedIn) as refused:
        agency.join(vid)
    assert refused.value.status == 409 and refused.value.message == (
        "You must clock in to the visit before you can join the video session.")
    assert agency.live_meetings(vid) == 0


def test_r12_joining_needs_a_session(agency):
    vid = agency.visit()
    agency.clock_in(vid)
    with pytest.raises(NoSession) as refused:
        agency.join(vid)
    assert (refused.value.status, refused.value.message) == (
        409, "Send the invite to the client before joining the video session.")


def test_r05_only_the_assigned_caregiver_joins(agency):
    vid = agency.visit()
    agency.link(vid)
    agency.clock_in(vid)
    with pytest.raises(NotAssignedToJoin):
        agency.join(vid, COLLEAGUE)


def test_r13_the_link_expires_15_minutes_after_the_scheduled_end_for_both_sides(agency):
    # Given a visit in a call, ending at 15:50
    vid, token = agency.in_call()
    # When the clock reaches 16:05, 15 minutes after the scheduled end
    agency.advance(65)
    # Then the caregiver and the client are refused with their own texts, and nothing can be sent
    with pytest.raises(LinkExpired) as staff:
        agency.join(vid)
    with pytest.raises(ClientLinkExpired) as client:
        agency.client_join(token)
    with pytest.raises(LinkExpired):
        agency.invite(vid)
    assert staff.value.status == client.value.status == 410
    assert client.value.message == "This link has expired. Please contact your care provider for a new invitation."
    assert agency.session(vid)["state"] == "expired"


def test_r13_one_second_before_expiry_the_link_still_works(agency):
    _, token = agency.in_call()
    agency.clock.advance(timedelta(minutes=65) - timedelta(seconds=1))
    assert agency.client_page(token)["state"] == "active"


def test_r15_the_call_window_has_the_last_sent_time_and_whether_the_client_is_in(agency):
    # Given an invite sent, the caregiver in the call and the client not yet
    vid = agency.visit()
    agency.invite(vid)
    agency.clock_in(vid)
    agency.advance(2)
    joined = agency.join(vid)
    status = agency.session(vid)
    # Then the window has what R15's text needs
    assert joined["client_present"] is False and status["client_present"] is False
    assert status["last_invite_sent_at"] == "2026-11-25T15:00:00Z"


def test_r16_the_client_page_shows_agency_first_name_and_time_and_nothing_else(agency):
    # Given a copied link
    vid = agency.visit()
    token = agency.link(vid)
    # When the client opens it
    page = agency.client_page(token)
    # Then it has exactly these fields: no client name, no notes, no ids; and the client's language (R30)
    assert page == {"language": "en", "agency_name": "Sunrise Home Care", "caregiver_first_name": "Maria",
                    "start": "2026-11-25T14:50:00Z", "end": "2026-11-25T15:50:00Z",
                    "time_zone": "America/New_York", "state": "invited", "caregiver_present": False,
                    # R44: the zone as the email and the text name it, in each language the page speaks
                    "zone_names": {"en": "Eastern Time", "es": "hora del Este"},
                    "provider": "local"}  # the page loads its video code during the device check


def test_r16_the_client_waits_for_the_caregiver_then_both_are_in_one_meeting(agency):
    # Given a client who opens the link before the caregiver joined
    vid = agency.visit()
    token = agency.link(vid)
    agency.clock_in(vid)
    with pytest.raises(WaitingForCaregiver) as early:
        agency.client_join(token)
    assert early.value.message == "Your caregiver will join shortly." and agency.live_meetings(vid) == 0
    # When the caregiver joins, then the client
    staff = agency.join(vid)
    client = agency.client_join(token)
    # Then both are in the same meeting, as different attendees
    assert staff["meeting"]["MeetingId"] == client["meeting"]["MeetingId"]
    assert staff["attendee"]["attendee_id"] != client["attendee"]["attendee_id"]
    assert agency.client_page(token)["caregiver_present"] is True


def test_r19_a_client_leaving_keeps_the_session_open_and_the_same_link_rejoins(agency):
    # Given both in the call
    vid, token = agency.in_call()
    first = agency.client_join(token)["attendee"]["attendee_id"]
    # When the client leaves
    assert agency.client_leave(token) == {"state": "active"}
    # Then the caregiver sees the client gone, the session stays open, and the same link rejoins as the same one
    assert agency.session(vid)["client_present"] is False and agency.session(vid)["state"] == "active"
    assert agency.client_join(token)["attendee"]["attendee_id"] == first


def test_r20_hanging_up_ends_the_session_for_both_and_its_meeting(agency):
    # Given both in the call
    vid, token = agency.in_call()
    # When the caregiver hangs up
    status = agency.hang_up(vid)
    # Then the session is over, the meeting ended, and the client's page says so in R20's words
    assert (status["state"], status["ended_reason"]) == ("over", "hang_up")
    assert agency.live_meetings(vid) == 0
    assert agency.client_page(token)["state"] == "over"
    with pytest.raises(ClientSessionOver) as client:
        agency.client_join(token)
    assert client.value.message == "Your caregiver has ended the session. You can now close this page."


def test_r21_hanging_up_does_not_clock_out(agency):
    vid, _ = agency.in_call()
    agency.hang_up(vid)
    details = agency.details(vid)
    assert details["clock_in_at"] is not None and details["clock_out_at"] is None
    assert agency.clock_out(vid)["clock_out_at"] == "2026-11-25T15:00:00Z"


def test_r22_clocking_out_during_the_call_ends_the_session_with_a_warning(agency):
    # Given both in the call
    vid, _ = agency.in_call()
    # When the caregiver clocks out without hanging up
    answer = agency.clock_out(vid)
    # Then the session is over for the clock-out, the meeting ended, and the answer carries R22's warning
    assert answer["warning"] == {"Code": "SESSION_STILL_ACTIVE",
                                 "Message": "The virtual session is still active. Remember to hang up the video call."}
    assert (answer["session"]["state"], answer["session"]["ended_reason"]) == ("over", "clock_out")
    assert agency.live_meetings(vid) == 0 and agency.timeline(vid)[-2:] == ["clocked_out", "session_ended"]
    with pytest.raises(AlreadyClockedOut):
        agency.clock_out(vid)


def test_r22_clocking_out_with_no_active_call_ends_the_session_without_a_warning(agency):
    vid = agency.visit()
    agency.link(vid)
    agency.clock_in(vid)
    answer = agency.clock_out(vid)
    assert "warning" not in answer and answer["session"]["ended_reason"] == "clock_out"


def test_r23_after_the_caregiver_ends_it_no_invite_copy_or_join(agency):
    vid, _ = agency.in_call()
    agency.hang_up(vid)
    for attempt in (lambda: agency.invite(vid), lambda: agency.invite(vid, "link"), lambda: agency.join(vid)):
        with pytest.raises(SessionOver) as refused:
            attempt()
        assert refused.value.status == 409 and refused.value.message == (
            "The virtual session for this visit is over. Create a new visit to start another virtual session.")


def test_r23_a_client_hang_up_never_ends_the_session(agency):
    vid, token = agency.in_call()
    for _ in range(3):
        agency.client_leave(token)
        agency.client_join(token)
    assert agency.session(vid)["state"] == "active" and agency.live_meetings(vid) == 1


def test_r24_closing_the_window_ends_nothing_and_rejoining_is_the_same_call_and_attendee(agency):
    # Given the caregiver in the call
    vid, _ = agency.in_call()
    first = agency.join(vid)
    # When the caregiver's window closes, then opens again
    agency.leave(vid)
    again = agency.join(vid)
    # Then the same meeting and attendee, and the client stayed in
    assert again["meeting"]["MeetingId"] == first["meeting"]["MeetingId"]
    assert again["attendee"]["attendee_id"] == first["attendee"]["attendee_id"]
    assert again["client_present"] is True


def test_r24_a_meeting_the_provider_ended_is_replaced_on_the_next_join(agency):
    # Given the provider ended an idle meeting under an open session
    vid, token = agency.in_call()
    old = agency.join(vid)["meeting"]["MeetingId"]
    agency.services.meetings.end_by_provider(f"visit-{vid}")
    # When the caregiver and the client join again; Then both are in one new meeting
    new = agency.join(vid)["meeting"]["MeetingId"]
    assert new != old and agency.client_join(token)["meeting"]["MeetingId"] == new
    assert agency.live_meetings(vid) == 1


def test_r13_hanging_up_after_expiry_records_an_expiry(agency):
    vid, _ = agency.in_call()
    agency.advance(70)
    assert agency.hang_up(vid)["ended_reason"] == "expired"
    assert agency.timeline(vid)[-1] == "link_expired"
