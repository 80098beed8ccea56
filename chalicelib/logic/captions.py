"""Live captions (R39): Chime live transcription in the client's language, turned on or off from the call by the
caregiver or the client, for everyone in it, and never running on a session that ended (nor billed for one)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.errors import (
    CaptionsNotOffered,
    CaptionsUnavailable,
    Conflict,
    NoSession,
    NotAssignedToJoin,
    VideoUnavailable,
)
from chalicelib.integrations.meetings import MeetingGone
from chalicelib.logic.access import Caller, load_visit, require_assigned
from chalicelib.logic.retry import reads, retry_on_conflict
from chalicelib.logic.views import effective_state, session_status
from chalicelib.observability import count, log
from chalicelib.records import NOT_INVITED, EventType, Session, TimelineEntry, Visit

if TYPE_CHECKING:
    from chalicelib.services import Services

# The client's preferred language -> the Amazon Transcribe streaming language Chime takes (botocore's
# EngineTranscribeSettings.LanguageCode). Languages Chime cannot transcribe are captioned in US English, the
# language the agency's caregivers speak.
TRANSCRIBE_LANGUAGES = {"en": "en-US", "es": "es-US", "fr": "fr-CA", "pt": "pt-BR", "zh": "zh-CN"}
DEFAULT_LANGUAGE = "en-US"


def transcription_language(preferred: str | None) -> str:
    """The transcription language for a client's preferred language (R39, R30)."""
    return TRANSCRIBE_LANGUAGES.get(preferred or "", DEFAULT_LANGUAGE)


def _language(services: Services, visit: Visit) -> str:
    client = services.directory.clients(visit.agency_id, [visit.client_id]).get(visit.client_id)
    return transcription_language(client.preferred_language if client else None)


def switch(services: Services, session: Session, visit: Visit, on: bool, now: datetime, actor: str,
           still_open: Callable[[Session | None], Session]) -> Session:
    """Turn captions on or off for the call, and record it; `still_open` refuses an ended or expired session.

    Chime first, then the record (conditional on the session still being open on the same meeting), so nothing
    says captions are on that Chime did not start. A record that loses its race to an end stops what it started.
    """
    if not services.meetings.captions:
        raise CaptionsNotOffered()
    read: Callable[[], Session | None] = reads(session, lambda: services.sessions.get(session.agency_id,
                                                                                        session.visit_id))
    language = _language(services, visit) if on else DEFAULT_LANGUAGE

    def attempt() -> Session:
        current = still_open(read())
        if current.captions_on == on:
            return current
        meeting_id = current.meeting_id
        try:
            if meeting_id and on:
                services.meetings.start_transcription(meeting_id, language)
            elif meeting_id:
                services.meetings.stop_transcription(meeting_id)
        except MeetingGone:
            pass  # the provider ended the meeting: the next join makes one, and starts captions on it if wanted
        except VideoUnavailable:
            fresh = services.sessions.get(current.agency_id, current.visit_id)
            if fresh is not None and fresh.captions_on == on and fresh.meeting_id == meeting_id:
                return fresh  # someone else's same change won (Chime refuses a second start)
            raise CaptionsUnavailable() from None
        event = TimelineEntry(now, EventType.CAPTIONS_ON if on else EventType.CAPTIONS_OFF, actor)
        try:
            return services.sessions.set_captions(current, on, event)
        except Conflict:
            if on and meeting_id:
                _stop_quietly(services, meeting_id, current)  # the session ended or moved meeting meanwhile
            raise

    changed = retry_on_conflict(attempt)
    count("CaptionsChanged", on=str(on).lower())
    return changed


def for_caregiver(services: Services, caller: Caller, visit_id: str, on: bool, now: datetime) -> dict[str, Any]:
    """The assigned caregiver turns captions on or off in the call (R39); the session status answers."""
    from chalicelib.logic.invitations import ensure_open

    bundle = load_visit(services, caller, visit_id)
    require_assigned(caller, bundle, NotAssignedToJoin)
    visit = bundle.visit
    if bundle.session is None or effective_state(bundle.session, now) == NOT_INVITED:
        ensure_open(bundle.session, visit, now)
        raise NoSession()

    def still_open(current: Session | None) -> Session:
        ensure_open(current, visit, now)  # R23, R13
        if current is None:
            raise NoSession()
        return current

    session = switch(services, bundle.session, visit, on, now, caller.actor, still_open)
    return session_status(session, visit, now)


def for_link(services: Services, token: str, on: bool, now: datetime, language: str | None = None) -> dict[str, Any]:
    """The client (or their guest) turns captions on or off from the join page (R39); refusals in the client's
    language (R30)."""
    from chalicelib.logic.link_holders import Holder, by_token, require_open, speaking

    def work(known: Holder) -> dict[str, Any]:
        bundle, session, who = by_token(services, token, now, known)
        require_open(session, now)

        def still_open(current: Session | None) -> Session:
            return require_open(current, now)

        changed = switch(services, session, bundle.visit, on, now, who, still_open)
        return {"captions_on": changed.captions_on, "state": effective_state(changed, now)}

    return speaking(services, language, work)


def follow_meeting(services: Services, before: Session | None, after: Session, visit: Visit) -> None:
    """A join made a new meeting for a session whose captions are on (the provider ended the last one): start them
    on it too. Best effort: a failure is logged, and the join goes on."""
    if not (after.captions_on and after.meeting_id and services.meetings.captions):
        return
    if before is not None and before.meeting_id == after.meeting_id:
        return
    try:
        services.meetings.start_transcription(after.meeting_id, _language(services, visit))
    except (VideoUnavailable, MeetingGone):
        log().warning("captions not restarted on the new meeting", extra={"visit_id": after.visit_id})


def stop_at_end(services: Services, ended: Session) -> None:
    """Every end stops captions first: Transcribe bills until they stop, and the meeting's delete may be deferred to
    the sweep (R39). A session that never had captions costs no call."""
    meeting_id = ended.meeting_to_delete or ended.meeting_id
    if ended.captions_on and meeting_id and services.meetings.captions:
        _stop_quietly(services, meeting_id, ended)


def _stop_quietly(services: Services, meeting_id: str, session: Session) -> None:
    try:
        services.meetings.stop_transcription(meeting_id)
    except VideoUnavailable:
        # The meeting's delete (now, or the sweep's retry) ends the transcription with it.
        log().warning("captions stop deferred to the meeting's end", extra={"visit_id": session.visit_id})
