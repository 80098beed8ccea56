"""Reads the mail the local SES (moto) accepted, for the outbox page."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime
from email import message_from_bytes, policy
from typing import Any


def _parts(raw: str) -> dict[str, str]:
    message = message_from_bytes(raw.encode(), policy=policy.default)
    text = html = ""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            text = str(part.get_content())
        elif part.get_content_type() == "text/html":
            html = str(part.get_content())
    return {"to": str(message["To"]), "subject": str(message["Subject"]), "text": text, "html": html}


def read_outbox(endpoint: str) -> list[dict[str, Any]]:
    """Every message moto's SES holds, oldest first."""
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=5) as response:  # noqa: S310
        data = json.load(response)
    mails: list[dict[str, Any]] = []
    for region_items in [data.get("ses", {}).get("RawMessage", [])]:
        for item in region_items:
            raw = item.get("raw_data", "")
            entry = _parts(raw)
            entry["sent_at"] = item.get("sent_at") or datetime.now(UTC).isoformat()
            mails.append(entry)
    return mails
