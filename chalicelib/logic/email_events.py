"""SES delivery events: a permanent bounce or a complaint marks the client's address as failing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.observability import count
from chalicelib.validation import is_id

if TYPE_CHECKING:
    from chalicelib.services import Services


def _tag(tags: dict[str, Any], name: str) -> str | None:
    values = tags.get(name)
    value = values[0] if isinstance(values, list) and values else None
    return value if isinstance(value, str) and is_id(value) else None


def on_email_event(services: Services, detail: dict[str, Any]) -> str:
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
    agency, client, visit = _tag(tags, "agency"), _tag(tags, "client"), _tag(tags, "visit")
    if not agency or not client:
        return "untagged"
    if not services.directory.mark_email_failing(agency, client, status):
        return "unknown client"
    if visit:
        services.sessions.mark_invite_bounced(agency, visit)
    count("InviteEmailsFailed", kind=status)
    return "applied"
