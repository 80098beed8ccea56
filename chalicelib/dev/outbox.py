"""Reads the mail the local SES (moto) accepted, for the outbox page."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email import message_from_bytes, policy
from http.client import HTTPConnection, HTTPSConnection
from typing import Any
from urllib.parse import urlsplit


def _parts(raw: str) -> dict[str, str]:
    message = message_from_bytes(raw.encode(), policy=policy.default)
    text = html = ""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            text = str(part.get_content())
        elif part.get_content_type() == "text/html":
            html = str(part.get_content())
    return {"to": str(message["To"]), "subject": str(message["Subject"]), "text": text, "html": html}


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
    mails: list[dict[str, Any]] = []
    for region_items in [data.get("ses", {}).get("RawMessage", [])]:
        for item in region_items:
            raw = item.get("raw_data", "")
            entry = _parts(raw)
            entry["sent_at"] = item.get("sent_at") or datetime.now(UTC).isoformat()
            mails.append(entry)
    return mails
