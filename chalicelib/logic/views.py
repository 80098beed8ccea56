"""The API's shapes for visits and sessions (ARCHITECTURE.md's payload table)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.clock import iso
from chalicelib.persistence.models import Client, Session, Visit

TERMINAL_STATES = ("over", "expired")
BOUNCE_WARNING = "The last invite email to the client bounced. Check the client's email address."


def effective_state(session: Session | None, now: datetime) -> str:
    """The session's state as users see it: no invite yet is `none`; past its expiry is `expired` (R13)."""
    if session is None or (session.invite_count == 0 and session.state == "invited"):
        return "none"
    if session.state not in TERMINAL_STATES and now >= session.expires_at:
        return "expired"
    return str(session.state)


def sent_generation(session: Session) -> int:
    """The link generation the client holds: a link rotated for a send that then failed was never delivered."""
    sent = session.sent_generation if session.sent_generation is not None else session.link_generation
    return int(sent)


def session_status(session: Session | None, visit: Visit, now: datetime) -> dict[str, Any]:
    """The session status shape: what the dialog and the call window show."""
    state = effective_state(session, now)
    if session is None or state == "none":
        return {"state": "none", "last_invite_sent_at": None, "link_expires_at": None,
                "client_present": False, "employee_present": False, "invite_stale": False,
                "ended_reason": None, "invite_bounced": False}
    open_ = state in ("invited", "active")
    return {
        "state": state,
        "last_invite_sent_at": iso(session.last_invite_sent_at),
        "link_expires_at": iso(session.expires_at),
        "client_present": bool(session.client_present) and open_,
        "employee_present": bool(session.employee_present) and open_,
        "invite_stale": open_ and sent_generation(session) != visit.schedule_version,
        "ended_reason": session.ended_reason or ("expired" if state == "expired" else None),
        "invite_bounced": bool(session.invite_bounced),
        **({"invite_warning": BOUNCE_WARNING} if session.invite_bounced else {}),
    }


def visit_view(visit: Visit, client: Client | None, session: Session | None, now: datetime) -> dict[str, Any]:
    """A visit with its client summary and session status."""
    return {
        **schedule_entry(visit, client),
        "clock_in_at": iso(visit.clock_in_at),
        "clock_out_at": iso(visit.clock_out_at),
        "notes": visit.notes or "",
        "session": session_status(session, visit, now),
    }


def schedule_entry(visit: Visit, client: Client | None) -> dict[str, Any]:
    """A visit as a schedule lists it."""
    return {
        "id": visit.visit_id,
        "client_id": visit.client_id,
        "employee_id": visit.employee_id,
        "service_code": visit.service_code,
        "start": iso(visit.start),
        "end": iso(visit.end),
        "virtual": bool(visit.virtual),
        "client": client_summary(client, visit.client_id),
    }


def client_summary(client: Client | None, client_id: str) -> dict[str, Any]:
    if client is None:
        return {"id": client_id, "name": "", "has_email": False}
    return {"id": client.client_id, "name": client.name, "has_email": bool(client.email),
            "email_failing": client.email_status is not None}


def first_name(full_name: str) -> str:
    parts = full_name.split()
    return parts[0] if parts else ""
