"""The local stage's dev routes: demo users, login, the outbox, the clock, the sweep, ending a meeting as the
provider would, and a client's text reply or a text's delivery event as End User Messaging would send them. Never
registered elsewhere."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalice.app import Blueprint

from chalicelib import payloads as p
from chalicelib.auth import issue_local_token
from chalicelib.clock import ShiftedClock, iso
from chalicelib.config import settings
from chalicelib.dev.media_routes import local_provider
from chalicelib.dev.outbox import read_everything
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
    """Every email the local SES accepted and every text the local text service kept, oldest first."""
    return read_everything(settings().aws_endpoint, services().texter)


def _local_texter() -> Any:
    from chalicelib.integrations.local_texts import LocalTexter

    texter = services().texter
    if not isinstance(texter, LocalTexter):
        raise NotFound()
    return texter


@dev_api.route("/api/dev/text-reply", methods=["POST"])
@handles_errors
def dev_text_reply() -> Any:
    """The client answers a text: STOP opts the number out (and START back in), as End User Messaging does."""
    body = validate(body_of(dev_api.current_request), p.DEV_TEXT_REPLY)
    return {"outcome": _local_texter().reply(body["to"], body["text"])}


@dev_api.route("/api/dev/text-status", methods=["POST"])
@handles_errors
def dev_text_status() -> Any:
    """A delivery event for the last text sent to a number, shaped as End User Messaging puts it on EventBridge, applied
    as the app's `aws.sms-voice` handler applies it (R29)."""
    from chalicelib.logic.text_events import on_text_event

    body = validate(body_of(dev_api.current_request), p.DEV_TEXT_STATUS)
    text = _local_texter().last_to(body["to"])
    if text is None:
        raise NotFound()
    now = services().clock()
    detail = {
        "eventType": body["event_type"], "eventVersion": "1.0", "eventTimestamp": int(now.timestamp() * 1000),
        "isFinal": True, "destinationPhoneNumber": body["to"], "messageId": text["message_id"],
        "messageType": "TRANSACTIONAL", "messageStatus": body["event_type"].removeprefix("TEXT_"),
        "context": text["context"],
    }
    return {"outcome": on_text_event(services(), detail, now)}


@dev_api.route("/api/dev/sweep", methods=["POST"])
@handles_errors
def dev_sweep() -> Any:
    """Run one pass of the sweep now (it runs every minute anyway): expiries, and reminders that are due (R32)."""
    from chalicelib.logic.expiry import sweep_expired_sessions

    result = sweep_expired_sessions(services(), services().clock(), settings().sweep_batch)
    return {"expired": result.expired, "reminded": result.reminded, "examined": result.examined}


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
