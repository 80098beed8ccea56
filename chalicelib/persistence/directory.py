"""Agencies and their people and service codes: the tenant's reference data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pynamodb.exceptions import PutError, UpdateError

from chalicelib.errors import Conflict, NotFound
from chalicelib.persistence import keys
from chalicelib.persistence.binding import bound
from chalicelib.persistence.models import Agency, Client, Employee, Item, ServiceCode


def get_agency(agency_id: str) -> Agency:
    bound()
    try:
        return Agency.get(keys.agency_pk(agency_id), "AGENCY")
    except Agency.DoesNotExist:
        raise NotFound() from None


def get_client(agency_id: str, client_id: str) -> Client:
    bound()
    try:
        return Client.get(keys.agency_pk(agency_id), f"CLIENT#{client_id}")
    except Client.DoesNotExist:
        raise NotFound() from None


def get_employee(agency_id: str, employee_id: str) -> Employee:
    bound()
    try:
        return Employee.get(keys.agency_pk(agency_id), f"EMPLOYEE#{employee_id}")
    except Employee.DoesNotExist:
        raise NotFound() from None


def get_service_code(agency_id: str, code: str) -> ServiceCode | None:
    bound()
    try:
        return ServiceCode.get(keys.agency_pk(agency_id), f"SERVICE#{code}")
    except ServiceCode.DoesNotExist:
        return None


@dataclass
class Records:
    """Some of one agency's reference items, read together; None where there is no such item."""

    agency: Agency | None = None
    client: Client | None = None
    employee: Employee | None = None
    service: ServiceCode | None = None


def lookup(agency_id: str, *, agency: bool = False, client_id: str | None = None, employee_id: str | None = None,
           service_code: str | None = None) -> Records:
    """The agency, a client, an employee and a service code, as asked for, in one BatchGetItem."""
    bound()
    wanted: dict[str, tuple[str, type[Item]]] = {}
    if agency:
        wanted["AGENCY"] = ("agency", Agency)
    if client_id is not None:
        wanted[f"CLIENT#{client_id}"] = ("client", Client)
    if employee_id is not None:
        wanted[f"EMPLOYEE#{employee_id}"] = ("employee", Employee)
    if service_code is not None:
        wanted[f"SERVICE#{service_code}"] = ("service", ServiceCode)
    found = Records()
    pk = keys.agency_pk(agency_id)
    for item in Item.batch_get([(pk, sk) for sk in wanted]) if wanted else []:
        field, model = wanted.get(item.sk, ("", Item))
        if field and isinstance(item, model):
            setattr(found, field, item)
    return found


def get_clients(agency_id: str, client_ids: Iterable[str]) -> dict[str, Client]:
    """Several clients of one agency in one BatchGetItem (one alone in a GetItem, the lighter call)."""
    bound()
    wanted = [(keys.agency_pk(agency_id), f"CLIENT#{cid}") for cid in sorted(set(client_ids))]
    if len(wanted) == 1:
        try:
            client = Client.get(*wanted[0])
        except Client.DoesNotExist:
            return {}
        return {client.client_id: client}
    return {c.client_id: c for c in Client.batch_get(wanted)} if wanted else {}


def _list(agency_id: str, prefix: str) -> list[Item]:
    bound()
    return list(Item.query(keys.agency_pk(agency_id), Item.sk.startswith(prefix)))


def list_employees(agency_id: str) -> list[Employee]:
    return [e for e in _list(agency_id, "EMPLOYEE#") if isinstance(e, Employee)]


def list_clients(agency_id: str) -> list[Client]:
    return [c for c in _list(agency_id, "CLIENT#") if isinstance(c, Client)]


def list_service_codes(agency_id: str) -> list[ServiceCode]:
    return [s for s in _list(agency_id, "SERVICE#") if isinstance(s, ServiceCode)]


def _create(item: Item) -> None:
    bound()
    try:
        item.save(condition=Item.pk.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict("That already exists.") from None
        raise


def put_agency(agency_id: str, name: str, time_zone: str, sender_email: str) -> Agency:
    agency = Agency(
        keys.agency_pk(agency_id), "AGENCY",
        agency_id=agency_id, name=name, time_zone=time_zone, sender_email=sender_email,
    )
    _create(agency)
    return agency


def put_client(agency_id: str, client_id: str, name: str, email: str | None, language: str) -> Client:
    client = Client(
        keys.agency_pk(agency_id), f"CLIENT#{client_id}",
        client_id=client_id, name=name, email=email, preferred_language=language,
    )
    _create(client)
    return client


def put_employee(agency_id: str, employee_id: str, name: str, email: str, role: str) -> Employee:
    employee = Employee(
        keys.agency_pk(agency_id), f"EMPLOYEE#{employee_id}",
        employee_id=employee_id, name=name, email=email, role=role,
    )
    _create(employee)
    return employee


def put_service_code(agency_id: str, code: str, name: str, allows_virtual: bool) -> ServiceCode:
    service = ServiceCode(
        keys.agency_pk(agency_id), f"SERVICE#{code}",
        code=code, name=name, allows_virtual_visits=allows_virtual,
    )
    _create(service)
    return service


def mark_email_failing(agency_id: str, client_id: str, status: str) -> bool:
    """Mark the client's address as bounced or complained; False if there is no such client."""
    bound()
    client = Client(keys.agency_pk(agency_id), f"CLIENT#{client_id}")
    try:
        client.update(actions=[Client.email_status.set(status)], condition=Client.pk.exists())
    except UpdateError:
        return False
    return True


def update_client(agency_id: str, client_id: str, changes: dict[str, str | None]) -> Client:
    """Change a client's name, email or language; a new email clears its bounce mark."""
    client = get_client(agency_id, client_id)
    actions = []
    for field, value in changes.items():
        attr = getattr(Client, field)
        actions.append(attr.remove() if value is None else attr.set(value))
    if "email" in changes:
        actions.append(Client.email_status.remove())
    if actions:
        client.update(actions=actions, condition=Client.pk.exists())
    return client
