"""The live board (R35): the agency's virtual visits of one day with their live state and the two flags, and the
upcoming visits of deactivated staff, to reassign (R36)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.clock import iso
from chalicelib.errors import NotFound
from chalicelib.logic.access import Caller, require_coordinator
from chalicelib.logic.ranges import start_of_day
from chalicelib.logic.staff import upcoming_visits
from chalicelib.logic.views import (
    client_summary,
    client_waiting,
    effective_state,
    employee_summary,
    schedule_entry,
    sent_generation,
)
from chalicelib.records import NOT_INVITED, Client, Employee, Session, SessionState, Visit

if TYPE_CHECKING:
    from chalicelib.services import Services

# "Client has not opened the link" once the visit's start has passed by this much.
NOT_OPENED_AFTER = timedelta(minutes=10)


def live_state(visit: Visit, session: Session | None, now: datetime) -> str:
    """Where a virtual visit is now, as a coordinator watches it."""
    if visit.cancelled:
        return "cancelled"
    state = effective_state(session, now)
    if session is None or state == NOT_INVITED:
        return "not_invited"
    if state in (SessionState.OVER, SessionState.EXPIRED):
        return state
    if session.employee_present and session.client_present:
        return "in_call"
    if client_waiting(session, now):
        return "client_waiting"
    if session.client_left_at is not None:
        return "client_left"
    return "invited"


def undeliverable(session: Session | None) -> bool:
    """R29: the last invite could not be delivered: an email that bounced, a text that failed or met an opt-out."""
    return session is not None and session.invite_undeliverable


def not_opened(visit: Visit, session: Session | None, now: datetime) -> bool:
    """The client was sent a link, the start passed 10 minutes ago, and they never opened the link they hold."""
    if visit.cancelled or session is None or not session.is_open or session.invite_count == 0:
        return False
    if now >= session.expires_at or now < visit.start + NOT_OPENED_AFTER or session.client_present:
        return False
    return session.opened_generation is None or session.opened_generation < sent_generation(session)


def board_row(visit: Visit, session: Session | None, client: Client | None, employee: Employee | None,
              now: datetime) -> dict[str, Any]:
    open_ = session is not None and session.is_open and now < session.expires_at
    return {
        "id": visit.visit_id, "start": iso(visit.start), "end": iso(visit.end), "service_code": visit.service_code,
        "client": client_summary(client, visit.client_id), "employee": employee_summary(employee, visit.employee_id),
        "state": live_state(visit, session, now),
        "employee_present": bool(open_ and session and session.employee_present),
        "client_present": bool(open_ and session and session.client_present),
        "invite_undeliverable": undeliverable(session) and open_,
        "link_not_opened": not_opened(visit, session, now),
        "last_invite_sent_at": iso(session.last_invite_sent_at) if session else None,
    }


def board(services: Services, caller: Caller, day: date | None, now: datetime) -> dict[str, Any]:
    """The day's virtual visits (today in the agency's time zone unless a date is given), and what to reassign."""
    require_coordinator(caller)
    agency = services.directory.lookup(caller.agency_id, agency=True).agency
    if agency is None:
        raise NotFound()
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(agency.time_zone)
    day = day or now.astimezone(zone).date()
    first, last = start_of_day(day, zone), start_of_day(day + timedelta(days=1), zone)
    visits = [v for v in services.visits.of_agency(caller.agency_id, first, last) if v.virtual]
    sessions = services.sessions.of_visits(caller.agency_id, [v.visit_id for v in visits]) if visits else {}
    clients = services.directory.clients(caller.agency_id, [v.client_id for v in visits]) if visits else {}
    staff = {e.employee_id: e for e in services.directory.list_employees(caller.agency_id)}
    rows = [board_row(v, sessions.get(v.visit_id), clients.get(v.client_id), staff.get(v.employee_id), now)
            for v in sorted(visits, key=lambda v: (v.start, v.visit_id))]
    return {"date": day.isoformat(), "time_zone": agency.time_zone, "as_of": iso(now), "visits": rows,
            "reassign": to_reassign(services, caller.agency_id, staff, now)}


def to_reassign(services: Services, agency_id: str, staff: dict[str, Employee], now: datetime) -> list[dict[str, Any]]:
    """R36: the upcoming visits of deactivated staff, soonest first (one Query per deactivated person who still
    holds some; none once they are all reassigned, cancelled or past)."""
    held: list[Visit] = []
    for person in staff.values():
        if person.active or not person.to_reassign:
            continue
        theirs = upcoming_visits(services, agency_id, person.employee_id, now)
        if not theirs:  # the last one ended without being reassigned: nothing to look up any more
            services.directory.update_employee(agency_id, person.employee_id, {"to_reassign": None})
        held += theirs
    if not held:
        return []
    clients = services.directory.clients(agency_id, [v.client_id for v in held])
    return [{**schedule_entry(v, clients.get(v.client_id)), "employee": employee_summary(staff.get(v.employee_id),
                                                                                        v.employee_id)}
            for v in sorted(held, key=lambda v: (v.start, v.visit_id))]
