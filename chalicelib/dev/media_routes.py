"""Signaling for the local peer-to-peer provider; registered only when MEETING_PROVIDER=local."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from chalicelib import payloads as p
from chalicelib.errors import NotFound
from chalicelib.http import body_of, handles_errors, respond
from chalicelib.integrations.local_meetings import LocalMeetings
from chalicelib.services import services
from chalicelib.validation import validate

local_media_api = Blueprint(__name__)


def local_provider() -> LocalMeetings:
    """The process's local video provider; 404 when meetings run on Chime."""
    meetings = services().meetings
    if not isinstance(meetings, LocalMeetings):
        raise NotFound()
    return meetings


@local_media_api.route("/api/media/local/signal", methods=["POST"])
@handles_errors
def signal() -> Any:
    """Pass hello, an SDP offer or answer, or bye to the other attendees."""
    body = validate(body_of(local_media_api.current_request), p.SIGNAL)
    try:
        seq = local_provider().signal(body["meeting_id"], body["attendee_id"], body["join_token"], body["type"],
                                 body.get("payload"), body.get("page", ""))
    except LookupError:
        raise NotFound() from None
    return respond({"seq": seq}, 202)


@local_media_api.route("/api/media/local/poll", methods=["POST"])
@handles_errors
def poll() -> Any:
    """Messages for this attendee, long-polled; also its heartbeat for presence."""
    body = validate(body_of(local_media_api.current_request), p.POLL)
    try:
        return local_provider().poll(body["meeting_id"], body["attendee_id"], body["join_token"],
                                body.get("after", 0), body.get("wait_ms", 0) / 1000, body.get("page", ""))
    except LookupError:
        raise NotFound() from None
