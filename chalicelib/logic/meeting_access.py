"""Getting a caller into the session's meeting, creating or recreating the meeting when needed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.errors import Conflict, SessionOver, WaitingForCaregiver
from chalicelib.integrations.meetings import MeetingGone, meeting_external_id
from chalicelib.logic.retry import retry_on_conflict
from chalicelib.records import Session

if TYPE_CHECKING:
    from chalicelib.services import Services


def _new_meeting(services: Services, session: Session, external_user_id: str) -> tuple[dict[str, Any],
                                                                                   dict[str, Any]]:
    """The session's next meeting with the caller in it: one call to the provider (CreateMeetingWithAttendees).

    The request token names the session's next meeting, so racing joins get the same meeting back.
    """
    request_token = f"{session.visit_id}-{session.meeting_seq + 1}"
    return services.meetings.create_meeting_with_attendee(meeting_external_id(session.visit_id), request_token,
                                                          external_user_id)


def _attach(services: Services, session: Session, meeting: dict[str, Any]) -> Session:
    """Store the new meeting; if the session ended meanwhile, delete it again so nothing stays live."""
    try:
        return services.sessions.attach_meeting(session, meeting, session.meeting_id)
    except Conflict:
        fresh = services.sessions.get(session.agency_id, session.visit_id)
        if fresh is None or not fresh.is_open:
            services.meetings.delete_meeting(meeting["MeetingId"])
            raise SessionOver() from None
        if fresh.meeting_id != meeting["MeetingId"]:
            services.meetings.delete_meeting(meeting["MeetingId"])
        return fresh
    except Exception:
        # Nothing recorded the meeting: don't leave it running.
        services.meetings.delete_meeting(meeting["MeetingId"])
        raise


def join_meeting(services: Services, session: Session, external_user_id: str,
                 may_start: bool) -> tuple[Session, dict[str, Any], dict[str, Any]]:
    """The session's live meeting and this user's attendee (the same one on every rejoin, R24).

    The meeting is made at the caregiver's first join; one that the provider ended meanwhile (Chime ends idle
    meetings) is replaced by a new one for the same session.
    """
    current, gone = session, False

    def attempt() -> tuple[Session, dict[str, Any], dict[str, Any]]:
        nonlocal current, gone
        if not current.meeting and not may_start:
            raise WaitingForCaregiver()
        if gone or not current.meeting:
            made, attendee = _new_meeting(services, current, external_user_id)
            current, gone = _attach(services, current, made), False
            if current.meeting_id == made["MeetingId"]:
                return current, current.meeting or made, attendee
            # Another join stored its meeting first (and ours was deleted): join that one.
        meeting = current.meeting
        if not meeting:  # the provider's end was recorded meanwhile: make the next one
            gone = True
            raise MeetingGone()
        try:
            return current, meeting, services.meetings.create_attendee(meeting["MeetingId"], external_user_id)
        except MeetingGone:
            gone = True
            raise

    return retry_on_conflict(attempt, attempts=4, on=MeetingGone)
