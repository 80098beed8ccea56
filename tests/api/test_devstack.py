"""`make dev`'s stack, over real HTTP: the README's curl walk-through, step by step."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

import pytest

from devstack.stack import start_stack


@pytest.fixture(scope="module")
def stack():
    running = start_stack(port=0)
    yield running
    running.stop()


def call(url: str, method: str = "GET", body: Any = None, token: str | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_readme_walkthrough(stack):
    b = stack.url
    # 1. log in as the demo caregiver
    status, users = call(f"{b}/api/dev/users")
    assert status == 200 and any(u["employee_id"] == "sunrise-maria" for u in users)
    token = call(f"{b}/api/dev/login", "POST", {"employee_id": "sunrise-maria"})[1]["token"]
    v = f"{b}/api/visits/sunrise-v-now"
    # 2. send the invite; 3. read the link in the outbox
    assert call(f"{v}/invite", "POST", {"delivery": "email"}, token)[0] == 200
    mail = call(f"{b}/api/dev/outbox")[1][-1]
    assert mail["to"] == "eleanor@client.example.test"
    link = re.search(r"(http\S+/join)#(\S+)", mail["text"])
    assert link and link.group(1) == f"{b}/join"
    t = link.group(2)
    # 4. clock in; 5. join
    assert call(f"{v}/clock-in", "POST", None, token)[0] == 200
    status, joined = call(f"{v}/session/join", "POST", None, token)
    assert status == 200 and joined["provider"] == "local"
    # 6. the client joins; 7. leaves; 8. rejoins as the same attendee
    status, client = call(f"{b}/api/join/attendee", "POST", {"token": t})
    assert status == 200 and client["meeting"]["MeetingId"] == joined["meeting"]["MeetingId"]
    assert call(f"{b}/api/join/leave", "POST", {"token": t}) == (200, {"state": "active"})
    again = call(f"{b}/api/join/attendee", "POST", {"token": t})[1]
    assert again["attendee"]["attendee_id"] == client["attendee"]["attendee_id"]
    # 9. hang up; 10. the next join is refused with R23's text; 11. clock out
    assert call(f"{v}/session/end", "POST", None, token)[1]["state"] == "over"
    status, refused = call(f"{v}/session/join", "POST", None, token)
    assert status == 409 and refused["Message"].startswith("The virtual session for this visit is over.")
    assert call(f"{v}/clock-out", "POST", None, token)[0] == 200
    # the local media signaling exists and refuses strangers
    stranger = {"meeting_id": "x", "attendee_id": "y", "join_token": "z"}
    assert call(f"{b}/api/media/local/poll", "POST", stranger)[0] == 404


def test_devstack_gateway_errors_are_code_and_message(stack):
    assert call(f"{stack.url}/api/me") == (401, {"Code": "UNAUTHORIZED", "Message": "Sign in to continue."})
    status, body = call(f"{stack.url}/api/nowhere")
    assert status == 404 and body["Code"] == "NOT_FOUND"


def test_devstack_local_signaling_between_two_attendees(stack):
    b = stack.url
    token = call(f"{b}/api/dev/login", "POST", {"employee_id": "harbor-tom"})[1]["token"]
    v = f"{b}/api/visits/harbor-v-now"
    link = call(f"{v}/invite", "POST", {"delivery": "link"}, token)[1]["join_url"].split("#")[1]
    call(f"{v}/clock-in", "POST", None, token)
    emp = call(f"{v}/session/join", "POST", None, token)[1]
    cli = call(f"{b}/api/join/attendee", "POST", {"token": link})[1]
    me = {"meeting_id": emp["meeting"]["MeetingId"], "attendee_id": emp["attendee"]["attendee_id"],
          "join_token": emp["attendee"]["join_token"]}
    them = {"meeting_id": cli["meeting"]["MeetingId"], "attendee_id": cli["attendee"]["attendee_id"],
            "join_token": cli["attendee"]["join_token"]}
    assert call(f"{b}/api/media/local/signal", "POST", {**me, "type": "offer", "payload": {"sdp": "v=0"}}) == (
        202, {"seq": 1})
    status, got = call(f"{b}/api/media/local/poll", "POST", {**them, "after": 0, "wait_ms": 1000})
    assert status == 200 and got["messages"][0]["type"] == "offer" and got["messages"][0]["payload"] == {"sdp": "v=0"}
    assert set(got["present"]) == {me["attendee_id"], them["attendee_id"]}
    call(f"{v}/session/end", "POST", None, token)
    assert call(f"{b}/api/media/local/poll", "POST", {**them, "after": 1})[1]["ended"] is True
    # the dev clock moves expiry without waiting
    assert call(f"{b}/api/dev/clock", "POST", {"advance_minutes": 24 * 60})[0] == 200
    assert call(f"{b}/api/join", "POST", {"token": link})[0] == 410


def test_r36_a_deactivated_caregiver_is_refused_by_the_stack_and_its_sign_in(stack):
    b = stack.url
    coord = call(f"{b}/api/dev/login", "POST", {"employee_id": "harbor-coord"})[1]["token"]
    ana = call(f"{b}/api/dev/login", "POST", {"employee_id": "harbor-ana"})[1]["token"]
    assert call(f"{b}/api/me", token=ana)[0] == 200
    # Given a visit of hers an hour from the stack's now (other tests move its clock)
    now = datetime.fromisoformat(call(f"{b}/api/dev/clock", "POST", {"advance_minutes": 0})[1]["now"])
    visit = {"client_id": "harbor-agnes", "employee_id": "harbor-ana", "service_code": "TELE", "virtual": True,
             "start": (now + timedelta(hours=1)).isoformat(), "end": (now + timedelta(hours=2)).isoformat()}
    status, created = call(f"{b}/api/visits", "POST", visit, coord)
    assert status == 201
    # When her coordinator deactivates her
    assert call(f"{b}/api/employees/harbor-ana", "PATCH", {"active": False}, coord)[0] == 200
    # Then her token answers 401, the sign-in refuses her, and the board lists her visit for reassignment
    assert call(f"{b}/api/me", token=ana) == (401, {"Code": "UNAUTHORIZED", "Message": "Sign in to continue."})
    assert call(f"{b}/api/dev/login", "POST", {"employee_id": "harbor-ana"}) == (401, {
        "Code": "UNAUTHORIZED", "Message": "This account was deactivated. Ask your coordinator."})
    users = {u["employee_id"]: u["active"] for u in call(f"{b}/api/dev/users")[1]}
    assert users["harbor-ana"] is False and users["harbor-tom"] is True
    board = call(f"{b}/api/board", token=coord)[1]
    assert created["id"] in [v["id"] for v in board["reassign"]]
    # When she is reactivated, she signs in again
    assert call(f"{b}/api/employees/harbor-ana", "PATCH", {"active": True}, coord)[0] == 200
    assert call(f"{b}/api/dev/login", "POST", {"employee_id": "harbor-ana"})[0] == 200
