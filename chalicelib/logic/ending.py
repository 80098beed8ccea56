"""Ending a session: hang-up (R20, R23), and the meeting clean-up every end shares."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.errors import NoSession, VideoUnavailable
from chalicelib.integrations.meetings import Meetings
from chalicelib.logic.access import Caller, load_visit, require_assigned
from chalicelib.logic.views import effective_state, session_status
from chalicelib.observability import count, log
from chalicelib.persistence import sessions as session_store
from chalicelib.persistence.models import Session
from chalicelib.services import Services


def delete_meeting(session: Session, meetings: Meetings) -> None:
    """Delete an ended session's meeting; if the provider fails, the sweep retries it later."""
    meeting_id = session.meeting_to_delete or session.meeting_id
    if not meeting_id:
        return
    try:
        meetings.delete_meeting(meeting_id)
    except VideoUnavailable:
        log().warning("meeting delete deferred to the sweep", extra={"visit_id": session.visit_id})
        return
    session_store.meeting_deleted(session, meeting_id)


def hang_up(caller: Caller, visit_id: str, services: Services, now: datetime) -> dict[str, Any]:
    """The caregiver ends the session for good; the client's page shows the ended text."""
    bundle = load_visit(caller, visit_id)
    require_assigned(caller, bundle)
    session = bundle.session
    if effective_state(session, now) == "none" or session is None:
        raise NoSession()
    # Past the link's expiry the session is already expired (R13): hanging up records that, as the sweep and a
    # clock-out would, rather than turning an expired session into one that was hung up.
    terminal, reason = ("expired", "expired") if now >= session.expires_at else ("over", "hang_up")
    ended = session_store.end_session(session, terminal, reason, now, caller.actor)
    if ended is not None:
        count("SessionsEnded", reason=reason)
        ended.state, ended.ended_reason, ended.ended_at = terminal, reason, now
        ended.meeting_to_delete = ended.meeting_id
        delete_meeting(ended, services.meetings)
        session = ended
    else:
        session = session_store.get_session(session.pk) or session
    return session_status(session, bundle.visit, now)
