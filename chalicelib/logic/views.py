"""Every shape the API answers with (ARCHITECTURE.md's payload table; the OpenAPI document describes them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.clock import iso
from chalicelib.errors import INVITE_UNDELIVERABLE
from chalicelib.i18n import LANGUAGES, supported, zone_name
from chalicelib.records import (
    NOT_INVITED,
    OPEN_STATES,
    Agency,
    Client,
    Employee,
    EndReason,
    ServiceCode,
    Session,
    SessionState,
    TimelineEntry,
    Visit,
)


def effective_state(session: Session | None, now: datetime) -> str:
    """The session's state as users see it: no invite yet is `none`; past its expiry is `expired` (R13)."""
    if session is None or (session.invite_count == 0 and session.state == SessionState.INVITED):
        return NOT_INVITED
    if session.is_open and now >= session.expires_at:
        return str(SessionState.EXPIRED)
    return str(session.state)


def client_waiting(session: Session | None, now: datetime) -> bool:
    """R35: the client has the join page open (or sits in the call) and the caregiver is not in the call."""
    if session is None or not session.is_open or now >= session.expires_at or session.employee_present:
        return False
    return session.client_present or (session.client_page_until is not None and now < session.client_page_until)


def sent_generation(session: Session) -> int:
    """The link generation the client holds: a link rotated for a send that then failed was never delivered."""
    return session.sent_generation if session.sent_generation is not None else session.link_generation


def session_status(session: Session | None, visit: Visit, now: datetime) -> dict[str, Any]:
    """The session status: what the dialog and the call window show."""
    state = effective_state(session, now)
    if session is None or state == NOT_INVITED:
        return {"state": NOT_INVITED, "last_invite_sent_at": None, "link_expires_at": None,
                "client_present": False, "employee_present": False, "client_waiting": False, "invite_stale": False,
                "ended_reason": None, "invite_bounced": False, "invite_undeliverable": False,
                "last_invite_channel": None}
    open_ = state in OPEN_STATES
    return {
        "state": state,
        "last_invite_sent_at": iso(session.last_invite_sent_at),
        "link_expires_at": iso(session.expires_at),
        "client_present": session.client_present and open_,
        "employee_present": session.employee_present and open_,
        "client_waiting": client_waiting(session, now),
        "invite_stale": open_ and sent_generation(session) != visit.schedule_version,
        "ended_reason": session.ended_reason or (str(EndReason.EXPIRED) if state == SessionState.EXPIRED else None),
        "invite_undeliverable": session.invite_undeliverable,  # R29
        "invite_bounced": session.invite_undeliverable,  # its first name, kept for readers of the older field
        "last_invite_channel": session.last_invite_channel,
        **({"invite_warning": INVITE_UNDELIVERABLE} if session.invite_undeliverable else {}),
    }


def visit_view(visit: Visit, client: Client | None, session: Session | None, now: datetime) -> dict[str, Any]:
    """A visit with its client summary and session status (the visit dialog)."""
    return {
        **schedule_entry(visit, client),
        "clock_in_at": iso(visit.clock_in_at),
        "clock_out_at": iso(visit.clock_out_at),
        "cancelled_at": iso(visit.cancelled_at),
        "notes": visit.notes or "",
        "session": session_status(session, visit, now),
    }


def schedule_entry(visit: Visit, client: Client | None) -> dict[str, Any]:
    """A visit as a schedule lists it; `virtual` shows the virtual-care icon (R02)."""
    return {
        "id": visit.visit_id,
        "client_id": visit.client_id,
        "employee_id": visit.employee_id,
        "service_code": visit.service_code,
        "start": iso(visit.start),
        "end": iso(visit.end),
        "virtual": visit.virtual,
        "cancelled": visit.cancelled,
        "client": client_summary(client, visit.client_id),
    }


def client_summary(client: Client | None, client_id: str) -> dict[str, Any]:
    """What a visit shows of its client: no contact details, only how the client can be reached (R06, R28, R29)."""
    if client is None:
        return {"id": client_id, "name": "", "has_email": False, "has_mobile": False, "sms_consent": False,
                "sms_status": None}
    return {"id": client.client_id, "name": client.name, "has_email": bool(client.email),
            "email_failing": client.email_status is not None, "has_mobile": bool(client.mobile_phone),
            "sms_consent": client.sms_consent is not None, "sms_status": client.sms_status,
            "preferred_language": supported(client.preferred_language)}


def client_view(client: Client) -> dict[str, Any]:
    """A client as a coordinator manages it."""
    consent = client.sms_consent
    return {"id": client.client_id, "name": client.name, "email": client.email,
            "preferred_language": client.preferred_language, "has_email": bool(client.email),
            "email_failing": client.email_status is not None, "mobile_phone": client.mobile_phone,
            "sms_consent": {"at": iso(consent.at), "by": consent.by} if consent is not None else None,
            "sms_status": client.sms_status}


def employee_view(employee: Employee) -> dict[str, Any]:
    return {"id": employee.employee_id, "name": employee.name, "email": employee.email, "role": employee.role,
            "active": employee.active, "deactivated_at": iso(employee.deactivated_at)}


def employee_summary(employee: Employee | None, employee_id: str) -> dict[str, Any]:
    """Who a visit is assigned to, as the console and the board show it."""
    if employee is None:
        return {"id": employee_id, "name": "", "active": False}
    return {"id": employee.employee_id, "name": employee.name, "active": employee.active}


def agency_view(agency: Agency) -> dict[str, Any]:
    """The agency's settings (R32's reminder, R44's locale and time zone)."""
    return {"id": agency.agency_id, "name": agency.name, "time_zone": agency.time_zone, "locale": agency.locale,
            "reminder_minutes": agency.reminder_minutes}


def service_view(service: ServiceCode) -> dict[str, Any]:
    return {"code": service.code, "name": service.name, "allows_virtual_visits": service.allows_virtual_visits}


def me_view(employee: Employee, role: str, agency: Agency) -> dict[str, Any]:
    """The signed-in staff member, their agency and its time zone."""
    return {
        "employee_id": employee.employee_id, "name": employee.name, "role": role,
        "agency": {"id": agency.agency_id, "name": agency.name, "locale": agency.locale},
        "agency_id": agency.agency_id, "time_zone": agency.time_zone,
    }


def timeline_view(events: list[TimelineEntry]) -> list[dict[str, Any]]:
    """R26: every state change with its UTC time and actor, oldest first."""
    return [{"at": iso(e.at), "type": str(e.type), "actor": e.actor, **({"detail": e.detail} if e.detail else {})}
            for e in events]


def client_visit(agency: Agency, caregiver: Employee, visit: Visit) -> dict[str, Any]:
    """R16, R44: what the client's page says of the visit: the agency, the caregiver's first name and the time with
    its zone, and nothing else (also what an expired link's refusal carries, so a reload still shows it)."""
    return {
        "agency_name": agency.name,
        "caregiver_first_name": first_name(caregiver.name),
        "start": iso(visit.start),
        "end": iso(visit.end),
        "time_zone": agency.time_zone,
        # R44: the zone as the client's email and text name it, in each language the page can switch to
        "zone_names": {name: zone_name(agency.time_zone, name, visit.start) for name in LANGUAGES},
    }


def client_page(agency: Agency, caregiver: Employee, visit: Visit, session: Session, language: str,
                provider: str) -> dict[str, Any]:
    """R16: the visit as `client_visit` tells it, the session's state; the language the page speaks (R30); and the
    media provider, so the page can load its code while the client checks the camera."""
    return {
        "language": supported(language),
        "provider": provider,
        **client_visit(agency, caregiver, visit),
        "state": str(session.state),
        "caregiver_present": session.employee_present and session.is_open,
    }


def attendee_view(attendee: dict[str, Any]) -> dict[str, Any]:
    """A meeting provider's attendee as the API returns it (snake_case)."""
    return {
        "attendee_id": attendee["AttendeeId"],
        "external_user_id": attendee["ExternalUserId"],
        "join_token": attendee["JoinToken"],
    }


def first_name(full_name: str) -> str:
    parts = full_name.split()
    return parts[0] if parts else ""
