"""The local stack's outbox: the mail the local SES (moto) accepted and the texts the local text service kept, oldest
first, as `{channel, to, subject?, text, html?, attachments?, sent_at}`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from http.client import HTTPConnection, HTTPSConnection
from typing import Any
from urllib.parse import urlsplit


def _parts(raw: str) -> dict[str, Any]:
    message = message_from_bytes(raw.encode(), policy=policy.default)
    text = html = ""
    attachments: list[str] = []
    for part in message.walk():
        if part.get_content_disposition() == "attachment":
            attachments.append(str(part.get_filename() or part.get_content_type()))
        elif part.get_content_type() == "text/plain":
            text = str(part.get_content())
        elif part.get_content_type() == "text/html":
            html = str(part.get_content())
    try:
        sent = parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
    except (TypeError, ValueError):
        sent = None
    entry: dict[str, Any] = {"channel": "email", "to": str(message["To"]), "subject": str(message["Subject"]),
                             "text": text, "html": html, "attachments": attachments,
                             "sent_at": _iso(sent or datetime.now(UTC))}
    return entry


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _moto_data(endpoint: str) -> Any:
    """moto's state as JSON, over http(s) only: never `file:` or another scheme urlopen would follow."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("AWS_ENDPOINT_URL must be an http(s) URL for the local outbox")
    kind = HTTPSConnection if parts.scheme == "https" else HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=5)
    try:
        connection.request("GET", "/moto-api/data.json")
        response = connection.getresponse()
        if response.status != 200:
            raise OSError(f"moto answered {response.status} for its data")
        return json.loads(response.read())
    finally:
        connection.close()


def read_outbox(endpoint: str) -> list[dict[str, Any]]:
    """Every message moto's SES holds, oldest first."""
    data = _moto_data(endpoint)
    return [_parts(item.get("raw_data", "")) for item in data.get("ses", {}).get("RawMessage", [])]


def read_texts(texter: Any) -> list[dict[str, Any]]:
    """Every text the local text service kept, oldest first (none from a real one)."""
    sent = getattr(texter, "sent", None)
    if not callable(sent):
        return []
    return [{"channel": "sms", "to": text["to"], "text": text["text"], "sent_at": _iso(text["sent_at"])}
            for text in sent()]


def read_everything(endpoint: str, texter: Any) -> list[dict[str, Any]]:
    """Emails and texts together, oldest first (a stable sort: each keeps its own order within a second)."""
    mails = read_outbox(endpoint) if endpoint else []
    return sorted([*mails, *read_texts(texter)], key=lambda item: str(item["sent_at"]))
