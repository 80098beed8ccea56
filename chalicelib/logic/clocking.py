"""Clocking in and out (R08, R11, R21, R22)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.errors import AlreadyClockedIn, AlreadyClockedOut, Conflict, NotAssigned, NotClockedInForClockOut
from chalicelib.logic.access import Caller, load_visit, require_assigned
from chalicelib.logic.ending import delete_meeting
from chalicelib.logic.views import visit_view
from chalicelib.observability import count
from chalicelib.persistence import directory
from chalicelib.persistence import sessions as session_store
from chalicelib.persistence import visits as visit_store
from chalicelib.persistence.visits import OPEN_STATES
from chalicelib.services import Services

STILL_ACTIVE = {
    "Code": "SESSION_STILL_ACTIVE",
    "Message": "The virtual session is still active. Remember to hang up the video call.",
}


class NotAssignedToClock(NotAssigned):
    message = "You need to be assigned to the visit to clock in or out."


def clock_in(caller: Caller, visit_id: str, services: Services, now: datetime) -> dict[str, Any]:
    """Clock in to the visit; it is what lets the caregiver join the call (R11)."""
    bundle = load_visit(caller, visit_id)
    require_assigned(caller, bundle, NotAssignedToClock)
    visit = bundle.visit
    if visit.clock_out_at is not None:
        raise AlreadyClockedOut()
    if visit.clock_in_at is not None:
        raise AlreadyClockedIn()
    try:
        visit_store.clock_in(visit, now, caller.actor)
    except Conflict:
        raise AlreadyClockedIn() from None
    visit.clock_in_at = now
    client = directory.get_clients(caller.agency_id, [visit.client_id]).get(visit.client_id)
    return visit_view(visit, client, bundle.session, now)


def clock_out(caller: Caller, visit_id: str, services: Services, now: datetime) -> dict[str, Any]:
    """Clock out; an open session ends with it, and an active call earns the R22 warning."""
    for _ in range(5):
        bundle = load_visit(caller, visit_id)
        require_assigned(caller, bundle, NotAssignedToClock)
        visit, session = bundle.visit, bundle.session
        if visit.clock_out_at is not None:
            raise AlreadyClockedOut()
        if visit.clock_in_at is None:
            raise NotClockedInForClockOut()
        ending: list[Any] = []
        active = session is not None and session.state == "active" and now < session.expires_at
        if session is not None and session.state in OPEN_STATES:
            expired = now >= session.expires_at
            terminal, reason = ("expired", "expired") if expired else ("over", "clock_out")
            ending = session_store.end_ops(session, terminal, reason, now, caller.actor)
        try:
            visit_store.clock_out(visit, session, now, caller.actor, ending)
        except Conflict:
            continue
        break
    else:
        raise Conflict()
    visit.clock_out_at = now
    if ending and session is not None:
        count("SessionsEnded", reason=reason)
        session.state, session.ended_reason, session.ended_at = terminal, reason, now
        session.meeting_to_delete = session.meeting_id
        delete_meeting(session, services.meetings)
    client = directory.get_clients(caller.agency_id, [visit.client_id]).get(visit.client_id)
    result = visit_view(visit, client, session, now)
    if active:
        result["warning"] = dict(STILL_ACTIVE)
    return result
