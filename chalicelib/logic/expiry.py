"""The sweep (R13, R27, R32): expire due sessions, end their meetings, finish deferred deletes, send due reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from chalicelib.logic.ending import delete_meeting, end_session
from chalicelib.logic.presence import reconcile
from chalicelib.logic.reminders import send_due_reminder
from chalicelib.records import EndReason, Reminder, Session

if TYPE_CHECKING:
    from chalicelib.services import Services

SYSTEM = "system"


@dataclass
class SweepResult:
    expired: int = 0
    meetings_deleted: int = 0
    reconciled: int = 0
    examined: int = 0
    reminded: int = 0


def sweep_expired_sessions(services: Services, now: datetime, batch: int) -> SweepResult:
    """One bounded pass over the sparse sweep index; whatever is left waits for the next run.

    Safe to overlap and to repeat: every change is conditional on the state it expects.
    """
    result = SweepResult()
    for due in services.sessions.due_for_sweep(now, batch):
        result.examined += 1
        if isinstance(due, Reminder):
            result.reminded += send_due_reminder(services, due, now)
        else:
            sweep_one(services, due, now, result)
    return result  # each expiry is counted where every end is (`SessionsEnded`, reason `expired`)


def sweep_one(services: Services, due: Session, now: datetime, result: SweepResult) -> None:
    """Whatever one due session needs: expiry, a check with the provider, or its meeting's deferred delete."""
    if due.is_open:
        if due.expires_at > now:
            # Not expired: it is here because it looked in-call with no recent event (reconciliation),
            # or because a time change moved its expiry after the index was read.
            if due.employee_present or due.client_present:
                result.reconciled += reconcile(services, due, now)
            else:
                services.sessions.schedule_sweep(due, due.expires_at)
            return
        ended = end_session(services, due, EndReason.EXPIRED, now, SYSTEM)
        if ended is not None:
            result.expired += 1
            result.meetings_deleted += ended.meeting_to_delete is not None
        return
    if due.meeting_to_delete:
        delete_meeting(services, due)
        result.meetings_deleted += 1
    else:
        services.sessions.meeting_deleted(due, "")
