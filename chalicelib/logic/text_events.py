"""Text message delivery events (R29), as End User Messaging SMS puts them on EventBridge (source `aws.sms-voice`,
detail type "Text Message Delivery Status Updated"): a number that opted out or a text that could not be delivered
marks the client, the visit's dialog and its timeline; a delivered text clears a number's earlier failure.

The event's `context` holds the ids the text was sent with (agency, client, visit, send, kind), never a name; an
event without it is matched by its `messageId` to the text as the app remembered it (`Sessions.remember_text`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.observability import count
from chalicelib.records import EventType, SmsStatus, TimelineEntry
from chalicelib.validation import PHONE_PATTERN, is_id

if TYPE_CHECKING:
    from chalicelib.services import Services

SYSTEM = "system"
DELIVERED = frozenset({"TEXT_DELIVERED", "TEXT_SUCCESSFUL"})
# The carrier or the handset blocks texts to this number: the recipient opted out there.
OPTED_OUT = frozenset({"TEXT_BLOCKED"})
# Final failures: the text did not arrive and will not.
FAILED = frozenset({"TEXT_INVALID", "TEXT_INVALID_MESSAGE", "TEXT_UNREACHABLE", "TEXT_CARRIER_UNREACHABLE",
                    "TEXT_CARRIER_BLOCKED", "TEXT_SPAM", "TEXT_UNKNOWN", "TEXT_TTL_EXPIRED", "TEXT_PROTECT_BLOCKED"})


def _context_id(context: dict[str, Any], name: str) -> str | None:
    value = context.get(name)
    return value if isinstance(value, str) and is_id(value) else None


def status_of(detail: dict[str, Any]) -> str | None:
    """What the event says of the number: "delivered", a `SmsStatus`, or None (queued, pending, unknown kinds)."""
    event_type, message_status = detail.get("eventType"), detail.get("messageStatus")
    if message_status == "OPTED_OUT" or event_type in OPTED_OUT:
        return str(SmsStatus.OPTED_OUT)
    if event_type in FAILED:
        return str(SmsStatus.FAILING)
    if event_type in DELIVERED:
        return "delivered"
    return None


def on_text_event(services: Services, detail: dict[str, Any], now: datetime) -> str:
    """Apply one delivery event; what it did, for the log."""
    status = status_of(detail)
    if status is None:
        return "ignored"
    raw = detail.get("context")
    context: dict[str, Any] = raw if isinstance(raw, dict) else {}
    agency, client, visit = (_context_id(context, name) for name in ("agency", "client", "visit"))
    sends: Any = context.get("send")
    kind = context.get("kind")
    message_id = detail.get("messageId")
    if (not agency or not client) and isinstance(message_id, str) and is_id(message_id):
        # An event without the context the text was sent with: the text as remembered by its message id.
        sent = services.sessions.text(message_id, now)
        if sent is not None:
            agency, client, visit = sent.agency_id, sent.client_id, sent.visit_id
            sends, kind = str(sent.sends), sent.kind
    if not agency or not client:
        return "untagged"
    # With the number the text went to, a client whose number changed since is not marked.
    phone = detail.get("destinationPhoneNumber")
    phone = phone if isinstance(phone, str) and PHONE_PATTERN.fullmatch(phone) else None
    if status == "delivered":
        services.directory.set_sms_status(agency, client, None, phone)
        return "delivered"
    marked = services.directory.set_sms_status(agency, client, status, phone)
    sends_count = int(sends) if isinstance(sends, str) and sends.isdigit() and len(sends) < 9 else None
    line = TimelineEntry(now, EventType.INVITE_UNDELIVERABLE, SYSTEM,
                         f"sms:{status}" + (":reminder" if kind == "reminder" else ""))
    flagged = bool(visit) and services.sessions.mark_invite_undeliverable(agency, str(visit), line, sends_count)
    count("InviteTextsFailed", kind=status)
    return "applied" if marked or flagged else "unknown client"
