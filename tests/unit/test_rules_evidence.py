"""The timeline, the sweep and presence from every source, over in-memory stores (R19, R26, R27)."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.logic import schedule
from chalicelib.logic.presence import on_meeting_event
from tests.unit.conftest import COORDINATOR


def chime_event(agency, meeting_id, kind, external, after_seconds=5):
    stamp = int((agency.now() + timedelta(seconds=after_seconds)).timestamp() * 1000)
    return on_meeting_event(agency.services, {"eventType": f"chime:{kind}", "meetingId": meeting_id,
                                              "externalUserId": external, "timestamp": stamp}, agency.now())


def test_r26_every_state_change_is_on_the_timeline_with_its_utc_time_and_actor(agency):
    # Given a whole visit played minute by minute
    vid = agency.visit()
    token = agency.link(vid)
    agency.advance(1)
    agency.invite(vid)
    agency.advance(1)
    agency.clock_in(vid)
    agency.advance(1)
    agency.join(vid)
    agency.advance(1)
    agency.client_join(token)
    agency.advance(1)
    agency.client_leave(token)
    agency.advance(1)
    agency.leave(vid)
    agency.advance(1)
    agency.hang_up(vid)
    agency.advance(1)
    agency.clock_out(vid)
    # When the coordinator reads the timeline
    lines = schedule.timeline(agency.services, COORDINATOR, vid)
    # Then every change is there, oldest first, each with its UTC time and who did it
    assert [(line["at"], line["type"], line["actor"]) for line in lines] == [
        ("2026-11-25T15:00:00Z", "link_copied", "employee:emp1"),
        ("2026-11-25T15:01:00Z", "invite_sent", "employee:emp1"),
        ("2026-11-25T15:02:00Z", "clocked_in", "employee:emp1"),
        ("2026-11-25T15:03:00Z", "employee_joined", "employee:emp1"),
        ("2026-11-25T15:04:00Z", "client_joined", "client"),
        ("2026-11-25T15:05:00Z", "client_left", "client"),
        ("2026-11-25T15:06:00Z", "employee_left", "employee:emp1"),
        ("2026-11-25T15:07:00Z", "session_ended", "employee:emp1"),
        ("2026-11-25T15:08:00Z", "clocked_out", "employee:emp1"),
    ]
    assert lines[7]["detail"] == "hang_up"


def test_r26_a_refused_action_records_nothing(agency):
    vid = agency.visit()
    writes = agency.tables.writes
    for refused in (lambda: agency.join(vid), lambda: agency.hang_up(vid), lambda: agency.clock_out(vid)):
        try:
            refused()
        except Exception as error:
            assert getattr(error, "status", 500) < 500
    assert agency.tables.writes == writes and agency.timeline(vid) == []


def test_r27_the_sweep_expires_sessions_ends_their_meetings_and_records_it_with_nobody_looking(agency):
    # Given one visit in a call and one only invited, both ending at 15:50
    in_call, invited = agency.visit(), agency.visit()
    agency.link(in_call)
    agency.link(invited)
    agency.clock_in(in_call)
    agency.join(in_call)
    # When the sweep runs at 16:05, and again
    agency.advance(65)
    first, again = agency.sweep(), agency.sweep()
    # Then both expired once, the live meeting ended, each timeline says so, and the second run did nothing
    assert (first.expired, first.meetings_deleted) == (2, 1)
    assert (again.expired, again.examined) == (0, 0)
    assert agency.live_meetings(in_call) == 0
    for vid in (in_call, invited):
        assert agency.timeline(vid)[-1] == "link_expired"
        status = agency.session(vid)
        assert (status["state"], status["ended_reason"]) == ("expired", "expired")


def test_r27_the_sweep_leaves_sessions_that_are_not_due(agency):
    vid = agency.visit()
    agency.link(vid)
    agency.advance(64)
    assert agency.sweep().expired == 0 and agency.session(vid)["state"] == "invited"


def test_r27_a_reschedule_after_the_sweep_read_a_session_keeps_it_alive(agency):
    # Given a session due, read by the sweep, then given a later end by the coordinator
    from chalicelib.logic.expiry import SweepResult, sweep_one

    vid = agency.visit()
    agency.link(vid)
    agency.advance(64)
    agency.reschedule(vid, end=agency.now() + timedelta(minutes=30))
    agency.advance(1)
    [due] = [s for s in agency.tables.sessions.values() if s.visit_id == vid]
    stale = type(due)(due.agency_id, due.visit_id, due.state, agency.now() - timedelta(minutes=1))
    # When the sweep acts on what it read
    result = SweepResult()
    sweep_one(agency.services, stale, agency.now(), result)
    # Then the session is not expired: its expiry moved
    assert result.expired == 0 and agency.session(vid)["state"] == "invited"


def test_r19_chime_events_move_presence_and_duplicates_or_late_ones_change_nothing(agency):
    # Given the caregiver in the call
    vid = agency.visit()
    agency.link(vid)
    agency.clock_in(vid)
    meeting = agency.join(vid)["meeting"]["MeetingId"]
    # When Chime reports the client joining (twice), then leaving, then a late join from before the leave
    assert chime_event(agency, meeting, "AttendeeJoined", f"client-{vid}", 5) == "applied"
    assert chime_event(agency, meeting, "AttendeeJoined", f"client-{vid}", 5) == "no change"
    assert chime_event(agency, meeting, "AttendeeLeft", f"client-{vid}", 10) == "applied"
    assert chime_event(agency, meeting, "AttendeeJoined", f"client-{vid}", 7) == "no change"
    # Then R19's text follows: the client is gone, and the session is still open
    assert agency.session(vid)["client_present"] is False and agency.session(vid)["state"] == "active"
    assert agency.timeline(vid).count("client_joined") == 1
    # And events of unknown meetings or attendees change nothing
    assert chime_event(agency, "no-such-meeting", "AttendeeJoined", f"client-{vid}") == "unknown meeting"
    assert chime_event(agency, meeting, "AttendeeJoined", "someone-else") == "unknown attendee"


def test_r27_the_sweep_reconciles_a_lost_leave_event_with_the_provider(agency):
    # Given both in the call, then the client's page closed without any event reaching the API
    from chalicelib.logic.presence import RECONCILE_AFTER

    vid, _ = agency.in_call()
    agency.services.meetings.end_by_provider(f"visit-{vid}")  # the provider noticed, nobody told the API
    # When the sweep looks, ten minutes on
    agency.clock.advance(RECONCILE_AFTER)
    agency.sweep()
    # Then nobody is believed present any more, and the session is still open for a rejoin
    status = agency.session(vid)
    assert (status["client_present"], status["employee_present"], status["state"]) == (False, False, "active")
