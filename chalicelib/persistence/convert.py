"""Items to records and back: the rules never see a storage item or key.

An attribute missing from an item (one the sweep index does not project, or one added after the item was written)
reads as the record's default.
"""

from __future__ import annotations

import time
import uuid

from chalicelib.persistence import keys
from chalicelib.persistence.models import (
    AgencyItem,
    ClientItem,
    EmployeeItem,
    EventItem,
    LinkItem,
    ReminderItem,
    ServiceCodeItem,
    SessionItem,
    VisitItem,
)
from chalicelib.records import (
    DEFAULT_LOCALE,
    DEFAULT_REMINDER_MINUTES,
    Agency,
    Client,
    Employee,
    JoinLink,
    Reminder,
    ServiceCode,
    Session,
    SessionState,
    SmsConsent,
    TimelineEntry,
    Visit,
)


def agency_of(item: AgencyItem) -> Agency:
    return Agency(item.agency_id, item.name, item.time_zone, item.sender_email, item.locale or DEFAULT_LOCALE,
                  DEFAULT_REMINDER_MINUTES if item.reminder_minutes is None else int(item.reminder_minutes))


def service_of(item: ServiceCodeItem) -> ServiceCode:
    return ServiceCode(item.code, item.name, bool(item.allows_virtual_visits))


def client_of(item: ClientItem) -> Client:
    consent = None
    if item.sms_consent_at is not None:
        consent = SmsConsent(item.sms_consent_at, item.sms_consent_by or "")
    return Client(item.client_id, item.name, item.email, item.preferred_language or "en", item.email_status,
                  item.mobile_phone, consent, item.sms_status)


def employee_of(item: EmployeeItem) -> Employee:
    return Employee(item.employee_id, item.name, item.email, item.role, item.active is not False,
                    item.deactivated_at, bool(item.to_reassign))


def visit_of(item: VisitItem) -> Visit:
    return Visit(
        agency_id=item.agency_id, visit_id=item.visit_id, client_id=item.client_id, employee_id=item.employee_id,
        service_code=item.service_code, start=item.start, end=item.end, virtual=bool(item.virtual),
        schedule_version=int(item.schedule_version or 1), clock_in_at=item.clock_in_at,
        clock_out_at=item.clock_out_at, notes=item.notes, cancelled_at=item.cancelled_at,
    )


def session_of(item: SessionItem) -> Session:
    return Session(
        agency_id=item.agency_id, visit_id=item.visit_id, state=SessionState(item.state),
        expires_at=item.expires_at, link_generation=int(item.link_generation or 1), link_nonce=item.link_nonce or "",
        sent_generation=None if item.sent_generation is None else int(item.sent_generation),
        invite_count=int(item.invite_count or 0), last_invite_sent_at=item.last_invite_sent_at,
        meeting_id=item.meeting_id, meeting=item.meeting, meeting_seq=int(item.meeting_seq or 0),
        meeting_to_delete=item.meeting_to_delete, employee_present=bool(item.employee_present),
        client_present=bool(item.client_present), employee_seen_at=item.employee_seen_at,
        client_seen_at=item.client_seen_at, invite_undeliverable=bool(item.invite_undeliverable),
        last_invite_channel=item.last_invite_channel, last_sent_channel=item.last_sent_channel,
        reminded_generation=None if item.reminded_generation is None else int(item.reminded_generation),
        ended_reason=item.ended_reason, ended_at=item.ended_at, sweep_at=item.sweep_at,
        client_left_at=item.client_left_at, client_page_until=item.client_page_until,
        opened_generation=None if item.opened_generation is None else int(item.opened_generation),
    )


def link_of(item: LinkItem) -> JoinLink:
    return JoinLink(item.agency_id, item.visit_id, int(item.generation), item.expires_at)


def reminder_of(item: ReminderItem) -> Reminder:
    return Reminder(item.agency_id, item.visit_id, item.sweep_at)


def entry_of(item: EventItem) -> TimelineEntry:
    return TimelineEntry(item.at, item.type, item.actor, item.detail)


def visit_item(visit: Visit) -> VisitItem:
    """A new visit's item, with the keys of the schedule indexes."""
    a = visit.agency_id
    return VisitItem(
        keys.visit_pk(a, visit.visit_id), keys.VISIT_SK, agency_id=a, visit_id=visit.visit_id,
        client_id=visit.client_id, employee_id=visit.employee_id, service_code=visit.service_code,
        start=visit.start, end=visit.end, virtual=visit.virtual, schedule_version=visit.schedule_version,
        employee_key=keys.employee_key(a, visit.employee_id), client_key=keys.client_key(a, visit.client_id),
        agency_key=keys.agency_pk(a), clock_in_at=visit.clock_in_at, clock_out_at=visit.clock_out_at,
        notes=visit.notes, cancelled_at=visit.cancelled_at,
    )


def visit_ref(visit: Visit) -> VisitItem:
    """The visit's item, by key only: what a conditional update needs."""
    return VisitItem(keys.visit_pk(visit.agency_id, visit.visit_id), keys.VISIT_SK)


def session_ref(agency_id: str, visit_id: str) -> SessionItem:
    """The session's item, by key only."""
    return SessionItem(keys.visit_pk(agency_id, visit_id), keys.SESSION_SK)


def event_item(agency_id: str, visit_id: str, entry: TimelineEntry) -> EventItem:
    """A timeline line in the visit's partition, sorted by its time, then by when it was written."""
    stamp = entry.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return EventItem(
        keys.visit_pk(agency_id, visit_id), f"{keys.EVENT_PREFIX}{stamp}#{time.time_ns():020d}{uuid.uuid4().hex[:6]}",
        at=entry.at, type=str(entry.type), actor=entry.actor, detail=entry.detail,
    )
