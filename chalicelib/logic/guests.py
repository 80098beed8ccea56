"""A guest in the call (R38): one per visit, a family member or an interpreter, invited by the assigned caregiver
with a first name and a link of their own, by email, text message or a copied link, in the guest's language or, when
the caregiver gives none, the client's (R30).

The guest's link follows every rule of the client's (chalicelib/logic/link_holders.py): it needs the session the
client's invite made, it is of one schedule version (a time change retires it, R10), it expires with the session
(R13) and dies when the session ends (R23). Like the client's, it is derived, not stored (docs/DESIGN.md), from a
nonce of its own, so a resend sends the same link. Only the first name is kept, for the call's tiles; the address
or number the link went to is used to send it and never stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.errors import (
    BadRequest,
    ClientOptedOut,
    Conflict,
    GuestExists,
    GuestNeedsSession,
    GuestOptedOut,
    GuestTextRefused,
    NotAssignedToInviteGuest,
    NotFound,
    TextRefused,
    VisitNotVirtual,
)
from chalicelib.i18n import supported
from chalicelib.link_keys import resend_token
from chalicelib.logic import links
from chalicelib.logic.access import Caller, load_visit, require_assigned
from chalicelib.logic.guest_email import compose_guest_invite, guest_invite_text
from chalicelib.logic.invitations import ensure_open
from chalicelib.logic.retry import reads, retry_on_conflict
from chalicelib.logic.views import effective_state, first_name, session_status
from chalicelib.observability import count
from chalicelib.records import GUEST, NOT_INVITED, Agency, EventType, Session, TimelineEntry, Visit, VisitBundle

if TYPE_CHECKING:
    from chalicelib.services import Services


def guest_name(raw: str) -> str:
    """The first name as shown on the call's tile: spaces trimmed and single; never empty."""
    name = " ".join(raw.split())
    if not name:
        raise BadRequest.field("first_name", "must not be empty")
    return name


def _token(key: bytes, visit: Visit, session: Session) -> str:
    return links.link_token(key, visit.agency_id, visit.visit_id, session.guest_generation or 0,
                            session.guest_nonce or "")


def _with_guest_link(services: Services, bundle: VisitBundle, name: str, now: datetime) -> tuple[Visit, Session]:
    """The session with this guest and a link of the visit's current time, issued if needed (one guest per visit)."""
    read = reads(bundle, lambda: services.visits.bundle(bundle.visit.agency_id, bundle.visit.visit_id))

    def attempt() -> tuple[Visit, Session]:
        current = read()
        visit, session = current.visit, current.session
        ensure_open(session, visit, now)  # R23, R13
        if session is None or effective_state(session, now) == NOT_INVITED:
            raise GuestNeedsSession()
        if session.guest_first_name is not None and session.guest_first_name.casefold() != name.casefold():
            raise GuestExists()
        name_kept = session.guest_first_name or name
        if session.guest_nonce and session.guest_generation == visit.schedule_version:
            return visit, session
        # A first invite, or the visit's time changed since the guest's link was issued (R10): a fresh link.
        nonce = links.new_nonce()
        fresh = Session(session.agency_id, session.visit_id, session.state, session.expires_at,
                        guest_nonce=nonce, guest_generation=visit.schedule_version)
        digest = links.digest(_token(services.link_key, visit, fresh))
        return visit, services.sessions.add_guest(session, name_kept, nonce, visit.schedule_version,
                                                  session.expires_at, digest)

    return retry_on_conflict(attempt)


def _sent_token(services: Services, visit: Visit, session: Session) -> str:
    """The guest's link as issued, whichever key made it (the link key may have rotated since, R09)."""

    def is_stored(token: str) -> bool:
        link = services.sessions.link(links.digest(token))
        return link is not None and (link.agency_id, link.visit_id, link.generation, link.who) == (
            visit.agency_id, visit.visit_id, session.guest_generation, GUEST)

    return resend_token(services.link_keys, lambda key: _token(key, visit, session), is_stored,
                        lambda token: services.sessions.issue_link_again(session, links.digest(token), GUEST))


def _text(services: Services, agency: Agency, visit: Visit, phone: str, url: str, language: str,
          expires_at: datetime, now: datetime) -> None:
    """Text the guest's link. Tagged with ids and the kind only: no client, so a delivery report never marks the
    client's number, and the guest's number is not kept to be marked either."""
    from chalicelib.integrations.sms import TextMessage

    message = TextMessage(phone, guest_invite_text(agency, visit, url, language),
                          ttl_seconds=int((expires_at - now).total_seconds()))
    try:
        services.texter.send(message, {"agency": agency.agency_id, "visit": visit.visit_id, "kind": GUEST})
    except ClientOptedOut:
        raise GuestOptedOut() from None
    except TextRefused:
        raise GuestTextRefused() from None


def invite_guest(services: Services, caller: Caller, visit_id: str, body: dict[str, Any],
                 now: datetime) -> dict[str, Any]:
    """Invite (or invite again) the visit's one guest: their link by email or text, or handed back to copy (R38)."""
    bundle = load_visit(services, caller, visit_id)
    require_assigned(caller, bundle, NotAssignedToInviteGuest)
    if not bundle.visit.virtual:
        raise VisitNotVirtual()
    name, delivery = guest_name(body["first_name"]), body["delivery"]
    address, phone = body.get("email"), body.get("mobile_phone")
    if delivery == "email" and not address:
        raise BadRequest.field("email", "is required to send the guest's link by email")
    if delivery == "sms" and not phone:
        raise BadRequest.field("mobile_phone", "is required to text the guest's link")
    ensure_open(bundle.session, bundle.visit, now)
    found = services.directory.lookup(caller.agency_id, agency=True, employee_id=bundle.visit.employee_id,
                                      client_id=bundle.visit.client_id)
    if found.agency is None or found.employee is None:
        raise NotFound()
    language = supported(body.get("language") or (found.client.preferred_language if found.client else None))
    visit, session = _with_guest_link(services, bundle, name, now)
    url = links.join_url(services.cfg.public_base_url, _sent_token(services, visit, session))
    guest = session.guest_first_name or name
    # Sent before anything says it was: if the service fails, a retry sends the same link.
    if delivery == "email":
        email = compose_guest_invite(found.agency, str(address), guest, first_name(found.employee.name), visit, url,
                                     session.expires_at, language)
        # Tagged without the client, so a bounce of the guest's address never marks the client's.
        services.mailer.send(email, tags={"agency": caller.agency_id, "visit": visit.visit_id, "recipient": GUEST})
    elif delivery == "sms":
        _text(services, found.agency, visit, str(phone), url, language, session.expires_at, now)
    event = TimelineEntry(now, EventType.GUEST_INVITED, caller.actor, delivery)
    try:
        session = services.sessions.record_guest_invite(session, now, event)
    except Conflict:
        if delivery != "link":  # only an end fails this write; the email or text already went (R26)
            services.sessions.add_event(visit.agency_id, visit.visit_id, event)
        fresh = services.visits.bundle(visit.agency_id, visit.visit_id)
        ensure_open(fresh.session, fresh.visit, now)
        raise
    count("GuestsInvited", delivery=delivery)
    result: dict[str, Any] = {"session": session_status(session, visit, now)}
    if delivery == "link":
        result["join_url"] = url
    return result
