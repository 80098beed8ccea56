"""Who is in the call, from every source: the browsers, Chime's events, and the sweep's check with Chime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.errors import VideoUnavailable
from chalicelib.integrations.meetings import MeetingGone, Meetings
from chalicelib.observability import log
from chalicelib.persistence import sessions as session_store
from chalicelib.persistence.models import Session
from chalicelib.persistence.visits import OPEN_STATES

RECONCILE_AFTER = timedelta(minutes=10)
RECONCILE_RETRY = timedelta(minutes=1)
ATTENDEE_EVENTS = {"chime:AttendeeJoined": True, "chime:AttendeeLeft": False, "chime:AttendeeDropped": False}


def next_sweep(session: Session, at: datetime, someone_present: bool, every: timedelta = RECONCILE_AFTER) -> datetime:
    """When the sweep should next look: at expiry, or sooner to double-check a call that looks live."""
    return min(session.expires_at, at + every) if someone_present else session.expires_at


def side_of(session: Session, external_user_id: str) -> tuple[str, str] | None:
    """Which side an attendee is, from the non-personal external user id we gave it."""
    if external_user_id == f"client-{session.visit_id}":
        return "client", "client"
    if external_user_id.startswith("employee-") and len(external_user_id) > len("employee-"):
        return "employee", "employee:" + external_user_id[len("employee-"):]
    return None


def _event_time(detail: dict[str, Any], now: datetime) -> datetime:
    stamp = detail.get("timestamp")
    if isinstance(stamp, int | float) and not isinstance(stamp, bool) and 0 < stamp < 10**14:
        return datetime.fromtimestamp(stamp / 1000, UTC)
    return now


def on_meeting_event(detail: dict[str, Any], now: datetime) -> str:
    """Apply one "Chime Meeting State Change"; duplicates, late and unknown events change nothing wrongly."""
    meeting_id, event_type = detail.get("meetingId"), detail.get("eventType")
    if not isinstance(meeting_id, str) or not isinstance(event_type, str) or len(meeting_id) > 100:
        return "ignored"
    session = session_store.session_of_meeting(meeting_id)
    if session is None:
        return "unknown meeting"
    if session.state not in OPEN_STATES or session.meeting_id != meeting_id:
        return "not current"
    at = _event_time(detail, now)
    if event_type in ATTENDEE_EVENTS:
        side = side_of(session, str(detail.get("externalUserId", "")))
        if side is None:
            return "unknown attendee"
        who, actor = side
        present = ATTENDEE_EVENTS[event_type]
        other_present = session.client_present if who == "employee" else session.employee_present
        applied = session_store.set_presence(session, who, present, at, actor, "chime",
                                             next_sweep(session, at, present or bool(other_present)))
        return "applied" if applied else "no change"
    if event_type == "chime:MeetingEnded":
        return "applied" if session_store.meeting_gone(session, meeting_id, at, session.expires_at) else "no change"
    return "ignored"


def reconcile(session: Session, meetings: Meetings, now: datetime) -> bool:
    """Events are best effort: ask the provider who is really there, and correct what we believed.

    False when the provider could not answer: the session is looked at again a minute later, and the rest of
    the sweep goes on (one failing call must not stop expiries, R27).
    """
    meeting_id = session.meeting_id
    if not meeting_id:
        session_store.schedule_sweep(session, session.expires_at)
        return True
    try:
        meetings.get_meeting(meeting_id)
        in_call = meetings.list_attendees(meeting_id)
    except MeetingGone:
        session_store.meeting_gone(session, meeting_id, now, session.expires_at)
        return True
    except VideoUnavailable:
        log().warning("reconciliation deferred: the video provider did not answer",
                      extra={"visit_id": session.visit_id})
        session_store.schedule_sweep(session, min(session.expires_at, now + RECONCILE_RETRY))
        return False
    still = False
    for who, believed in (("employee", session.employee_present), ("client", session.client_present)):
        if not believed:
            continue
        ids = {i for i in in_call if (side_of(session, i) or ("", ""))[0] == who}
        if ids:
            still = True
        else:
            actor = "client" if who == "client" else "system"
            session_store.set_presence(session, who, False, now, actor, "reconciled")
    session_store.schedule_sweep(session, next_sweep(session, now, still))
    return True
