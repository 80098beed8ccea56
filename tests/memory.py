"""In-memory twins of the app's stores and mailer, for rule tests that need no storage.

Each store keeps the conditions of its DynamoDB twin (chalicelib/persistence): a write whose expected state is gone
raises Conflict and changes nothing, and a state change and its timeline line land together.
tests/api/test_store_contract.py runs the same cases against both, so the twins cannot drift apart.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from chalicelib import records as r
from chalicelib.clock import ShiftedClock
from chalicelib.errors import ClientOptedOut, Conflict, NotFound
from chalicelib.integrations.email import Email
from chalicelib.integrations.local_meetings import LocalMeetings
from chalicelib.integrations.sms import TextMessage
from chalicelib.services import Services

LINK_KEY = b"unit-test-link-key-of-32-bytes!!"


@dataclass
class Tables:
    """What the three stores share, as DynamoDB's one table does."""

    agencies: dict[str, r.Agency] = field(default_factory=dict)
    clients: dict[tuple[str, str], r.Client] = field(default_factory=dict)
    employees: dict[tuple[str, str], r.Employee] = field(default_factory=dict)
    services: dict[tuple[str, str], r.ServiceCode] = field(default_factory=dict)
    visits: dict[tuple[str, str], r.Visit] = field(default_factory=dict)
    sessions: dict[tuple[str, str], r.Session] = field(default_factory=dict)
    timelines: dict[tuple[str, str], list[tuple[datetime, int, r.TimelineEntry]]] = field(default_factory=dict)
    links: dict[str, r.JoinLink] = field(default_factory=dict)
    reminders: dict[tuple[str, str], r.Reminder] = field(default_factory=dict)
    texts: dict[str, r.SentText] = field(default_factory=dict)
    meetings: dict[str, tuple[str, str]] = field(default_factory=dict)
    writes: int = 0
    _order: Iterator[int] = field(default_factory=itertools.count)

    def add_event(self, agency_id: str, visit_id: str, event: r.TimelineEntry) -> None:
        # Sorted by time, then by when it was written, as the table's sort key does.
        self.timelines.setdefault((agency_id, visit_id), []).append((event.at, next(self._order), event))
        self.writes += 1


def _required(condition: bool) -> None:
    if not condition:
        raise Conflict()


class MemoryDirectory:
    """`stores.Directory` in memory."""

    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def _new(self, table: dict[Any, Any], key: Any, record: Any) -> Any:
        if key in table:
            raise Conflict("That already exists.")
        table[key] = record
        self._t.writes += 1
        return record

    def add_agency(self, agency: r.Agency) -> r.Agency:
        result: r.Agency = self._new(self._t.agencies, agency.agency_id, agency)
        return result

    def add_client(self, agency_id: str, client: r.Client) -> r.Client:
        result: r.Client = self._new(self._t.clients, (agency_id, client.client_id), client)
        return result

    def add_employee(self, agency_id: str, employee: r.Employee) -> r.Employee:
        result: r.Employee = self._new(self._t.employees, (agency_id, employee.employee_id), employee)
        return result

    def add_service_code(self, agency_id: str, service: r.ServiceCode) -> r.ServiceCode:
        result: r.ServiceCode = self._new(self._t.services, (agency_id, service.code), service)
        return result

    def lookup(self, agency_id: str, *, agency: bool = False, client_id: str | None = None,
               employee_id: str | None = None, service_code: str | None = None) -> r.Records:
        return r.Records(
            agency=self._t.agencies.get(agency_id) if agency else None,
            client=self._t.clients.get((agency_id, client_id)) if client_id is not None else None,
            employee=self._t.employees.get((agency_id, employee_id)) if employee_id is not None else None,
            service=self._t.services.get((agency_id, service_code)) if service_code is not None else None,
        )

    def client(self, agency_id: str, client_id: str) -> r.Client:
        found = self._t.clients.get((agency_id, client_id))
        if found is None:
            raise NotFound()
        return found

    def employee(self, agency_id: str, employee_id: str) -> r.Employee:
        found = self._t.employees.get((agency_id, employee_id))
        if found is None:
            raise NotFound()
        return found

    def clients(self, agency_id: str, client_ids: Iterable[str]) -> dict[str, r.Client]:
        return {cid: c for cid in set(client_ids) if (c := self._t.clients.get((agency_id, cid))) is not None}

    def list_clients(self, agency_id: str) -> list[r.Client]:
        return [c for (a, _), c in sorted(self._t.clients.items()) if a == agency_id]

    def list_employees(self, agency_id: str) -> list[r.Employee]:
        return [e for (a, _), e in sorted(self._t.employees.items()) if a == agency_id]

    def list_service_codes(self, agency_id: str) -> list[r.ServiceCode]:
        return [s for (a, _), s in sorted(self._t.services.items()) if a == agency_id]

    def update_client(self, agency_id: str, client_id: str, changes: dict[str, Any]) -> r.Client:
        current = self.client(agency_id, client_id)
        if not changes:
            return current
        cleared = {"email_status": None} if "email" in changes else {}
        updated = replace(current, **{**changes, **cleared})
        if updated.preferred_language is None:
            updated = replace(updated, preferred_language="en")
        self._t.clients[(agency_id, client_id)] = updated
        self._t.writes += 1
        return updated

    def set_sms_status(self, agency_id: str, client_id: str, status: str | None, phone: str | None = None) -> bool:
        current = self._t.clients.get((agency_id, client_id))
        if current is None or (phone is not None and current.mobile_phone != phone):
            return False
        if status == r.SmsStatus.FAILING and current.sms_status == r.SmsStatus.OPTED_OUT:
            return False
        if status is None and current.sms_status != r.SmsStatus.FAILING:
            return False
        self._t.clients[(agency_id, client_id)] = replace(current, sms_status=None if status is None else str(status))
        self._t.writes += 1
        return True

    def mark_email_failing(self, agency_id: str, client_id: str, status: str) -> bool:
        current = self._t.clients.get((agency_id, client_id))
        if current is None:
            return False
        self._t.clients[(agency_id, client_id)] = replace(current, email_status=status)
        self._t.writes += 1
        return True

    def _changed(self, table: dict[Any, Any], key: Any, changes: dict[str, Any], defaults: dict[str, Any]) -> Any:
        current = table.get(key)
        if current is None:
            raise NotFound()
        if not changes:
            return current
        # None removes an attribute, which reads back as the record's default.
        updated = replace(current, **{name: defaults.get(name) if value is None else value
                                      for name, value in changes.items()})
        table[key] = updated
        self._t.writes += 1
        return updated

    def update_agency(self, agency_id: str, changes: dict[str, Any]) -> r.Agency:
        defaults = {"locale": r.DEFAULT_LOCALE, "reminder_minutes": r.DEFAULT_REMINDER_MINUTES}
        result: r.Agency = self._changed(self._t.agencies, agency_id, changes, defaults)
        return result

    def update_employee(self, agency_id: str, employee_id: str, changes: dict[str, Any]) -> r.Employee:
        defaults = {"active": True, "to_reassign": False}
        result: r.Employee = self._changed(self._t.employees, (agency_id, employee_id), changes, defaults)
        return result

    def update_service_code(self, agency_id: str, code: str, changes: dict[str, Any]) -> r.ServiceCode:
        result: r.ServiceCode = self._changed(self._t.services, (agency_id, code), changes, {})
        return result


class MemoryVisits:
    """`stores.Visits` in memory."""

    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def add(self, visit: r.Visit) -> r.Visit:
        key = (visit.agency_id, visit.visit_id)
        _required(key not in self._t.visits)
        self._t.visits[key] = visit
        self._t.writes += 1
        return visit

    def bundle(self, agency_id: str, visit_id: str, with_timeline: bool = False) -> r.VisitBundle:
        visit = self._t.visits.get((agency_id, visit_id))
        if visit is None:
            raise NotFound()
        lines = sorted(self._t.timelines.get((agency_id, visit_id), []), key=lambda line: line[:2])
        events = [event for _, _, event in lines] if with_timeline else []
        return r.VisitBundle(visit, self._t.sessions.get((agency_id, visit_id)), events)

    def _starting(self, agency_id: str, start: datetime, end: datetime, keep: Any) -> list[r.Visit]:
        return sorted((v for (a, _), v in self._t.visits.items() if a == agency_id and start <= v.start < end
                       and keep(v)), key=lambda v: (v.start, v.visit_id))

    def of_employee(self, agency_id: str, employee_id: str, start: datetime, end: datetime) -> list[r.Visit]:
        return self._starting(agency_id, start, end, lambda v: v.employee_id == employee_id)

    def of_client(self, agency_id: str, client_id: str, start: datetime, end: datetime) -> list[r.Visit]:
        return self._starting(agency_id, start, end, lambda v: v.client_id == client_id)

    def of_agency(self, agency_id: str, start: datetime, end: datetime) -> list[r.Visit]:
        return self._starting(agency_id, start, end, lambda v: True)

    def _stored(self, visit: r.Visit) -> r.Visit:
        stored = self._t.visits.get((visit.agency_id, visit.visit_id))
        _required(stored is not None)
        assert stored is not None
        return stored

    def clock_in(self, visit: r.Visit, at: datetime, event: r.TimelineEntry) -> r.Visit:
        stored = self._stored(visit)
        _required(stored.clock_in_at is None and stored.clock_out_at is None and stored.cancelled_at is None)
        return self._put(replace(stored, clock_in_at=at), event)

    def clock_out(self, visit: r.Visit, at: datetime, event: r.TimelineEntry,
                  ending: tuple[r.Session, r.Ending, r.TimelineEntry] | None = None,
                  ) -> tuple[r.Visit, r.Session | None]:
        stored = self._stored(visit)
        _required(stored.clock_in_at is not None and stored.clock_out_at is None)
        sessions = MemorySessions(self._t)
        if ending is not None:
            sessions.check_end(ending[0], ending[1], at)  # both or neither, as one transaction
        clocked_out = self._put(replace(stored, clock_out_at=at), event)
        return clocked_out, None if ending is None else sessions.end(*ending[:2], at, ending[2])

    def cancel(self, visit: r.Visit, at: datetime, event: r.TimelineEntry,
               ending: tuple[r.Session, r.Ending, r.TimelineEntry] | None = None,
               ) -> tuple[r.Visit, r.Session | None]:
        stored = self._stored(visit)
        _required(stored.cancelled_at is None and stored.clock_out_at is None)
        sessions = MemorySessions(self._t)
        if ending is not None:
            sessions.check_end(ending[0], ending[1], at)  # both or neither, as one transaction
        cancelled = self._put(replace(stored, cancelled_at=at), event)
        return cancelled, None if ending is None else sessions.end(*ending[:2], at, ending[2])

    def save_notes(self, agency_id: str, visit_id: str, employee_id: str, notes: str) -> bool:
        stored = self._t.visits.get((agency_id, visit_id))
        if stored is None or stored.employee_id != employee_id:
            return False
        self._t.visits[(agency_id, visit_id)] = replace(stored, notes=notes)
        self._t.writes += 1
        return True

    def change(self, visit: r.Visit, session: r.Session | None, change: r.VisitChange,
               event: r.TimelineEntry) -> tuple[r.Visit, r.Session | None]:
        stored = self._stored(visit)
        _required(stored.schedule_version == visit.schedule_version)
        if change.employee_id is not None:
            _required(stored.clock_in_at is None or stored.clock_out_at is not None)
        moved = None
        if session is not None and change.new_expiry is not None:
            current = self._t.sessions.get((session.agency_id, session.visit_id))
            _required(current is not None and current.is_open and current.expires_at > event.at)
            assert current is not None
            moved = replace(current, expires_at=change.new_expiry, sweep_at=change.new_expiry)
            self._t.sessions[(session.agency_id, session.visit_id)] = moved
        changed = replace(stored, start=change.start or stored.start, end=change.end or stored.end,
                          employee_id=change.employee_id or stored.employee_id,
                          schedule_version=stored.schedule_version + (1 if change.moves_time else 0))
        return self._put(changed, event), moved if moved is not None else session

    def _put(self, visit: r.Visit, event: r.TimelineEntry) -> r.Visit:
        self._t.visits[(visit.agency_id, visit.visit_id)] = visit
        self._t.add_event(visit.agency_id, visit.visit_id, event)
        return visit


class MemorySessions:
    """`stores.Sessions` in memory; `sweep_at` stands in for the sweep index (a session with none is not in it)."""

    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def _current(self, session: r.Session) -> r.Session:
        current = self._t.sessions.get((session.agency_id, session.visit_id))
        _required(current is not None)
        assert current is not None
        return current

    def _put(self, session: r.Session, event: r.TimelineEntry | None = None) -> r.Session:
        self._t.sessions[(session.agency_id, session.visit_id)] = session
        self._t.writes += 1
        if event is not None:
            self._t.add_event(session.agency_id, session.visit_id, event)
        return session

    def get(self, agency_id: str, visit_id: str) -> r.Session | None:
        return self._t.sessions.get((agency_id, visit_id))

    def create(self, visit: r.Visit, nonce: str, expires_at: datetime, link_digest: str) -> r.Session:
        _required((visit.agency_id, visit.visit_id) not in self._t.sessions)
        session = r.Session(visit.agency_id, visit.visit_id, r.SessionState.INVITED, expires_at,
                          link_generation=visit.schedule_version, link_nonce=nonce, sweep_at=expires_at)
        self._t.links[link_digest] = r.JoinLink(visit.agency_id, visit.visit_id, visit.schedule_version, expires_at)
        return self._put(session)

    def rotate_link(self, session: r.Session, visit: r.Visit, nonce: str, expires_at: datetime,
                    link_digest: str) -> r.Session:
        current = self._current(session)
        _required(current.link_generation == session.link_generation and current.is_open)
        self._t.links[link_digest] = r.JoinLink(visit.agency_id, visit.visit_id, visit.schedule_version, expires_at)
        return self._put(replace(current, link_generation=visit.schedule_version, link_nonce=nonce,
                                 expires_at=expires_at, sweep_at=expires_at))

    def link(self, link_digest: str) -> r.JoinLink | None:
        return self._t.links.get(link_digest)

    def of_visits(self, agency_id: str, visit_ids: Iterable[str]) -> dict[str, r.Session]:
        return {vid: s for vid in set(visit_ids) if (s := self._t.sessions.get((agency_id, vid))) is not None}

    def client_page(self, session: r.Session, waiting_until: datetime | None,
                    opened: tuple[int, r.TimelineEntry] | None = None) -> r.Session | None:
        current = self.get(session.agency_id, session.visit_id)
        if current is None or not current.is_open:
            return None
        changed = replace(current, client_page_until=waiting_until)
        if opened is None:
            return self._put(changed)
        generation, event = opened
        if current.opened_generation is not None and current.opened_generation >= generation:
            return None
        return self._put(replace(changed, opened_generation=generation), event)

    def issue_link_again(self, session: r.Session, link_digest: str) -> None:
        self._t.links[link_digest] = r.JoinLink(session.agency_id, session.visit_id, session.link_generation,
                                                session.expires_at)

    def record_invite(self, session: r.Session, at: datetime, channel: str, event: r.TimelineEntry,
                      reminder: r.Reminder | None = None) -> r.Session:
        current = self._current(session)
        _required(current.is_open)
        recorded = replace(current, invite_count=current.invite_count + 1, sent_generation=session.link_generation,
                           last_invite_channel=channel)
        if channel in r.SENT_CHANNELS:
            recorded = replace(recorded, last_invite_sent_at=at, invite_undeliverable=False, last_sent_channel=channel)
        if reminder is not None:
            self._t.reminders[(reminder.agency_id, reminder.visit_id)] = reminder
        return self._put(recorded, event)

    def add_event(self, agency_id: str, visit_id: str, event: r.TimelineEntry) -> None:
        self._t.add_event(agency_id, visit_id, event)

    def attach_meeting(self, session: r.Session, meeting: dict[str, Any], previous_meeting_id: str | None) -> r.Session:
        current = self._current(session)
        meeting_id = meeting["MeetingId"]
        _required(current.is_open and current.meeting_id in (previous_meeting_id, meeting_id))
        seq = session.meeting_seq + (0 if meeting_id == session.meeting_id else 1)
        self._t.meetings[meeting_id] = (session.agency_id, session.visit_id)
        return self._put(replace(current, meeting_id=meeting_id, meeting=meeting, meeting_seq=seq,
                                 state=r.SessionState.ACTIVE))

    def of_meeting(self, meeting_id: str) -> r.Session | None:
        where = self._t.meetings.get(meeting_id)
        return None if where is None else self.get(*where)

    def set_presence(self, session: r.Session, who: str, present: bool, at: datetime, event: r.TimelineEntry,
                     next_sweep: datetime | None = None) -> r.Session | None:
        current = self.get(session.agency_id, session.visit_id)
        if current is None or not current.is_open:
            return None
        was, seen = ((current.employee_present, current.employee_seen_at) if who == "employee"
                     else (current.client_present, current.client_seen_at))
        if was == present or (seen is not None and seen > at):
            return None
        if who == "employee":
            changed = replace(current, employee_present=present, employee_seen_at=at)
        else:
            changed = replace(current, client_present=present, client_seen_at=at,
                              client_left_at=None if present else at,
                              client_page_until=current.client_page_until if present else None)
        return self._put(changed if next_sweep is None else replace(changed, sweep_at=next_sweep), event)

    def meeting_gone(self, session: r.Session, meeting_id: str, at: datetime, next_sweep: datetime) -> bool:
        current = self.get(session.agency_id, session.visit_id)
        if current is None or not current.is_open or current.meeting_id != meeting_id:
            return False
        self._put(replace(current, meeting_id=None, meeting=None, employee_present=False, client_present=False,
                          employee_seen_at=at, client_seen_at=at, sweep_at=next_sweep))
        return True

    def mark_invite_undeliverable(self, agency_id: str, visit_id: str, event: r.TimelineEntry,
                                  sends: int | None = None) -> bool:
        current = self.get(agency_id, visit_id)
        if current is None or (sends is not None and current.invite_count != sends):
            return False
        self._put(replace(current, invite_undeliverable=True), event)
        return True

    def remember_text(self, text: r.SentText) -> None:
        self._t.texts[text.message_id] = text
        self._t.writes += 1

    def text(self, message_id: str, now: datetime) -> r.SentText | None:
        found = self._t.texts.get(message_id)
        return found if found is not None and found.until > now else None

    def claim_reminder(self, session: r.Session, generation: int) -> r.Session:
        current = self._current(session)
        _required(current.is_open and current.link_generation == generation and current.sent_generation == generation
                  and current.reminded_generation != generation)
        self._put(replace(current, reminded_generation=generation))
        return replace(session, reminded_generation=generation)

    def release_reminder(self, session: r.Session, generation: int, retry: r.Reminder) -> None:
        current = self.get(session.agency_id, session.visit_id)
        if current is not None and current.reminded_generation == generation:
            self._put(replace(current, reminded_generation=None))
            self._t.reminders[(retry.agency_id, retry.visit_id)] = retry

    def drop_reminder(self, reminder: r.Reminder) -> None:
        key = (reminder.agency_id, reminder.visit_id)
        if key in self._t.reminders and self._t.reminders[key].at == reminder.at:
            del self._t.reminders[key]
            self._t.writes += 1

    def schedule_sweep(self, session: r.Session, at: datetime) -> None:
        current = self.get(session.agency_id, session.visit_id)
        if current is not None and current.is_open:
            self._put(replace(current, sweep_at=at))

    def check_end(self, session: r.Session, ending: r.Ending, at: datetime) -> r.Session:
        """The end's condition: still open, the same meeting, and `at` on the side of the expiry it was decided on."""
        current = self._current(session)
        expired = ending.state == r.SessionState.EXPIRED
        _required(current.is_open and current.meeting_id == session.meeting_id
                  and (current.expires_at <= at if expired else current.expires_at > at))
        return current

    def end(self, session: r.Session, ending: r.Ending, at: datetime, event: r.TimelineEntry) -> r.Session:
        current = self.check_end(session, ending, at)
        ended = replace(current, state=ending.state, ended_reason=str(ending.reason), ended_at=at,
                        employee_present=False, client_present=False, meeting_to_delete=current.meeting_id,
                        sweep_at=at if current.meeting_id else None)
        return self._put(ended, event)

    def meeting_deleted(self, session: r.Session, meeting_id: str) -> None:
        current = self.get(session.agency_id, session.visit_id)
        if current is None or current.is_open or current.meeting_to_delete != (meeting_id or None):
            return
        self._put(replace(current, meeting_to_delete=None, sweep_at=None))

    def due_for_sweep(self, now: datetime, limit: int) -> Iterator[r.Session | r.Reminder]:
        sessions = [(s.sweep_at, s) for s in self._t.sessions.values() if s.sweep_at is not None and s.sweep_at <= now]
        reminders = [(x.at, x) for x in self._t.reminders.values() if x.at <= now]
        due: list[tuple[datetime, r.Session | r.Reminder]] = sorted([*sessions, *reminders], key=lambda pair: pair[0])
        for _, s in due[:limit]:
            if isinstance(s, r.Reminder):
                yield s
                continue
            # As the sweep index projects it (models.SWEEP_FIELDS): the other fields hold their defaults.
            yield r.Session(s.agency_id, s.visit_id, s.state, s.expires_at, meeting_id=s.meeting_id,
                            meeting_to_delete=s.meeting_to_delete, employee_present=s.employee_present,
                            client_present=s.client_present, sweep_at=s.sweep_at)


class RecordingMailer:
    """A mailer that keeps what it was given to send (the API tests send through SES on moto)."""

    def __init__(self) -> None:
        self.sent: list[tuple[Email, dict[str, str]]] = []
        self.failing: Exception | None = None

    def send(self, email: Email, tags: dict[str, str] | None = None) -> str:
        if self.failing is not None:
            raise self.failing
        self.sent.append((email, dict(tags or {})))
        return f"message-{len(self.sent)}"


class RecordingTexter:
    """A text message service that keeps what it was given to send; `opted_out` numbers are refused as End User
    Messaging refuses a number that replied STOP (the API tests send through botocore's Stubber)."""

    provider = "recording"

    def __init__(self) -> None:
        self.sent: list[tuple[TextMessage, dict[str, str]]] = []
        self.failing: Exception | None = None
        self.opted_out: set[str] = set()

    def send(self, message: TextMessage, context: dict[str, str]) -> str:
        if self.failing is not None:
            raise self.failing
        if message.to in self.opted_out:
            raise ClientOptedOut()
        self.sent.append((message, dict(context)))
        return f"text-{len(self.sent)}"


def memory_services(clock: ShiftedClock, *, meetings: Any = None,
                    staff_accounts: Any = None) -> tuple[Services, Tables, RecordingMailer]:
    """Services over in-memory stores, the local video provider, a recording mailer, a recording texter
    (`services.texter`), and the local stack's staff accounts (the directory alone) unless others are given."""
    from chalicelib.config import from_environ
    from chalicelib.integrations.staff_accounts import DirectoryAccounts

    tables, mailer = Tables(), RecordingMailer()
    services = Services(from_environ(), clock=clock, mailer=mailer, meetings=meetings or LocalMeetings(),
                        link_key=LINK_KEY, directory=MemoryDirectory(tables), visits=MemoryVisits(tables),
                        sessions=MemorySessions(tables), texter=RecordingTexter(),
                        staff_accounts=staff_accounts or DirectoryAccounts())
    return services, tables, mailer
