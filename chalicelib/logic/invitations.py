"""Inviting the client by email, by text message or by a copied link (R04-R10, R13, R28-R31)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.errors import (
    ClientHasNoEmail,
    ClientHasNoMobile,
    ClientNoSmsConsent,
    ClientOptedOut,
    Conflict,
    EmailSuppressed,
    LinkExpired,
    NotFound,
    SessionOver,
    StaffVisitCancelled,
    VisitNotVirtual,
)
from chalicelib.i18n import supported
from chalicelib.link_keys import resend_token
from chalicelib.logic import links
from chalicelib.logic.access import Caller, load_visit, require_assigned
from chalicelib.logic.invite_email import Letter, compose_invite
from chalicelib.logic.invite_text import invite_text
from chalicelib.logic.reminders import planned_reminder
from chalicelib.logic.retry import reads, retry_on_conflict
from chalicelib.logic.views import first_name, session_status
from chalicelib.observability import count
from chalicelib.records import (
    SENT_CHANNELS,
    Agency,
    Channel,
    Client,
    Employee,
    EventType,
    SentText,
    Session,
    SessionState,
    SmsStatus,
    TimelineEntry,
    Visit,
    VisitBundle,
)

if TYPE_CHECKING:
    from chalicelib.services import Services

RESEND = "resend"  # the dialog's and the call window's "Resend invite": by the channel of the last sent invite (R28)
REPORTS_FOR = timedelta(hours=72)  # carriers report on a text within 72 hours (End User Messaging's limit)


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


def sent_token(services: Services, visit: Visit, session: Session) -> str:
    """The session's link as issued, whichever key made it (the link key may have rotated since, R09): what an
    invite, a resend and the reminder (R32) carry."""
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


def channel_of(delivery: str, session: Session | None, client: Client | None = None) -> Channel:
    """The channel a request means: a resend goes by the last sent invite's channel; with none sent yet, by email,
    or by text to a client who has no email address but can be texted."""
    if delivery == RESEND:
        last = session.last_sent_channel if session is not None else None
        if last in SENT_CHANNELS:
            return Channel(last)
        textable = client is not None and client.mobile_phone and client.sms_consent is not None
        return Channel.SMS if client is not None and not client.email and textable else Channel.EMAIL
    return Channel(delivery)


def check_reachable(client: Client, channel: Channel) -> None:
    """Whether the client can be sent an invite by `channel`: R06 and bounces for email, R28 and R29 for texts."""
    if channel == Channel.EMAIL:
        if not client.email:
            raise ClientHasNoEmail()  # R06
        if client.email_status is not None:
            raise EmailSuppressed()
    elif channel == Channel.SMS:
        if not client.mobile_phone:
            raise ClientHasNoMobile()  # R28
        if client.sms_status == SmsStatus.OPTED_OUT:
            raise ClientOptedOut()  # R29
        if client.sms_consent is None:
            raise ClientNoSmsConsent()  # R28


def people(services: Services, agency_id: str, visit: Visit) -> tuple[Agency, Client, Employee]:
    """The agency, the client and the caregiver, in one read."""
    found = services.directory.lookup(agency_id, agency=True, client_id=visit.client_id, employee_id=visit.employee_id)
    agency, client, caregiver = found.agency, found.client, found.employee
    if agency is None or client is None or caregiver is None:
        raise NotFound()
    return agency, client, caregiver


def recipients(services: Services, agency_id: str, visit: Visit,
               channel: Channel) -> tuple[Agency, Client, Employee]:
    """The agency, the client and the caregiver, which a sent invite needs (a copied link needs nobody's), if the
    client can be reached by `channel`."""
    found = people(services, agency_id, visit)
    check_reachable(found[1], channel)
    return found


def send_invite(services: Services, to: tuple[Agency, Client, Employee], channel: Channel, visit: Visit,
                session: Session, url: str, now: datetime, sends: int) -> SentText | None:
    """Email or text the invite, in the client's language; a text comes back as what to remember of it.
    `sends` is the session's invite count once this one is recorded: delivery events carry it, so a late report
    about an older send changes nothing."""
    agency, client, caregiver = to
    language = supported(client.preferred_language)
    ids = {"agency": agency.agency_id, "client": client.client_id, "visit": visit.visit_id, "send": str(sends)}
    if channel == Channel.EMAIL:
        letter = Letter(agency, str(client.email), first_name(caregiver.name), visit, url, session.expires_at,
                        language)
        services.mailer.send(compose_invite(letter, now), tags=ids)
        return None
    from chalicelib.integrations.sms import TextMessage

    message = TextMessage(str(client.mobile_phone), invite_text(agency, visit, url, language),
                          ttl_seconds=int((session.expires_at - now).total_seconds()))
    try:
        message_id = services.texter.send(message, {**ids, "kind": "invite"})
    except ClientOptedOut:
        # The client replied STOP since the last text (the service refuses the number): mark the client (R29).
        services.directory.set_sms_status(agency.agency_id, client.client_id, SmsStatus.OPTED_OUT,
                                          client.mobile_phone)
        raise
    return SentText(message_id, agency.agency_id, client.client_id, visit.visit_id, sends, "invite",
                    now + REPORTS_FOR)


def remember(services: Services, text: SentText | None) -> None:
    """Keep a sent text for its delivery events; a failure here loses only that (the text went out, and is
    recorded), so it is logged, never raised."""
    if text is None:
        return
    try:
        services.sessions.remember_text(text)
    except Exception:
        from chalicelib.observability import log

        log().warning("a sent text was not remembered for its delivery events", exc_info=True)


def invite_client(services: Services, caller: Caller, visit_id: str, delivery: str,
                  now: datetime) -> dict[str, Any]:
    """Send (or resend) the invite by email or text message, or hand back the link to copy; each creates the
    session (R04, R07, R28). A send goes out before anything records it: if the service fails, nothing says
    "invite sent" and a retry sends the same link."""
    bundle = load_visit(services, caller, visit_id)
    require_assigned(caller, bundle)
    if not bundle.visit.virtual:
        raise VisitNotVirtual()
    ensure_open(bundle.session, bundle.visit, now)
    to: tuple[Agency, Client, Employee] | None = None
    if delivery == RESEND:
        to = people(services, caller.agency_id, bundle.visit)
    channel = channel_of(delivery, bundle.session, to[1] if to is not None else None)
    sent = channel in SENT_CHANNELS
    if to is not None:
        check_reachable(to[1], channel)
    elif sent:
        to = recipients(services, caller.agency_id, bundle.visit, channel)
    visit, session = _current_session(services, bundle, now)
    url = links.join_url(services.cfg.public_base_url, sent_token(services, visit, session))
    reminder, text = None, None
    if to is not None:
        text = send_invite(services, to, channel, visit, session, url, now, session.invite_count + 1)
        reminder = planned_reminder(to[0], visit, session, now)
    event = TimelineEntry(now, EventType.INVITE_SENT if sent else EventType.LINK_COPIED, caller.actor,
                          str(channel) if sent else None)
    try:
        session = services.sessions.record_invite(session, now, channel, event, reminder)
    except Conflict:
        # Only an end fails this write (it needs an open session). An invite already on its way stays on the
        # timeline all the same (R26), and the caregiver hears that the session ended.
        if sent:
            services.sessions.add_event(visit.agency_id, visit.visit_id, event)
        fresh = services.visits.bundle(visit.agency_id, visit.visit_id)
        ensure_open(fresh.session, fresh.visit, now)
        raise
    remember(services, text)
    count("InvitesSent", delivery=str(channel))
    result: dict[str, Any] = {"session": session_status(session, visit, now)}
    if channel == Channel.LINK:
        result["join_url"] = url
    return result
