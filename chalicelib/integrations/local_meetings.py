"""The local video provider: meetings in memory and peer-to-peer signaling between browsers.

It stands in for Chime on a laptop with no AWS account. Media never touches the server: the two
browsers exchange SDP offers and answers (each with its host ICE candidates) through this mailbox, then talk
directly.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalicelib.integrations.meetings import MeetingGone

PRESENCE_SECONDS = 5.0
MAX_MESSAGES = 500
MAX_GONE_PAGES = 50


@dataclass
class _Attendee:
    """One attendee; each open browser page of theirs is a `page` with its own heartbeat.

    A page is present while it waits in a long poll, and for PRESENCE_SECONDS after its last call.
    Its `bye` removes it for good, so an old page's late request (a reload's in-flight poll) never
    brings it back.
    """

    attendee_id: str
    external_user_id: str
    join_token: str
    pages: dict[str, float] = field(default_factory=dict)
    polling: dict[str, int] = field(default_factory=dict)
    gone: list[str] = field(default_factory=list)

    def seen(self, page: str, now: float) -> None:
        if page not in self.gone:
            self.pages[page] = now

    def leave(self, page: str) -> None:
        self.pages.pop(page, None)
        self.polling.pop(page, None)
        self.gone.append(page)
        del self.gone[:-MAX_GONE_PAGES]

    def present(self, now: float) -> bool:
        return any(self.polling.get(page) or now - seen < PRESENCE_SECONDS for page, seen in self.pages.items())


@dataclass
class _Meeting:
    meeting_id: str
    external_meeting_id: str
    attendees: dict[str, _Attendee] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)
    seq: int = 0
    ended: bool = False


class LocalMeetings:
    """Meetings held in this process; the same calls as Chime, plus signal and poll."""

    provider = "local"

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._meetings: dict[str, _Meeting] = {}
        self._by_token: dict[str, str] = {}
        self._lock = threading.Condition()
        self._now = monotonic

    def create_meeting(self, external_meeting_id: str, request_token: str) -> dict[str, Any]:
        """Create a meeting; the same request token returns the same live meeting, like Chime."""
        with self._lock:
            existing = self._by_token.get(request_token)
            if existing and not self._meetings[existing].ended:
                meeting = self._meetings[existing]
            else:
                meeting = _Meeting(f"local-{secrets.token_hex(12)}", external_meeting_id)
                self._meetings[meeting.meeting_id] = meeting
                self._by_token[request_token] = meeting.meeting_id
            return {"MeetingId": meeting.meeting_id, "ExternalMeetingId": meeting.external_meeting_id,
                    "MediaRegion": "local"}

    def create_meeting_with_attendee(self, external_meeting_id: str, request_token: str,
                                     external_user_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The meeting and the caller's attendee (Chime makes both in one call; here there is no rate to save)."""
        with self._lock:
            meeting = self.create_meeting(external_meeting_id, request_token)
            return meeting, self.create_attendee(meeting["MeetingId"], external_user_id)

    def create_attendee(self, meeting_id: str, external_user_id: str) -> dict[str, Any]:
        """Create an attendee, or return the same one for the same external user id."""
        with self._lock:
            meeting = self._live(meeting_id)
            for attendee in meeting.attendees.values():
                if attendee.external_user_id == external_user_id:
                    break
            else:
                attendee = _Attendee(f"att-{secrets.token_hex(8)}", external_user_id, secrets.token_urlsafe(24))
                meeting.attendees[attendee.attendee_id] = attendee
            return {"AttendeeId": attendee.attendee_id, "ExternalUserId": attendee.external_user_id,
                    "JoinToken": attendee.join_token}

    def delete_meeting(self, meeting_id: str) -> None:
        with self._lock:
            meeting = self._meetings.get(meeting_id)
            if meeting is not None:
                meeting.ended = True
                self._lock.notify_all()

    def end_by_provider(self, external_meeting_id: str) -> int:
        """End the live meetings with this external id, as Chime ends idle ones; returns how many."""
        with self._lock:
            live = [m for m in self._meetings.values() if m.external_meeting_id == external_meeting_id and not m.ended]
            for meeting in live:
                meeting.ended = True
            if live:
                self._lock.notify_all()
            return len(live)

    def get_meeting(self, meeting_id: str) -> dict[str, Any]:
        with self._lock:
            meeting = self._live(meeting_id)
            return {"MeetingId": meeting.meeting_id, "ExternalMeetingId": meeting.external_meeting_id,
                    "MediaRegion": "local"}

    def list_attendees(self, meeting_id: str) -> set[str]:
        """Attendees heard from recently: the local stand-in for who is in the call."""
        with self._lock:
            meeting = self._live(meeting_id)
            now = self._now()
            return {a.external_user_id for a in meeting.attendees.values() if a.present(now)}

    def _live(self, meeting_id: str) -> _Meeting:
        meeting = self._meetings.get(meeting_id)
        if meeting is None or meeting.ended:
            raise MeetingGone()
        return meeting

    def _caller(self, meeting_id: str, attendee_id: str, join_token: str) -> tuple[_Meeting, _Attendee]:
        meeting = self._meetings.get(meeting_id)
        attendee = meeting.attendees.get(attendee_id) if meeting else None
        # Bytes: compare_digest refuses str with non-ASCII characters (a TypeError, so a 500, found by fuzzing).
        if meeting is None or attendee is None or not hmac.compare_digest(attendee.join_token.encode(),
                                                                          join_token.encode()):
            raise LookupError("unknown meeting or attendee")
        return meeting, attendee

    def signal(self, meeting_id: str, attendee_id: str, join_token: str, type_: str, payload: Any,
               page: str = "") -> int:
        """Post one message to the other attendees; returns its sequence number. `bye` ends the page's presence."""
        with self._lock:
            meeting, attendee = self._caller(meeting_id, attendee_id, join_token)
            if type_ == "bye":
                attendee.leave(page)
            else:
                attendee.seen(page, self._now())
            meeting.seq += 1
            meeting.messages.append({"seq": meeting.seq, "from": attendee_id, "type": type_, "payload": payload})
            del meeting.messages[:-MAX_MESSAGES]
            self._lock.notify_all()
            return meeting.seq

    def poll(self, meeting_id: str, attendee_id: str, join_token: str, after: int, wait_s: float,
             page: str = "") -> dict[str, Any]:
        """Messages for this attendee after `after`, waiting up to `wait_s` for one; also the page's heartbeat."""
        deadline = self._now() + wait_s
        with self._lock:
            meeting, attendee = self._caller(meeting_id, attendee_id, join_token)
            attendee.seen(page, self._now())
            if page not in attendee.gone:
                attendee.polling[page] = attendee.polling.get(page, 0) + 1
            try:
                while True:
                    mine = [m for m in meeting.messages if m["seq"] > after and m["from"] != attendee_id]
                    remaining = deadline - self._now()
                    if mine or meeting.ended or remaining <= 0:
                        break
                    self._lock.wait(remaining)
            finally:
                if page in attendee.polling:
                    attendee.polling[page] -= 1
            attendee.seen(page, self._now())
            now = self._now()
            present = [a.attendee_id for a in meeting.attendees.values() if a.present(now)]
            return {"messages": mine, "next": max([after, *[m["seq"] for m in mine]]),
                    "present": present, "ended": meeting.ended}
