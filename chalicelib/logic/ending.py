"""The one way an open session ends: hang-up (R20, R23), clock-out (R22) and the sweep (R13, R27) all decide the
ending the same way, write it with its timeline line, and delete the meeting after."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.errors import NoSession, VideoUnavailable
from chalicelib.logic.access import Caller, load_visit, require_assigned
from chalicelib.logic.captions import stop_at_end
from chalicelib.logic.retry import reads, retry_on_conflict
from chalicelib.logic.views import effective_state, session_status
from chalicelib.observability import count, log
from chalicelib.records import NOT_INVITED, Ending, EndReason, EventType, Session, SessionState, TimelineEntry

if TYPE_CHECKING:
    from chalicelib.services import Services


def ending_for(session: Session, reason: EndReason, now: datetime, actor: str) -> tuple[Ending, TimelineEntry]:
    """How the session ends now, and its timeline line: past its link's expiry it is expired (R13), whoever ends
    it; before, it is over for the caregiver's reason (R23). The write is conditional on the same comparison."""
    if now >= session.expires_at:
        ending = Ending(SessionState.EXPIRED, EndReason.EXPIRED)
        return ending, TimelineEntry(now, EventType.LINK_EXPIRED, actor, str(ending.reason))
    ending = Ending(SessionState.OVER, reason)
    return ending, TimelineEntry(now, EventType.SESSION_ENDED, actor, str(reason))


def end_session(services: Services, session: Session, reason: EndReason, now: datetime,
                actor: str) -> Session | None:
    """End the session if it is open, reading it again after a lost race; the ended session, or None when it had
    already ended (someone else's end won) or, for an expiry, is not due any more."""
    read: Callable[[], Session | None] = reads(session, lambda: services.sessions.get(session.agency_id,
                                                                                   session.visit_id))

    def attempt() -> Session | None:
        current = read()
        if current is None or not current.is_open:
            return None
        if reason == EndReason.EXPIRED and now < current.expires_at:
            return None  # a reschedule moved its expiry since it was read: not due any more
        ending, event = ending_for(current, reason, now, actor)
        return services.sessions.end(current, ending, now, event)

    ended = retry_on_conflict(attempt)
    if ended is not None:
        after_end(services, ended)
    return ended


def after_end(services: Services, ended: Session) -> None:
    """What follows every end: the metric, captions stopped, and the meeting deleted (or left to the sweep if the
    provider fails)."""
    count("SessionsEnded", reason=str(ended.ended_reason))
    stop_at_end(services, ended)  # R39: captions stop before anything else, whether or not the delete works
    delete_meeting(services, ended)


def delete_meeting(services: Services, session: Session) -> None:
    """Delete an ended session's meeting; if the provider fails, the sweep retries it later."""
    meeting_id = session.meeting_to_delete or session.meeting_id
    if not meeting_id:
        return
    try:
        services.meetings.delete_meeting(meeting_id)
    except VideoUnavailable:
        log().warning("meeting delete deferred to the sweep", extra={"visit_id": session.visit_id})
        return
    services.sessions.meeting_deleted(session, meeting_id)


def hang_up(services: Services, caller: Caller, visit_id: str, now: datetime) -> dict[str, Any]:
    """The caregiver ends the session for good; the client's page shows the ended text."""
    bundle = load_visit(services, caller, visit_id)
    require_assigned(caller, bundle)
    session = bundle.session
    if session is None or effective_state(session, now) == NOT_INVITED:
        raise NoSession()
    ended = end_session(services, session, EndReason.HANG_UP, now, caller.actor)
    current = ended or services.sessions.get(session.agency_id, session.visit_id) or session
    return session_status(current, bundle.visit, now)

