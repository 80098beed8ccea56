"""Schedules and the visit dialog's read side (R02, R03, R17, R26)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from chalicelib.clock import iso
from chalicelib.errors import BadRequest, Forbidden, NotAssigned, NotFound
from chalicelib.logic.access import Caller, load_visible_visit, load_visit, require_assigned
from chalicelib.logic.views import schedule_entry, session_status, visit_view
from chalicelib.persistence import directory
from chalicelib.persistence import visits as visit_store
from chalicelib.persistence.models import Visit

MAX_RANGE = timedelta(days=62)
MAX_NOTES = 20000


class NotAssignedToDocument(NotAssigned):
    message = "You need to be assigned to the visit to document it."


def check_range(start: datetime, end: datetime) -> None:
    if end <= start:
        raise BadRequest.field("to", "must be after 'from'")
    if end - start > MAX_RANGE:
        raise BadRequest.field("to", "must be at most 62 days after 'from'")


def _entries(caller: Caller, visits: list[Visit]) -> list[dict[str, Any]]:
    clients = directory.get_clients(caller.agency_id, [v.client_id for v in visits])
    return [schedule_entry(v, clients.get(v.client_id)) for v in sorted(visits, key=lambda v: v.start)]


def my_schedule(caller: Caller, start: datetime, end: datetime) -> list[dict[str, Any]]:
    check_range(start, end)
    return _entries(caller, visit_store.schedule_for_employee(caller.agency_id, caller.employee_id, start, end))


def employee_schedule(caller: Caller, employee_id: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """A coordinator sees anyone's schedule; an employee only their own."""
    check_range(start, end)
    directory.get_employee(caller.agency_id, employee_id)  # NotFound across agencies
    if not caller.is_coordinator and employee_id != caller.employee_id:
        raise Forbidden()
    return _entries(caller, visit_store.schedule_for_employee(caller.agency_id, employee_id, start, end))


def client_schedule(caller: Caller, client_id: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """A coordinator sees the whole client schedule; an employee the visits assigned to them."""
    check_range(start, end)
    directory.get_client(caller.agency_id, client_id)
    visits = visit_store.schedule_for_client(caller.agency_id, client_id, start, end)
    if not caller.is_coordinator:
        visits = [v for v in visits if v.employee_id == caller.employee_id]
    return _entries(caller, visits)


def visit_details(caller: Caller, visit_id: str, now: datetime) -> dict[str, Any]:
    bundle = load_visible_visit(caller, visit_id)
    client = directory.get_clients(caller.agency_id, [bundle.visit.client_id]).get(bundle.visit.client_id)
    return visit_view(bundle.visit, client, bundle.session, now)


def session_details(caller: Caller, visit_id: str, now: datetime) -> dict[str, Any]:
    bundle = load_visible_visit(caller, visit_id)
    return session_status(bundle.session, bundle.visit, now)


def timeline(caller: Caller, visit_id: str) -> list[dict[str, Any]]:
    """R26: every state change with its UTC time and actor, oldest first."""
    bundle = load_visible_visit(caller, visit_id, with_timeline=True)
    return [{"at": iso(e.at), "type": e.type, "actor": e.actor, **({"detail": e.detail} if e.detail else {})}
            for e in bundle.events]


def save_notes(caller: Caller, visit_id: str, notes: str, now: datetime) -> dict[str, Any]:
    """R17: the caregiver documents the visit, during the call too."""
    if len(notes) > MAX_NOTES:
        raise BadRequest.field("notes", f"must be at most {MAX_NOTES} characters")
    # One conditional write carries the assignment check (R05); only a refusal reads, to say why.
    if not visit_store.save_notes(caller.agency_id, visit_id, caller.employee_id, notes):
        require_assigned(caller, load_visit(caller, visit_id), NotAssignedToDocument)
        raise NotFound()  # the visit went away between the write and the read
    return {"id": visit_id, "notes": notes, "saved_at": iso(now)}
