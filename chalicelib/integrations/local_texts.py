"""The local stack's text message service: it keeps every text it is given for the outbox page, and plays the part of
End User Messaging for opt-outs (a STOP reply) and delivery events, so the whole flow runs with no AWS account."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import Any

from chalicelib.errors import ClientOptedOut
from chalicelib.integrations.sms import TextMessage

# The keywords End User Messaging treats as an opt-out and an opt-in by default.
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "ARRET", "OPTOUT", "OPT-OUT"})
START_WORDS = frozenset({"START", "UNSTOP", "YES"})


class LocalTexter:
    """Texts kept in memory, oldest first; a number that replied STOP is refused as the real service refuses it."""

    provider = "local"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sent: list[dict[str, Any]] = []
        self._opted_out: set[str] = set()

    def send(self, message: TextMessage, context: dict[str, str]) -> str:
        with self._lock:
            if message.to in self._opted_out:
                raise ClientOptedOut()
            message_id = str(uuid.uuid4())
            self._sent.append({"message_id": message_id, "to": message.to, "text": message.body,
                               "context": dict(context), "sent_at": datetime.now(UTC)})
            return message_id

    def sent(self) -> list[dict[str, Any]]:
        """Every text sent, oldest first."""
        with self._lock:
            return [dict(text) for text in self._sent]

    def reply(self, phone: str, body: str) -> str:
        """The client answers a text: STOP opts the number out, START opts it back in (as the service does)."""
        word = body.strip().upper()
        with self._lock:
            if word in STOP_WORDS:
                self._opted_out.add(phone)
                return "opted_out"
            if word in START_WORDS:
                self._opted_out.discard(phone)
                return "opted_in"
        return "ignored"

    def last_to(self, phone: str) -> dict[str, Any] | None:
        """The latest text sent to `phone`."""
        with self._lock:
            return next((dict(text) for text in reversed(self._sent) if text["to"] == phone), None)
