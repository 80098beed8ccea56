"""The attendance record an agency bills and audits from: one row per virtual visit, from its timeline (R26)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.clock import iso
from chalicelib.logic.access import Caller, require_coordinator
from chalicelib.logic.ranges import Bound
from chalicelib.logic.schedule import agency_range
from chalicelib.records import NOT_INVITED, EventType, TimelineEntry, VisitBundle

if TYPE_CHECKING:
    from chalicelib.services import Services

FIELDS = [
    "visit_id", "client_id", "employee_id", "service_code", "scheduled_start", "scheduled_end",
    "clock_in_at", "clock_out_at", "invite_count", "link_copies", "last_invite_at",
    "caregiver_first_joined_at", "caregiver_last_joined_at", "caregiver_first_left_at", "caregiver_last_left_at",
    "client_first_joined_at", "client_last_joined_at", "client_first_left_at", "client_last_left_at",
    "minutes_together", "session_state", "end_reason", "no_show",
]
ENDINGS = (EventType.SESSION_ENDED, EventType.LINK_EXPIRED)


def _times(events: list[TimelineEntry], kind: str) -> list[datetime]:
    return [e.at for e in events if e.type == kind]


def minutes_together(events: list[TimelineEntry]) -> float:
    """Minutes both sides were in the call, from the joins, leaves and end on the timeline."""
    present = {"employee": False, "client": False}
    since: datetime | None = None
    total = 0.0
    for event in events:
        side, _, change = event.type.partition("_")
        if event.type in ENDINGS:
            present = {"employee": False, "client": False}
        elif side in present and change in ("joined", "left"):
            present[side] = change == "joined"
        else:
            continue
        both = all(present.values())
        if since is not None and not both:
            total += (event.at - since).total_seconds()
            since = None
        elif since is None and both:
            since = event.at
    return round(total / 60, 1)


def row(bundle: VisitBundle) -> dict[str, Any]:
    visit, session, events = bundle.visit, bundle.session, bundle.events
    invites = _times(events, EventType.INVITE_SENT)
    record: dict[str, Any] = {
        "visit_id": visit.visit_id, "client_id": visit.client_id, "employee_id": visit.employee_id,
        "service_code": visit.service_code, "scheduled_start": iso(visit.start), "scheduled_end": iso(visit.end),
        "clock_in_at": iso(visit.clock_in_at), "clock_out_at": iso(visit.clock_out_at),
        "invite_count": len(invites), "link_copies": len(_times(events, EventType.LINK_COPIED)),
        "last_invite_at": iso(max(invites, default=None)),
    }
    for side, label in (("employee", "caregiver"), ("client", "client")):
        joined, left = _times(events, f"{side}_joined"), _times(events, f"{side}_left")
        record[f"{label}_first_joined_at"] = iso(min(joined, default=None))
        record[f"{label}_last_joined_at"] = iso(max(joined, default=None))
        record[f"{label}_first_left_at"] = iso(min(left, default=None))
        record[f"{label}_last_left_at"] = iso(max(left, default=None))
    record["minutes_together"] = minutes_together(events)
    record["session_state"] = str(session.state) if session is not None and session.invite_count else NOT_INVITED
    record["end_reason"] = session.ended_reason if session is not None else None
    record["no_show"] = not _times(events, EventType.CLIENT_JOINED)
    return record


def virtual_visit_report(services: Services, caller: Caller, start: Bound, end: Bound) -> list[dict[str, Any]]:
    """One row per virtual visit of the caller's agency starting in [from, to) (coordinators only, R37)."""
    require_coordinator(caller)
    first, last = agency_range(services, caller, start, end)
    rows = []
    for visit in sorted(services.visits.of_agency(caller.agency_id, first, last), key=lambda v: (v.start, v.visit_id)):
        if visit.virtual:
            rows.append(row(services.visits.bundle(caller.agency_id, visit.visit_id, with_timeline=True)))
    return rows


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """One CSV cell: empty for none, `true`/`false`, numbers as written, and text that cannot run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def as_csv(rows: list[dict[str, Any]]) -> str:
    """The report as CSV (RFC 4180), every cell through `cell`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for record in rows:
        writer.writerow({k: cell(v) for k, v in record.items()})
    return out.getvalue()
