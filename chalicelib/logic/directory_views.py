"""Read-only views of agency data for the staff app."""

from __future__ import annotations

from typing import Any

from chalicelib.errors import NotFound
from chalicelib.logic.access import Caller, require_coordinator
from chalicelib.logic.agency_admin import client_view, employee_view, service_view
from chalicelib.persistence import directory


def me(caller: Caller) -> dict[str, Any]:
    """The caller, their agency and its time zone."""
    found = directory.lookup(caller.agency_id, agency=True, employee_id=caller.employee_id)
    agency, employee = found.agency, found.employee
    if agency is None or employee is None:
        raise NotFound()
    return {
        "employee_id": caller.employee_id, "name": employee.name, "role": caller.role,
        "agency": {"id": agency.agency_id, "name": agency.name}, "agency_id": agency.agency_id,
        "time_zone": agency.time_zone,
    }


def clients(caller: Caller) -> list[dict[str, Any]]:
    require_coordinator(caller)
    return [client_view(c) for c in sorted(directory.list_clients(caller.agency_id), key=lambda c: c.name)]


def employees(caller: Caller) -> list[dict[str, Any]]:
    require_coordinator(caller)
    return [employee_view(e) for e in sorted(directory.list_employees(caller.agency_id), key=lambda e: e.name)]


def service_codes(caller: Caller) -> list[dict[str, Any]]:
    return [service_view(s) for s in directory.list_service_codes(caller.agency_id)]
