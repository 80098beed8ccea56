"""What the rules need from storage: three small protocols, with a DynamoDB and an in-memory implementation.

Every write is conditional on the state the caller read, and raises `Conflict` when that state changed meanwhile
(a lost race: the caller reads again). Each write returns what it wrote. A write that changes a visit's or a
session's state takes the timeline line that records it (R26) and stores both at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Protocol

from chalicelib.records import (
    Agency,
    Client,
    Employee,
    Ending,
    JoinLink,
    Records,
    Reminder,
    SentText,
    ServiceCode,
    Session,
    TimelineEntry,
    Visit,
    VisitBundle,
    VisitChange,
)


class Directory(Protocol):
    """An agency and its people and service codes: the tenant's reference data."""

    def add_agency(self, agency: Agency) -> Agency: ...

    def add_client(self, agency_id: str, client: Client) -> Client: ...

    def add_employee(self, agency_id: str, employee: Employee) -> Employee: ...

    def add_service_code(self, agency_id: str, service: ServiceCode) -> ServiceCode: ...

    def lookup(self, agency_id: str, *, agency: bool = False, client_id: str | None = None,
               employee_id: str | None = None, service_code: str | None = None) -> Records: ...

    def client(self, agency_id: str, client_id: str) -> Client:
        """The client, or NotFound."""
        ...

    def employee(self, agency_id: str, employee_id: str) -> Employee:
        """The employee, or NotFound."""
        ...

    def clients(self, agency_id: str, client_ids: Iterable[str]) -> dict[str, Client]: ...

    def list_clients(self, agency_id: str) -> list[Client]: ...

    def list_employees(self, agency_id: str) -> list[Employee]: ...

    def list_service_codes(self, agency_id: str) -> list[ServiceCode]: ...

    def update_client(self, agency_id: str, client_id: str, changes: dict[str, Any]) -> Client:
        """Change a client's fields as given (None removes; `sms_consent` takes a `SmsConsent`); a new email clears
        its bounce mark. NotFound if there is no such client."""
        ...

    def mark_email_failing(self, agency_id: str, client_id: str, status: str) -> bool:
        """Mark the client's address bounced or complained; False if there is no such client."""
        ...

    def set_sms_status(self, agency_id: str, client_id: str, status: str | None, phone: str | None = None) -> bool:
        """Record what the text service reported of the client's number (R29), if the client still has `phone` (when
        given): `opted_out` always; `failing` unless opted out; None clears only `failing` (an opt-out stays until a
        coordinator records consent again). False when the condition did not hold."""
        ...

    def update_agency(self, agency_id: str, changes: dict[str, Any]) -> Agency:
        """Change the agency's settings (`time_zone`, `locale`, `reminder_minutes`); NotFound if there is none."""
        ...

    def update_employee(self, agency_id: str, employee_id: str, changes: dict[str, Any]) -> Employee:
        """Change an employee's `role`, `active`, `deactivated_at` or `to_reassign` (None removes); NotFound if there
        is no such employee."""
        ...

    def update_service_code(self, agency_id: str, code: str, changes: dict[str, Any]) -> ServiceCode:
        """Change a service code's `name` or `allows_virtual_visits`; NotFound if there is none."""
        ...


class Visits(Protocol):
    """Visits, read with their session and timeline, and the writes on the visit itself."""

    def add(self, visit: Visit) -> Visit: ...

    def bundle(self, agency_id: str, visit_id: str, with_timeline: bool = False) -> VisitBundle:
        """The visit, its session and optionally its timeline; NotFound otherwise."""
        ...

    def of_employee(self, agency_id: str, employee_id: str, start: datetime, end: datetime) -> list[Visit]:
        """The employee's visits starting in [start, end)."""
        ...

    def of_client(self, agency_id: str, client_id: str, start: datetime, end: datetime) -> list[Visit]:
        """The client's visits starting in [start, end)."""
        ...

    def of_agency(self, agency_id: str, start: datetime, end: datetime) -> list[Visit]:
        """Every visit of the agency starting in [start, end)."""
        ...

    def clock_in(self, visit: Visit, at: datetime, event: TimelineEntry) -> Visit:
        """Record the clock-in once (Conflict if the visit is clocked in or out, or cancelled, already)."""
        ...

    def clock_out(self, visit: Visit, at: datetime, event: TimelineEntry,
                  ending: tuple[Session, Ending, TimelineEntry] | None = None) -> tuple[Visit, Session | None]:
        """Record the clock-out, and end the open session with it in the same write when one is given (R22)."""
        ...

    def save_notes(self, agency_id: str, visit_id: str, employee_id: str, notes: str) -> bool:
        """Save the notes if the visit exists and is the employee's; False otherwise."""
        ...

    def cancel(self, visit: Visit, at: datetime, event: TimelineEntry,
               ending: tuple[Session, Ending, TimelineEntry] | None = None) -> tuple[Visit, Session | None]:
        """Cancel the visit (Conflict if it was cancelled or clocked out meanwhile), and end its open session with it
        in the same write when one is given (R34)."""
        ...

    def change(self, visit: Visit, session: Session | None, change: VisitChange,
               event: TimelineEntry) -> tuple[Visit, Session | None]:
        """Apply a coordinator's change (Conflict if the visit changed since it was read).

        A time change moves the schedule version, and the expiry of a session that is still live (R10, R13). A new
        caregiver needs the visit not to be in progress.
        """
        ...


class Sessions(Protocol):
    """Virtual sessions, their join links and meeting pointers; every state transition is conditional."""

    def get(self, agency_id: str, visit_id: str) -> Session | None:
        """The visit's session as stored now (a consistent read)."""
        ...

    def create(self, visit: Visit, nonce: str, expires_at: datetime, link_digest: str) -> Session:
        """The visit's session with its first link (Conflict if another call created it first)."""
        ...

    def rotate_link(self, session: Session, visit: Visit, nonce: str, expires_at: datetime,
                    link_digest: str) -> Session:
        """Issue the link of the visit's current schedule version (Conflict if rotated or ended meanwhile)."""
        ...

    def link(self, link_digest: str) -> JoinLink | None: ...

    def of_visits(self, agency_id: str, visit_ids: Iterable[str]) -> dict[str, Session]:
        """The sessions of some of the agency's visits, by visit id (visits without one are absent)."""
        ...

    def client_page(self, session: Session, waiting_until: datetime | None,
                    opened: tuple[int, TimelineEntry] | None = None) -> Session | None:
        """The client's join page is open: waiting for the caregiver until `waiting_until` (None: not waiting), and,
        when given, the first open of a link generation with its timeline line. None when the session ended, or the
        generation's first open was already recorded."""
        ...

    def issue_link_again(self, session: Session, link_digest: str) -> None:
        """The session's current link under another digest (the link key rotated): same generation and expiry."""
        ...

    def record_invite(self, session: Session, at: datetime, channel: str, event: TimelineEntry,
                      reminder: Reminder | None = None) -> Session:
        """Count an invite sent by `channel` (email or sms: R09's last-sent time, clearing the undeliverable mark) or
        a copied link (`link`), and the generation delivered; with its reminder, which replaces any earlier one
        (Conflict if the session ended)."""
        ...

    def add_event(self, agency_id: str, visit_id: str, event: TimelineEntry) -> None:
        """A timeline line with no state change (an email that went out as the session ended)."""
        ...

    def attach_meeting(self, session: Session, meeting: dict[str, Any], previous_meeting_id: str | None) -> Session:
        """Store the meeting made for this open session (Conflict if it ended, or another meeting was stored)."""
        ...

    def of_meeting(self, meeting_id: str) -> Session | None: ...

    def set_presence(self, session: Session, who: str, present: bool, at: datetime, event: TimelineEntry,
                     next_sweep: datetime | None = None) -> Session | None:
        """Flip one side's presence; None when it already was so, the session ended, or a newer change was
        applied (events arrive late, twice, or out of order)."""
        ...

    def meeting_gone(self, session: Session, meeting_id: str, at: datetime, next_sweep: datetime) -> bool:
        """The provider ended the meeting under an open session: forget it and everyone's presence."""
        ...

    def mark_invite_undeliverable(self, agency_id: str, visit_id: str, event: TimelineEntry,
                                  sends: int | None = None) -> bool:
        """The last invite could not be delivered (R29): mark the session and record `event`, if the session exists
        and (when `sends` is given) has had exactly that many invites, so a late report of an older send is
        dropped. False otherwise."""
        ...

    def remember_text(self, text: SentText) -> None:
        """Keep a sent text by its message id until `text.until`, for its delivery events (R29)."""
        ...

    def text(self, message_id: str, now: datetime) -> SentText | None:
        """The text sent under `message_id`, unless unknown or past its `until`."""
        ...

    def claim_reminder(self, session: Session, generation: int) -> Session:
        """Take the reminder of link generation `generation` (R32): Conflict unless the session is open, that
        generation is its link's and the one the client holds, and no reminder was taken for it yet. Whoever takes
        it sends it: at most one per generation, however many sweeps run."""
        ...

    def release_reminder(self, session: Session, generation: int, retry: Reminder) -> None:
        """A taken reminder that could not be sent: give it back, due again at `retry.at`."""
        ...

    def drop_reminder(self, reminder: Reminder) -> None:
        """Take a reminder out of the sweep index, unless a newer one replaced it meanwhile."""
        ...

    def schedule_sweep(self, session: Session, at: datetime) -> None:
        """Ask the sweep to look at an open session again at `at`."""
        ...

    def end(self, session: Session, ending: Ending, at: datetime, event: TimelineEntry) -> Session:
        """End an open session (Conflict if it ended, its meeting changed, or its expiry moved across `at`)."""
        ...

    def meeting_deleted(self, session: Session, meeting_id: str) -> None:
        """An ended session's meeting is gone: the sweep has nothing left to do for it."""
        ...

    def due_for_sweep(self, now: datetime, limit: int) -> Iterator[Session | Reminder]:
        """Up to `limit` sessions and reminders whose time has come, as the sweep index projects them."""
        ...
