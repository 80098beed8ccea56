"""Virtual visits API: thin routes over chalicelib's rules, the staff authorizer, the sweep and event handlers."""

from __future__ import annotations

import gc
from typing import Any

from chalice.app import AuthResponse, Chalice, Rate

from chalicelib import http
from chalicelib import payloads as p
from chalicelib.config import route_meeting_provider, route_stage, settings
from chalicelib.http import body_of, caller_of, handles_errors
from chalicelib.services import services
from chalicelib.validation import path_id, query_bound, query_date, query_id, query_text, validate

# Powertools writes the log lines; Chalice's own plain handler on the same logger would write each one twice.
app = Chalice(app_name="virtual-visits", configure_logs=False)
app.api.binary_types = []


def _reject() -> Exception:
    """401: API Gateway answers 401 when an authorizer fails with "Unauthorized"; the local gateway needs its own."""
    try:
        from chalice.local import NotAuthorizedError
    except ImportError:
        return Exception("Unauthorized")
    import json

    from chalicelib.errors import Unauthorized

    return NotAuthorizedError({"x-amzn-ErrorType": "UnauthorizedException", "Content-Type": "application/json"},
                              json.dumps(Unauthorized().body()).encode())


@app.authorizer(ttl_seconds=300)
def authorize(auth_request: Any) -> AuthResponse:
    """Verify the staff bearer token into agency, employee and role; a deactivated employee is refused and the role
    is the directory's (R36: API Gateway keeps the answer for the cache time, 5 minutes, at most)."""
    from chalicelib.auth import bearer, verify
    from chalicelib.errors import DomainError, Unauthorized
    from chalicelib.logic.staff import signed_in

    try:
        identity = signed_in(services(), verify(bearer(auth_request.token), settings()))
    except Unauthorized:
        raise _reject() from None
    except DomainError:  # the directory could not be read: nobody is let in unchecked
        from chalicelib.observability import log

        log().warning("authorizer could not read the directory")
        raise _reject() from None
    return AuthResponse(routes=["*"], principal_id=identity["employee_id"], context=identity)


def _now() -> Any:
    return services().clock()


def _body(spec: dict[str, Any]) -> dict[str, Any]:
    return validate(body_of(app.current_request), spec)


def _caller() -> Any:
    return caller_of(app.current_request)


def _params() -> Any:
    return app.current_request.query_params if app.current_request else None


def _range() -> tuple[Any, Any]:
    """`from` and `to` as instants or dates (R37)."""
    return query_bound(_params(), "from"), query_bound(_params(), "to")


def _search() -> str:
    """The list's search text, `q` (R33)."""
    return query_text(_params(), "q")


# Staff: who am I, schedules, visit dialog -----------------------------------------------------------

@app.route("/api/me", methods=["GET"], authorizer=authorize)
@handles_errors
def me() -> Any:
    """The signed-in staff member, their agency and its time zone."""
    from chalicelib.logic.agency_admin import me as view

    return view(services(), _caller())


@app.route("/api/schedule", methods=["GET"], authorizer=authorize)
@handles_errors
def my_schedule() -> Any:
    """The caller's own visits between `from` and `to`."""
    from chalicelib.logic import schedule

    return schedule.my_schedule(services(), _caller(), *_range(), _now())


@app.route("/api/employees/{employee_id}/schedule", methods=["GET"], authorizer=authorize)
@handles_errors
def employee_schedule(employee_id: str) -> Any:
    """An employee's visits (coordinator, or the employee)."""
    from chalicelib.logic import schedule

    return schedule.employee_schedule(services(), _caller(), path_id(employee_id, "employee_id"), *_range())


@app.route("/api/clients/{client_id}/schedule", methods=["GET"], authorizer=authorize)
@handles_errors
def client_schedule(client_id: str) -> Any:
    """A client's visits (coordinator: all; employee: their own)."""
    from chalicelib.logic import schedule

    return schedule.client_schedule(services(), _caller(), path_id(client_id, "client_id"), *_range())


@app.route("/api/visits/{visit_id}", methods=["GET"], authorizer=authorize)
@handles_errors
def get_visit(visit_id: str) -> Any:
    """The visit dialog: visit, client summary, clock times and session status."""
    from chalicelib.logic import schedule

    return schedule.visit_details(services(), _caller(), path_id(visit_id, "visit_id"), _now())


@app.route("/api/visits/{visit_id}/session", methods=["GET"], authorizer=authorize)
@handles_errors
def get_session(visit_id: str) -> Any:
    """The session status the dialog and call window poll."""
    from chalicelib.logic import schedule

    return schedule.session_details(services(), _caller(), path_id(visit_id, "visit_id"), _now())


@app.route("/api/visits/{visit_id}/timeline", methods=["GET"], authorizer=authorize)
@handles_errors
def get_timeline(visit_id: str) -> Any:
    """R26: the visit's evidence, oldest first."""
    from chalicelib.logic import schedule

    return schedule.timeline(services(), _caller(), path_id(visit_id, "visit_id"))


@app.route("/api/visits/{visit_id}/notes", methods=["PUT"], authorizer=authorize)
@handles_errors
def put_notes(visit_id: str) -> Any:
    """R17: save visit notes, also while a call runs."""
    from chalicelib.logic import schedule

    body = _body(p.NOTES)
    return schedule.save_notes(services(), _caller(), path_id(visit_id, "visit_id"), body["notes"], _now())


# Staff: invite, clock, join, end --------------------------------------------------------------------

@app.route("/api/visits/{visit_id}/invite", methods=["POST"], authorizer=authorize)
@handles_errors
def invite(visit_id: str) -> Any:
    """R04-R10, R28: email or text the invite, resend it by its last channel, or return the link to copy."""
    from chalicelib.logic.invitations import invite_client

    body = _body(p.INVITE)
    return invite_client(services(), _caller(), path_id(visit_id, "visit_id"), body["delivery"], _now())


@app.route("/api/visits/{visit_id}/clock-in", methods=["POST"], authorizer=authorize)
@handles_errors
def clock_in(visit_id: str) -> Any:
    """Clock in (R08, R11)."""
    from chalicelib.logic import clocking

    return clocking.clock_in(services(), _caller(), path_id(visit_id, "visit_id"), _now())


@app.route("/api/visits/{visit_id}/clock-out", methods=["POST"], authorizer=authorize)
@handles_errors
def clock_out(visit_id: str) -> Any:
    """Clock out; ends an open session, with R22's warning if a call was active."""
    from chalicelib.logic import clocking

    return clocking.clock_out(services(), _caller(), path_id(visit_id, "visit_id"), _now())


@app.route("/api/visits/{visit_id}/session/join", methods=["POST"], authorizer=authorize)
@handles_errors
def join_session(visit_id: str) -> Any:
    """Meeting credentials for the caregiver (R11-R13, R24)."""
    from chalicelib.logic.joining import employee_join

    return employee_join(services(), _caller(), path_id(visit_id, "visit_id"), _now())


@app.route("/api/visits/{visit_id}/session/leave", methods=["POST"], authorizer=authorize)
@handles_errors
def leave_session(visit_id: str) -> Any:
    """The caregiver closed the call window; the session stays open (R24)."""
    from chalicelib.logic.joining import employee_leave

    return employee_leave(services(), _caller(), path_id(visit_id, "visit_id"), _now())


@app.route("/api/visits/{visit_id}/session/end", methods=["POST"], authorizer=authorize)
@handles_errors
def end_session(visit_id: str) -> Any:
    """Hang up: the session is over for good (R20, R23)."""
    from chalicelib.logic.ending import hang_up

    return hang_up(services(), _caller(), path_id(visit_id, "visit_id"), _now())


# Coordinator: agency data ---------------------------------------------------------------------------

@app.route("/api/visits", methods=["POST"], authorizer=authorize)
@handles_errors
def create_visit() -> Any:
    """Schedule a visit (R01)."""
    from chalicelib.logic import agency_admin

    return http.respond(agency_admin.create_visit(services(), _caller(), _body(p.VISIT_CREATE), _now()), 201)


@app.route("/api/visits", methods=["GET"], authorizer=authorize)
@handles_errors
def list_visits() -> Any:
    """The agency's visits starting in [from, to), with a search (R33, R37)."""
    from chalicelib.logic import listings

    return listings.visits(services(), _caller(), *_range(), _search(), query_id(_params(), "employee_id"),
                           query_id(_params(), "client_id"))


@app.route("/api/visits/{visit_id}", methods=["PATCH"], authorizer=authorize)
@handles_errors
def change_visit(visit_id: str) -> Any:
    """Reschedule or reassign (R10)."""
    from chalicelib.logic import agency_admin

    return agency_admin.change_visit(services(), _caller(), path_id(visit_id, "visit_id"), _body(p.VISIT_PATCH), _now())


@app.route("/api/visits/{visit_id}/cancel", methods=["POST"], authorizer=authorize)
@handles_errors
def cancel_visit(visit_id: str) -> Any:
    """R34: cancel the visit; its session ends, its links die and its meeting ends."""
    from chalicelib.logic.cancel import cancel_visit as cancel

    return cancel(services(), _caller(), path_id(visit_id, "visit_id"), _now())


@app.route("/api/board", methods=["GET"], authorizer=authorize)
@handles_errors
def live_board() -> Any:
    """R35: the day's virtual visits with their live state and flags, and visits to reassign (R36)."""
    from chalicelib.logic.board import board

    return board(services(), _caller(), query_date(_params(), "date"), _now())


@app.route("/api/agency", methods=["GET"], authorizer=authorize)
@handles_errors
def get_agency() -> Any:
    """The agency's settings (coordinator)."""
    from chalicelib.logic.agency_settings import agency_settings

    return agency_settings(services(), _caller())


@app.route("/api/agency", methods=["PATCH"], authorizer=authorize)
@handles_errors
def change_agency() -> Any:
    """Change the time zone, locale or reminder minutes (coordinator)."""
    from chalicelib.logic.agency_settings import change_agency as change

    return change(services(), _caller(), _body(p.AGENCY_PATCH))


@app.route("/api/clients", methods=["GET"], authorizer=authorize)
@handles_errors
def list_clients() -> Any:
    """The agency's clients, with a search (coordinator)."""
    from chalicelib.logic import listings

    return listings.clients(services(), _caller(), _search())


@app.route("/api/clients/{client_id}", methods=["GET"], authorizer=authorize)
@handles_errors
def get_client(client_id: str) -> Any:
    """A client's record (coordinator)."""
    from chalicelib.logic import agency_admin

    return agency_admin.get_client(services(), _caller(), path_id(client_id, "client_id"))


@app.route("/api/clients", methods=["POST"], authorizer=authorize)
@handles_errors
def create_client() -> Any:
    """Add a client; email and mobile phone are optional (R06, R28)."""
    from chalicelib.logic import agency_admin

    return http.respond(agency_admin.create_client(services(), _caller(), _body(p.CLIENT_CREATE), _now()), 201)


@app.route("/api/clients/{client_id}", methods=["PATCH"], authorizer=authorize)
@handles_errors
def update_client(client_id: str) -> Any:
    """Change a client's demographics and contact details (R28, R30)."""
    from chalicelib.logic import agency_admin

    return agency_admin.update_client(services(), _caller(), path_id(client_id, "client_id"), _body(p.CLIENT_PATCH),
                                      _now())


@app.route("/api/employees", methods=["GET"], authorizer=authorize)
@handles_errors
def list_employees() -> Any:
    """The agency's employees, with a search (coordinator)."""
    from chalicelib.logic import listings

    return listings.employees(services(), _caller(), _search())


@app.route("/api/employees", methods=["POST"], authorizer=authorize)
@handles_errors
def create_employee() -> Any:
    """Add an employee or coordinator, with their sign-in."""
    from chalicelib.logic import staff

    return http.respond(staff.create_employee(services(), _caller(), _body(p.EMPLOYEE_CREATE)), 201)


@app.route("/api/employees/{employee_id}", methods=["PATCH"], authorizer=authorize)
@handles_errors
def change_employee(employee_id: str) -> Any:
    """R36: deactivate or reactivate an employee, or change their role."""
    from chalicelib.logic import staff

    return staff.change_employee(services(), _caller(), path_id(employee_id, "employee_id"),
                                 _body(p.EMPLOYEE_PATCH), _now())


@app.route("/api/service-codes", methods=["GET"], authorizer=authorize)
@handles_errors
def list_service_codes() -> Any:
    """The agency's service codes, with a search."""
    from chalicelib.logic import listings

    return listings.service_codes(services(), _caller(), _search())


@app.route("/api/service-codes", methods=["POST"], authorizer=authorize)
@handles_errors
def create_service_code() -> Any:
    """Add a service code; `allows_virtual_visits` gates R01."""
    from chalicelib.logic import agency_admin

    return http.respond(agency_admin.create_service_code(services(), _caller(), _body(p.SERVICE_CREATE)), 201)


@app.route("/api/service-codes/{code}", methods=["PATCH"], authorizer=authorize)
@handles_errors
def change_service_code(code: str) -> Any:
    """Rename a service code or change whether it allows virtual visits."""
    from chalicelib.logic import agency_admin

    return agency_admin.update_service_code(services(), _caller(), path_id(code, "code"), _body(p.SERVICE_PATCH))


@app.route("/api/reports/virtual-visits", methods=["GET"], authorizer=authorize)
@handles_errors
def attendance_report() -> Any:
    """The attendance record of virtual visits, as JSON or CSV (`Accept: text/csv`)."""
    from chalicelib.logic import attendance

    rows = attendance.virtual_visit_report(services(), _caller(), *_range())
    accept = (app.current_request.headers.get("accept") or "") if app.current_request else ""
    if "text/csv" in accept:
        return http.respond_text(attendance.as_csv(rows), "text/csv; charset=utf-8")
    return rows


# Client: the join page ------------------------------------------------------------------------------

@app.route("/api/join", methods=["POST"])
@handles_errors
def client_view() -> Any:
    """What the join page shows (R16)."""
    from chalicelib.logic.joining import client_view as view

    body = _body(p.CLIENT_PAGE)
    return view(services(), body["token"], _now(), body.get("language"), body.get("waiting", True))


@app.route("/api/join/attendee", methods=["POST"])
@handles_errors
def client_attendee() -> Any:
    """Meeting credentials for the client (R16, R24)."""
    from chalicelib.logic.joining import client_join

    body = _body(p.TOKEN)
    return client_join(services(), body["token"], _now(), body.get("language"))


@app.route("/api/join/leave", methods=["POST"])
@handles_errors
def client_leave() -> Any:
    """The client hung up (R19)."""
    from chalicelib.logic.joining import client_leave as leave

    body = _body(p.TOKEN)
    return leave(services(), body["token"], _now(), body.get("language"))


@app.route("/api/openapi.json", methods=["GET"])
@handles_errors
def openapi() -> Any:
    """This API's OpenAPI 3 document."""
    from chalicelib.openapi import document

    return document()


# Schedules and events -------------------------------------------------------------------------------

@app.schedule(Rate(1, unit=Rate.MINUTES))
def sweep(event: Any) -> dict[str, int]:
    """R27 and R32: expire due sessions and end their meetings, and send due reminders, every minute."""
    from chalicelib.logic.expiry import sweep_expired_sessions
    from chalicelib.observability import log

    log().append_keys(handler="sweep")
    result = sweep_expired_sessions(services(), _now(), settings().sweep_batch)
    from chalicelib.observability import flush

    flush()
    return {"expired": result.expired, "meetings_deleted": result.meetings_deleted, "reconciled": result.reconciled,
            "examined": result.examined, "reminded": result.reminded}


@app.on_cw_event({"source": ["aws.chime"], "detail-type": ["Chime Meeting State Change"]})
def on_chime_event(event: Any) -> str:
    """Presence and meeting ends as Chime saw them (best effort; the sweep reconciles)."""
    from chalicelib.logic.presence import on_meeting_event
    from chalicelib.observability import flush, log

    log().append_keys(handler="chime_event")
    outcome = on_meeting_event(services(), event.detail if isinstance(event.detail, dict) else {}, _now())
    flush()
    return outcome


@app.on_cw_event({"source": ["aws.ses"], "detail-type": ["Email Bounced", "Email Complaint Received"]})
def on_email_event(event: Any) -> str:
    """Bounces and complaints from the SES configuration set mark the client's address."""
    from chalicelib.logic.email_events import on_email_event as apply
    from chalicelib.observability import flush, log

    log().append_keys(handler="email_event")
    outcome = apply(services(), event.detail if isinstance(event.detail, dict) else {}, _now())
    flush()
    return outcome


@app.on_cw_event({"source": ["aws.sms-voice"], "detail-type": ["Text Message Delivery Status Updated"]})
def on_text_event(event: Any) -> str:
    """R29: opt-outs and failed deliveries of texts mark the client, the dialog and the timeline."""
    from chalicelib.logic.text_events import on_text_event as apply
    from chalicelib.observability import flush, log

    log().append_keys(handler="text_event")
    outcome = apply(services(), event.detail if isinstance(event.detail, dict) else {}, _now())
    flush()
    return outcome


@app.middleware("http")
def observe(event: Any, get_response: Any) -> Any:
    """Request ids on every log line; every answer in the API's shape (R45); the request's metrics flushed after it."""
    from chalicelib.http import finished
    from chalicelib.observability import flush, request_keys, tracer

    context = getattr(event, "context", {}) or {}
    route = context.get("resourcePath")
    request_keys(request_id=context.get("requestId"), route=route)
    active_tracer = tracer()  # None outside Lambda: nothing imports the X-Ray SDK there
    try:
        if active_tracer is None:
            return finished(get_response(event))
        with active_tracer.provider.in_subsegment(f"## {route}"):
            return finished(get_response(event))
    finally:
        flush()


if route_stage() == "local":
    from chalicelib.dev.routes import dev_api

    app.register_blueprint(dev_api)
if route_meeting_provider() == "local":
    from chalicelib.dev.media_routes import local_media_api

    app.register_blueprint(local_media_api)

# What the import made lives as long as the process: the collector need not walk it again. Without this, the
# first request's allocations set off a full collection of every imported object (30-50 ms of a cold start).
gc.freeze()
# A request keeps a few thousand objects alive at once and frees them by reference counting; the default young
# generation (700) made the collector run several times inside a request, the tail of the CPU time per request
# (docs/PERFORMANCE.md, section 3: p99 5.2 -> 4.3 ms). Cycles are still collected, 30 times less often.
gc.set_threshold(20_000, 10, 10)
