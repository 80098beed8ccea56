"""Staff: adding an employee with their sign-in, deactivating them or changing their role (R33, R36), and who a
staff token still stands for."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.errors import NotFound, OwnAccount, SignInUnavailable, Unauthorized
from chalicelib.logic.access import Caller, require_coordinator
from chalicelib.logic.ids import new_id
from chalicelib.logic.views import employee_view
from chalicelib.observability import log
from chalicelib.records import Employee, Visit

if TYPE_CHECKING:
    from chalicelib.services import Services

# A visit still ahead (or under way) can have started up to a visit's longest length ago, and starts at most two
# years ahead (agency_admin's limits).
LONGEST_VISIT = timedelta(hours=24)
FURTHEST_START = timedelta(days=2 * 365 + 1)


def signed_in(services: Services, identity: dict[str, str]) -> dict[str, str]:
    """R36: who a verified token stands for now. A deactivated (or removed) employee is refused, and the role is the
    directory's, not the token's: the authorizer runs this, so a change applies within its cache time."""
    try:
        employee = services.directory.employee(identity["agency_id"], identity["employee_id"])
    except NotFound:
        raise Unauthorized() from None
    if not employee.active:
        raise Unauthorized()
    return {**identity, "role": employee.role}


def create_employee(services: Services, caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    """Add an employee or coordinator, and their sign-in (in AWS: a Cognito user with the custom claims)."""
    require_coordinator(caller)
    employee = Employee(new_id(), body["name"], body["email"], body["role"])
    services.staff_accounts.create(caller.agency_id, employee)  # nothing is written if the sign-in is refused
    try:
        added = services.directory.add_employee(caller.agency_id, employee)
    except Exception:
        _undo(lambda: services.staff_accounts.remove(employee))
        raise
    return employee_view(added)


def change_employee(services: Services, caller: Caller, employee_id: str, body: dict[str, Any],
                    now: datetime) -> dict[str, Any]:
    """Deactivate or reactivate an employee, or change their role (R36): the sign-in first, then the directory."""
    employee = services.directory.employee(caller.agency_id, employee_id)  # another agency's: NotFound (R25)
    require_coordinator(caller)
    role, active = body.get("role", employee.role), body.get("active", employee.active)
    if employee_id == caller.employee_id and (role, active) != (employee.role, employee.active):
        # Nobody locks themselves (or, being the last coordinator, the agency) out.
        raise OwnAccount.field("active" if active != employee.active else "role", "cannot change for your own account")
    changes: dict[str, Any] = {}
    accounts = services.staff_accounts
    if role != employee.role:
        accounts.set_role(employee, role)
        changes["role"] = role
    if active != employee.active:
        try:
            accounts.set_active(employee, active)
        except SignInUnavailable:
            if "role" in changes:
                _undo(lambda: accounts.set_role(employee, employee.role))
            raise
        if active:
            changes.update(active=None, deactivated_at=None, to_reassign=None)
        else:
            held = upcoming_visits(services, caller.agency_id, employee_id, now)
            changes.update(active=False, deactivated_at=now, to_reassign=True if held else None)
    if not changes:
        return employee_view(employee)
    try:
        changed = services.directory.update_employee(caller.agency_id, employee_id, changes)
    except Exception:
        # The sign-in and the directory agree again: the change did not happen.
        if "active" in changes:
            _undo(lambda: accounts.set_active(employee, employee.active))
        if "role" in changes:
            _undo(lambda: accounts.set_role(employee, employee.role))
        raise
    return employee_view(changed)


def upcoming_visits(services: Services, agency_id: str, employee_id: str, now: datetime) -> list[Visit]:
    """The employee's visits not yet over: not cancelled, not clocked out, and ending after now (R36's list)."""
    held = services.visits.of_employee(agency_id, employee_id, now - LONGEST_VISIT, now + FURTHEST_START)
    return [v for v in held if v.end > now and not v.cancelled and v.clock_out_at is None]


def release_if_done(services: Services, agency_id: str, employee_id: str, now: datetime) -> None:
    """A deactivated employee whose last upcoming visit went to someone else (or was cancelled) leaves the board."""
    try:
        employee = services.directory.employee(agency_id, employee_id)
    except NotFound:
        return
    if not employee.active and employee.to_reassign and not upcoming_visits(services, agency_id, employee_id, now):
        services.directory.update_employee(agency_id, employee_id, {"to_reassign": None})


def _undo(action: Any) -> None:
    """Best effort: a compensation that fails too is logged, and the caller's own error is what they hear."""
    try:
        action()
    except Exception as exc:  # the original error matters more than this one
        log().error("could not undo a sign-in change", extra={"error": type(exc).__name__})
