"""Getting a caller into the session's meeting, creating or recreating the meeting when needed."""

from __future__ import annotations

from typing import Any

from chalicelib.errors import Conflict, SessionOver, WaitingForCaregiver
from chalicelib.integrations.meetings import MeetingGone, Meetings, meeting_external_id
from chalicelib.persistence import sessions as session_store
from chalicelib.persistence.models import Session
from chalicelib.persistence.visits import OPEN_STATES


def _new_meeting(session: Session, meetings: Meetings) -> dict[str, Any]:
    # The request token names the session's next meeting, so racing joins get the same one back.
    request_token = f"{session.visit_id}-{session.meeting_seq + 1}"
    return meetings.create_meeting(meeting_external_id(session.visit_id), request_token)


def _attach(session: Session, meeting: dict[str, Any], previous: str | None, meetings: Meetings) -> Session:
    """Store the new meeting; if the session ended meanwhile, delete it again so nothing stays live."""
    try:
        return session_store.attach_meeting(session, meeting, previous)
    except Conflict:
        fresh = session_store.get_session(session.pk)
        if fresh is None or fresh.state not in OPEN_STATES:
            meetings.delete_meeting(meeting["MeetingId"])
            raise SessionOver() from None
        if fresh.meeting_id != meeting["MeetingId"]:
            meetings.delete_meeting(meeting["MeetingId"])
        return fresh
    except Exception:
        # Nothing recorded the meeting: don't leave it running.
        meetings.delete_meeting(meeting["MeetingId"])
        raise


def join_meeting(session: Session, external_user_id: str, meetings: Meetings,
                 may_start: bool) -> tuple[Session, dict[str, Any], dict[str, Any]]:
    """The session's live meeting and this user's attendee (the same one on every rejoin, R24).

    The meeting is made at the caregiver's first join; one that the provider ended meanwhile
    (Chime ends idle meetings) is replaced by a new one for the same session.
    """
    for _ in range(4):
        meeting = session.meeting
        if meeting:
            try:
                return session, meeting, meetings.create_attendee(meeting["MeetingId"], external_user_id)
            except MeetingGone:
                pass
        elif not may_start:
            raise WaitingForCaregiver()
        created = _new_meeting(session, meetings)
        session = _attach(session, created, session.meeting_id, meetings)
    raise Conflict()
