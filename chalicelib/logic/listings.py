"""The console's lists, each with a search (R33): clients, employees, service codes and visits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.logic import ranges
from chalicelib.logic.access import Caller, require_coordinator
from chalicelib.logic.schedule import agency_range
from chalicelib.logic.views import client_view, employee_summary, employee_view, schedule_entry, service_view

if TYPE_CHECKING:
    from chalicelib.services import Services


def matches(query: str, *texts: str | None) -> bool:
    """Whether every word of the search is in one of the texts, ignoring case ("" matches everything)."""
    haystack = " ".join(t for t in texts if t).casefold()
    return all(word in haystack for word in query.casefold().split())


def clients(services: Services, caller: Caller, query: str = "") -> list[dict[str, Any]]:
    """The agency's clients by name; the search looks at names and email addresses."""
    require_coordinator(caller)
    found = [c for c in services.directory.list_clients(caller.agency_id) if matches(query, c.name, c.email)]
    return [client_view(c) for c in sorted(found, key=lambda c: (c.name.casefold(), c.client_id))]


def employees(services: Services, caller: Caller, query: str = "") -> list[dict[str, Any]]:
    """The agency's staff by name; the search looks at names, email addresses and roles."""
    require_coordinator(caller)
    found = [e for e in services.directory.list_employees(caller.agency_id)
             if matches(query, e.name, e.email, e.role)]
    return [employee_view(e) for e in sorted(found, key=lambda e: (e.name.casefold(), e.employee_id))]


def service_codes(services: Services, caller: Caller, query: str = "") -> list[dict[str, Any]]:
    """The agency's service codes (every staff member reads them: schedules show their names)."""
    found = [s for s in services.directory.list_service_codes(caller.agency_id) if matches(query, s.code, s.name)]
    return [service_view(s) for s in found]


def visits(services: Services, caller: Caller, start: ranges.Bound, end: ranges.Bound, query: str = "",
           employee_id: str | None = None, client_id: str | None = None) -> list[dict[str, Any]]:
    """The agency's visits starting in [from, to) (R37), with their client and caregiver; the search looks at both
    names and the service code."""
    require_coordinator(caller)
    first, last = agency_range(services, caller, start, end)
    if employee_id is not None:
        found = services.visits.of_employee(caller.agency_id, employee_id, first, last)
    elif client_id is not None:
        found = services.visits.of_client(caller.agency_id, client_id, first, last)
    else:
        found = services.visits.of_agency(caller.agency_id, first, last)
    if employee_id is not None and client_id is not None:
        found = [v for v in found if v.client_id == client_id]
    people = services.directory.clients(caller.agency_id, [v.client_id for v in found])
    staff = {e.employee_id: e for e in services.directory.list_employees(caller.agency_id)} if found else {}
    rows = []
    for visit in sorted(found, key=lambda v: (v.start, v.visit_id)):
        client, employee = people.get(visit.client_id), staff.get(visit.employee_id)
        if matches(query, client.name if client else None, employee.name if employee else None, visit.service_code):
            rows.append({**schedule_entry(visit, client), "employee": employee_summary(employee, visit.employee_id)})
    return rows
