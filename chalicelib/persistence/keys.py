"""Tenant-namespaced keys. The agency always comes from the verified caller."""

from __future__ import annotations

import hashlib

SESSION_SK = "SESSION"
VISIT_SK = "VISIT"
EVENT_PREFIX = "EVENT#"


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


def link_pk(token: str) -> str:
    """Links are stored under the SHA-256 of their token, never the token itself."""
    return "LINK#" + hashlib.sha256(token.encode()).hexdigest()


def sweep_shard(visit_id: str, shards: int) -> str:
    """Spread open sessions over `shards` partitions of the sweep index."""
    digest = hashlib.sha256(visit_id.encode()).digest()
    return f"OPEN#{int.from_bytes(digest[:4], 'big') % max(shards, 1)}"
