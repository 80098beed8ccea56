"""Cancelling a visit (R34): the visit is marked cancelled and its open session ends, in one write, the one way every
session ends (`ending`); its links die with it and its meeting is deleted."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.errors import VisitCompleted
from chalicelib.logic.access import Caller, load_visit, require_coordinator
from chalicelib.logic.ending import after_end, ending_for
from chalicelib.logic.retry import retry_on_conflict
from chalicelib.logic.staff import release_if_done
from chalicelib.logic.views import visit_view
from chalicelib.records import EndReason, EventType, Session, TimelineEntry, Visit

if TYPE_CHECKING:
    from chalicelib.services import Services


def cancel_visit(services: Services, caller: Caller, visit_id: str, now: datetime) -> dict[str, Any]:
    """Cancel the visit; cancelling it again changes nothing. A visit the caregiver clocked out of took place, and
    stays the evidence it is (409 VISIT_COMPLETED); one in progress can be cancelled, and its caregiver still clocks
    out."""

    def attempt() -> tuple[Visit, Session | None, Session | None]:
        bundle = load_visit(services, caller, visit_id)  # another agency's visit is NotFound (R25)
        require_coordinator(caller)
        visit, session = bundle.visit, bundle.session
        if visit.cancelled:
            return visit, session, None
        if visit.clock_out_at is not None:
            raise VisitCompleted()
        ending = None
        if session is not None and session.is_open:
            ending = (session, *ending_for(session, EndReason.CANCELLED, now, caller.actor))
        cancelled = TimelineEntry(now, EventType.VISIT_CANCELLED, caller.actor)
        visit, ended = services.visits.cancel(visit, now, cancelled, ending)
        return visit, ended or session, ended

    visit, session, ended = retry_on_conflict(attempt)
    if ended is not None:
        after_end(services, ended)  # the meeting is deleted: everyone in it is out (R34)
    release_if_done(services, caller.agency_id, visit.employee_id, now)
    client = services.directory.clients(caller.agency_id, [visit.client_id]).get(visit.client_id)
    return visit_view(visit, client, session, now)
