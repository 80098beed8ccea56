"""Agencies and their people and service codes in DynamoDB: the tenant's reference data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from chalicelib.errors import NotFound
from chalicelib.persistence import keys
from chalicelib.persistence.binding import bound
from chalicelib.persistence.convert import agency_of, client_of, employee_of, service_of
from chalicelib.persistence.models import AgencyItem, ClientItem, EmployeeItem, Item, ServiceCodeItem
from chalicelib.persistence.transactions import conditional_update, create, translated
from chalicelib.records import Agency, Client, Employee, Records, ServiceCode, SmsStatus

# Which record a sort key prefix holds, and where `lookup` puts it.
_KINDS: dict[str, tuple[str, type[Item], Any]] = {
    keys.AGENCY_SK: ("agency", AgencyItem, agency_of),
    keys.CLIENT_PREFIX: ("client", ClientItem, client_of),
    keys.EMPLOYEE_PREFIX: ("employee", EmployeeItem, employee_of),
    keys.SERVICE_PREFIX: ("service", ServiceCodeItem, service_of),
}


def _get(agency_id: str, sk: str) -> Any:
    """The record under the agency's `sk`, or NotFound."""
    bound()
    prefix = sk if sk == keys.AGENCY_SK else sk[:sk.index("#") + 1]
    _, model, convert = _KINDS[prefix]
    try:
        return convert(model.get(keys.agency_pk(agency_id), sk))
    except model.DoesNotExist:
        raise NotFound() from None


def get_agency(agency_id: str) -> Agency:
    """The agency, or NotFound (also for operators: infra/staff_admin.py)."""
    result: Agency = _get(agency_id, keys.AGENCY_SK)
    return result


def get_employee(agency_id: str, employee_id: str) -> Employee:
    result: Employee = _get(agency_id, keys.EMPLOYEE_PREFIX + employee_id)
    return result


def put_agency(agency_id: str, name: str, time_zone: str, sender_email: str) -> Agency:
    """Create the agency (also for operators: infra/staff_admin.py)."""
    return DynamoDirectory().add_agency(Agency(agency_id, name, time_zone, sender_email))


def put_employee(agency_id: str, employee_id: str, name: str, email: str, role: str) -> Employee:
    return DynamoDirectory().add_employee(agency_id, Employee(employee_id, name, email, role))


def _created(item: Item) -> None:
    bound()
    create(item)


@translated
class DynamoDirectory:
    """The `stores.Directory` on the table: every item of an agency under `AGENCY#<id>`."""

    def add_agency(self, agency: Agency) -> Agency:
        _created(AgencyItem(keys.agency_pk(agency.agency_id), keys.AGENCY_SK, agency_id=agency.agency_id,
                            name=agency.name, time_zone=agency.time_zone, sender_email=agency.sender_email,
                            locale=agency.locale, reminder_minutes=agency.reminder_minutes))
        return agency

    def add_client(self, agency_id: str, client: Client) -> Client:
        consent = client.sms_consent
        _created(ClientItem(keys.agency_pk(agency_id), keys.CLIENT_PREFIX + client.client_id,
                            client_id=client.client_id, name=client.name, email=client.email,
                            preferred_language=client.preferred_language, email_status=client.email_status,
                            mobile_phone=client.mobile_phone, sms_consent_at=consent.at if consent else None,
                            sms_consent_by=consent.by if consent else None, sms_status=client.sms_status))
        return client

    def add_employee(self, agency_id: str, employee: Employee) -> Employee:
        _created(EmployeeItem(keys.agency_pk(agency_id), keys.EMPLOYEE_PREFIX + employee.employee_id,
                              employee_id=employee.employee_id, name=employee.name, email=employee.email,
                              role=employee.role, active=employee.active, deactivated_at=employee.deactivated_at,
                              to_reassign=employee.to_reassign or None))
        return employee

    def add_service_code(self, agency_id: str, service: ServiceCode) -> ServiceCode:
        _created(ServiceCodeItem(keys.agency_pk(agency_id), keys.SERVICE_PREFIX + service.code, code=service.code,
                                 name=service.name, allows_virtual_visits=service.allows_virtual_visits))
        return service

    def lookup(self, agency_id: str, *, agency: bool = False, client_id: str | None = None,
               employee_id: str | None = None, service_code: str | None = None) -> Records:
        """The agency, a client, an employee and a service code, as asked for, in one BatchGetItem."""
        bound()
        wanted = [sk for sk, asked in ((keys.AGENCY_SK, agency), (keys.CLIENT_PREFIX + str(client_id), client_id),
                                       (keys.EMPLOYEE_PREFIX + str(employee_id), employee_id),
                                       (keys.SERVICE_PREFIX + str(service_code), service_code))
                  if asked is not None and asked is not False]
        found = Records()
        pk = keys.agency_pk(agency_id)
        for item in Item.batch_get([(pk, sk) for sk in wanted]) if wanted else []:
            prefix = item.sk if item.sk == keys.AGENCY_SK else item.sk[:item.sk.find("#") + 1]
            field, model, convert = _KINDS.get(prefix, ("", Item, None))
            if field and isinstance(item, model) and item.sk in wanted:
                setattr(found, field, convert(item))
        return found

    def client(self, agency_id: str, client_id: str) -> Client:
        result: Client = _get(agency_id, keys.CLIENT_PREFIX + client_id)
        return result

    def employee(self, agency_id: str, employee_id: str) -> Employee:
        return get_employee(agency_id, employee_id)

    def clients(self, agency_id: str, client_ids: Iterable[str]) -> dict[str, Client]:
        """Several clients of one agency in one BatchGetItem (one alone in a GetItem, the lighter call)."""
        wanted = sorted(set(client_ids))
        if len(wanted) == 1:
            try:
                return {wanted[0]: self.client(agency_id, wanted[0])}
            except NotFound:
                return {}
        bound()
        pk = keys.agency_pk(agency_id)
        items = ClientItem.batch_get([(pk, keys.CLIENT_PREFIX + cid) for cid in wanted]) if wanted else []
        return {c.client_id: client_of(c) for c in items}

    def list_clients(self, agency_id: str) -> list[Client]:
        return [client_of(i) for i in _listed(agency_id, keys.CLIENT_PREFIX) if isinstance(i, ClientItem)]

    def list_employees(self, agency_id: str) -> list[Employee]:
        return [employee_of(i) for i in _listed(agency_id, keys.EMPLOYEE_PREFIX) if isinstance(i, EmployeeItem)]

    def list_service_codes(self, agency_id: str) -> list[ServiceCode]:
        return [service_of(i) for i in _listed(agency_id, keys.SERVICE_PREFIX) if isinstance(i, ServiceCodeItem)]

    def update_client(self, agency_id: str, client_id: str, changes: dict[str, Any]) -> Client:
        """Change a client's fields (None removes); a new email clears its bounce mark."""
        bound()
        item = ClientItem(keys.agency_pk(agency_id), keys.CLIENT_PREFIX + client_id)
        fields = dict(changes)
        if "sms_consent" in fields:
            consent = fields.pop("sms_consent")
            fields["sms_consent_at"] = consent.at if consent else None
            fields["sms_consent_by"] = consent.by if consent else None
        actions = [getattr(ClientItem, name).remove() if value is None else getattr(ClientItem, name).set(value)
                   for name, value in fields.items()]
        if "email" in changes:
            actions.append(ClientItem.email_status.remove())
        if not actions:
            return self.client(agency_id, client_id)
        if not conditional_update(item, actions, ClientItem.pk.exists()):
            raise NotFound()
        return client_of(item)  # the update read back every attribute

    def mark_email_failing(self, agency_id: str, client_id: str, status: str) -> bool:
        bound()
        item = ClientItem(keys.agency_pk(agency_id), keys.CLIENT_PREFIX + client_id)
        return conditional_update(item, [ClientItem.email_status.set(status)], ClientItem.pk.exists())

    def set_sms_status(self, agency_id: str, client_id: str, status: str | None, phone: str | None = None) -> bool:
        """What the text service reported of the client's number; the conditions are `stores.Directory`'s."""
        bound()
        item = ClientItem(keys.agency_pk(agency_id), keys.CLIENT_PREFIX + client_id)
        condition: Any = ClientItem.pk.exists()
        if phone is not None:
            condition &= ClientItem.mobile_phone == phone
        if status == SmsStatus.FAILING:
            condition &= ClientItem.sms_status.does_not_exist() | (ClientItem.sms_status != str(SmsStatus.OPTED_OUT))
        elif status is None:
            condition &= ClientItem.sms_status == str(SmsStatus.FAILING)
        action = ClientItem.sms_status.remove() if status is None else ClientItem.sms_status.set(str(status))
        return conditional_update(item, [action], condition)

    def update_agency(self, agency_id: str, changes: dict[str, Any]) -> Agency:
        result: Agency = _changed(agency_id, keys.AGENCY_SK, changes)
        return result

    def update_employee(self, agency_id: str, employee_id: str, changes: dict[str, Any]) -> Employee:
        result: Employee = _changed(agency_id, keys.EMPLOYEE_PREFIX + employee_id, changes)
        return result

    def update_service_code(self, agency_id: str, code: str, changes: dict[str, Any]) -> ServiceCode:
        result: ServiceCode = _changed(agency_id, keys.SERVICE_PREFIX + code, changes)
        return result


def _changed(agency_id: str, sk: str, changes: dict[str, Any]) -> Any:
    """One conditional UpdateItem of an existing record (None removes an attribute): the record as it is now, or
    NotFound."""
    if not changes:
        return _get(agency_id, sk)
    bound()
    _, model, convert = _KINDS[sk if sk == keys.AGENCY_SK else sk[:sk.index("#") + 1]]
    item = model(keys.agency_pk(agency_id), sk)
    actions = [getattr(model, name).remove() if value is None else getattr(model, name).set(value)
               for name, value in changes.items()]
    if not conditional_update(item, actions, model.pk.exists()):
        raise NotFound()
    return convert(item)  # the update read back every attribute


def _listed(agency_id: str, prefix: str) -> list[Item]:
    bound()
    return list(Item.query(keys.agency_pk(agency_id), Item.sk.startswith(prefix)))
