"""Demo data: two agencies (the second shows isolation), people, service codes and visits around now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.records import Agency, Client, Employee, ServiceCode, SmsConsent, Visit
from chalicelib.services import Services


@dataclass(frozen=True)
class DemoClient:
    client_id: str
    name: str
    email: str | None
    mobile_phone: str | None = None  # 555-01xx numbers are reserved for fiction
    language: str = "en"


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
         # Only a mobile phone, Spanish, agreed to texts (R28, R30)
         DemoClient("sunrise-lucia", "Lucía Fernández", None, "+15550100123", "es"),
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


def seed(services: Services, now: datetime) -> list[str]:
    """Create the demo agencies through the app's own stores; return their ids."""
    base = now.replace(second=0, microsecond=0)
    directory, visits = services.directory, services.visits
    for agency in AGENCIES:
        a = agency.agency_id
        directory.add_agency(Agency(a, agency.name, agency.time_zone, f"visits@{agency.domain}"))
        coord_id, coord_name = agency.coordinator
        directory.add_employee(a, Employee(coord_id, coord_name, f"{coord_id}@{agency.domain}", "coordinator"))
        for emp_id, emp_name in agency.caregivers:
            directory.add_employee(a, Employee(emp_id, emp_name, f"{emp_id}@{agency.domain}", "employee"))
        for client in agency.clients:
            consent = SmsConsent(now, coord_id) if client.mobile_phone else None
            directory.add_client(a, Client(client.client_id, client.name, client.email, client.language,
                                           mobile_phone=client.mobile_phone, sms_consent=consent))
        directory.add_service_code(a, ServiceCode("TELE", "Telehealth check-in", True))
        directory.add_service_code(a, ServiceCode("PC", "Personal care", False))
        first, second = agency.caregivers[0][0], agency.caregivers[1][0]
        with_email, without_email, last = agency.clients[0], agency.clients[1], agency.clients[-1]
        for suffix, client_id, employee, service, start, minutes, virtual in (
            ("now", with_email.client_id, first, "TELE", base - timedelta(minutes=5), 60, True),
            ("noemail", without_email.client_id, first, "TELE", base + timedelta(hours=2), 45, True),
            ("inperson", last.client_id, first, "PC", base + timedelta(hours=4), 60, False),
            ("yesterday", with_email.client_id, first, "TELE", base - timedelta(days=1), 60, True),
            ("second", last.client_id, second, "TELE", base + timedelta(minutes=30), 60, True),
            *(("text", c.client_id, first, "TELE", base + timedelta(minutes=20), 45, True)
              for c in agency.clients if c.mobile_phone),
        ):
            visits.add(Visit(a, f"{a}-v-{suffix}", client_id, employee, service, start,
                             start + timedelta(minutes=minutes), virtual))
    return [a.agency_id for a in AGENCIES]
