"""The reminder before the visit (R32): one, by the channel of the last sent invite, at the agency's
`reminder_minutes` before the start; none after the start, none for a session that is over or expired, at most one
per link generation, and each on the timeline (`reminder_sent`).

A sent invite puts its reminder into the sweep's sparse index (docs/DESIGN.md, "Reminders in the sweep's index"); the
sweep finds it when it is due, so the work follows the reminders due, never the table. Whoever takes the reminder with
the session's conditional write sends it: overlapping sweeps send it once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from chalicelib.errors import (
    ClientOptedOut,
    Conflict,
    DomainError,
    EmailFailed,
    EmailSuppressed,
    NotFound,
    TextFailed,
    TextRefused,
)
from chalicelib.i18n import supported
from chalicelib.logic import links
from chalicelib.logic.invite_email import Letter, compose_reminder
from chalicelib.logic.invite_text import reminder_text
from chalicelib.logic.views import first_name
from chalicelib.observability import count
from chalicelib.records import (
    SENT_CHANNELS,
    Agency,
    Channel,
    Client,
    Employee,
    EventType,
    Reminder,
    SentText,
    Session,
    SmsStatus,
    TimelineEntry,
    Visit,
)

if TYPE_CHECKING:
    from chalicelib.services import Services

SYSTEM = "system"
RETRY_AFTER = timedelta(minutes=1)  # a send that failed for now is tried again on the next sweep, until the start


def planned_reminder(agency: Agency, visit: Visit, session: Session, now: datetime) -> Reminder | None:
    """The reminder a sent invite asks for: at `reminder_minutes` before the start, if that is still ahead and no
    reminder went out for this link generation yet (0 minutes turns reminders off)."""
    if agency.reminder_minutes <= 0 or session.reminded_generation == session.link_generation:
        return None
    at = visit.start - timedelta(minutes=agency.reminder_minutes)
    return Reminder(visit.agency_id, visit.visit_id, at) if at > now else None


def skip_reason(visit: Visit, session: Session | None, now: datetime) -> str | None:
    """Why a due reminder is not sent, or None when it is."""
    if session is None or not session.is_open:
        return "over"
    if now >= session.expires_at:
        return "expired"
    if now >= visit.start:
        return "started"
    if session.last_sent_channel not in SENT_CHANNELS:
        return "not sent"
    if session.sent_generation != session.link_generation or session.link_generation != visit.schedule_version:
        return "stale"  # the time changed: the client's link is dead, and the resend plans a new reminder (R10)
    if session.reminded_generation == session.link_generation:
        return "reminded"
    return None


def send_due_reminder(services: Services, due: Reminder, now: datetime) -> bool:
    """Send one due reminder if the rules allow it; whatever happens it leaves the index, unless it is tried again.
    True when it was sent."""
    from chalicelib.logic.invitations import recipients

    try:
        bundle = services.visits.bundle(due.agency_id, due.visit_id)
    except NotFound:
        services.sessions.drop_reminder(due)
        return False
    visit, session = bundle.visit, bundle.session
    reason = skip_reason(visit, session, now)
    to: tuple[Agency, Client, Employee] | None = None
    if reason is None and session is not None:
        try:
            to = recipients(services, due.agency_id, visit, Channel(str(session.last_sent_channel)))
        except DomainError:
            reason = "unreachable"  # the address or number went away, or the client opted out meanwhile
        if to is not None and to[0].reminder_minutes <= 0:
            reason = "off"
    if reason is not None or session is None or to is None:
        services.sessions.drop_reminder(due)
        count("RemindersSkipped", reason=str(reason))
        return False
    generation = session.link_generation
    try:
        session = services.sessions.claim_reminder(session, generation)
    except Conflict:  # another sweep took it, or the session changed since it was read
        services.sessions.drop_reminder(due)
        return False
    channel = Channel(str(session.last_sent_channel))
    try:
        text = _send(services, to, channel, visit, session, now)
    except (EmailFailed, TextFailed, TextRefused, ClientOptedOut) as exc:
        _failed(services, due, to[1], channel, visit, session, exc, now)
        return False
    from chalicelib.logic.invitations import remember

    services.sessions.add_event(visit.agency_id, visit.visit_id,
                                TimelineEntry(now, EventType.REMINDER_SENT, SYSTEM, str(channel)))
    services.sessions.drop_reminder(due)
    remember(services, text)
    count("RemindersSent", channel=str(channel))
    return True


def _send(services: Services, to: tuple[Agency, Client, Employee], channel: Channel, visit: Visit,
          session: Session, now: datetime) -> SentText | None:
    from chalicelib.logic.invitations import REPORTS_FOR, sent_token

    agency, client, caregiver = to
    language = supported(client.preferred_language)
    # The link the client holds, whichever link key made it (the key may have rotated since the invite)
    url = links.join_url(services.cfg.public_base_url, sent_token(services, visit, session))
    ids = {"agency": agency.agency_id, "client": client.client_id, "visit": visit.visit_id,
           "send": str(session.invite_count)}
    if channel == Channel.EMAIL:
        letter = Letter(agency, str(client.email), first_name(caregiver.name), visit, url, session.expires_at,
                        language)
        services.mailer.send(compose_reminder(letter), tags=ids)
        return None
    from chalicelib.integrations.sms import TextMessage

    message = TextMessage(str(client.mobile_phone), reminder_text(agency, visit, url, language),
                          ttl_seconds=int((visit.end - now).total_seconds()))
    message_id = services.texter.send(message, {**ids, "kind": "reminder"})
    return SentText(message_id, agency.agency_id, client.client_id, visit.visit_id, session.invite_count, "reminder",
                    now + REPORTS_FOR)


def _failed(services: Services, due: Reminder, client: Client, channel: Channel, visit: Visit, session: Session,
            error: Exception, now: datetime) -> None:
    """A reminder that did not go out: tried again while the service only failed for now (until the start);
    otherwise the client is marked as the failure says and the dialog shows the last invite as undeliverable (R29)."""
    if isinstance(error, (EmailFailed, TextFailed)) and not isinstance(error, EmailSuppressed):
        retry = now + RETRY_AFTER
        if retry < visit.start:
            services.sessions.release_reminder(session, session.link_generation, replace(due, at=retry))
            count("RemindersRetried", channel=str(channel))
            return
        services.sessions.drop_reminder(due)
        return
    kind = "refused"
    if isinstance(error, ClientOptedOut):
        kind = "opted_out"
        services.directory.set_sms_status(due.agency_id, client.client_id, SmsStatus.OPTED_OUT, client.mobile_phone)
    elif isinstance(error, EmailSuppressed):
        services.directory.mark_email_failing(due.agency_id, client.client_id, "bounced")
    event = TimelineEntry(now, EventType.INVITE_UNDELIVERABLE, SYSTEM, f"{channel}:{kind}")
    services.sessions.mark_invite_undeliverable(due.agency_id, due.visit_id, event, session.invite_count)
    services.sessions.drop_reminder(due)
    count("RemindersFailed", channel=str(channel), kind=kind)

