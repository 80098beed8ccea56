"""R34: a coordinator cancels a visit: its session ends (`cancelled`), its links die, its meeting ends, the timeline
records it, and the visit takes no invite, clock-in, join or change any more."""

from __future__ import annotations

import pytest

from chalicelib.errors import (
    Forbidden,
    NotFound,
    StaffVisitCancelled,
    VisitCancelled,
    VisitCompleted,
)
from chalicelib.logic.cancel import cancel_visit
from tests.unit.conftest import CAREGIVER, COORDINATOR, OTHER_COORDINATOR


def cancel(agency, vid, caller=COORDINATOR):
    return cancel_visit(agency.services, caller, vid, agency.now())


def test_r34_cancelling_during_the_call_ends_the_session_its_meeting_and_the_clients_link(agency):
    # Given a visit whose caregiver and client are in the call
    vid, token = agency.in_call()
    assert agency.live_meetings(vid) == 1
    # When the coordinator cancels it
    cancelled = cancel(agency, vid)
    # Then the session ended as cancelled, the meeting is gone, and the timeline says who did what
    assert cancelled["cancelled_at"] and cancelled["cancelled"] is True
    assert (cancelled["session"]["state"], cancelled["session"]["ended_reason"]) == ("over", "cancelled")
    assert agency.live_meetings(vid) == 0
    assert agency.timeline(vid)[-2:] == ["visit_cancelled", "session_ended"]
    # And the client's link answers R34's text on every client route
    for look in (agency.client_page, agency.client_join, agency.client_leave):
        with pytest.raises(VisitCancelled) as refused:
            look(token)
        assert refused.value.status == 409 and refused.value.code == "VISIT_CANCELLED"
        assert refused.value.message == "This visit was cancelled. Please contact your care provider."


def test_r34_a_cancelled_visit_accepts_no_invite_clock_in_or_join(agency):
    # Given a virtual visit with an invite sent, cancelled before the caregiver clocked in
    vid = agency.visit()
    agency.invite(vid)
    cancel(agency, vid)
    # Then invite, copy, clock-in and join are refused with the staff's text
    for action in (lambda: agency.invite(vid), lambda: agency.invite(vid, "link"), lambda: agency.clock_in(vid),
                   lambda: agency.join(vid)):
        with pytest.raises(StaffVisitCancelled) as refused:
            action()
        assert (refused.value.code, refused.value.message) == ("VISIT_CANCELLED", "This visit was cancelled.")
    # And so are a reschedule and a reassign: a cancelled visit stays as it was cancelled
    with pytest.raises(StaffVisitCancelled):
        agency.reschedule(vid, end=agency.now())
    assert agency.details(vid, COORDINATOR)["session"]["ended_reason"] == "cancelled"


def test_r34_a_visit_with_no_session_is_cancelled_and_nothing_else_happens(agency):
    # Given an in-person visit
    vid = agency.visit(virtual=False, service="PC")
    # When it is cancelled, twice (a second confirmation click)
    first = cancel(agency, vid)
    second = cancel(agency, vid)
    # Then it is cancelled once, with one line on the timeline, and no session
    assert first["cancelled_at"] == second["cancelled_at"] and second["session"]["state"] == "none"
    assert agency.timeline(vid) == ["visit_cancelled"]


def test_r34_a_visit_in_progress_is_cancelled_and_its_caregiver_still_clocks_out(agency):
    # Given a caregiver clocked in to a visit with an invite out
    vid = agency.visit()
    agency.invite(vid, "link")
    agency.clock_in(vid)
    # When the coordinator cancels it
    cancel(agency, vid)
    # Then the caregiver can still clock out, which records the end of their work (R26)
    out = agency.clock_out(vid)
    assert out["clock_out_at"] and "warning" not in out
    assert agency.timeline(vid) == ["link_copied", "clocked_in", "visit_cancelled", "session_ended", "clocked_out"]


def test_r34_a_visit_that_took_place_cannot_be_cancelled(agency):
    # Given a visit the caregiver clocked in and out of
    vid = agency.visit()
    agency.clock_in(vid)
    agency.clock_out(vid)
    # Then cancelling it is refused: the clock-out is evidence the agency bills from
    with pytest.raises(VisitCompleted) as refused:
        cancel(agency, vid)
    assert refused.value.status == 409 and not agency.details(vid, COORDINATOR)["cancelled"]


def test_r34_only_a_coordinator_of_the_agency_cancels(agency):
    vid = agency.visit()
    with pytest.raises(Forbidden):
        cancel(agency, vid, CAREGIVER)
    with pytest.raises(NotFound):  # another agency's coordinator cannot tell that the visit exists (R25)
        cancel(agency, vid, OTHER_COORDINATOR)
    assert agency.timeline(vid) == []


def test_r34_a_cancel_after_the_link_expired_records_the_expiry_the_one_way_every_session_ends(agency):
    # Given an invited visit whose link expired, not yet swept
    vid = agency.visit(minutes=30)
    agency.invite(vid, "link")
    agency.advance(60)
    # When it is cancelled
    cancelled = cancel(agency, vid)
    # Then the session is expired (R13), as any end past the expiry is, and the visit is cancelled
    assert (cancelled["session"]["state"], cancelled["session"]["ended_reason"]) == ("expired", "expired")
    assert agency.timeline(vid)[-2:] == ["visit_cancelled", "link_expired"] and cancelled["cancelled"]
