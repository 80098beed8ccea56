"""The single DynamoDB table as PynamoDB models. Only the persistence layer imports this module."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    JSONAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection
from pynamodb.models import Model

TABLE_PLACEHOLDER = "virtual-visits"
# What the sweep needs from the index, so it reads each due session once.
SWEEP_FIELDS = ["kind", "agency_id", "visit_id", "state", "meeting_id", "meeting_to_delete", "expires_at",
                "employee_present", "client_present"]


def _by_start(index_name: str, key: str, doc: str) -> Any:
    """A schedule index: visits under one key (`AGENCY#a#EMPLOYEE#e`, ...), ordered by start."""
    meta = type("Meta", (), {"index_name": index_name, "projection": AllProjection()})
    attributes = {key: UnicodeAttribute(hash_key=True), "start": UTCDateTimeAttribute(range_key=True)}
    return type(index_name, (GlobalSecondaryIndex,), {"__doc__": doc, "Meta": meta, **attributes})


ByEmployee = _by_start("by_employee", "employee_key", "Visits of one employee, ordered by start (their schedule).")
ByClient = _by_start("by_client", "client_key", "Visits of one client, ordered by start (the client's schedule).")
ByAgency = _by_start("by_agency", "agency_key", "All visits of one agency, ordered by start (the attendance report).")


class OpenSessions(GlobalSecondaryIndex["Item"]):
    """Sparse, sharded index of sessions that still need the sweep, ordered by when they do."""

    class Meta:
        index_name = "open_sessions"
        projection = IncludeProjection(SWEEP_FIELDS)

    sweep_shard = UnicodeAttribute(hash_key=True)
    sweep_at = UTCDateTimeAttribute(range_key=True)


class OfVisit:
    """The ids of the visit an item belongs to, beside its key (a meeting's or a link's events find it by them)."""

    agency_id = UnicodeAttribute()
    visit_id = UnicodeAttribute()


class Item(Model):
    """One item of the table; `kind` says which model it is."""

    class Meta:
        table_name = TABLE_PLACEHOLDER
        billing_mode = "PAY_PER_REQUEST"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()

    by_employee = ByEmployee()
    by_client = ByClient()
    by_agency = ByAgency()
    open_sessions = OpenSessions()


class AgencyItem(Item, discriminator="agency"):
    """A tenant: name, time zone and the address invites come from."""

    agency_id = UnicodeAttribute()
    name = UnicodeAttribute()
    time_zone = UnicodeAttribute()
    sender_email = UnicodeAttribute()
    locale = UnicodeAttribute(null=True)  # absent: records.DEFAULT_LOCALE
    reminder_minutes = NumberAttribute(null=True)  # absent: records.DEFAULT_REMINDER_MINUTES


class ServiceCodeItem(Item, discriminator="service_code"):
    """A billable service; only some allow virtual visits (R01)."""

    code = UnicodeAttribute()
    name = UnicodeAttribute()
    allows_virtual_visits = BooleanAttribute(default=False)


class ClientItem(Item, discriminator="client"):
    """A person cared for. Email is optional (R06)."""

    client_id = UnicodeAttribute()
    name = UnicodeAttribute()
    email = UnicodeAttribute(null=True)
    preferred_language = UnicodeAttribute(default="en")
    email_status = UnicodeAttribute(null=True)  # None, "bounced" or "complained"
    mobile_phone = UnicodeAttribute(null=True)  # E.164 (R28)
    sms_consent_at = UTCDateTimeAttribute(null=True)  # when a coordinator recorded the consent to texts
    sms_consent_by = UnicodeAttribute(null=True)  # which coordinator
    sms_status = UnicodeAttribute(null=True)  # None, "opted_out" or "failing" (R29)


class EmployeeItem(Item, discriminator="employee"):
    """A caregiver or coordinator."""

    employee_id = UnicodeAttribute()
    name = UnicodeAttribute()
    email = UnicodeAttribute()
    role = UnicodeAttribute()  # "employee" or "coordinator"
    active = BooleanAttribute(null=True)  # absent: active
    deactivated_at = UTCDateTimeAttribute(null=True)
    to_reassign = BooleanAttribute(null=True)  # deactivated with upcoming visits the board lists (R36)


class VisitItem(Item, OfVisit, discriminator="visit"):
    """A scheduled visit. `schedule_version` moves on every time change (R10)."""

    client_id = UnicodeAttribute()
    employee_id = UnicodeAttribute()
    service_code = UnicodeAttribute()
    start = UTCDateTimeAttribute()
    end = UTCDateTimeAttribute()
    virtual = BooleanAttribute(default=False)
    employee_key = UnicodeAttribute()
    client_key = UnicodeAttribute()
    agency_key = UnicodeAttribute()
    schedule_version = NumberAttribute(default=1)
    clock_in_at = UTCDateTimeAttribute(null=True)
    clock_out_at = UTCDateTimeAttribute(null=True)
    notes = UnicodeAttribute(null=True)
    cancelled_at = UTCDateTimeAttribute(null=True)  # R34


class SessionItem(Item, OfVisit, discriminator="session"):
    """The virtual session of one visit: state, link generation, meeting and presence."""

    state = UnicodeAttribute()  # invited, active, over, expired
    link_generation = NumberAttribute()
    link_nonce = UnicodeAttribute()
    sent_generation = NumberAttribute(null=True)  # the link generation the client last received (R10)
    expires_at = UTCDateTimeAttribute()
    invite_count = NumberAttribute(default=0)
    last_invite_sent_at = UTCDateTimeAttribute(null=True)
    meeting_id = UnicodeAttribute(null=True)
    meeting = JSONAttribute(null=True)
    meeting_seq = NumberAttribute(default=0)
    meeting_to_delete = UnicodeAttribute(null=True)
    employee_present = BooleanAttribute(default=False)
    client_present = BooleanAttribute(default=False)
    employee_seen_at = UTCDateTimeAttribute(null=True)  # time of the latest presence change applied
    client_seen_at = UTCDateTimeAttribute(null=True)
    # Stored under its first name, from when only an email could bounce.
    invite_undeliverable = BooleanAttribute(default=False, attr_name="invite_bounced")
    last_invite_channel = UnicodeAttribute(null=True)  # email, sms or link
    last_sent_channel = UnicodeAttribute(null=True)  # email or sms
    reminded_generation = NumberAttribute(null=True)  # R32: the link generation a reminder went out for
    ended_reason = UnicodeAttribute(null=True)
    ended_at = UTCDateTimeAttribute(null=True)
    sweep_shard = UnicodeAttribute(null=True)
    sweep_at = UTCDateTimeAttribute(null=True)
    client_left_at = UTCDateTimeAttribute(null=True)  # R35's "client left"
    client_page_until = UTCDateTimeAttribute(null=True)  # the client's join page is open, waiting (R35)
    opened_generation = NumberAttribute(null=True)  # the latest link generation the client opened (R35)


class LinkItem(Item, OfVisit, discriminator="link"):
    """A client link, keyed by the SHA-256 of its token; DynamoDB's TTL removes it after expiry."""

    generation = NumberAttribute()
    expires_at = UTCDateTimeAttribute()
    expires_ttl = TTLAttribute()


class ReminderItem(Item, OfVisit, discriminator="reminder"):
    """A reminder due at `sweep_at` (R32), in the sweep's sparse index beside the sessions, until it is sent or
    dropped. One per visit: a later invite's reminder replaces it."""

    sweep_shard = UnicodeAttribute()
    sweep_at = UTCDateTimeAttribute()


class TextItem(Item, OfVisit, discriminator="text"):
    """A sent text message by the service's message id, for its delivery events (R29); DynamoDB's TTL removes it
    once carriers are done reporting (72 hours)."""

    client_id = UnicodeAttribute()
    sends = NumberAttribute()
    text_kind = UnicodeAttribute()  # invite or reminder
    expires_ttl = TTLAttribute()


class MeetingPointer(Item, OfVisit, discriminator="meeting"):
    """Maps a provider's meeting id to its session (`OfVisit`), so meeting events find it without a Scan."""


class EventItem(Item, discriminator="event"):
    """One append-only line of the visit's evidence (R26)."""

    at = UTCDateTimeAttribute()
    type = UnicodeAttribute()
    actor = UnicodeAttribute()
    detail = UnicodeAttribute(null=True)


def describe_table() -> dict[str, Any]:
    """The table's key schema and indexes as the models declare them (infra derives the table from this)."""
    schema = Item._get_schema()
    return {
        "key_schema": schema["key_schema"],
        "attribute_definitions": schema["attribute_definitions"],
        "global_secondary_indexes": schema.get("global_secondary_indexes", []),
        "ttl_attribute": "expires_ttl",
    }
