"""Accepted request bodies, per route (names follow ARCHITECTURE.md's payload table)."""

from __future__ import annotations

from chalicelib.i18n import LANGUAGES
from chalicelib.validation import Field

# R04, R07, R28; "resend" goes by the channel of the last sent invite (the dialog's and call window's "Resend invite").
INVITE = {"delivery": Field("choice", choices=("email", "sms", "link", "resend"))}
# Visit notes: up to 20,000 characters (code points) in any script, tabs and line breaks included (R17, R45).
MAX_NOTES = 20000
NOTES = {"notes": Field("text", max_len=MAX_NOTES)}
# The join page's requests: the link's token, and the language the client chose on the page, if they did (R30).
TOKEN = {"token": Field("str", max_len=200), "language": Field("choice", required=False, choices=LANGUAGES)}
# The join page's look at its link; `waiting` false once the client hung up (R35: only a waiting page is waiting).
CLIENT_PAGE = {**TOKEN, "waiting": Field("bool", required=False)}
VISIT_CREATE = {
    "client_id": Field("id"),
    "employee_id": Field("id"),
    "service_code": Field("id"),
    "start": Field("time"),
    "end": Field("time"),
    "virtual": Field("bool", required=False),
}
VISIT_PATCH = {
    "start": Field("time", required=False),
    "end": Field("time", required=False),
    "employee_id": Field("id", required=False),
}
CLIENT_CREATE = {
    "name": Field("str", max_len=200),
    "email": Field("email", required=False, nullable=True, max_len=254),
    # R30: the languages with a table (chalicelib/i18n)
    "preferred_language": Field("choice", required=False, choices=LANGUAGES),
    "mobile_phone": Field("phone", required=False, nullable=True, max_len=16),  # E.164 (R28)
    # R28: true records the consent now, by the coordinator who sends it; false withdraws it
    "sms_consent": Field("bool", required=False),
}
CLIENT_PATCH = {name: Field(spec.kind, required=False, max_len=spec.max_len, choices=spec.choices,
                            nullable=spec.kind in ("email", "phone"))
                for name, spec in CLIENT_CREATE.items()}
EMPLOYEE_CREATE = {
    "name": Field("str", max_len=200),
    "email": Field("email", max_len=254),
    "role": Field("choice", choices=("employee", "coordinator")),
}
SERVICE_CREATE = {
    "code": Field("id"),
    "name": Field("str", max_len=200),
    "allows_virtual_visits": Field("bool"),
}
SERVICE_PATCH = {
    "name": Field("str", required=False, max_len=200),
    "allows_virtual_visits": Field("bool", required=False),
}
EMPLOYEE_PATCH = {
    "role": Field("choice", required=False, choices=("employee", "coordinator")),
    "active": Field("bool", required=False),
}
MAX_REMINDER_MINUTES = 24 * 60
AGENCY_PATCH = {
    "time_zone": Field("zone", required=False, max_len=64),
    "locale": Field("locale", required=False, max_len=35),
    "reminder_minutes": Field("int", required=False, minimum=0, maximum=MAX_REMINDER_MINUTES),
}
DEV_LOGIN = {"employee_id": Field("id")}
DEV_CLOCK = {"advance_minutes": Field("int", minimum=0, maximum=60 * 24 * 30)}
DEV_END_MEETING = {"visit_id": Field("str", max_len=100)}
DEV_TEXT_REPLY = {"to": Field("phone", max_len=16), "text": Field("str", max_len=160)}
DEV_TEXT_STATUS = {"to": Field("phone", max_len=16),
                   "event_type": Field("choice", choices=("TEXT_DELIVERED", "TEXT_SUCCESSFUL", "TEXT_BLOCKED",
                                                          "TEXT_UNREACHABLE", "TEXT_INVALID", "TEXT_CARRIER_BLOCKED",
                                                          "TEXT_TTL_EXPIRED", "TEXT_PENDING"))}
SIGNAL = {
    "meeting_id": Field("str", max_len=100),
    "attendee_id": Field("str", max_len=100),
    "join_token": Field("str", max_len=100),
    "type": Field("choice", choices=("hello", "offer", "answer", "bye")),
    "payload": Field("json", required=False),
    "page": Field("str", required=False, max_len=64),
}
POLL = {
    "meeting_id": Field("str", max_len=100),
    "attendee_id": Field("str", max_len=100),
    "join_token": Field("str", max_len=100),
    "after": Field("int", required=False),
    "wait_ms": Field("int", required=False, maximum=10000),
    "page": Field("str", required=False, max_len=64),
}
