"""The OpenAPI 3 document of every route; request schemas come from the same specs the routes validate with."""

from __future__ import annotations

from functools import cache
from typing import Any

from chalicelib import payloads as p
from chalicelib.i18n import LANGUAGES
from chalicelib.records import LIVE_STATES, NOT_INVITED, Channel, EndReason, SessionState, SmsStatus
from chalicelib.validation import LOCALE_PATTERN, MAX_SEARCH, ZONE_PATTERN, Field

NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
TIME = {"type": "string", "format": "date-time"}
ONE_LINE = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
MULTI_LINE = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"
# R37: a range bound is an instant with a zone, or a date of the agency's calendar (its whole day); [from, to).
SMS_STATUS = {"type": ["string", "null"], "enum": [*(str(status) for status in SmsStatus), None],
              "description": "R29: what the text message service reported of the client's number"}
RANGE_BOUND = {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}]}
RANGE_DESCRIPTIONS = {
    "from": "The range's first instant, or a date: its day's first instant in the agency's time zone.",
    "to": "The first instant after the range (it is half-open), or a date: that day's first instant in the "
          "agency's time zone. November is from=2026-11-01&to=2026-12-01.",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _field_schema(spec: Field) -> dict[str, Any]:
    schema: dict[str, Any]
    if spec.kind == "bool":
        schema = {"type": "boolean"}
    elif spec.kind == "int":
        schema = {"type": "integer", "minimum": spec.minimum, "maximum": spec.maximum}
    elif spec.kind == "time":
        schema = {"type": "string", "format": "date-time"}
    elif spec.kind == "choice":
        schema = {"type": "string", "enum": list(spec.choices)}
    elif spec.kind == "id":
        schema = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}
    elif spec.kind == "phone":
        schema = {"type": "string", "pattern": "^\\+[1-9][0-9]{6,14}$", "maxLength": 16,
                  "description": "E.164, for example +15551234567"}
    elif spec.kind == "zone":
        schema = {"type": "string", "pattern": "^" + ZONE_PATTERN.pattern + "$", "example": "America/New_York",
                  "description": "An IANA time zone the server knows"}
    elif spec.kind == "locale":
        schema = {"type": "string", "pattern": "^" + LOCALE_PATTERN.pattern + "$", "example": "en-US"}
    elif spec.kind == "json":
        return {}
    else:
        # Lengths count characters (code points) in any script (R45); text has no control characters.
        schema = {"type": "string", "maxLength": spec.max_len, "minLength": 0 if spec.kind == "text" else 1,
                  "pattern": MULTI_LINE if spec.kind == "text" else ONE_LINE}
        if spec.kind == "email":
            schema["format"] = "email"
    if spec.nullable:
        schema["type"] = [schema["type"], "null"]
    return schema


def body_schema(fields: dict[str, Field]) -> dict[str, Any]:
    return {
        "type": "object", "additionalProperties": False,
        "properties": {name: _field_schema(spec) for name, spec in fields.items()},
        "required": [name for name, spec in fields.items() if spec.required],
    }


def _obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": required if required is not None else list(props)}


CLIENT_VISIT: dict[str, Any] = {
    "agency_name": {"type": "string"}, "caregiver_first_name": {"type": "string"}, "start": TIME, "end": TIME,
    "time_zone": {"type": "string"},
    "zone_names": _obj({name: {"type": "string"} for name in LANGUAGES}) | {
        "description": "R44: the zone as the client's email and text name it, in each language the page speaks "
                       "(\"Eastern Time\", \"hora del Este\")"},
}

SCHEMAS: dict[str, Any] = {
    "Error": _obj({"Code": {"type": "string"}, "Message": {"type": "string"}}),
    "SessionStatus": _obj({
        "state": {"type": "string", "enum": [NOT_INVITED, *(str(state) for state in SessionState)]},
        "last_invite_sent_at": NULLABLE_TIME, "link_expires_at": NULLABLE_TIME,
        "client_present": {"type": "boolean"}, "employee_present": {"type": "boolean"},
        "client_waiting": {"type": "boolean", "description": "R35: the client has the join page open and the "
                                                              "caregiver is not in the call"},
        "invite_stale": {"type": "boolean"},
        "invite_undeliverable": {"type": "boolean", "description": "R29: the last invite bounced, failed or met an "
                                 "opt-out"},
        "invite_bounced": {"type": "boolean", "deprecated": True, "description": "The same as invite_undeliverable"},
        "invite_warning": {"type": "string"},
        "last_invite_channel": {"type": ["string", "null"], "enum": [*(str(c) for c in Channel), None]},
        "ended_reason": {"type": ["string", "null"], "enum": [*(str(reason) for reason in EndReason), None]},
    }, ["state", "last_invite_sent_at", "link_expires_at", "client_present", "employee_present", "client_waiting",
        "invite_stale", "invite_undeliverable", "invite_bounced", "last_invite_channel", "ended_reason"]),
    "ClientSummary": _obj({"id": {"type": "string"}, "name": {"type": "string"}, "has_email": {"type": "boolean"},
                           "email_failing": {"type": "boolean"}, "has_mobile": {"type": "boolean"},
                           "sms_consent": {"type": "boolean"}, "sms_status": SMS_STATUS,
                           "preferred_language": {"type": "string", "enum": list(LANGUAGES)}},
                          ["id", "name", "has_email", "has_mobile", "sms_consent", "sms_status"]),
    "ScheduleEntry": _obj({
        "id": {"type": "string"}, "client_id": {"type": "string"}, "employee_id": {"type": "string"},
        "service_code": {"type": "string"}, "start": TIME, "end": TIME, "virtual": {"type": "boolean"},
        "cancelled": {"type": "boolean"}, "client": _ref("ClientSummary"),
        "client_waiting": {"type": "boolean", "description": "R35, in the caller's own schedule"},
    }, ["id", "client_id", "employee_id", "service_code", "start", "end", "virtual", "cancelled", "client"]),
    "EmployeeSummary": _obj({"id": {"type": "string"}, "name": {"type": "string"}, "active": {"type": "boolean"}}),
    "VisitListEntry": {"allOf": [_ref("ScheduleEntry"),
                                 _obj({"employee": _ref("EmployeeSummary")})]},
    "Visit": _obj({
        "id": {"type": "string"}, "client_id": {"type": "string"}, "employee_id": {"type": "string"},
        "service_code": {"type": "string"}, "start": TIME, "end": TIME, "virtual": {"type": "boolean"},
        "cancelled": {"type": "boolean"}, "cancelled_at": NULLABLE_TIME,
        "clock_in_at": NULLABLE_TIME, "clock_out_at": NULLABLE_TIME, "notes": {"type": "string"},
        "client": _ref("ClientSummary"), "session": _ref("SessionStatus"),
        "warning": _ref("Error"),
    }, ["id", "client_id", "employee_id", "service_code", "start", "end", "virtual", "cancelled", "cancelled_at",
        "clock_in_at", "clock_out_at", "client", "session"]),
    "BoardRow": _obj({
        "id": {"type": "string"}, "start": TIME, "end": TIME, "service_code": {"type": "string"},
        "client": _ref("ClientSummary"), "employee": _ref("EmployeeSummary"),
        "state": {"type": "string", "enum": list(LIVE_STATES)},
        "employee_present": {"type": "boolean"}, "client_present": {"type": "boolean"},
        "invite_undeliverable": {"type": "boolean", "description": "R29: the last invite could not be delivered"},
        "link_not_opened": {"type": "boolean",
                            "description": "R35: the start passed 10 minutes ago and the client never opened the link"},
        "last_invite_sent_at": NULLABLE_TIME,
    }),
    "Board": _obj({
        "date": {"type": "string", "format": "date"}, "time_zone": {"type": "string"}, "as_of": TIME,
        "visits": {"type": "array", "items": _ref("BoardRow")},
        "reassign": {"type": "array", "items": _ref("VisitListEntry"),
                     "description": "R36: upcoming visits of deactivated staff"},
    }),
    "Agency": _obj({"id": {"type": "string"}, "name": {"type": "string"}, "time_zone": {"type": "string"},
                    "locale": {"type": "string"}, "reminder_minutes": {"type": "integer"}}),
    "InviteResponse": _obj({"session": _ref("SessionStatus"), "join_url": {"type": "string"}}, ["session"]),
    "Attendee": _obj({"attendee_id": {"type": "string"}, "external_user_id": {"type": "string"},
                      "join_token": {"type": "string"}}),
    "JoinResponse": _obj({
        "provider": {"type": "string", "enum": ["chime", "local"]},
        "meeting": {"type": "object", "properties": {"MeetingId": {"type": "string"}}, "required": ["MeetingId"]},
        "attendee": _ref("Attendee"), "client_present": {"type": "boolean"},
    }, ["provider", "meeting", "attendee"]),
    # R16, R44: the visit as the client's page tells it; also in an expired link's refusal (ExpiredLink).
    "ClientVisit": _obj(CLIENT_VISIT),
    "ExpiredLink": _obj({"Code": {"type": "string"}, "Message": {"type": "string"}, "Visit": _ref("ClientVisit")},
                        ["Code", "Message"]),
    "ClientView": _obj({
        "language": {"type": "string", "enum": list(LANGUAGES), "description": "R30: the client's language"},
        **CLIENT_VISIT,
        "state": {"type": "string", "enum": [str(s) for s in SessionState if s != SessionState.EXPIRED]},
        "caregiver_present": {"type": "boolean"},
        # The media provider the join will use: the page starts loading its code during the device check.
        "provider": {"type": "string", "enum": ["chime", "local"]},
    }),
    "AttendanceRow": {"type": "object", "required": ["visit_id", "no_show", "minutes_together"]},
    "ClientLeave": _obj({"state": {"type": "string"}}),
    "TimelineEntry": _obj({"at": TIME, "type": {"type": "string"}, "actor": {"type": "string"},
                           "detail": {"type": "string"}}, ["at", "type", "actor"]),
    "Me": _obj({"employee_id": {"type": "string"}, "name": {"type": "string"},
                "role": {"type": "string", "enum": ["employee", "coordinator"]},
                "agency_id": {"type": "string"}, "time_zone": {"type": "string"},
                "agency": _obj({"id": {"type": "string"}, "name": {"type": "string"},
                                "locale": {"type": "string"}})}),
    "Client": _obj({"id": {"type": "string"}, "name": {"type": "string"}, "email": {"type": ["string", "null"]},
                    "preferred_language": {"type": "string"}, "has_email": {"type": "boolean"},
                    "email_failing": {"type": "boolean"}, "mobile_phone": {"type": ["string", "null"]},
                    "sms_consent": {"anyOf": [_obj({"at": TIME, "by": {"type": "string"}}), {"type": "null"}],
                                    "description": "R28: when and by which coordinator the consent was recorded"},
                    "sms_status": SMS_STATUS}),
    "Employee": _obj({"id": {"type": "string"}, "name": {"type": "string"}, "email": {"type": "string"},
                      "role": {"type": "string", "enum": ["employee", "coordinator"]}, "active": {"type": "boolean"},
                      "deactivated_at": NULLABLE_TIME}),
    "ServiceCode": _obj({"code": {"type": "string"}, "name": {"type": "string"},
                         "allows_virtual_visits": {"type": "boolean"}}),
    "NotesSaved": _obj({"id": {"type": "string"}, "notes": {"type": "string"}, "saved_at": TIME}),
    "DevUser": _obj({"employee_id": {"type": "string"}, "agency_id": {"type": "string"}, "name": {"type": "string"},
                     "role": {"type": "string"}, "active": {"type": "boolean"}}),
    "DevToken": _obj({"token": {"type": "string"}}),
    "DevMail": _obj({"channel": {"type": "string", "enum": ["email", "sms"]}, "to": {"type": "string"},
                     "subject": {"type": "string"}, "text": {"type": "string"}, "html": {"type": "string"},
                     "attachments": {"type": "array", "items": {"type": "string"}}, "sent_at": {"type": "string"}},
                    ["channel", "to", "text", "sent_at"]),
    "DevTextEvent": _obj({"outcome": {"type": "string"}}),
    "DevSweep": _obj({"expired": {"type": "integer"}, "reminded": {"type": "integer"},
                      "examined": {"type": "integer"}}),
    "DevClock": _obj({"now": TIME}),
    "DevEndedMeetings": _obj({"ended": {"type": "integer"}}),
    "SignalAccepted": _obj({"seq": {"type": "integer"}}),
    "PollResult": _obj({"messages": {"type": "array", "items": {"type": "object"}}, "next": {"type": "integer"},
                        "present": {"type": "array", "items": {"type": "string"}}, "ended": {"type": "boolean"}}),
}

# (method, path, summary, staff?, request fields, success status, response schema, error statuses)
STAFF_ERRORS = (400, 401, 403, 404)
OPERATIONS: list[tuple[str, str, str, bool, dict[str, Field] | None, int, Any, tuple[int, ...]]] = [
    ("get", "/api/me", "The signed-in staff member", True, None, 200, _ref("Me"), (401, 404)),
    ("get", "/api/schedule", "The caller's visits", True, None, 200,
     {"type": "array", "items": _ref("ScheduleEntry")}, (400, 401)),
    ("get", "/api/employees/{employee_id}/schedule", "An employee's visits", True, None, 200,
     {"type": "array", "items": _ref("ScheduleEntry")}, STAFF_ERRORS),
    ("get", "/api/clients/{client_id}/schedule", "A client's visits", True, None, 200,
     {"type": "array", "items": _ref("ScheduleEntry")}, STAFF_ERRORS),
    ("get", "/api/visits/{visit_id}", "The visit dialog", True, None, 200, _ref("Visit"), STAFF_ERRORS),
    ("patch", "/api/visits/{visit_id}", "Reschedule or reassign (R10)", True, p.VISIT_PATCH, 200, _ref("Visit"),
     (*STAFF_ERRORS, 409, 413, 422)),
    ("post", "/api/visits", "Schedule a visit (R01)", True, p.VISIT_CREATE, 201, _ref("Visit"),
     (400, 401, 403, 413, 422)),
    ("get", "/api/visits", "The agency's visits, with a search (R33)", True, None, 200,
     {"type": "array", "items": _ref("VisitListEntry")}, (400, 401, 403)),
    ("post", "/api/visits/{visit_id}/cancel", "Cancel a visit (R34)", True, None, 200, _ref("Visit"),
     (*STAFF_ERRORS, 409)),
    ("get", "/api/board", "The live board (R35, R36)", True, None, 200, _ref("Board"), (400, 401, 403)),
    ("get", "/api/agency", "The agency's settings", True, None, 200, _ref("Agency"), (401, 403, 404)),
    ("patch", "/api/agency", "Change the agency's settings", True, p.AGENCY_PATCH, 200, _ref("Agency"),
     (400, 401, 403, 404)),
    ("get", "/api/visits/{visit_id}/session", "Session status", True, None, 200, _ref("SessionStatus"),
     STAFF_ERRORS),
    ("get", "/api/visits/{visit_id}/timeline", "The visit's timeline (R26)", True, None, 200,
     {"type": "array", "items": _ref("TimelineEntry")}, STAFF_ERRORS),
    ("put", "/api/visits/{visit_id}/notes", "Visit notes (R17)", True, p.NOTES, 200, _ref("NotesSaved"),
     (*STAFF_ERRORS, 413)),
    ("post", "/api/visits/{visit_id}/invite", "Invite by email, text message or link (R04-R10, R28)", True,
     p.INVITE, 200, _ref("InviteResponse"), (*STAFF_ERRORS, 409, 410, 413, 422, 503)),
    ("post", "/api/visits/{visit_id}/clock-in", "Clock in (R11)", True, None, 200, _ref("Visit"),
     (*STAFF_ERRORS, 409)),
    ("post", "/api/visits/{visit_id}/clock-out", "Clock out (R21, R22)", True, None, 200, _ref("Visit"),
     (*STAFF_ERRORS, 409)),
    ("post", "/api/visits/{visit_id}/session/join", "Join the call (R11-R13, R24)", True, None, 200,
     _ref("JoinResponse"), (*STAFF_ERRORS, 409, 410, 503)),
    ("post", "/api/visits/{visit_id}/session/leave", "Left the call window (R24)", True, None, 200,
     _ref("SessionStatus"), STAFF_ERRORS),
    ("post", "/api/visits/{visit_id}/session/end", "Hang up (R20, R23)", True, None, 200,
     _ref("SessionStatus"), (*STAFF_ERRORS, 409)),
    ("get", "/api/clients", "The agency's clients", True, None, 200, {"type": "array", "items": _ref("Client")},
     (400, 401, 403)),
    ("post", "/api/clients", "Add a client", True, p.CLIENT_CREATE, 201, _ref("Client"), (400, 401, 403, 413)),
    ("get", "/api/clients/{client_id}", "A client's record", True, None, 200, _ref("Client"), STAFF_ERRORS),
    ("patch", "/api/clients/{client_id}", "Change a client", True, p.CLIENT_PATCH, 200, _ref("Client"),
     (*STAFF_ERRORS, 413)),
    ("get", "/api/employees", "The agency's employees", True, None, 200,
     {"type": "array", "items": _ref("Employee")}, (400, 401, 403)),
    ("post", "/api/employees", "Add an employee, with their sign-in", True, p.EMPLOYEE_CREATE, 201,
     _ref("Employee"), (400, 401, 403, 409, 413)),
    ("patch", "/api/employees/{employee_id}", "Deactivate, reactivate or change the role of an employee (R36)", True,
     p.EMPLOYEE_PATCH, 200, _ref("Employee"), (*STAFF_ERRORS, 422)),
    ("get", "/api/service-codes", "The agency's service codes", True, None, 200,
     {"type": "array", "items": _ref("ServiceCode")}, (400, 401)),
    ("post", "/api/service-codes", "Add a service code", True, p.SERVICE_CREATE, 201, _ref("ServiceCode"),
     (400, 401, 403, 409, 413)),
    ("patch", "/api/service-codes/{code}", "Change a service code", True, p.SERVICE_PATCH, 200,
     _ref("ServiceCode"), STAFF_ERRORS),
    ("get", "/api/reports/virtual-visits", "Attendance record of virtual visits (JSON or CSV)", True, None, 200,
     {"type": "array", "items": _ref("AttendanceRow")}, (400, 401, 403)),
    ("post", "/api/join", "What the client's join page shows (R16); asked while the page is open (R35)", False,
     p.CLIENT_PAGE, 200, _ref("ClientView"), (400, 404, 409, 410, 413)),
    ("post", "/api/join/attendee", "Meeting credentials for the client", False, p.TOKEN, 200,
     _ref("JoinResponse"), (400, 404, 409, 410, 413, 503)),
    ("post", "/api/join/leave", "The client hung up (R19)", False, p.TOKEN, 200, _ref("ClientLeave"),
     (400, 404, 409, 410, 413)),
    ("get", "/api/openapi.json", "This document", False, None, 200, {"type": "object"}, ()),
]
DEV_OPERATIONS: list[tuple[str, str, str, bool, dict[str, Field] | None, int, Any, tuple[int, ...]]] = [
    ("get", "/api/dev/users", "Demo users (local stage only)", False, None, 200,
     {"type": "array", "items": _ref("DevUser")}, ()),
    ("post", "/api/dev/login", "A token for a demo user (local stage only)", False, p.DEV_LOGIN, 200,
     _ref("DevToken"), (400, 401, 404, 413)),
    ("get", "/api/dev/outbox", "Sent emails and text messages, oldest first (local stage only)", False, None, 200,
     {"type": "array", "items": _ref("DevMail")}, ()),
    ("post", "/api/dev/text-reply", "The client answers a text, STOP for example (local stage only)", False,
     p.DEV_TEXT_REPLY, 200, _ref("DevTextEvent"), (400, 413)),
    ("post", "/api/dev/text-status", "A delivery event for the last text to a number, as End User Messaging sends it "
     "(local stage only)", False, p.DEV_TEXT_STATUS, 200, _ref("DevTextEvent"), (400, 404, 413)),
    ("post", "/api/dev/sweep", "Run the sweep now: expiries and reminders (local stage only)", False, None, 200,
     _ref("DevSweep"), ()),
    ("post", "/api/dev/clock", "Move the clock forward (local stage only)", False, p.DEV_CLOCK, 200,
     _ref("DevClock"), (400, 404, 413)),
    ("post", "/api/dev/end-meeting", "End a visit's video meeting as the provider would, its session left open "
     "(local stage only)", False, p.DEV_END_MEETING, 200, _ref("DevEndedMeetings"), (400, 404, 413)),
]
MEDIA_OPERATIONS: list[tuple[str, str, str, bool, dict[str, Field] | None, int, Any, tuple[int, ...]]] = [
    ("post", "/api/media/local/signal", "Local peer-to-peer signaling", False, p.SIGNAL, 202,
     _ref("SignalAccepted"), (400, 404, 413)),
    ("post", "/api/media/local/poll", "Local signaling mailbox (long poll)", False, p.POLL, 200,
     _ref("PollResult"), (400, 404, 413)),
]


# Examples for the document's readers and for API fuzzers' example phase: one valid request body per operation.
BODY_EXAMPLES: dict[tuple[str, str], dict[str, Any]] = {
    ("patch", "/api/visits/{visit_id}"): {"start": "2026-11-25T14:00:00Z", "end": "2026-11-25T15:00:00Z"},
    ("post", "/api/visits"): {"client_id": "client-1", "employee_id": "employee-1", "service_code": "TELE",
                              "start": "2026-11-25T14:00:00Z", "end": "2026-11-25T15:00:00Z", "virtual": True},
    ("put", "/api/visits/{visit_id}/notes"): {"notes": "Client in good spirits; reviewed medication list."},
    ("post", "/api/visits/{visit_id}/invite"): {"delivery": "link"},
    ("post", "/api/clients"): {"name": "Eleanor Rigby", "email": "eleanor@example.com", "preferred_language": "es",
                               "mobile_phone": "+15551234567", "sms_consent": True},
    ("patch", "/api/clients/{client_id}"): {"email": None},
    ("post", "/api/employees"): {"name": "Maria Lopez", "email": "maria@example.com", "role": "employee"},
    ("post", "/api/service-codes"): {"code": "TELE", "name": "Telehealth check-in", "allows_virtual_visits": True},
    ("patch", "/api/service-codes/{code}"): {"name": "Telehealth visit"},
    ("patch", "/api/employees/{employee_id}"): {"active": False},
    ("patch", "/api/agency"): {"time_zone": "America/New_York", "locale": "en-US", "reminder_minutes": 15},
    ("post", "/api/join"): {"token": "bGluay10b2tlbi1mcm9tLXRoZS1qb2luLXBhZ2VzLWZyYWdtZW50"},
    ("post", "/api/join/attendee"): {"token": "bGluay10b2tlbi1mcm9tLXRoZS1qb2luLXBhZ2VzLWZyYWdtZW50"},
    ("post", "/api/join/leave"): {"token": "bGluay10b2tlbi1mcm9tLXRoZS1qb2luLXBhZ2VzLWZyYWdtZW50"},
    ("post", "/api/dev/login"): {"employee_id": "sunrise-maria"},
    ("post", "/api/dev/clock"): {"advance_minutes": 0},
    ("post", "/api/dev/text-reply"): {"to": "+15551234567", "text": "STOP"},
    ("post", "/api/dev/text-status"): {"to": "+15551234567", "event_type": "TEXT_UNREACHABLE"},
    ("post", "/api/dev/end-meeting"): {"visit_id": "visit-1"},
    ("post", "/api/media/local/signal"): {"meeting_id": "m-1", "attendee_id": "a-1", "join_token": "t-1",
                                          "type": "hello"},
    ("post", "/api/media/local/poll"): {"meeting_id": "m-1", "attendee_id": "a-1", "join_token": "t-1",
                                        "wait_ms": 0},
}
VISIT_OPERATIONS = [("get", "/api/visits/{visit_id}"), ("patch", "/api/visits/{visit_id}"),
                    ("post", "/api/visits/{visit_id}/cancel"),
                    ("get", "/api/visits/{visit_id}/session"), ("get", "/api/visits/{visit_id}/timeline"),
                    ("put", "/api/visits/{visit_id}/notes"), ("post", "/api/visits/{visit_id}/invite"),
                    ("post", "/api/visits/{visit_id}/clock-in"), ("post", "/api/visits/{visit_id}/clock-out"),
                    ("post", "/api/visits/{visit_id}/session/join"), ("post", "/api/visits/{visit_id}/session/leave"),
                    ("post", "/api/visits/{visit_id}/session/end")]
# OpenAPI links: where an id in one response goes next (readers, and API fuzzers' stateful phase, follow them).
LINKS: dict[tuple[str, str], tuple[str, str, list[tuple[str, str]]]] = {
    ("post", "/api/visits"): ("visit_id", "$response.body#/id", VISIT_OPERATIONS),
    ("get", "/api/schedule"): ("visit_id", "$response.body#/0/id", VISIT_OPERATIONS),
    ("post", "/api/clients"): ("client_id", "$response.body#/id",
                               [("patch", "/api/clients/{client_id}"), ("get", "/api/clients/{client_id}/schedule"),
                                ("get", "/api/clients/{client_id}")]),
    ("post", "/api/employees"): ("employee_id", "$response.body#/id",
                                 [("get", "/api/employees/{employee_id}/schedule"),
                                  ("patch", "/api/employees/{employee_id}")]),
    ("post", "/api/service-codes"): ("code", "$response.body#/code", [("patch", "/api/service-codes/{code}")]),
}
SEARCH = {"name": "q", "in": "query", "required": False, "description": "Words to look for (R33)",
          "schema": {"type": "string", "maxLength": MAX_SEARCH, "pattern": ONE_LINE}}
OPTIONAL_ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}
QUERY: dict[tuple[str, str], list[dict[str, Any]]] = {
    ("get", "/api/clients"): [SEARCH],
    ("get", "/api/employees"): [SEARCH],
    ("get", "/api/service-codes"): [SEARCH],
    ("get", "/api/visits"): [SEARCH, {"name": "employee_id", "in": "query", "required": False, "schema": OPTIONAL_ID},
                             {"name": "client_id", "in": "query", "required": False, "schema": OPTIONAL_ID}],
    ("get", "/api/board"): [{"name": "date", "in": "query", "required": False,
                             "schema": {"type": "string", "format": "date"},
                             "description": "A day of the agency's calendar; today there when absent"}],
}
PARAMETER_EXAMPLES = {"visit_id": "visit-1", "client_id": "client-1", "employee_id": "employee-1",
                      "from": "2026-11-25T00:00:00Z", "to": "2026-11-26T00:00:00Z", "q": "rigby", "code": "TELE",
                      "date": "2026-11-25"}


def operations(stage: str, provider: str) -> list[tuple[str, str, str, bool, dict[str, Field] | None, int, Any,
                                                        tuple[int, ...]]]:
    """The operations this deployment serves."""
    ops = list(OPERATIONS)
    if stage == "local":
        ops += DEV_OPERATIONS
    if provider == "local":
        ops += MEDIA_OPERATIONS
    return ops


# Refusals that carry more than {Code, Message}: an expired link's look carries its visit, for the page (R44).
ERROR_SCHEMAS = {("post", "/api/join", 410): "ExpiredLink"}

# Routes that never touch the table (so never answer SERVICE_BUSY).
NO_TABLE_PATHS = ("/api/openapi.json", "/api/media/local/")


def _operation(method: str, path: str, summary: str, staff: bool, fields: dict[str, Field] | None, status: int,
               schema: Any, errors: tuple[int, ...]) -> dict[str, Any]:
    def error(code: int) -> dict[str, Any]:
        schema = ERROR_SCHEMAS.get((method, path, code), "Error")
        return {"description": "Error", "content": {"application/json": {"schema": _ref(schema)}}}

    if not path.startswith(NO_TABLE_PATHS):  # every route that reads the table may answer 503 SERVICE_BUSY
        errors = tuple(sorted({*errors, 503}))
    if fields is not None:  # a body that is not JSON, is too large, or is sent as another content type
        errors = tuple(sorted({*errors, 400, 413, 415}))
    op: dict[str, Any] = {
        "summary": summary,
        "responses": {str(status): {"description": "OK", "content": {"application/json": {"schema": schema}}},
                      **{str(code): error(code) for code in errors}},
    }
    params = [{"name": seg[1:-1], "in": "path", "required": True,
               "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}}
              for seg in path.split("/") if seg.startswith("{")]
    if path.endswith("/schedule") or path.startswith("/api/reports/") or (method, path) == ("get", "/api/visits"):
        params += [{"name": name, "in": "query", "required": True, "schema": RANGE_BOUND,
                    "description": RANGE_DESCRIPTIONS[name]} for name in ("from", "to")]
    params += [dict(param) for param in QUERY.get((method, path), [])]
    for param in params:
        if param["name"] in PARAMETER_EXAMPLES:
            param["example"] = PARAMETER_EXAMPLES[param["name"]]
    if params:
        op["parameters"] = params
    if fields is not None:
        media: dict[str, Any] = {"schema": body_schema(fields)}
        if (method, path) in BODY_EXAMPLES:
            media["example"] = BODY_EXAMPLES[(method, path)]
        op["requestBody"] = {"required": True, "content": {"application/json": media}}
    op["security"] = [{"staffToken": []}] if staff else []
    return op


def _link_operations(paths: dict[str, dict[str, Any]], stage: str, provider: str) -> None:
    served = {(method, path) for method, path, *_ in operations(stage, provider)}
    for (method, path), (name, expression, targets) in LINKS.items():
        if (method, path) not in served:
            continue
        status = next(code for code in paths[path][method]["responses"] if code.startswith("2"))
        paths[path][method]["responses"][status]["links"] = {
            f"{target_method}{target_path.replace('/', '_').replace('{', '').replace('}', '')}": {
                "operationRef": "#/paths/" + target_path.replace("~", "~0").replace("/", "~1") + f"/{target_method}",
                "parameters": {name: expression},
            }
            for target_method, target_path in targets if (target_method, target_path) in served
        }


@cache
def build(stage: str, provider: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for method, path, summary, staff, fields, status, schema, errors in operations(stage, provider):
        paths.setdefault(path, {})[method] = _operation(method, path, summary, staff, fields, status, schema,
                                                        errors)
    _link_operations(paths, stage, provider)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Virtual visits API", "version": "1.0.0",
                 "description": "Virtual visits for home-care agencies. Errors are {Code, Message}."},
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"staffToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


def document() -> dict[str, Any]:
    from chalicelib.config import settings

    cfg = settings()
    return build(cfg.stage, cfg.meeting_provider)
