"""Joining and leaving the call: the caregiver (R11-R15, R24), and the client (R16, R19, R24) or their guest (R38),
whose link follows the client's rules. A link holder's refusals are in the client's language (R30)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.errors import (
    ClientLinkExpired,
    ClientSessionOver,
    InvalidLink,
    NoSession,
    NotAssignedToJoin,
    NotClockedIn,
    SessionOver,
)
from chalicelib.i18n import DEFAULT
from chalicelib.logic.access import Caller, load_visit, require_assigned
from chalicelib.logic.captions import follow_meeting
from chalicelib.logic.invitations import ensure_open
from chalicelib.logic.link_holders import Holder, by_token, speaking
from chalicelib.logic.meeting_access import join_meeting
from chalicelib.logic.presence import change_presence
from chalicelib.logic.views import attendee_view, client_page, client_visit, effective_state, session_status
from chalicelib.observability import count
from chalicelib.records import CLIENT, NOT_INVITED, EventType, Session, SessionState, TimelineEntry

if TYPE_CHECKING:
    from chalicelib.services import Services


def employee_join(services: Services, caller: Caller, visit_id: str, now: datetime) -> dict[str, Any]:
    """Meeting credentials for the assigned, clocked-in caregiver."""
    bundle = load_visit(services, caller, visit_id)
    require_assigned(caller, bundle, NotAssignedToJoin)
    session, visit = bundle.session, bundle.visit
    ensure_open(session, visit, now)
    if visit.clock_in_at is None or visit.clock_out_at is not None:
        raise NotClockedIn()  # R11
    if session is None or effective_state(session, now) == NOT_INVITED:
        raise NoSession()  # R12
    joined, meeting, attendee = join_meeting(services, session, f"employee-{caller.employee_id}", True)
    follow_meeting(services, session, joined, visit)  # R39: captions on a replaced meeting too
    session = joined
    if change_presence(services, session, "employee", True, now, caller.actor) is None:
        _still_open(services, session, SessionOver)
    count("Joins", side="employee")
    return {"provider": services.meetings.provider, "meeting": meeting, "attendee": attendee_view(attendee),
            "client_present": session.client_present, "captions_on": session.captions_on}


def employee_leave(services: Services, caller: Caller, visit_id: str, now: datetime) -> dict[str, Any]:
    """The caregiver closed the call window: the session stays open for a rejoin (R24)."""
    bundle = load_visit(services, caller, visit_id)
    require_assigned(caller, bundle, NotAssignedToJoin)
    session = bundle.session
    if session is not None:
        session = change_presence(services, session, "employee", False, now, caller.actor) or session
    return session_status(session, bundle.visit, now)


def _still_open(services: Services, session: Session, error: type[SessionOver]) -> Session:
    """The session as stored now, if it is still open; the caller's "session over" otherwise."""
    fresh = services.sessions.get(session.agency_id, session.visit_id)
    if fresh is None or not fresh.is_open:
        raise error()
    return fresh


def client_view(services: Services, token: str, now: datetime, language: str | None = None,
                waiting: bool = True) -> dict[str, Any]:
    """R16: what the join page shows: the agency, the caregiver's first name and the visit time, nothing else; the
    client's language (R30); for a guest (R38), also the client's first name, for the client's tile.

    The client's page asks while it is open, so its asking is also how the staff learn that the client opened the
    link and waits (R35); `waiting` is false once the client hung up. A guest's page marks nothing: R35 is the
    client's. The guest's page speaks the client's language (its switch changes it, as the client's does).
    """

    def work(known: Holder) -> dict[str, Any]:
        try:
            bundle, session, who = by_token(services, token, now, known)
        except ClientLinkExpired as expired:
            _with_visit(services, expired)  # R44: an expired link still shows the agency, the caregiver and the time
            raise
        visit = bundle.visit
        found = services.directory.lookup(visit.agency_id, agency=True, employee_id=visit.employee_id,
                                          client_id=visit.client_id)
        if found.agency is None or found.employee is None:
            raise InvalidLink()
        if session.is_open and who == CLIENT:
            page_seen(services, session, waiting, now)
        spoken = found.client.preferred_language if found.client is not None else DEFAULT
        return client_page(found.agency, found.employee, visit, session, spoken, services.meeting_provider, who,
                           found.client)

    return speaking(services, language, work)


def _with_visit(services: Services, expired: ClientLinkExpired) -> None:
    """R44: the expired link's refusal carries what its page showed (`client_visit`), when all of it is there."""
    visit = expired.visit
    if visit is None:
        return
    found = services.directory.lookup(visit.agency_id, agency=True, employee_id=visit.employee_id)
    if found.agency is not None and found.employee is not None:
        expired.page = client_visit(found.agency, found.employee, visit)


# The join page asks every 10 s while it is open (every 3 s while the client waits in the call), so a page that
# has not asked for 30 s is gone; the mark is renewed once less than 15 s of it are left: one write in about
# 20 s of an open page, none while the caregiver is in the call.
WAITING_FOR = timedelta(seconds=30)
RENEW_BEFORE = timedelta(seconds=15)


def page_seen(services: Services, session: Session, waiting: bool, now: datetime) -> None:
    """Record that the client's page is open (waiting, or not), and the first open of the link they hold (R35)."""
    opened = None
    if session.opened_generation is None or session.opened_generation < session.link_generation:
        opened = (session.link_generation, TimelineEntry(now, EventType.LINK_OPENED, CLIENT))
    until = session.client_page_until
    if waiting and not session.employee_present:
        renew = until is None or until - now < RENEW_BEFORE
        until = now + WAITING_FOR if renew else until
    else:
        renew, until = until is not None and until > now, None
    if renew or opened is not None:
        services.sessions.client_page(session, until, opened)


def client_join(services: Services, token: str, now: datetime, language: str | None = None) -> dict[str, Any]:
    """Meeting credentials for the client, or their guest; the same attendee on every rejoin (R24). Neither starts
    the call: both wait for the caregiver (R16, R38)."""

    def work(known: Holder) -> dict[str, Any]:
        bundle, session, who = by_token(services, token, now, known)
        if session.state == SessionState.OVER:
            raise ClientSessionOver()  # R20, R23
        joined, meeting, attendee = join_meeting(services, session, f"{who}-{session.visit_id}",
                                                 may_start=session.state == SessionState.ACTIVE)
        follow_meeting(services, session, joined, bundle.visit)  # R39: captions on a replaced meeting too
        if change_presence(services, joined, who, True, now, who) is None:
            _still_open(services, joined, ClientSessionOver)
        count("Joins", side=who)
        return {"provider": services.meetings.provider, "meeting": meeting, "attendee": attendee_view(attendee),
                "captions_on": joined.captions_on}

    return speaking(services, language, work)


def client_leave(services: Services, token: str, now: datetime, language: str | None = None) -> dict[str, Any]:
    """The client (or the guest) hung up or closed the page: presence only; the session stays open (R19, R23, R38)."""

    def work(known: Holder) -> dict[str, Any]:
        _, session, who = by_token(services, token, now, known)
        if session.is_open:
            left = change_presence(services, session, who, False, now, who)
            if left is not None:
                return {"state": effective_state(left, now)}  # the write's condition held: still open
        fresh = services.sessions.get(session.agency_id, session.visit_id) or session
        return {"state": effective_state(fresh, now)}

    return speaking(services, language, work)
