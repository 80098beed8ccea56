"""Schedules and the visit dialog's read side (R02, R03, R17, R26, R37)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.clock import iso
from chalicelib.errors import Forbidden, NotAssignedToDocument, NotFound
from chalicelib.logic import links, ranges
from chalicelib.logic.access import Caller, load_visible_visit, load_visit, require_assigned
from chalicelib.logic.views import client_waiting, schedule_entry, session_status, timeline_view, visit_view
from chalicelib.records import Visit

if TYPE_CHECKING:
    from chalicelib.services import Services

def agency_range(services: Services, caller: Caller, start: ranges.Bound,
                 end: ranges.Bound) -> tuple[datetime, datetime]:
    """[from, to) for the caller's agency (R37): dates are whole days of the agency's time zone."""

    def zone() -> str:
        agency = services.directory.lookup(caller.agency_id, agency=True).agency
        if agency is None:
            raise NotFound()
        return agency.time_zone

    return ranges.resolve(start, end, zone)


def _entries(services: Services, caller: Caller, visits: list[Visit]) -> list[dict[str, Any]]:
    clients = services.directory.clients(caller.agency_id, [v.client_id for v in visits])
    return [schedule_entry(v, clients.get(v.client_id)) for v in sorted(visits, key=lambda v: (v.start, v.visit_id))]


# A client may open the link and wait a while before the visit; after the link's expiry nobody waits.
WAITING_WINDOW = timedelta(hours=2)


def live(visit: Visit, now: datetime) -> bool:
    """Whether a client could be waiting for this visit now."""
    return visit.virtual and not visit.cancelled and visit.start - WAITING_WINDOW <= now < links.link_expiry(visit.end)


def my_schedule(services: Services, caller: Caller, start: ranges.Bound, end: ranges.Bound,
                now: datetime) -> list[dict[str, Any]]:
    """The caller's own visits starting in the range; a visit whose client waits says so (R35)."""
    first, last = agency_range(services, caller, start, end)
    visits = services.visits.of_employee(caller.agency_id, caller.employee_id, first, last)
    waiting_for = [v.visit_id for v in visits if live(v, now)]
    # Only visits under way or about to be: one BatchGetItem then, none at the day's other hours.
    sessions = services.sessions.of_visits(caller.agency_id, waiting_for) if waiting_for else {}
    return [{**entry, "client_waiting": client_waiting(sessions.get(entry["id"]), now)}
            for entry in _entries(services, caller, visits)]


def employee_schedule(services: Services, caller: Caller, employee_id: str, start: ranges.Bound,
                      end: ranges.Bound) -> list[dict[str, Any]]:
    """A coordinator sees anyone's schedule; an employee only their own."""
    first, last = agency_range(services, caller, start, end)
    services.directory.employee(caller.agency_id, employee_id)  # NotFound across agencies
    if not caller.is_coordinator and employee_id != caller.employee_id:
        raise Forbidden()
    return _entries(services, caller, services.visits.of_employee(caller.agency_id, employee_id, first, last))


def client_schedule(services: Services, caller: Caller, client_id: str, start: ranges.Bound,
                    end: ranges.Bound) -> list[dict[str, Any]]:
    """A coordinator sees the whole client schedule; an employee the visits assigned to them."""
    first, last = agency_range(services, caller, start, end)
    services.directory.client(caller.agency_id, client_id)
    visits = services.visits.of_client(caller.agency_id, client_id, first, last)
    if not caller.is_coordinator:
        visits = [v for v in visits if v.employee_id == caller.employee_id]
    return _entries(services, caller, visits)


def visit_details(services: Services, caller: Caller, visit_id: str, now: datetime) -> dict[str, Any]:
    """The visit dialog: visit, client summary, clock times and session status (R03)."""
    bundle = load_visible_visit(services, caller, visit_id)
    client = services.directory.clients(caller.agency_id, [bundle.visit.client_id]).get(bundle.visit.client_id)
    return visit_view(bundle.visit, client, bundle.session, now)


def session_details(services: Services, caller: Caller, visit_id: str, now: datetime) -> dict[str, Any]:
    """The session status the dialog and the call window ask for."""
    bundle = load_visible_visit(services, caller, visit_id)
    return session_status(bundle.session, bundle.visit, now)


def timeline(services: Services, caller: Caller, visit_id: str) -> list[dict[str, Any]]:
    """R26: every state change with its UTC time and actor, oldest first."""
    return timeline_view(load_visible_visit(services, caller, visit_id, with_timeline=True).events)


def save_notes(services: Services, caller: Caller, visit_id: str, notes: str, now: datetime) -> dict[str, Any]:
    """R17: the caregiver documents the visit, during the call too (the route holds them to `payloads.MAX_NOTES`)."""
    # One conditional write carries the assignment check (R05); only a refusal reads, to say why.
    if not services.visits.save_notes(caller.agency_id, visit_id, caller.employee_id, notes):
        require_assigned(caller, load_visit(services, caller, visit_id), NotAssignedToDocument)
        raise NotFound()  # the visit went away between the write and the read
    return {"id": visit_id, "notes": notes, "saved_at": iso(now)}
