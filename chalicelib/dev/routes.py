"""The local stage's dev routes: demo users, login, the outbox, the clock, and ending a meeting as the provider
would. Never registered elsewhere."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalice.app import Blueprint

from chalicelib import payloads as p
from chalicelib.auth import issue_local_token
from chalicelib.clock import ShiftedClock, iso
from chalicelib.config import settings
from chalicelib.dev.media_routes import local_provider
from chalicelib.dev.outbox import read_outbox
from chalicelib.errors import DEACTIVATED, NotFound, Unauthorized
from chalicelib.http import body_of, handles_errors
from chalicelib.integrations.meetings import meeting_external_id
from chalicelib.services import services
from chalicelib.validation import validate

dev_api = Blueprint(__name__)


def _users() -> list[dict[str, Any]]:
    users = []
    for agency_id in settings().dev_agency_ids:
        for employee in services().directory.list_employees(agency_id):
            users.append({"employee_id": employee.employee_id, "agency_id": agency_id,
                          "name": employee.name, "role": employee.role, "active": employee.active})
    return users


@dev_api.route("/api/dev/users", methods=["GET"])
@handles_errors
def dev_users() -> Any:
    """The demo users to sign in as."""
    return _users()


@dev_api.route("/api/dev/login", methods=["POST"])
@handles_errors
def dev_login() -> Any:
    """A locally signed token for one demo user."""
    body = validate(body_of(dev_api.current_request), p.DEV_LOGIN)
    for user in _users():
        if user["employee_id"] == body["employee_id"]:
            if not user["active"]:
                raise Unauthorized(DEACTIVATED)  # R36: as Cognito refuses a disabled user
            return {"token": issue_local_token(settings(), user["agency_id"], user["employee_id"], user["role"])}
    raise NotFound()


@dev_api.route("/api/dev/outbox", methods=["GET"])
@handles_errors
def dev_outbox() -> Any:
    """Every email the local SES accepted."""
    endpoint = settings().aws_endpoint
    return read_outbox(endpoint) if endpoint else []


@dev_api.route("/api/dev/clock", methods=["POST"])
@handles_errors
def dev_clock() -> Any:
    """Move the app's clock forward, to see expiry without waiting."""
    body = validate(body_of(dev_api.current_request), p.DEV_CLOCK)
    clock = services().clock
    if not isinstance(clock, ShiftedClock):
        raise NotFound()
    return {"now": iso(clock.advance(timedelta(minutes=body["advance_minutes"])))}


@dev_api.route("/api/dev/end-meeting", methods=["POST"])
@handles_errors
def dev_end_meeting() -> Any:
    """End a visit's live meeting as Chime ends an idle one: the session stays open and the next join makes a new
    meeting. Shows how the call window and the join page recover."""
    body = validate(body_of(dev_api.current_request), p.DEV_END_MEETING)
    return {"ended": local_provider().end_by_provider(meeting_external_id(body["visit_id"]))}
