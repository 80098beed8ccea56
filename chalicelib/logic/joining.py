"""Joining and leaving the call: the caregiver (R11-R15, R24) and the client (R16, R19, R24)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.clock import iso
from chalicelib.errors import (
    ClientLinkExpired,
    ClientSessionOver,
    InvalidLink,
    NoSession,
    NotAssignedToJoin,
    NotClockedIn,
    NotFound,
    SessionOver,
)
from chalicelib.integrations.meetings import attendee_view
from chalicelib.logic import links
from chalicelib.logic.access import Caller, load_visit, require_assigned
from chalicelib.logic.invitations import ensure_open
from chalicelib.logic.meeting_access import join_meeting
from chalicelib.logic.presence import next_sweep
from chalicelib.logic.views import effective_state, first_name, session_status
from chalicelib.observability import count
from chalicelib.persistence import directory, keys
from chalicelib.persistence import sessions as session_store
from chalicelib.persistence.models import Session
from chalicelib.persistence.visits import OPEN_STATES, VisitBundle, get_visit_bundle
from chalicelib.services import Services


def _still_open(session: Session) -> None:
    fresh = session_store.get_session(session.pk)
    if fresh is None or fresh.state not in OPEN_STATES:
        raise SessionOver()


def employee_join(caller: Caller, visit_id: str, services: Services, now: datetime) -> dict[str, Any]:
    """Meeting credentials for the assigned, clocked-in caregiver."""
    bundle = load_visit(caller, visit_id)
    require_assigned(caller, bundle, NotAssignedToJoin)
    session, visit = bundle.session, bundle.visit
    ensure_open(session, visit, now)
    if visit.clock_in_at is None or visit.clock_out_at is not None:
        raise NotClockedIn()
    if session is None or effective_state(session, now) == "none":
        raise NoSession()
    session, meeting, attendee = join_meeting(session, f"employee-{caller.employee_id}", services.meetings, True)
    if not session_store.set_presence(session, "employee", True, now, caller.actor,
                                      next_sweep=next_sweep(session, now, True)):
        _still_open(session)
    count("Joins", side="employee")
    return {"provider": services.meetings.provider, "meeting": meeting, "attendee": attendee_view(attendee),
            "client_present": bool(session.client_present)}


def employee_leave(caller: Caller, visit_id: str, services: Services, now: datetime) -> dict[str, Any]:
    """The caregiver closed the call window: the session stays open for a rejoin (R24)."""
    bundle = load_visit(caller, visit_id)
    require_assigned(caller, bundle, NotAssignedToJoin)
    session = bundle.session
    if session is not None and session_store.set_presence(
            session, "employee", False, now, caller.actor,
            next_sweep=next_sweep(session, now, bool(session.client_present))):
        session.employee_present = False
    return session_status(bundle.session, bundle.visit, now)


def _by_token(token: str, now: datetime) -> tuple[VisitBundle, Session]:
    """The visit behind a client link, if the link is of the visit's current time and not expired (R10, R13)."""
    link = session_store.get_link(keys.link_pk(token)) if links.looks_like_token(token) else None
    if link is None:
        raise InvalidLink()
    try:
        bundle = get_visit_bundle(link.agency_id, link.visit_id)
    except NotFound:
        raise InvalidLink() from None
    session = bundle.session
    current = bundle.visit.schedule_version == link.generation
    if session is None or not current or session.link_generation != link.generation:
        raise InvalidLink()
    if session.state == "expired" or now >= session.expires_at or now >= link.expires_at:
        raise ClientLinkExpired()
    return bundle, session


def client_view(token: str, services: Services, now: datetime) -> dict[str, Any]:
    """R16: the agency, the caregiver's first name and the visit time, and nothing else."""
    bundle, session = _by_token(token, now)
    visit = bundle.visit
    found = directory.lookup(visit.agency_id, agency=True, employee_id=visit.employee_id)
    agency, caregiver = found.agency, found.employee
    if agency is None or caregiver is None:
        raise InvalidLink()
    return {
        "agency_name": agency.name,
        "caregiver_first_name": first_name(caregiver.name),
        "start": iso(visit.start),
        "end": iso(visit.end),
        "time_zone": agency.time_zone,
        "state": "over" if session.state == "over" else str(session.state),
        "caregiver_present": bool(session.employee_present) and session.state in OPEN_STATES,
    }


def client_join(token: str, services: Services, now: datetime) -> dict[str, Any]:
    """Meeting credentials for the client; the same attendee on every rejoin (R24)."""
    _, session = _by_token(token, now)
    if session.state == "over":
        raise ClientSessionOver()
    session, meeting, attendee = join_meeting(
        session, f"client-{session.visit_id}", services.meetings, may_start=session.state == "active")
    if not session_store.set_presence(session, "client", True, now, "client",
                                      next_sweep=next_sweep(session, now, True)):
        fresh = session_store.get_session(session.pk)
        if fresh is None or fresh.state not in OPEN_STATES:
            raise ClientSessionOver()
    count("Joins", side="client")
    return {"provider": services.meetings.provider, "meeting": meeting, "attendee": attendee_view(attendee)}


def client_leave(token: str, services: Services, now: datetime) -> dict[str, Any]:
    """The client hung up or closed the page: presence only; the session stays open (R19, R23)."""
    _, session = _by_token(token, now)
    later = next_sweep(session, now, bool(session.employee_present))
    if session.state in OPEN_STATES and session_store.set_presence(session, "client", False, now, "client",
                                                                   next_sweep=later):
        return {"state": effective_state(session, now)}  # the write's condition held: still open
    fresh = session_store.get_session(session.pk) or session
    return {"state": effective_state(fresh, now)}
