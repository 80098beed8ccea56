"""A coordinator's changes to agency data: clients, employees, service codes and visits (R01, R10)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from chalicelib.errors import BadRequest, Conflict, InvalidSchedule, NotFound, ServiceNotVirtual, VisitInProgress
from chalicelib.logic import links
from chalicelib.logic.access import Caller, load_visit, require_coordinator
from chalicelib.logic.views import visit_view
from chalicelib.persistence import directory, keys
from chalicelib.persistence import visits as visit_store
from chalicelib.persistence.models import Visit
from chalicelib.persistence.visits import OPEN_STATES, VisitBundle


def new_id() -> str:
    """Opaque ids: they appear in URLs and Chime ids, so they say nothing about anyone."""
    return uuid.uuid4().hex


def create_client(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    require_coordinator(caller)
    client = directory.put_client(caller.agency_id, new_id(), body["name"], body.get("email"),
                                  body.get("preferred_language") or "en")
    return client_view(client)


def update_client(caller: Caller, client_id: str, body: dict[str, Any]) -> dict[str, Any]:
    directory.get_client(caller.agency_id, client_id)  # another agency's client is NotFound, not Forbidden
    require_coordinator(caller)
    return client_view(directory.update_client(caller.agency_id, client_id, body))


def client_view(client: Any) -> dict[str, Any]:
    return {"id": client.client_id, "name": client.name, "email": client.email,
            "preferred_language": client.preferred_language, "has_email": bool(client.email),
            "email_failing": client.email_status is not None}


def create_employee(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    require_coordinator(caller)
    employee = directory.put_employee(caller.agency_id, new_id(), body["name"], body["email"], body["role"])
    return employee_view(employee)


def employee_view(employee: Any) -> dict[str, Any]:
    return {"id": employee.employee_id, "name": employee.name, "email": employee.email, "role": employee.role}


def create_service_code(caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    require_coordinator(caller)
    service = directory.put_service_code(caller.agency_id, body["code"], body["name"],
                                         bool(body["allows_virtual_visits"]))
    return service_view(service)


def service_view(service: Any) -> dict[str, Any]:
    return {"code": service.code, "name": service.name, "allows_virtual_visits": bool(service.allows_virtual_visits)}


def _check_refs(caller: Caller, client_id: str | None, employee_id: str | None) -> None:
    try:
        if client_id is not None:
            directory.get_client(caller.agency_id, client_id)
    except NotFound:
        raise BadRequest.field("client_id", "does not name a client of this agency") from None
    try:
        if employee_id is not None:
            directory.get_employee(caller.agency_id, employee_id)
    except NotFound:
        raise BadRequest.field("employee_id", "does not name an employee of this agency") from None


def create_visit(caller: Caller, body: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Schedule a visit; a virtual one needs a service code that allows it (R01)."""
    require_coordinator(caller)
    start, end = body["start"], body["end"]
    if end <= start:
        raise InvalidSchedule()
    found = directory.lookup(caller.agency_id, client_id=body["client_id"], employee_id=body["employee_id"],
                             service_code=body["service_code"])
    if found.client is None:
        raise BadRequest.field("client_id", "does not name a client of this agency")
    if found.employee is None:
        raise BadRequest.field("employee_id", "does not name an employee of this agency")
    service = found.service
    if service is None:
        raise BadRequest.field("service_code", "does not name a service code of this agency")
    virtual = bool(body.get("virtual", False))
    if virtual and not service.allows_virtual_visits:
        raise ServiceNotVirtual()
    visit_id = new_id()
    visit = Visit(
        keys.visit_pk(caller.agency_id, visit_id), keys.VISIT_SK,
        agency_id=caller.agency_id, visit_id=visit_id, client_id=body["client_id"],
        employee_id=body["employee_id"], service_code=service.code, start=start, end=end, virtual=virtual,
        employee_key=keys.employee_key(caller.agency_id, body["employee_id"]),
        client_key=keys.client_key(caller.agency_id, body["client_id"]), agency_key=keys.agency_pk(caller.agency_id),
    )
    visit_store.create_visit(visit)
    return visit_view(visit, found.client, None, now)


def change_visit(caller: Caller, visit_id: str, body: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Reschedule or reassign. A time change stops links already sent (R10)."""
    for _ in range(3):
        bundle = load_visit(caller, visit_id)  # NotFound across agencies comes before the role check
        require_coordinator(caller)
        visit = bundle.visit
        changes: dict[str, Any] = {}
        start, end = body.get("start", visit.start), body.get("end", visit.end)
        if end <= start:
            raise InvalidSchedule()
        if start != visit.start:
            changes["start"] = start
        if end != visit.end:
            changes["end"] = end
        employee_id = body.get("employee_id")
        if employee_id is not None and employee_id != visit.employee_id:
            _check_refs(caller, None, employee_id)
            if visit.clock_in_at is not None and visit.clock_out_at is None:
                # R11: whoever joins must have clocked in themselves; the clock-in is the first caregiver's.
                raise VisitInProgress()
            changes["employee_id"] = employee_id
            changes["employee_key"] = keys.employee_key(caller.agency_id, employee_id)
        if not changes:
            break
        new_expiry = links.link_expiry(end) if "end" in changes or "start" in changes else None
        try:
            visit_store.change_visit(visit, bundle.session, changes, new_expiry, now, caller.actor)
        except Conflict:
            continue
        _applied(bundle, changes, new_expiry, now)
        break
    else:
        raise Conflict()
    client = directory.get_clients(caller.agency_id, [bundle.visit.client_id]).get(bundle.visit.client_id)
    return visit_view(bundle.visit, client, bundle.session, now)


def _applied(bundle: VisitBundle, changes: dict[str, Any], new_expiry: datetime | None, now: datetime) -> None:
    """What `visit_store.change_visit` committed, applied to what was read (no second read for the answer)."""
    visit, session = bundle.visit, bundle.session
    for name, value in changes.items():
        setattr(visit, name, value)
    if "start" in changes or "end" in changes:
        visit.schedule_version = visit.schedule_version + 1
    if session is not None and session.state in OPEN_STATES and new_expiry is not None and now < session.expires_at:
        session.expires_at = session.sweep_at = new_expiry
