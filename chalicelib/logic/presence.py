"""Who is in the call, from every source: the browsers, Chime's events, and the sweep's check with Chime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.errors import VideoUnavailable
from chalicelib.integrations.meetings import MeetingGone
from chalicelib.observability import log
from chalicelib.records import CLIENT, GUEST, EventType, Session, TimelineEntry

if TYPE_CHECKING:
    from chalicelib.services import Services

RECONCILE_AFTER = timedelta(minutes=10)
RECONCILE_RETRY = timedelta(minutes=1)
ATTENDEE_EVENTS = {"chime:AttendeeJoined": True, "chime:AttendeeLeft": False, "chime:AttendeeDropped": False}
PRESENCE_EVENTS = {("employee", True): EventType.EMPLOYEE_JOINED, ("employee", False): EventType.EMPLOYEE_LEFT,
                   ("client", True): EventType.CLIENT_JOINED, ("client", False): EventType.CLIENT_LEFT,
                   (GUEST, True): EventType.GUEST_JOINED, (GUEST, False): EventType.GUEST_LEFT}


def present_sides(session: Session) -> dict[str, bool]:
    """Who the session believes is in the call, by side."""
    return {"employee": session.employee_present, CLIENT: session.client_present, GUEST: session.guest_present}


def next_sweep(session: Session, at: datetime, someone_present: bool) -> datetime:
    """When the sweep should next look: at expiry, or sooner to double-check a call that looks live."""
    return min(session.expires_at, at + RECONCILE_AFTER) if someone_present else session.expires_at


def change_presence(services: Services, session: Session, who: str, present: bool, at: datetime, actor: str,
                    detail: str | None = None) -> Session | None:
    """Record that one side joined or left, with its timeline line (R26); None when it changed nothing (already so,
    the session ended, or a newer change was applied first)."""
    other = any(here for side, here in present_sides(session).items() if side != who)
    event = TimelineEntry(at, PRESENCE_EVENTS[(who, present)], actor, detail)
    return services.sessions.set_presence(session, who, present, at, event, next_sweep(session, at, present or other))


def side_of(session: Session, external_user_id: str) -> tuple[str, str] | None:
    """Which side an attendee is, and the actor to record, from the non-personal external user id we gave it."""
    for holder in (CLIENT, GUEST):  # R38: the guest's attendee is `guest-<visit>`, as the client's is `client-<visit>`
        if external_user_id == f"{holder}-{session.visit_id}":
            return holder, holder
    if external_user_id.startswith("employee-") and len(external_user_id) > len("employee-"):
        return "employee", "employee:" + external_user_id[len("employee-"):]
    return None


def _event_time(detail: dict[str, Any], now: datetime) -> datetime:
    stamp = detail.get("timestamp")
    if isinstance(stamp, int | float) and not isinstance(stamp, bool) and 0 < stamp < 10**14:
        return datetime.fromtimestamp(stamp / 1000, UTC)
    return now


def on_meeting_event(services: Services, detail: dict[str, Any], now: datetime) -> str:
    """Apply one "Chime Meeting State Change"; duplicates, late and unknown events change nothing wrongly."""
    meeting_id, event_type = detail.get("meetingId"), detail.get("eventType")
    if not isinstance(meeting_id, str) or not isinstance(event_type, str) or len(meeting_id) > 100:
        return "ignored"
    session = services.sessions.of_meeting(meeting_id)
    if session is None:
        return "unknown meeting"
    if not session.is_open or session.meeting_id != meeting_id:
        return "not current"
    at = _event_time(detail, now)
    if event_type in ATTENDEE_EVENTS:
        side = side_of(session, str(detail.get("externalUserId", "")))
        if side is None:
            return "unknown attendee"
        who, actor = side
        changed = change_presence(services, session, who, ATTENDEE_EVENTS[event_type], at, actor, "chime")
        return "applied" if changed is not None else "no change"
    if event_type == "chime:MeetingEnded":
        gone = services.sessions.meeting_gone(session, meeting_id, at, session.expires_at)
        return "applied" if gone else "no change"
    return "ignored"


def reconcile(services: Services, session: Session, now: datetime) -> bool:
    """Events are best effort: ask the provider who is really there, and correct what we believed.

    False when the provider could not answer: the session is looked at again a minute later, and the rest of
    the sweep goes on (one failing call must not stop expiries, R27).
    """
    meeting_id = session.meeting_id
    if not meeting_id:
        services.sessions.schedule_sweep(session, session.expires_at)
        return True
    try:
        services.meetings.get_meeting(meeting_id)
        in_call = services.meetings.list_attendees(meeting_id)
    except MeetingGone:
        services.sessions.meeting_gone(session, meeting_id, now, session.expires_at)
        return True
    except VideoUnavailable:
        log().warning("reconciliation deferred: the video provider did not answer",
                      extra={"visit_id": session.visit_id})
        services.sessions.schedule_sweep(session, min(session.expires_at, now + RECONCILE_RETRY))
        return False
    still = False
    for who, believed in present_sides(session).items():
        if not believed:
            continue
        if any((side_of(session, i) or ("", ""))[0] == who for i in in_call):
            still = True
        else:
            actor = who if who in (CLIENT, GUEST) else "system"
            event = TimelineEntry(now, PRESENCE_EVENTS[(who, False)], actor, "reconciled")
            services.sessions.set_presence(session, who, False, now, event)
    services.sessions.schedule_sweep(session, next_sweep(session, now, still))
    return True
