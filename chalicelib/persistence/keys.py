"""Tenant-namespaced keys. The agency always comes from the verified caller; only this package builds keys."""

from __future__ import annotations

import hashlib

AGENCY_SK = "AGENCY"
VISIT_SK = "VISIT"
SESSION_SK = "SESSION"
LINK_SK = "LINK"
MEETING_SK = "MEETING"
REMINDER_SK = "REMINDER"  # sorts before SESSION: the bundle read never returns it
EVENT_PREFIX = "EVENT#"
CLIENT_PREFIX = "CLIENT#"
EMPLOYEE_PREFIX = "EMPLOYEE#"
SERVICE_PREFIX = "SERVICE#"


def agency_pk(agency_id: str) -> str:
    return f"AGENCY#{agency_id}"


def visit_pk(agency_id: str, visit_id: str) -> str:
    return f"AGENCY#{agency_id}#VISIT#{visit_id}"


def employee_key(agency_id: str, employee_id: str) -> str:
    return f"AGENCY#{agency_id}#EMPLOYEE#{employee_id}"


def client_key(agency_id: str, client_id: str) -> str:
    return f"AGENCY#{agency_id}#CLIENT#{client_id}"


def meeting_pk(meeting_id: str) -> str:
    return f"MEETING#{meeting_id}"


def text_pk(message_id: str) -> str:
    """A sent text message, by the id End User Messaging gave it."""
    return f"TEXT#{message_id}"


TEXT_SK = "TEXT"


def link_pk(link_digest: str) -> str:
    """Links are stored under the SHA-256 of their token (`links.digest`), never the token itself."""
    return f"LINK#{link_digest}"


def sweep_shard(visit_id: str, shards: int) -> str:
    """Spread open sessions over `shards` partitions of the sweep index."""
    digest = hashlib.sha256(visit_id.encode()).digest()
    return shard_key(int.from_bytes(digest[:4], "big") % max(shards, 1))


def shard_key(shard: int) -> str:
    return f"OPEN#{shard}"
