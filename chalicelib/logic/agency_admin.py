"""A coordinator's agency data: clients, service codes and visits (R01, R10, R33, R36, R45's time limits)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.errors import (
    AlreadyExists,
    BadRequest,
    Conflict,
    EmployeeDeactivated,
    InvalidSchedule,
    NotFound,
    ServiceNotVirtual,
    StaffVisitCancelled,
    VisitInProgress,
)
from chalicelib.logic import links
from chalicelib.logic.access import Caller, load_visit, require_coordinator
from chalicelib.logic.ids import new_id
from chalicelib.logic.retry import retry_on_conflict
from chalicelib.logic.staff import release_if_done
from chalicelib.logic.views import client_view, me_view, service_view, visit_view
from chalicelib.records import (
    Client,
    Employee,
    EventType,
    ServiceCode,
    SmsConsent,
    SmsStatus,
    TimelineEntry,
    Visit,
    VisitChange,
)

if TYPE_CHECKING:
    from chalicelib.services import Services

# What a visit may be: it starts within a year before and two years after now, and lasts at most a day.
EARLIEST_START = timedelta(days=365)
LATEST_START = timedelta(days=2 * 365)
LONGEST_VISIT = timedelta(hours=24)
UNKNOWN = {"client_id": "a client", "employee_id": "an employee", "service_code": "a service code"}


def unknown(name: str) -> BadRequest:
    """400 naming a field whose id is not one of the caller's agency (R25)."""
    return BadRequest.field(name, f"does not name {UNKNOWN[name]} of this agency")


def me(services: Services, caller: Caller) -> dict[str, Any]:
    """The caller, their agency and its time zone."""
    found = services.directory.lookup(caller.agency_id, agency=True, employee_id=caller.employee_id)
    if found.agency is None or found.employee is None:
        raise NotFound()
    return me_view(found.employee, caller.role, found.agency)


def create_client(services: Services, caller: Caller, body: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Add a client; email and mobile phone are optional (R06, R28). A consent to texts is recorded as given now,
    by the coordinator who sends it."""
    require_coordinator(caller)
    consent = SmsConsent(now, caller.employee_id) if body.get("sms_consent") else None
    client = Client(new_id(), body["name"], body.get("email"), body.get("preferred_language") or "en",
                    mobile_phone=body.get("mobile_phone"), sms_consent=consent)
    return client_view(services.directory.add_client(caller.agency_id, client))


def client_changes(current: Client, body: dict[str, Any], caller: Caller, now: datetime) -> dict[str, Any]:
    """What a coordinator's change writes (R28, R29).

    A new email clears its bounce mark (the store does it). A consent to texts belongs to a number: a new mobile
    number clears the consent and what the text service said of the old number, unless the same change records
    consent again. `sms_consent: true` records it now, by the caller, when none is recorded or the client opted out
    (the client agreed to texts again: the opt-out mark goes; should the number still be on the service's opt-out
    list, the next text says so and marks it again); `false` withdraws it.
    """
    changes: dict[str, Any] = {name: body[name] for name in ("name", "email", "preferred_language", "mobile_phone")
                               if name in body}
    consent = current.sms_consent
    if "mobile_phone" in body and body["mobile_phone"] != current.mobile_phone:
        changes.update(sms_consent=None, sms_status=None)
        consent = None
    if body.get("sms_consent") is True and (consent is None or current.sms_status == SmsStatus.OPTED_OUT):
        changes.update(sms_consent=SmsConsent(now, caller.employee_id), sms_status=None)
    elif body.get("sms_consent") is False and current.sms_consent is not None:
        changes["sms_consent"] = None
    return changes


def update_client(services: Services, caller: Caller, client_id: str, body: dict[str, Any],
                  now: datetime) -> dict[str, Any]:
    """Change a client's demographics and contact details (R28, R30)."""
    current = services.directory.client(caller.agency_id, client_id)  # another agency's: NotFound, not Forbidden
    require_coordinator(caller)
    changes = client_changes(current, body, caller, now)
    return client_view(services.directory.update_client(caller.agency_id, client_id, changes))


def get_client(services: Services, caller: Caller, client_id: str) -> dict[str, Any]:
    """A client's record as the coordinator manages it."""
    client = services.directory.client(caller.agency_id, client_id)  # another agency's client is NotFound
    require_coordinator(caller)
    return client_view(client)


def create_service_code(services: Services, caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    """Add a service code; `allows_virtual_visits` gates R01."""
    require_coordinator(caller)
    service = ServiceCode(body["code"], body["name"], body["allows_virtual_visits"])
    try:
        return service_view(services.directory.add_service_code(caller.agency_id, service))
    except Conflict:
        raise AlreadyExists() from None


def update_service_code(services: Services, caller: Caller, code: str, body: dict[str, Any]) -> dict[str, Any]:
    """Rename a service code, or change whether it allows virtual visits (new visits only: R01 is checked when a
    visit is scheduled)."""
    require_coordinator(caller)  # the same for any code: a caregiver learns nothing of which codes exist
    return service_view(services.directory.update_service_code(caller.agency_id, code, body))


def assignable(employee: Employee | None) -> Employee:
    """A visit goes to an active employee of the agency (R25, R36)."""
    if employee is None:
        raise unknown("employee_id")
    if not employee.active:
        raise EmployeeDeactivated()
    return employee


def check_times(start: datetime, end: datetime, now: datetime, given: tuple[str, ...] = ("start", "end")) -> None:
    """A visit's times as a visit can have them, or 422 naming the field (R45)."""
    if "start" in given and not now - EARLIEST_START <= start <= now + LATEST_START:
        raise InvalidSchedule.field("start", "must be within a year before and two years after now")
    blame = "end" if "end" in given else "start"
    if end <= start:
        raise InvalidSchedule.field(blame, "must be after 'start'" if blame == "end" else "must be before 'end'")
    if end - start > LONGEST_VISIT:
        raise InvalidSchedule.field(blame, "must make a visit of at most 24 hours")


def create_visit(services: Services, caller: Caller, body: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Schedule a visit; a virtual one needs a service code that allows it (R01)."""
    require_coordinator(caller)
    check_times(body["start"], body["end"], now)
    found = services.directory.lookup(caller.agency_id, client_id=body["client_id"],
                                      employee_id=body["employee_id"], service_code=body["service_code"])
    client, service = found.client, found.service
    if client is None:
        raise unknown("client_id")
    assignable(found.employee)
    if service is None:
        raise unknown("service_code")
    virtual = body.get("virtual", False)
    if virtual and not service.allows_virtual_visits:
        raise ServiceNotVirtual()
    visit = services.visits.add(Visit(
        caller.agency_id, new_id(), body["client_id"], body["employee_id"], service.code, body["start"],
        body["end"], virtual,
    ))
    return visit_view(visit, client, None, now)


def change_visit(services: Services, caller: Caller, visit_id: str, body: dict[str, Any],
                 now: datetime) -> dict[str, Any]:
    """Reschedule or reassign. A time change stops links already sent (R10)."""

    previous: list[str] = []  # who had the visit, as the last attempt read it

    def attempt() -> tuple[Visit, Any]:
        bundle = load_visit(services, caller, visit_id)  # NotFound across agencies comes before the role check
        require_coordinator(caller)
        visit, session = bundle.visit, bundle.session
        previous[:] = [visit.employee_id]
        if visit.cancelled:
            raise StaffVisitCancelled()  # R34: a cancelled visit stays as it was cancelled
        start, end = body.get("start", visit.start), body.get("end", visit.end)
        change = VisitChange(start=start if start != visit.start else None, end=end if end != visit.end else None)
        if change.moves_time:
            check_times(start, end, now, tuple(name for name in ("start", "end") if name in body))
            # Only a live session follows the new time: one already past its expiry is expired (R13), and moving
            # its expiry would bring it back to life.
            if session is not None and session.is_open and now < session.expires_at:
                change = VisitChange(change.start, change.end, new_expiry=links.link_expiry(end))
        employee_id = body.get("employee_id")
        if employee_id is not None and employee_id != visit.employee_id:
            try:
                assignable(services.directory.employee(caller.agency_id, employee_id))
            except NotFound:
                raise unknown("employee_id") from None
            if visit.clock_in_at is not None and visit.clock_out_at is None:
                # R11: whoever joins must have clocked in themselves; the clock-in is the first caregiver's.
                raise VisitInProgress()
            change = VisitChange(change.start, change.end, employee_id, change.new_expiry)
        if not change.fields:
            return visit, session
        event = TimelineEntry(now, EventType.VISIT_CHANGED, caller.actor, ",".join(sorted(change.fields)))
        return services.visits.change(visit, session, change, event)

    visit, session = retry_on_conflict(attempt, attempts=3)
    if previous and previous[0] != visit.employee_id:
        release_if_done(services, caller.agency_id, previous[0], now)  # R36: one fewer visit to reassign
    client = services.directory.clients(caller.agency_id, [visit.client_id]).get(visit.client_id)
    return visit_view(visit, client, session, now)
