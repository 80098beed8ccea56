"""Who may see and do what: every read is scoped to the caller's agency."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from chalicelib.errors import DomainError, Forbidden, NotAssigned, NotAssignedToView
from chalicelib.records import VisitBundle

if TYPE_CHECKING:
    from chalicelib.services import Services


@dataclass(frozen=True)
class Caller:
    """A verified staff member, from the authorizer's claims."""

    agency_id: str
    employee_id: str
    role: str

    @property
    def actor(self) -> str:
        return f"employee:{self.employee_id}"

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"


def load_visit(services: Services, caller: Caller, visit_id: str, with_timeline: bool = False) -> VisitBundle:
    """The caller's agency's visit; another agency's visit is NotFound, never Forbidden (R25)."""
    return services.visits.bundle(caller.agency_id, visit_id, with_timeline)


def require_assigned(caller: Caller, bundle: VisitBundle, error: type[DomainError] = NotAssigned) -> None:
    """R05: only the employee assigned to the visit acts on it."""
    if bundle.visit.employee_id != caller.employee_id:
        raise error()


def load_visible_visit(services: Services, caller: Caller, visit_id: str, with_timeline: bool = False) -> VisitBundle:
    """A visit to read: coordinators see the agency's; a caregiver only their own (minimum necessary: notes, the
    client's name and the timeline are health data)."""
    bundle = load_visit(services, caller, visit_id, with_timeline)
    if not caller.is_coordinator:
        require_assigned(caller, bundle, NotAssignedToView)
    return bundle


def require_coordinator(caller: Caller) -> None:
    if not caller.is_coordinator:
        raise Forbidden()
