"""Inviting the client by email or by a copied link (R04-R10, R13)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.errors import ClientHasNoEmail, Conflict, LinkExpired, NotFound, SessionOver, VisitNotVirtual
from chalicelib.integrations.email import EmailSuppressed
from chalicelib.link_keys import resend_token
from chalicelib.logic import links
from chalicelib.logic.access import Caller, load_visit, require_assigned
from chalicelib.logic.invite_email import compose_invite
from chalicelib.logic.views import first_name, session_status
from chalicelib.observability import count
from chalicelib.persistence import directory, keys
from chalicelib.persistence import sessions as session_store
from chalicelib.persistence.models import Session, Visit
from chalicelib.persistence.visits import VisitBundle
from chalicelib.services import Services


def ensure_open(session: Session | None, visit: Visit, now: datetime) -> None:
    """R13 and R23 for the caregiver: nothing happens on an ended or expired session."""
    if session is not None and session.state == "over":
        raise SessionOver()
    expired = session is not None and (session.state == "expired" or now >= session.expires_at)
    if expired or now >= links.link_expiry(visit.end):
        raise LinkExpired()


def _token(key: bytes, visit: Visit, generation: int, nonce: str) -> str:
    return links.link_token(key, visit.agency_id, visit.visit_id, generation, nonce)


def _current_session(bundle: VisitBundle, services: Services, now: datetime) -> Session:
    """The visit's session with a link of the current schedule version, created or rotated as needed."""
    for _ in range(5):
        visit, session = bundle.visit, bundle.session
        nonce = links.new_nonce()
        expires_at = links.link_expiry(visit.end)
        link_pk = keys.link_pk(_token(services.link_key, visit, int(visit.schedule_version), nonce))
        if session is None:
            shard = keys.sweep_shard(visit.visit_id, services.cfg.sweep_shards)
            candidate = session_store.create_session(visit, nonce, expires_at, shard, link_pk)
            if candidate is not None:
                return candidate
        elif session.link_generation != visit.schedule_version:
            # R10: the time changed, so this send issues a fresh link for the new time.
            if session_store.rotate_link(session, visit, nonce, expires_at, link_pk):
                session.link_generation, session.link_nonce = visit.schedule_version, nonce
                session.expires_at = expires_at
                return session
        else:
            return session
        bundle = load_again(bundle)
        ensure_open(bundle.session, bundle.visit, now)
    raise Conflict()


def _sent_token(services: Services, visit: Visit, session: Session) -> str:
    """The session's link as issued, whichever key made it (the link key may have rotated since, R09)."""
    generation = int(session.link_generation)

    def is_stored(token: str) -> bool:
        link = session_store.get_link(keys.link_pk(token))
        return link is not None and (link.agency_id, link.visit_id, link.generation) == (
            visit.agency_id, visit.visit_id, generation)

    return resend_token(services.link_keys, lambda key: _token(key, visit, generation, session.link_nonce),
                        is_stored, lambda token: session_store.issue_link_again(session, keys.link_pk(token)))


def load_again(bundle: VisitBundle) -> VisitBundle:
    from chalicelib.persistence.visits import get_visit_bundle

    return get_visit_bundle(bundle.visit.agency_id, bundle.visit.visit_id)


def invite_client(caller: Caller, visit_id: str, delivery: str, services: Services, now: datetime) -> dict[str, Any]:
    """Send (or resend) the invite email, or hand back the link to copy; both create the session."""
    bundle = load_visit(caller, visit_id)
    require_assigned(caller, bundle)
    visit = bundle.visit
    if not visit.virtual:
        raise VisitNotVirtual()
    ensure_open(bundle.session, visit, now)
    emailed = delivery == "email"
    # A copied link needs nobody's details; an email needs the client's address, the agency and the caregiver.
    found = directory.lookup(caller.agency_id, agency=True, client_id=visit.client_id,
                             employee_id=visit.employee_id) if emailed else directory.Records()
    client, agency, caregiver = found.client, found.agency, found.employee
    if emailed and (client is None or agency is None or caregiver is None):
        raise NotFound()
    if emailed and client is not None and not client.email:
        raise ClientHasNoEmail()
    if emailed and client is not None and client.email_status is not None:
        raise EmailSuppressed()
    session = _current_session(bundle, services, now)
    token = _sent_token(services, visit, session)
    url = links.join_url(services.cfg.public_base_url, token)
    if emailed and client is not None and agency is not None and caregiver is not None:
        email = compose_invite(agency.name, agency.sender_email, str(client.email), first_name(caregiver.name),
                               visit.start, agency.time_zone, url, session.expires_at)
        # Sent before anything is recorded: if SES fails, no "invite sent" exists and a retry sends the same link.
        services.mailer.send(email, tags={"agency": caller.agency_id, "client": visit.client_id,
                                          "visit": visit.visit_id})
    try:
        session_store.record_invite(session, now, caller.actor, emailed=emailed)
    except Conflict:
        # Only an end fails this write (it needs an open session). An email already on its way stays on the
        # timeline all the same (R26), and the caregiver hears that the session ended.
        if emailed:
            session_store.record_email_after_end(session, now, caller.actor)
        fresh = load_again(bundle)
        ensure_open(fresh.session, fresh.visit, now)
        raise
    count("InvitesSent", delivery=delivery)
    if delivery == "email":
        session.last_invite_sent_at, session.invite_bounced = now, False
    session.invite_count = (session.invite_count or 0) + 1
    session.sent_generation = session.link_generation
    result: dict[str, Any] = {"session": session_status(session, visit, now)}
    if delivery == "link":
        result["join_url"] = url
    return result
