"""Visits: the bundle read, schedules, clocking, notes and time changes."""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.errors import Conflict, NotFound
from chalicelib.persistence import keys
from chalicelib.persistence.binding import bound, connection
from chalicelib.persistence.models import ByAgency, ByClient, ByEmployee, Item, Session, TimelineEvent, Visit

OPEN_STATES = ("invited", "active")


@dataclass
class VisitBundle:
    """A visit with its session and, when asked for, its timeline: one Query on the visit partition."""

    visit: Visit
    session: Session | None
    events: list[TimelineEvent] = field(default_factory=list)


def new_event(visit: Visit | Session, at: datetime, type_: str, actor: str, detail: str | None = None) -> TimelineEvent:
    """A timeline line for the visit's partition, sorted by its time, then by when it was written."""
    stamp = at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return TimelineEvent(
        visit.pk, f"{keys.EVENT_PREFIX}{stamp}#{time.time_ns():020d}{uuid.uuid4().hex[:6]}",
        at=at, type=type_, actor=actor, detail=detail,
    )


def get_visit_bundle(agency_id: str, visit_id: str, with_timeline: bool = False) -> VisitBundle:
    """The visit, its session and optionally its timeline, scoped to the agency; NotFound otherwise."""
    bound()
    pk = keys.visit_pk(agency_id, visit_id)
    condition = None if with_timeline else Item.sk >= keys.SESSION_SK
    visit: Visit | None = None
    session: Session | None = None
    events: list[TimelineEvent] = []
    for item in Item.query(pk, condition, consistent_read=True):
        if isinstance(item, Visit):
            visit = item
        elif isinstance(item, Session):
            session = item
        elif isinstance(item, TimelineEvent):
            events.append(item)
    if visit is None:
        raise NotFound()
    return VisitBundle(visit, session, events)


def create_visit(visit: Visit) -> Visit:
    bound()
    try:
        visit.save(condition=Item.pk.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict() from None
        raise
    return visit


def schedule_for_employee(agency_id: str, employee_id: str, start: datetime, end: datetime) -> list[Visit]:
    bound()
    key = keys.employee_key(agency_id, employee_id)
    return [v for v in Visit.by_employee.query(key, ByEmployee.start.between(start, end))
            if isinstance(v, Visit)]


def schedule_for_client(agency_id: str, client_id: str, start: datetime, end: datetime) -> list[Visit]:
    bound()
    key = keys.client_key(agency_id, client_id)
    return [v for v in Visit.by_client.query(key, ByClient.start.between(start, end))
            if isinstance(v, Visit)]


Op = tuple[str, Any, list[Any], Any]


def visits_of_agency(agency_id: str, start: datetime, end: datetime) -> list[Visit]:
    """Every visit of the agency starting in [start, end], from the by-agency index."""
    bound()
    return [v for v in Visit.by_agency.query(keys.agency_pk(agency_id), ByAgency.start.between(start, end))
            if isinstance(v, Visit)]


# Cancellation reasons that mean "not now" rather than "a condition failed": DynamoDB throttled the transaction,
# or another transaction held one of its items. They arrive as TransactionCanceledException, which botocore's
# retries leave alone; a cancelled transaction wrote nothing, so it is retried here (issue 6, faults).
TRANSIENT_CANCELLATIONS = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded", "TransactionConflict",
                                     "RequestLimitExceeded"})
TRANSACTION_ATTEMPTS = 4
_sleep = time.sleep  # replaced in tests, which never wait


def _transient(exc: TransactWriteError) -> bool:
    codes = {reason.code for reason in exc.cancellation_reasons if reason is not None}
    return bool(codes & TRANSIENT_CANCELLATIONS) and "ConditionalCheckFailed" not in codes


# What DynamoDB answers when it is over capacity, once the client's own retries are spent.
OVERLOAD_CODES = frozenset({"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"})


def overloaded(exc: BaseException) -> bool:
    """Whether DynamoDB refused for load (after every retry), not because of anything in the request."""
    from pynamodb.exceptions import PynamoDBException

    if not isinstance(exc, PynamoDBException):
        return False
    if isinstance(exc, TransactWriteError) and exc.cause_response_code == "TransactionCanceledException":
        return _transient(exc)
    return exc.cause_response_code in OVERLOAD_CODES


def _committed(tx_body: list[Op]) -> None:
    """Run updates and puts in one transaction; a failed condition is a Conflict, throttling is retried."""
    for attempt in range(TRANSACTION_ATTEMPTS):
        try:
            with TransactWrite(connection=connection()) as tx:
                for op, item, actions, condition in tx_body:
                    if op == "update":
                        tx.update(item, actions=actions, condition=condition)
                    else:
                        tx.save(item, condition=condition)
            return
        except TransactWriteError as exc:
            if exc.cause_response_code != "TransactionCanceledException":
                raise
            if not _transient(exc):
                raise Conflict() from None
            if attempt + 1 == TRANSACTION_ATTEMPTS:
                raise  # still throttled: a server-side failure, not a lost race
            _sleep(random.random() * 0.05 * 2**attempt)  # noqa: S311 - jitter, not security


def clock_in(visit: Visit, at: datetime, actor: str) -> None:
    """Record the clock-in once; a second one fails its condition."""
    _committed([
        ("update", visit, [Visit.clock_in_at.set(at)],
         Visit.clock_in_at.does_not_exist() & Visit.clock_out_at.does_not_exist()),
        ("put", new_event(visit, at, "clocked_in", actor), [], None),
    ])


def clock_out(visit: Visit, session: Session | None, at: datetime, actor: str, ending: list[Op]) -> None:
    """Record the clock-out; `ending` holds the session's end operations when one is open (R22)."""
    _committed([
        ("update", visit, [Visit.clock_out_at.set(at)],
         Visit.clock_in_at.exists() & Visit.clock_out_at.does_not_exist()),
        ("put", new_event(visit, at, "clocked_out", actor), [], None),
        *ending,
    ])


def save_notes(agency_id: str, visit_id: str, employee_id: str, notes: str) -> bool:
    """Save the notes in one conditional write; False if there is no such visit or it is someone else's."""
    bound()
    visit = Visit(keys.visit_pk(agency_id, visit_id), keys.VISIT_SK)
    try:
        visit.update(actions=[Visit.notes.set(notes)],
                     condition=Visit.pk.exists() & (Visit.employee_id == employee_id))
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def change_visit(visit: Visit, session: Session | None, changes: dict[str, object], new_expiry: datetime | None,
                 at: datetime, actor: str) -> None:
    """Apply a coordinator's change; a time change moves the schedule version and the session's expiry (R10)."""
    actions = [getattr(Visit, name).set(value) for name, value in changes.items()]
    time_changed = "start" in changes or "end" in changes
    if time_changed:
        actions.append(Visit.schedule_version.add(1))
    condition = Visit.schedule_version == visit.schedule_version
    if "employee_id" in changes:  # not while the visit is in progress: a clock-in racing the reassign wins
        condition = condition & (Visit.clock_in_at.does_not_exist() | Visit.clock_out_at.exists())
    ops: list[Op] = [
        ("update", visit, actions, condition),
        ("put", new_event(visit, at, "visit_changed", actor, ",".join(sorted(changes))), [], None),
    ]
    # Only a live session follows the new time. One already past its expiry is expired (R13), even before the
    # sweep records it, and expired is terminal: moving its expiry would bring it back to life.
    if session is not None and session.state in OPEN_STATES and new_expiry is not None and at < session.expires_at:
        ops.append(("update", session, [Session.expires_at.set(new_expiry), Session.sweep_at.set(new_expiry)],
                    Session.state.is_in(*OPEN_STATES) & (Session.expires_at > at)))
    _committed(ops)


def commit(ops: list[Op]) -> None:
    """Commit prepared operations atomically (used by the session module)."""
    _committed(ops)
