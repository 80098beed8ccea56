"""Inviting the client by email or by a copied link (R04-R10, R13)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.errors import (
    ClientHasNoEmail,
    Conflict,
    EmailSuppressed,
    LinkExpired,
    NotFound,
    SessionOver,
    StaffVisitCancelled,
    VisitNotVirtual,
)
from chalicelib.link_keys import resend_token
from chalicelib.logic import links
from chalicelib.logic.access import Caller, load_visit, require_assigned
from chalicelib.logic.invite_email import compose_invite
from chalicelib.logic.retry import reads, retry_on_conflict
from chalicelib.logic.views import first_name, session_status
from chalicelib.observability import count
from chalicelib.records import (
    Agency,
    Client,
    Employee,
    EventType,
    Session,
    SessionState,
    TimelineEntry,
    Visit,
    VisitBundle,
)

if TYPE_CHECKING:
    from chalicelib.services import Services


def ensure_open(session: Session | None, visit: Visit, now: datetime) -> None:
    """R13, R23 and R34 for the caregiver: nothing happens on a cancelled visit, or an ended or expired session."""
    if visit.cancelled:
        raise StaffVisitCancelled()
    if session is not None and session.state == SessionState.OVER:
        raise SessionOver()
    expired = session is not None and (session.state == SessionState.EXPIRED or now >= session.expires_at)
    if expired or now >= links.link_expiry(visit.end):
        raise LinkExpired()


def _token(key: bytes, visit: Visit, generation: int, nonce: str) -> str:
    return links.link_token(key, visit.agency_id, visit.visit_id, generation, nonce)


def _sent_token(services: Services, visit: Visit, session: Session) -> str:
    """The session's link as issued, whichever key made it (the link key may have rotated since, R09)."""
    generation = session.link_generation

    def is_stored(token: str) -> bool:
        link = services.sessions.link(links.digest(token))
        return link is not None and (link.agency_id, link.visit_id, link.generation) == (
            visit.agency_id, visit.visit_id, generation)

    return resend_token(services.link_keys, lambda key: _token(key, visit, generation, session.link_nonce),
                        is_stored, lambda token: services.sessions.issue_link_again(session, links.digest(token)))


def _current_session(services: Services, bundle: VisitBundle, now: datetime) -> tuple[Visit, Session]:
    """The visit's session with a link of the visit's current time, created or rotated as needed (R10)."""
    read = reads(bundle, lambda: services.visits.bundle(bundle.visit.agency_id, bundle.visit.visit_id))

    def attempt() -> tuple[Visit, Session]:
        visit, session = (current := read()).visit, current.session
        ensure_open(session, visit, now)
        if session is not None and session.link_generation == visit.schedule_version:
            return visit, session
        nonce, expires_at = links.new_nonce(), links.link_expiry(visit.end)
        digest = links.digest(_token(services.link_key, visit, visit.schedule_version, nonce))
        if session is None:
            return visit, services.sessions.create(visit, nonce, expires_at, digest)
        # The time changed, so this send issues a fresh link for the new time.
        return visit, services.sessions.rotate_link(session, visit, nonce, expires_at, digest)

    return retry_on_conflict(attempt)


def _recipients(services: Services, caller: Caller, visit: Visit) -> tuple[Agency, Client, Employee]:
    """The agency, the client's address and the caregiver, which an email needs (a copied link needs nobody's)."""
    found = services.directory.lookup(caller.agency_id, agency=True, client_id=visit.client_id,
                                      employee_id=visit.employee_id)
    agency, client, caregiver = found.agency, found.client, found.employee
    if agency is None or client is None or caregiver is None:
        raise NotFound()
    if not client.email:
        raise ClientHasNoEmail()  # R06
    if client.email_status is not None:
        raise EmailSuppressed()
    return agency, client, caregiver


def invite_client(services: Services, caller: Caller, visit_id: str, delivery: str,
                  now: datetime) -> dict[str, Any]:
    """Send (or resend) the invite email, or hand back the link to copy; both create the session (R04, R07)."""
    bundle = load_visit(services, caller, visit_id)
    require_assigned(caller, bundle)
    if not bundle.visit.virtual:
        raise VisitNotVirtual()
    ensure_open(bundle.session, bundle.visit, now)
    emailed = delivery == "email"
    recipients = _recipients(services, caller, bundle.visit) if emailed else None
    visit, session = _current_session(services, bundle, now)
    url = links.join_url(services.cfg.public_base_url, _sent_token(services, visit, session))
    if recipients is not None:
        agency, client, caregiver = recipients
        email = compose_invite(agency.name, agency.sender_email, str(client.email), first_name(caregiver.name),
                               visit.start, agency.time_zone, url, session.expires_at)
        # Sent before anything is recorded: if SES fails, no "invite sent" exists and a retry sends the same link.
        services.mailer.send(email, tags={"agency": caller.agency_id, "client": visit.client_id,
                                          "visit": visit.visit_id})
    event = TimelineEntry(now, EventType.INVITE_SENT if emailed else EventType.LINK_COPIED, caller.actor)
    try:
        session = services.sessions.record_invite(session, now, emailed, event)
    except Conflict:
        # Only an end fails this write (it needs an open session). An email already on its way stays on the
        # timeline all the same (R26), and the caregiver hears that the session ended.
        if emailed:
            services.sessions.add_event(visit.agency_id, visit.visit_id, event)
        fresh = services.visits.bundle(visit.agency_id, visit.visit_id)
        ensure_open(fresh.session, fresh.visit, now)
        raise
    count("InvitesSent", delivery=delivery)
    result: dict[str, Any] = {"session": session_status(session, visit, now)}
    if delivery == "link":
        result["join_url"] = url
    return result
