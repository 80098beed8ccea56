"""Visits in DynamoDB: the bundle read, schedules, clocking, notes and time changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from chalicelib.errors import NotFound
from chalicelib.persistence import keys
from chalicelib.persistence.binding import bound
from chalicelib.persistence.convert import entry_of, event_item, session_of, visit_item, visit_of, visit_ref
from chalicelib.persistence.models import EventItem, Item, SessionItem, VisitItem
from chalicelib.persistence.sessions import end_ops, moved_expiry
from chalicelib.persistence.transactions import Op, commit, conditional_update, create, translated
from chalicelib.records import Ending, Session, TimelineEntry, Visit, VisitBundle, VisitChange

# Sort keys are stored to the microsecond, so "starts before `end`" is "starts at or before `end` - 1 µs": the one
# range key condition DynamoDB has for a half-open range [start, end) (R37).
_LAST_BEFORE = timedelta(microseconds=1)


def _schedule(index: Any, key: str, start: datetime, end: datetime) -> list[Visit]:
    bound()
    if end <= start:
        return []
    # The range key's condition goes through the index's class (TOOLCHAIN.md).
    return [visit_of(v) for v in index.query(key, type(index).start.between(start, end - _LAST_BEFORE))
            if isinstance(v, VisitItem)]


@translated
class DynamoVisits:
    """The `stores.Visits` on the table: a visit, its session and its timeline share one partition."""

    def add(self, visit: Visit) -> Visit:
        bound()
        create(visit_item(visit))
        return visit

    def bundle(self, agency_id: str, visit_id: str, with_timeline: bool = False) -> VisitBundle:
        """The visit, its session and optionally its timeline, in one Query on the visit's partition."""
        bound()
        condition = None if with_timeline else Item.sk >= keys.SESSION_SK
        visit: Visit | None = None
        session: Session | None = None
        events: list[TimelineEntry] = []
        for item in Item.query(keys.visit_pk(agency_id, visit_id), condition, consistent_read=True):
            if isinstance(item, VisitItem):
                visit = visit_of(item)
            elif isinstance(item, SessionItem):
                session = session_of(item)
            elif isinstance(item, EventItem):
                events.append(entry_of(item))
        if visit is None:
            raise NotFound()
        return VisitBundle(visit, session, events)

    def of_employee(self, agency_id: str, employee_id: str, start: datetime, end: datetime) -> list[Visit]:
        return _schedule(VisitItem.by_employee, keys.employee_key(agency_id, employee_id), start, end)

    def of_client(self, agency_id: str, client_id: str, start: datetime, end: datetime) -> list[Visit]:
        return _schedule(VisitItem.by_client, keys.client_key(agency_id, client_id), start, end)

    def of_agency(self, agency_id: str, start: datetime, end: datetime) -> list[Visit]:
        return _schedule(VisitItem.by_agency, keys.agency_pk(agency_id), start, end)

    def clock_in(self, visit: Visit, at: datetime, event: TimelineEntry) -> Visit:
        commit([
            ("update", visit_ref(visit), [VisitItem.clock_in_at.set(at)],
             VisitItem.clock_in_at.does_not_exist() & VisitItem.clock_out_at.does_not_exist()
             & VisitItem.cancelled_at.does_not_exist()),
            ("put", event_item(visit.agency_id, visit.visit_id, event), [], None),
        ])
        return replace(visit, clock_in_at=at)

    def clock_out(self, visit: Visit, at: datetime, event: TimelineEntry,
                  ending: tuple[Session, Ending, TimelineEntry] | None = None) -> tuple[Visit, Session | None]:
        ended = _commit_with_ending(
            ("update", visit_ref(visit), [VisitItem.clock_out_at.set(at)],
             VisitItem.clock_in_at.exists() & VisitItem.clock_out_at.does_not_exist()),
            visit, at, event, ending)
        return replace(visit, clock_out_at=at), ended

    def cancel(self, visit: Visit, at: datetime, event: TimelineEntry,
               ending: tuple[Session, Ending, TimelineEntry] | None = None) -> tuple[Visit, Session | None]:
        ended = _commit_with_ending(
            ("update", visit_ref(visit), [VisitItem.cancelled_at.set(at)],
             VisitItem.cancelled_at.does_not_exist() & VisitItem.clock_out_at.does_not_exist()),
            visit, at, event, ending)
        return replace(visit, cancelled_at=at), ended

    def save_notes(self, agency_id: str, visit_id: str, employee_id: str, notes: str) -> bool:
        bound()
        item = VisitItem(keys.visit_pk(agency_id, visit_id), keys.VISIT_SK)
        return conditional_update(item, [VisitItem.notes.set(notes)],
                                  VisitItem.pk.exists() & (VisitItem.employee_id == employee_id))

    def change(self, visit: Visit, session: Session | None, change: VisitChange,
               event: TimelineEntry) -> tuple[Visit, Session | None]:
        actions: list[Any] = []
        if change.start is not None:
            actions.append(VisitItem.start.set(change.start))
        if change.end is not None:
            actions.append(VisitItem.end.set(change.end))
        if change.moves_time:
            actions.append(VisitItem.schedule_version.add(1))
        condition = VisitItem.schedule_version == visit.schedule_version
        if change.employee_id is not None:
            actions += [VisitItem.employee_id.set(change.employee_id),
                        VisitItem.employee_key.set(keys.employee_key(visit.agency_id, change.employee_id))]
            # Not while the visit is in progress: a clock-in racing the reassign wins.
            condition = condition & (VisitItem.clock_in_at.does_not_exist() | VisitItem.clock_out_at.exists())
        ops: list[Op] = [
            ("update", visit_ref(visit), actions, condition),
            ("put", event_item(visit.agency_id, visit.visit_id, event), [], None),
        ]
        moved = moved_expiry(session, change.new_expiry, event.at)
        if moved is not None:
            ops.append(moved[0])
            session = moved[1]
        commit(ops)
        changed = replace(visit, start=change.start or visit.start, end=change.end or visit.end,
                          employee_id=change.employee_id or visit.employee_id,
                          schedule_version=visit.schedule_version + (1 if change.moves_time else 0))
        return changed, session


def _commit_with_ending(change: Op, visit: Visit, at: datetime, event: TimelineEntry,
                        ending: tuple[Session, Ending, TimelineEntry] | None) -> Session | None:
    """One transaction: the visit's change, its timeline line and, when a session ends with it, that ending."""
    ops: list[Op] = [change, ("put", event_item(visit.agency_id, visit.visit_id, event), [], None)]
    ended: Session | None = None
    if ending is not None:
        session, how, line = ending
        session_ops, ended = end_ops(session, how, at, line)
        ops += session_ops
    commit(ops)
    return ended
