"""The expiry sweep (R13, R27): expire due sessions, end their meetings, finish deferred deletes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.logic.ending import delete_meeting
from chalicelib.logic.presence import reconcile
from chalicelib.observability import count
from chalicelib.persistence import sessions as session_store
from chalicelib.persistence.models import Session
from chalicelib.persistence.visits import OPEN_STATES
from chalicelib.services import Services


@dataclass
class SweepResult:
    expired: int = 0
    meetings_deleted: int = 0
    reconciled: int = 0
    examined: int = 0


def sweep_expired_sessions(services: Services, now: datetime, shards: int, batch: int) -> SweepResult:
    """One bounded pass over the sparse sweep index; whatever is left waits for the next run.

    Safe to overlap and to repeat: every change is conditional on the state it expects.
    """
    result = SweepResult()
    for shard in range(shards):
        remaining = batch - result.examined
        if remaining <= 0:
            break
        for due in session_store.due_for_sweep(f"OPEN#{shard}", now, remaining):
            result.examined += 1
            _sweep_one(due, services, now, result)
    if result.expired:
        count("SessionsExpired", value=result.expired)
    return result


def _sweep_one(due: Session, services: Services, now: datetime, result: SweepResult) -> None:
    if due.state in OPEN_STATES:
        if due.expires_at > now:
            # Not expired: it is here because it looked in-call with no recent event (reconciliation),
            # or because a time change moved its expiry after the index was read.
            if due.employee_present or due.client_present:
                if reconcile(due, services.meetings, now):
                    result.reconciled += 1
            else:
                session_store.schedule_sweep(due, due.expires_at)
            return
        ended = session_store.end_session(due, "expired", "expired", now, "system",
                                          extra=Session.expires_at <= now)
        if ended is None:
            return
        result.expired += 1
        due = ended
        due.meeting_to_delete = due.meeting_id
    if due.meeting_to_delete:
        delete_meeting(due, services.meetings)
        result.meetings_deleted += 1
    elif due.state not in OPEN_STATES:
        session_store.meeting_deleted(due, "")
