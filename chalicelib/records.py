"""What the rules read and the stores return: plain records, with no storage keys and no storage library."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class SessionState(StrEnum):
    """A virtual session's stored state: `invited -> (active) -> over | expired`; the last two are terminal."""

    INVITED = "invited"
    ACTIVE = "active"
    OVER = "over"
    EXPIRED = "expired"


OPEN_STATES = frozenset({SessionState.INVITED, SessionState.ACTIVE})
# The API's name for a visit whose session has had no invite yet; never stored.
NOT_INVITED = "none"
# A virtual visit's live state on the coordinator's board (R35), in the order a visit usually moves through them.
LIVE_STATES = ("not_invited", "invited", "client_waiting", "in_call", "client_left", "over", "expired", "cancelled")


class EndReason(StrEnum):
    """Why a session ended (`ended_reason`)."""

    HANG_UP = "hang_up"
    CLOCK_OUT = "clock_out"
    EXPIRED = "expired"
    CANCELLED = "cancelled"  # the coordinator cancelled the visit (R34)


class EventType(StrEnum):
    """The kinds of line on a visit's timeline (R26)."""

    INVITE_SENT = "invite_sent"
    LINK_COPIED = "link_copied"
    CLOCKED_IN = "clocked_in"
    CLOCKED_OUT = "clocked_out"
    EMPLOYEE_JOINED = "employee_joined"
    EMPLOYEE_LEFT = "employee_left"
    CLIENT_JOINED = "client_joined"
    CLIENT_LEFT = "client_left"
    SESSION_ENDED = "session_ended"
    LINK_EXPIRED = "link_expired"
    VISIT_CHANGED = "visit_changed"
    REMINDER_SENT = "reminder_sent"  # R32
    INVITE_UNDELIVERABLE = "invite_undeliverable"  # R29: a bounce, a failed text or an opt-out, as reported later
    VISIT_CANCELLED = "visit_cancelled"  # R34
    LINK_OPENED = "link_opened"  # the client first opened the link they hold (R35)


DEFAULT_LOCALE = "en-US"
DEFAULT_REMINDER_MINUTES = 15  # R32: a reminder this long before the start; 0 turns reminders off


class Channel(StrEnum):
    """How an invite reached the client (`last_invite_channel`): sent by email or text message, or a copied link."""

    EMAIL = "email"
    SMS = "sms"
    LINK = "link"


SENT_CHANNELS = frozenset({Channel.EMAIL, Channel.SMS})  # the channels a resend and a reminder go by (R28, R32)


class SmsStatus(StrEnum):
    """What the text message service told of a client's mobile number (R29); None while nothing went wrong."""

    OPTED_OUT = "opted_out"
    FAILING = "failing"


@dataclass(frozen=True, slots=True)
class Agency:
    """A tenant: name, time zone, the address invites come from, and its settings.

    `locale` is how its times read where no reader's own locale applies; `reminder_minutes` before a visit's start the
    client is reminded (0: never, R32).
    """

    agency_id: str
    name: str
    time_zone: str
    sender_email: str
    locale: str = DEFAULT_LOCALE
    reminder_minutes: int = DEFAULT_REMINDER_MINUTES


@dataclass(frozen=True, slots=True)
class ServiceCode:
    """A billable service; only some allow virtual visits (R01)."""

    code: str
    name: str
    allows_virtual_visits: bool


@dataclass(frozen=True, slots=True)
class SmsConsent:
    """The client's agreement to receive text messages (R28): when, and which coordinator recorded it."""

    at: datetime
    by: str  # the recording coordinator's employee id


@dataclass(frozen=True, slots=True)
class Client:
    """A person cared for. Email and mobile phone are optional (R06, R28); `email_status` is None, "bounced" or
    "complained"; `sms_status` is None or a `SmsStatus`."""

    client_id: str
    name: str
    email: str | None = None
    preferred_language: str = "en"
    email_status: str | None = None
    mobile_phone: str | None = None  # E.164, for example +15551234567
    sms_consent: SmsConsent | None = None
    sms_status: str | None = None


@dataclass(frozen=True, slots=True)
class Employee:
    """A caregiver or coordinator. A deactivated one signs in no more (R36); `to_reassign` says they may still hold
    upcoming visits for the live board to list."""

    employee_id: str
    name: str
    email: str
    role: str
    active: bool = True
    deactivated_at: datetime | None = None
    to_reassign: bool = False


@dataclass(frozen=True, slots=True)
class Visit:
    """A scheduled visit. `schedule_version` moves on every time change (R10)."""

    agency_id: str
    visit_id: str
    client_id: str
    employee_id: str
    service_code: str
    start: datetime
    end: datetime
    virtual: bool = False
    schedule_version: int = 1
    clock_in_at: datetime | None = None
    clock_out_at: datetime | None = None
    notes: str | None = None
    cancelled_at: datetime | None = None  # R34: a cancelled visit takes no invite, clock-in or join

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


@dataclass(frozen=True, slots=True)
class Session:
    """The virtual session of one visit: state, link generation, meeting and presence.

    The sweep reads sessions from an index that projects only what it needs; there the other fields hold
    their defaults.
    """

    agency_id: str
    visit_id: str
    state: SessionState
    expires_at: datetime
    link_generation: int = 1
    link_nonce: str = ""
    sent_generation: int | None = None  # the link generation the client last received (R10)
    invite_count: int = 0
    last_invite_sent_at: datetime | None = None
    meeting_id: str | None = None
    meeting: dict[str, Any] | None = None
    meeting_seq: int = 0
    meeting_to_delete: str | None = None
    employee_present: bool = False
    client_present: bool = False
    employee_seen_at: datetime | None = None  # the time of the latest presence change applied
    client_seen_at: datetime | None = None
    invite_undeliverable: bool = False  # the last invite bounced, failed or met an opt-out (R29)
    last_invite_channel: str | None = None  # a `Channel`: the last invite's, a copied link included
    last_sent_channel: str | None = None  # email or sms: what a resend and the reminder go by (R28, R32)
    reminded_generation: int | None = None  # the link generation a reminder was sent for (R32: once per generation)
    ended_reason: str | None = None
    ended_at: datetime | None = None
    sweep_at: datetime | None = None  # when the sweep looks next; None once it has nothing left to do
    client_left_at: datetime | None = None  # the client left the call and has not come back (R35's "client left")
    client_page_until: datetime | None = None  # the client's join page is open, waiting, until then (R35)
    opened_generation: int | None = None  # the latest link generation the client opened (R35's flag)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


@dataclass(frozen=True, slots=True)
class JoinLink:
    """What a client link's token opens: one link generation of one visit, until it expires."""

    agency_id: str
    visit_id: str
    generation: int
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder due at `at` for one visit (R32), as the sweep index holds it. Which link generation and channel it
    goes by is decided when it is sent, from the session then."""

    agency_id: str
    visit_id: str
    at: datetime


@dataclass(frozen=True, slots=True)
class SentText:
    """A text message sent (an invite or a reminder), found again by the service's message id when its delivery
    event arrives (R29); kept until carriers are done reporting on it (`until`)."""

    message_id: str
    agency_id: str
    client_id: str
    visit_id: str
    sends: int  # the session's invite count the text went out with (a report on an older send is dropped)
    kind: str  # "invite" or "reminder"
    until: datetime


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One append-only line of the visit's evidence (R26)."""

    at: datetime
    type: str
    actor: str
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class VisitBundle:
    """A visit with its session and, when asked for, its timeline (oldest first)."""

    visit: Visit
    session: Session | None
    events: list[TimelineEntry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class VisitChange:
    """A coordinator's change to a visit, and what it moves: a time change gives the link a new expiry (R10)."""

    start: datetime | None = None
    end: datetime | None = None
    employee_id: str | None = None
    new_expiry: datetime | None = None

    @property
    def fields(self) -> list[str]:
        return [name for name in ("start", "end", "employee_id") if getattr(self, name) is not None]

    @property
    def moves_time(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass(slots=True)
class Records:
    """Some of one agency's reference records, read together; None where there is no such record."""

    agency: Agency | None = None
    client: Client | None = None
    employee: Employee | None = None
    service: ServiceCode | None = None


@dataclass(frozen=True, slots=True)
class Ending:
    """How an open session ends now: its terminal state and the reason recorded."""

    state: SessionState
    reason: EndReason
