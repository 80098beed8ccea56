"""Clocking in and out (R08, R11, R21, R22)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.errors import (
    SESSION_STILL_ACTIVE,
    AlreadyClockedIn,
    AlreadyClockedOut,
    Conflict,
    NotAssignedToClock,
    NotClockedInForClockOut,
    StaffVisitCancelled,
)
from chalicelib.logic.access import Caller, load_visit, require_assigned
from chalicelib.logic.ending import after_end, ending_for
from chalicelib.logic.retry import retry_on_conflict
from chalicelib.logic.views import visit_view
from chalicelib.records import EndReason, EventType, Session, SessionState, TimelineEntry, Visit

if TYPE_CHECKING:
    from chalicelib.services import Services


def clock_in(services: Services, caller: Caller, visit_id: str, now: datetime) -> dict[str, Any]:
    """Clock in to the visit; it is what lets the caregiver join the call (R11). Before or after the invite (R08)."""
    bundle = load_visit(services, caller, visit_id)
    require_assigned(caller, bundle, NotAssignedToClock)
    visit = bundle.visit
    if visit.clock_out_at is not None:
        raise AlreadyClockedOut()
    if visit.clock_in_at is not None:
        raise AlreadyClockedIn()
    if visit.cancelled:
        raise StaffVisitCancelled()  # R34
    try:
        visit = services.visits.clock_in(visit, now, TimelineEntry(now, EventType.CLOCKED_IN, caller.actor))
    except Conflict:
        if services.visits.bundle(visit.agency_id, visit.visit_id).visit.cancelled:
            raise StaffVisitCancelled() from None  # a cancel came first (R34)
        raise AlreadyClockedIn() from None
    client = services.directory.clients(caller.agency_id, [visit.client_id]).get(visit.client_id)
    return visit_view(visit, client, bundle.session, now)


def clock_out(services: Services, caller: Caller, visit_id: str, now: datetime) -> dict[str, Any]:
    """Clock out; an open session ends with it (R22), in the same write, and an active call earns the warning.

    Clocking out never needs a hang-up first, and a hang-up never clocks out (R21).
    """

    def attempt() -> tuple[Visit, Session | None, Session | None]:
        bundle = load_visit(services, caller, visit_id)
        require_assigned(caller, bundle, NotAssignedToClock)
        visit, session = bundle.visit, bundle.session
        if visit.clock_out_at is not None:
            raise AlreadyClockedOut()
        if visit.clock_in_at is None:
            raise NotClockedInForClockOut()
        ending = None
        if session is not None and session.is_open:
            ending = (session, *ending_for(session, EndReason.CLOCK_OUT, now, caller.actor))
        clocked_out = TimelineEntry(now, EventType.CLOCKED_OUT, caller.actor)
        visit, ended = services.visits.clock_out(visit, now, clocked_out, ending)
        return visit, session, ended

    visit, read, ended = retry_on_conflict(attempt)
    if ended is not None:
        after_end(services, ended)
    client = services.directory.clients(caller.agency_id, [visit.client_id]).get(visit.client_id)
    result = visit_view(visit, client, ended or read, now)
    if ended is not None and read is not None and read.state == SessionState.ACTIVE and \
            ended.state == SessionState.OVER:
        result["warning"] = dict(SESSION_STILL_ACTIVE)
    return result
