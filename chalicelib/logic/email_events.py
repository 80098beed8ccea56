"""SES delivery events: a permanent bounce or a complaint marks the client's address as failing, and the visit's
dialog and timeline say the last invite could not be delivered (R29)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.observability import count
from chalicelib.records import EventType, TimelineEntry
from chalicelib.validation import is_id

if TYPE_CHECKING:
    from chalicelib.services import Services

SYSTEM = "system"


def _tag(tags: dict[str, Any], name: str) -> str | None:
    values = tags.get(name)
    value = values[0] if isinstance(values, list) and values else None
    return value if isinstance(value, str) and is_id(value) else None


def on_email_event(services: Services, detail: dict[str, Any], now: datetime) -> str:
    """Apply one SES event (through the configuration set's EventBridge destination)."""
    event_type = detail.get("eventType")
    if event_type == "Bounce":
        if (detail.get("bounce") or {}).get("bounceType") != "Permanent":
            return "transient"
        status = "bounced"
    elif event_type == "Complaint":
        status = "complained"
    else:
        return "ignored"
    tags = (detail.get("mail") or {}).get("tags") or {}
    agency, client, visit, send = (_tag(tags, name) for name in ("agency", "client", "visit", "send"))
    if not agency or not client:
        return "untagged"
    if not services.directory.mark_email_failing(agency, client, status):
        return "unknown client"
    if visit:
        sends = int(send) if send and send.isdigit() and len(send) < 9 else None
        line = TimelineEntry(now, EventType.INVITE_UNDELIVERABLE, SYSTEM, f"email:{status}")
        services.sessions.mark_invite_undeliverable(agency, visit, line, sends)
    count("InviteEmailsFailed", kind=status)
    return "applied"
