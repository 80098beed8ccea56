"""Joining and leaving the call: the caregiver (R11-R15, R24) and the client (R16, R19, R24)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from chalicelib.errors import (
    ClientLinkExpired,
    ClientSessionOver,
    DomainError,
    InvalidLink,
    NoSession,
    NotAssignedToJoin,
    NotClockedIn,
    NotFound,
    SessionOver,
    VisitCancelled,
)
from chalicelib.i18n import DEFAULT, supported
from chalicelib.logic import links
from chalicelib.logic.access import Caller, load_visit, require_assigned
from chalicelib.logic.invitations import ensure_open
from chalicelib.logic.meeting_access import join_meeting
from chalicelib.logic.presence import change_presence
from chalicelib.logic.views import attendee_view, client_page, client_visit, effective_state, session_status
from chalicelib.observability import count
from chalicelib.records import NOT_INVITED, EventType, Session, SessionState, TimelineEntry, VisitBundle

if TYPE_CHECKING:
    from chalicelib.services import Services

CLIENT = "client"
T = TypeVar("T")


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
    session, meeting, attendee = join_meeting(services, session, f"employee-{caller.employee_id}", True)
    if change_presence(services, session, "employee", True, now, caller.actor) is None:
        _still_open(services, session, SessionOver)
    count("Joins", side="employee")
    return {"provider": services.meetings.provider, "meeting": meeting, "attendee": attendee_view(attendee),
            "client_present": session.client_present}


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


class _Link:
    """What a client request learned of its link so far: the client it belongs to, once known."""

    def __init__(self) -> None:
        self.client: tuple[str, str] | None = None  # (agency id, client id)


def _client_language(services: Services, link: _Link, chosen: str | None) -> str:
    """The language of a client's refusal (R30): the page's own choice, else the client's, else the default."""
    if chosen:
        return supported(chosen)
    if link.client is None:
        return DEFAULT
    try:
        return supported(services.directory.client(*link.client).preferred_language)
    except DomainError:
        return DEFAULT


def _speaking(services: Services, chosen: str | None, work: Callable[[_Link], T]) -> T:
    """Run a client request; a refusal leaves in the client's language."""
    link = _Link()
    try:
        return work(link)
    except DomainError as exc:
        if exc.language is None:
            exc.language = _client_language(services, link, chosen)
        raise


def _by_token(services: Services, token: str, now: datetime, known: _Link) -> tuple[VisitBundle, Session]:
    """The visit behind a client link, if the link is of the visit's current time and not expired (R10, R13)."""
    link = services.sessions.link(links.digest(token)) if links.looks_like_token(token) else None
    if link is None:
        raise InvalidLink()
    try:
        bundle = services.visits.bundle(link.agency_id, link.visit_id)
    except NotFound:
        raise InvalidLink() from None
    known.client = (link.agency_id, bundle.visit.client_id)
    session = bundle.session
    current = bundle.visit.schedule_version == link.generation
    if session is None or not current or session.link_generation != link.generation:
        raise InvalidLink()
    if bundle.visit.cancelled:
        raise VisitCancelled()  # R34
    if session.state == SessionState.EXPIRED or now >= session.expires_at or now >= link.expires_at:
        raise ClientLinkExpired(visit=bundle.visit)
    return bundle, session


def client_view(services: Services, token: str, now: datetime, language: str | None = None,
                waiting: bool = True) -> dict[str, Any]:
    """R16: what the join page shows: the agency, the caregiver's first name and the visit time, nothing else; and
    the client's language (R30).

    The page asks while it is open, so its asking is also how the staff learn that the client opened the link and
    waits (R35); `waiting` is false once the client hung up.
    """

    def work(known: _Link) -> dict[str, Any]:
        try:
            bundle, session = _by_token(services, token, now, known)
        except ClientLinkExpired as expired:
            _with_visit(services, expired)  # R44: an expired link still shows the agency, the caregiver and the time
            raise
        visit = bundle.visit
        found = services.directory.lookup(visit.agency_id, agency=True, employee_id=visit.employee_id,
                                          client_id=visit.client_id)
        if found.agency is None or found.employee is None:
            raise InvalidLink()
        if session.is_open:
            page_seen(services, session, waiting, now)
        spoken = found.client.preferred_language if found.client is not None else DEFAULT
        return client_page(found.agency, found.employee, visit, session, spoken, services.meeting_provider)

    return _speaking(services, language, work)


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
    """Meeting credentials for the client; the same attendee on every rejoin (R24)."""

    def work(known: _Link) -> dict[str, Any]:
        _, session = _by_token(services, token, now, known)
        if session.state == SessionState.OVER:
            raise ClientSessionOver()  # R20, R23
        session, meeting, attendee = join_meeting(services, session, f"client-{session.visit_id}",
                                                  may_start=session.state == SessionState.ACTIVE)
        if change_presence(services, session, CLIENT, True, now, CLIENT) is None:
            _still_open(services, session, ClientSessionOver)
        count("Joins", side="client")
        return {"provider": services.meetings.provider, "meeting": meeting, "attendee": attendee_view(attendee)}

    return _speaking(services, language, work)


def client_leave(services: Services, token: str, now: datetime, language: str | None = None) -> dict[str, Any]:
    """The client hung up or closed the page: presence only; the session stays open (R19, R23)."""

    def work(known: _Link) -> dict[str, Any]:
        _, session = _by_token(services, token, now, known)
        if session.is_open:
            left = change_presence(services, session, CLIENT, False, now, CLIENT)
            if left is not None:
                return {"state": effective_state(left, now)}  # the write's condition held: still open
        fresh = services.sessions.get(session.agency_id, session.visit_id) or session
        return {"state": effective_state(fresh, now)}

    return _speaking(services, language, work)
