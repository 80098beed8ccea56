"""Demo data: two agencies (the second shows isolation), people, service codes and visits around now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.persistence import directory, keys
from chalicelib.persistence import visits as visit_store
from chalicelib.persistence.models import Visit


@dataclass(frozen=True)
class DemoClient:
    client_id: str
    name: str
    email: str | None


@dataclass(frozen=True)
class DemoAgency:
    agency_id: str
    name: str
    time_zone: str
    domain: str
    coordinator: tuple[str, str]
    caregivers: tuple[tuple[str, str], tuple[str, str]]
    clients: tuple[DemoClient, ...]


AGENCIES = (
    DemoAgency(
        "sunrise", "Sunrise Home Care", "America/New_York", "sunrise.example.test",
        ("sunrise-coord", "Dana Whitfield"),
        (("sunrise-maria", "Maria Lopez"), ("sunrise-james", "James Okafor")),
        (DemoClient("sunrise-eleanor", "Eleanor Rigby", "eleanor@client.example.test"),
         DemoClient("sunrise-walter", "Walter Brennan", None),
         DemoClient("sunrise-rosa", "Rosa Parkes", "rosa@client.example.test")),
    ),
    DemoAgency(
        "harbor", "Harbor Care Partners", "Europe/London", "harbor.example.test",
        ("harbor-coord", "Priya Shah"),
        (("harbor-tom", "Tom Hughes"), ("harbor-ana", "Ana Costa")),
        (DemoClient("harbor-agnes", "Agnes Moore", "agnes@client.example.test"),
         DemoClient("harbor-henry", "Henry Fielding", None)),
    ),
)


def _visit(agency: str, visit_id: str, client: str, employee: str, service: str, start: datetime,
           minutes: int, virtual: bool) -> None:
    visit_store.create_visit(Visit(
        keys.visit_pk(agency, visit_id), keys.VISIT_SK, agency_id=agency, visit_id=visit_id,
        client_id=client, employee_id=employee, service_code=service, start=start,
        end=start + timedelta(minutes=minutes), virtual=virtual,
        employee_key=keys.employee_key(agency, employee), client_key=keys.client_key(agency, client),
        agency_key=keys.agency_pk(agency),
    ))


def seed(now: datetime) -> list[str]:
    """Create the demo agencies; return their ids."""
    base = now.replace(second=0, microsecond=0)
    for agency in AGENCIES:
        a = agency.agency_id
        directory.put_agency(a, agency.name, agency.time_zone, f"visits@{agency.domain}")
        coord_id, coord_name = agency.coordinator
        directory.put_employee(a, coord_id, coord_name, f"{coord_id}@{agency.domain}", "coordinator")
        for emp_id, emp_name in agency.caregivers:
            directory.put_employee(a, emp_id, emp_name, f"{emp_id}@{agency.domain}", "employee")
        for client in agency.clients:
            directory.put_client(a, client.client_id, client.name, client.email, "en")
        directory.put_service_code(a, "TELE", "Telehealth check-in", True)
        directory.put_service_code(a, "PC", "Personal care", False)
        first, second = agency.caregivers[0][0], agency.caregivers[1][0]
        with_email, without_email, last = agency.clients[0], agency.clients[1], agency.clients[-1]
        _visit(a, f"{a}-v-now", with_email.client_id, first, "TELE", base - timedelta(minutes=5), 60, True)
        _visit(a, f"{a}-v-noemail", without_email.client_id, first, "TELE", base + timedelta(hours=2), 45, True)
        _visit(a, f"{a}-v-inperson", last.client_id, first, "PC", base + timedelta(hours=4), 60, False)
        _visit(a, f"{a}-v-yesterday", with_email.client_id, first, "TELE", base - timedelta(days=1), 60, True)
        _visit(a, f"{a}-v-second", last.client_id, second, "TELE", base + timedelta(minutes=30), 60, True)
    return [a.agency_id for a in AGENCIES]
