"""Races (issue 6, item 3): real threads against the local stack, with moto's server as DynamoDB.

The threads of a race wait on a barrier, so their requests reach the stack's threaded server together.
Every race runs several rounds on fresh visits (more with RELIABILITY_FULL=1); the module prints how
many races it tried and how they came out.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.conftest import sent_emails
from tests.reliability.conftest import FULL

ROUNDS = 10 if FULL else 2
THREADS = 50
CAREGIVER, COORDINATOR = "sunrise-maria", "sunrise-coord"
TRIED: Counter[str] = Counter()
OUTCOMES: dict[str, Counter[str]] = {}


@dataclass(frozen=True)
class Call:
    """One request a racing thread sends `times` times in a row."""

    method: str
    path: str
    body: Any = None
    user: str | None = None
    times: int = 1


@dataclass
class Reply:
    status: int
    body: Any
    started: float
    finished: float


class Stack:
    """JSON calls to the running local stack, as one of its demo users."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.tokens: dict[str, str] = {}

    def send(self, call: Call) -> Reply:
        headers = {"Content-Type": "application/json"}
        if call.user:
            headers["Authorization"] = f"Bearer {self.token(call.user)}"
        data = json.dumps(call.body).encode() if call.body is not None else None
        request = urllib.request.Request(self.url + call.path, data=data, headers=headers, method=call.method)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        return Reply(status, json.loads(raw) if raw else None, started, time.monotonic())

    def call(self, method: str, path: str, body: Any = None, user: str | None = None) -> Reply:
        return self.send(Call(method, path, body, user))

    def token(self, user: str) -> str:
        if user not in self.tokens:
            reply = self.call("POST", "/api/dev/login", {"employee_id": user})
            assert reply.status == 200, reply.body
            self.tokens[user] = reply.body["token"]
        return self.tokens[user]

    def now(self) -> datetime:
        """The stack's own clock (/api/dev/clock can move it)."""
        reply = self.call("POST", "/api/dev/clock", {"advance_minutes": 0})
        return datetime.fromisoformat(reply.body["now"].replace("Z", "+00:00"))

    def new_visit(self) -> str:
        """A fresh virtual visit happening now, for the caregiver and the client with an email address."""
        start = self.now() - timedelta(minutes=5)
        reply = self.call("POST", "/api/visits", {
            "client_id": "sunrise-eleanor", "employee_id": CAREGIVER, "service_code": "TELE", "virtual": True,
            "start": _iso(start), "end": _iso(start + timedelta(minutes=60)),
        }, COORDINATOR)
        assert reply.status == 201, reply.body
        return str(reply.body["id"])

    def ready_visit(self, joined: bool = False) -> tuple[str, str]:
        """A visit with a copied link, its caregiver clocked in (and in the call, if asked); its link token."""
        vid = self.new_visit()
        invite = self.call("POST", f"/api/visits/{vid}/invite", {"delivery": "link"}, CAREGIVER)
        assert invite.status == 200, invite.body
        assert self.call("POST", f"/api/visits/{vid}/clock-in", user=CAREGIVER).status == 200
        if joined:
            assert self.call("POST", f"/api/visits/{vid}/session/join", user=CAREGIVER).status == 200
        return vid, str(invite.body["join_url"]).split("#", 1)[1]

    def session(self, vid: str) -> Any:
        return self.call("GET", f"/api/visits/{vid}/session", user=CAREGIVER).body

    def timeline(self, vid: str) -> list[Any]:
        return list(self.call("GET", f"/api/visits/{vid}/timeline", user=CAREGIVER).body)

    def meeting_live(self, join: Any) -> bool:
        """Whether the local provider still runs the meeting a join response handed out (signaling poll)."""
        attendee = join["attendee"]
        reply = self.call("POST", "/api/media/local/poll", {
            "meeting_id": join["meeting"]["MeetingId"], "attendee_id": attendee["attendee_id"],
            "join_token": attendee["join_token"], "wait_ms": 0,
        })
        assert reply.status in (200, 404), reply.body
        return reply.status == 200 and reply.body["ended"] is False


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def race(stack: Stack, calls: list[Call]) -> list[list[Reply]]:
    """Send the calls from one thread each, all released together; the replies, in the calls' order."""
    barrier = threading.Barrier(len(calls), timeout=60)

    def run(call: Call) -> list[Reply]:
        barrier.wait()
        return [stack.send(call) for _ in range(call.times)]

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [f.result() for f in [pool.submit(run, call) for call in calls]]


def tried(name: str, outcome: str) -> None:
    TRIED[name] += 1
    OUTCOMES.setdefault(name, Counter())[outcome] += 1


@pytest.fixture(scope="module")
def stack(live_stack: Any, request: pytest.FixtureRequest) -> Iterator[Stack]:
    yield Stack(live_stack.url)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nraces tried: {sum(TRIED.values())}")
            for name, count in TRIED.items():
                reporter.write_line(f"  {name}: {count}, outcomes {dict(OUTCOMES[name])}")


def test_concurrent_callers_each_act_as_themselves(stack: Stack) -> None:
    """Regression: the stack's server threads shared Chalice's `current_request` (a caller read another's)."""
    users = ["sunrise-maria", "sunrise-james", "sunrise-coord", "harbor-coord", "harbor-tom"]
    for _ in range(ROUNDS):
        # When five users of two agencies ask who they are, 50 requests at once
        callers = [users[i % len(users)] for i in range(THREADS)]
        replies = race(stack, [Call("GET", "/api/me", user=u) for u in callers])
        # Then every answer names its own caller and agency
        seen = [(r[0].status, r[0].body["employee_id"]) for r in replies]
        assert seen == [(200, u) for u in callers]
        tried("callers' identities (50 at once)", "each saw itself")


def test_50_concurrent_first_invites_give_one_session_and_one_valid_link(stack: Stack) -> None:
    for _ in range(ROUNDS):
        # Given a fresh virtual visit with no session yet, and the outbox as it is now
        vid = stack.new_visit()
        mails_before = len(stack.call("GET", "/api/dev/outbox").body)
        deliveries = ["email" if i % 2 else "link" for i in range(THREADS)]
        # When its caregiver sends the invite 25 times and copies the link 25 times, all at once
        replies = [r[0] for r in race(stack, [
            Call("POST", f"/api/visits/{vid}/invite", {"delivery": d}, CAREGIVER) for d in deliveries])]
        # Then every call succeeded, and every link copied or emailed is the same one
        assert [r.status for r in replies] == [200] * THREADS, [r.body for r in replies if r.status != 200]
        copied = {r.body["join_url"] for r in replies if "join_url" in r.body}
        mails = stack.call("GET", "/api/dev/outbox").body[mails_before:]
        emailed = {url for mail in mails for url in re.findall(r"http\S+/join#[A-Za-z0-9_-]{43}", mail["text"])}
        assert len(mails) == deliveries.count("email")
        assert len(copied) == 1 and emailed == copied, (copied, emailed)
        # And that link works, the session is the one invited session, and each invite is on the timeline once
        token = copied.pop().split("#", 1)[1]
        assert stack.call("POST", "/api/join", {"token": token}).status == 200
        assert stack.session(vid)["state"] == "invited"
        events = Counter(e["type"] for e in stack.timeline(vid))
        assert (events["invite_sent"], events["link_copied"]) == (deliveries.count("email"), deliveries.count("link"))
        tried("first invites (50 at once)", "one session, one link")


def test_50_concurrent_joins_give_one_meeting(stack: Stack) -> None:
    for round_ in range(ROUNDS):
        # Given a clocked-in caregiver with an invited session: no meeting yet, or (odd rounds) already in one
        rejoin = bool(round_ % 2)
        vid, token = stack.ready_visit(joined=rejoin)
        # When 50 joins arrive at once: all the caregiver's, or (odd rounds) 25 caregiver and 25 client joins
        caregivers = THREADS // 2 if rejoin else THREADS
        calls = [Call("POST", f"/api/visits/{vid}/session/join", user=CAREGIVER)] * caregivers
        calls += [Call("POST", "/api/join/attendee", {"token": token})] * (THREADS - caregivers)
        replies = [r[0] for r in race(stack, calls)]
        # Then every join gets the same live meeting, and each side keeps one attendee
        assert [r.status for r in replies] == [200] * THREADS, [r.body for r in replies if r.status != 200]
        meetings = {r.body["meeting"]["MeetingId"] for r in replies}
        attendees = {r.body["attendee"]["external_user_id"]: set() for r in replies}
        for r in replies:
            attendees[r.body["attendee"]["external_user_id"]].add(r.body["attendee"]["attendee_id"])
        assert len(meetings) == 1, meetings
        assert all(len(ids) == 1 for ids in attendees.values()), attendees
        assert stack.meeting_live(replies[0].body)
        assert stack.session(vid)["state"] == "active"
        tried("joins (50 at once)", "one meeting, rejoins" if rejoin else "one meeting, first joins")


def test_hang_up_racing_joins_leaves_nothing_live_after_the_end(stack: Stack) -> None:
    for round_ in range(ROUNDS):
        # Given a clocked-in caregiver with an invited session; in odd rounds the call is already running
        vid, token = stack.ready_visit(joined=bool(round_ % 2))
        # When a hang-up races 24 caregiver threads and 25 client threads that each join three times
        calls = [Call("POST", f"/api/visits/{vid}/session/end", user=CAREGIVER)]
        calls += [Call("POST", f"/api/visits/{vid}/session/join", user=CAREGIVER, times=3)] * 24
        calls += [Call("POST", "/api/join/attendee", {"token": token}, times=3)] * 25
        results = race(stack, calls)
        end, joins = results[0][0], [r for replies in results[1:] for r in replies]
        # Then the hang-up ended the session for good, once
        assert end.status == 200 and end.body["state"] == "over", end.body
        session = stack.session(vid)
        assert (session["state"], session["ended_reason"]) == ("over", "hang_up")
        assert [e["type"] for e in stack.timeline(vid)].count("session_ended") == 1
        # And joins either got in before the end or were refused: none that started after the end's answer got in
        assert {r.status for r in joins} <= {200, 409}, [r.body for r in joins if r.status not in (200, 409)]
        assert not [r for r in joins if r.status == 200 and r.started > end.finished]
        # And no meeting any join was handed is still live
        live = {r.body["meeting"]["MeetingId"] for r in joins if r.status == 200 and stack.meeting_live(r.body)}
        assert not live, live
        # And later joins are refused with R23's answer
        assert stack.call("POST", f"/api/visits/{vid}/session/join", user=CAREGIVER).body["Code"] == "SESSION_OVER"
        assert stack.call("POST", "/api/join/attendee", {"token": token}).body["Code"] == "SESSION_OVER"
        got_in = sum(1 for r in joins if r.status == 200)
        tried("hang-up vs 49 joining threads", "joins before the end, then refused" if got_in else "end first")


def test_hang_up_racing_email_invites_leaves_every_sent_email_on_the_timeline(stack: Stack) -> None:
    """Regression: an invite whose email went out while the session ended left no trace (R26) and said CONFLICT."""
    for round_ in range(ROUNDS):
        # Given an invited session, idle or (odd rounds) with the caregiver in the call
        vid, _ = stack.ready_visit(joined=bool(round_ % 2))
        mails_before = len(stack.call("GET", "/api/dev/outbox").body)
        # When the caregiver hangs up while 49 email invites are on their way
        results = race(stack, [Call("POST", f"/api/visits/{vid}/session/end", user=CAREGIVER)]
                       + [Call("POST", f"/api/visits/{vid}/invite", {"delivery": "email"}, CAREGIVER)] * 49)
        end, invites = results[0][0], [r[0] for r in results[1:]]
        # Then the session is over, and each invite either went out before the end or was refused as over
        assert end.status == 200 and stack.session(vid)["state"] == "over"
        answers = Counter((r.status, (r.body or {}).get("Code")) for r in invites)
        assert set(answers) <= {(200, None), (409, "SESSION_OVER")}, answers
        # And every email that went out is on the timeline, as the evidence of R26
        mails = len(stack.call("GET", "/api/dev/outbox").body) - mails_before
        timeline = [e["type"] for e in stack.timeline(vid)]
        assert timeline.count("invite_sent") == mails, (mails, Counter(timeline))
        assert timeline.count("session_ended") == 1
        sent_before = "all" if mails == len(invites) else "some" if mails else "none"
        tried("hang-up vs 49 email invites", f"{sent_before} sent before the end, every one on the timeline")


def test_clock_out_racing_hang_up_yields_one_end_reason(stack: Stack) -> None:
    for _ in range(ROUNDS * 3):
        # Given a caregiver in an active call
        vid, _ = stack.ready_visit(joined=True)
        joined = stack.call("POST", f"/api/visits/{vid}/session/join", user=CAREGIVER)
        # When clock-out and hang-up are pressed at the same moment
        (clock_out,), (hang_up,) = race(stack, [
            Call("POST", f"/api/visits/{vid}/clock-out", user=CAREGIVER),
            Call("POST", f"/api/visits/{vid}/session/end", user=CAREGIVER),
        ])
        assert (clock_out.status, hang_up.status) == (200, 200), (clock_out.body, hang_up.body)
        # Then the session has one end reason, and both answers and the timeline agree on it
        session = stack.session(vid)
        reason = session["ended_reason"]
        assert session["state"] == "over" and reason in ("hang_up", "clock_out")
        assert clock_out.body["session"]["ended_reason"] == reason == hang_up.body["ended_reason"]
        timeline = stack.timeline(vid)
        assert [e.get("detail") for e in timeline if e["type"] == "session_ended"] == [reason]
        assert [e["type"] for e in timeline].count("clocked_out") == 1
        # And R22's warning comes only with a clock-out that ended the call itself
        assert ("warning" in clock_out.body) == (reason == "clock_out")
        assert not stack.meeting_live(joined.body)
        tried("clock-out vs hang-up", reason)


def test_50_overlapping_sweeps_send_one_reminder(stack: Stack) -> None:
    """R32: at most one reminder per link generation, however many sweeps run at once (each takes the reminder with
    a conditional write, and only the one that took it sends)."""
    for _ in range(ROUNDS):
        # Given a visit 16 minutes ahead, invited by email: its reminder is due in a minute
        start = stack.now() + timedelta(minutes=16)
        reply = stack.call("POST", "/api/visits", {
            "client_id": "sunrise-eleanor", "employee_id": CAREGIVER, "service_code": "TELE", "virtual": True,
            "start": _iso(start), "end": _iso(start + timedelta(minutes=45)),
        }, COORDINATOR)
        vid = str(reply.body["id"])
        assert stack.call("POST", f"/api/visits/{vid}/invite", {"delivery": "email"}, CAREGIVER).status == 200
        mails_before = len(stack.call("GET", "/api/dev/outbox").body)
        assert stack.call("POST", "/api/dev/clock", {"advance_minutes": 1}).status == 200
        # When 50 sweeps run at once (the stack's own sweep may be one more)
        replies = [r[0] for r in race(stack, [Call("POST", "/api/dev/sweep") for _ in range(THREADS)])]
        # Then every sweep answered, one reminder email went out, and the timeline has it once
        assert [r.status for r in replies] == [200] * THREADS, [r.body for r in replies if r.status != 200]
        mails = stack.call("GET", "/api/dev/outbox").body[mails_before:]
        assert [m["subject"] for m in mails] == ["Your video visit starts soon"], mails
        assert Counter(e["type"] for e in stack.timeline(vid))["reminder_sent"] == 1
        assert sum(r.body["reminded"] for r in replies) <= 1
        tried("overlapping sweeps (50 at once)", "one reminder")


def test_the_local_dynamodb_applies_racing_transactions_atomically(caplog: pytest.LogCaptureFixture) -> None:
    """Regression: moto's threaded server interleaved transactions (500s, and lost or undone writes).

    DynamoDB runs each transaction atomically; the local stack's moto now serves one request at a time.
    """
    import boto3
    from botocore.config import Config

    from devstack.moto_server import start_moto

    caplog.set_level(logging.ERROR, logger="werkzeug")
    moto = start_moto()
    table = f"atomicity-{uuid.uuid4().hex}"
    ddb = boto3.client("dynamodb", endpoint_url=moto.url, region_name="us-east-1", aws_access_key_id="local",
                       aws_secret_access_key="local",
                       config=Config(max_pool_connections=THREADS, retries={"mode": "standard", "max_attempts": 1}))
    try:
        # Given a table with some items in it
        ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
        for i in range(200):
            ddb.put_item(TableName=table, Item={"pk": {"S": f"item-{i}"}, "data": {"S": "x" * 200}})

        # When 50 threads commit transactions at once, and every second one fails its condition
        def transact(i: int) -> str:
            items: list[Any] = [{"Put": {"TableName": table, "Item": {"pk": {"S": f"written-{i}"}}}}]
            if i % 2:
                items.append({"ConditionCheck": {"TableName": table, "Key": {"pk": {"S": "missing"}},
                                                 "ConditionExpression": "attribute_exists(pk)"}})
            try:
                ddb.transact_write_items(TransactItems=items)
            except ddb.exceptions.TransactionCanceledException:
                return "cancelled"
            return "committed"

        barrier = threading.Barrier(THREADS, timeout=60)
        with ThreadPoolExecutor(THREADS) as pool:
            outcomes = list(pool.map(lambda i: (barrier.wait(), transact(i))[1], range(THREADS)))
        # Then exactly the transactions whose conditions hold committed, and all their writes are there
        assert outcomes == ["cancelled" if i % 2 else "committed" for i in range(THREADS)]
        kept = [i for i in range(THREADS) if "Item" in ddb.get_item(TableName=table, Key={"pk": {"S": f"written-{i}"}})]
        assert kept == list(range(0, THREADS, 2))
    finally:
        ddb.delete_table(TableName=table)
        moto.stop()


def test_the_stacks_output_keeps_being_read(live_stack: Any) -> None:
    """Regression: nobody read the child stack's stdout after its READY line; a full pipe froze its logging."""
    from devstack.stack import drain

    # Given the running stack, its output is read by a thread of this process
    assert any(t.name == "devstack-output" and t.is_alive() for t in threading.enumerate())
    # And the reader consumes a stream far larger than a pipe holds, keeping its last lines
    read, write = os.pipe()
    kept: deque[str] = deque(maxlen=3)
    reader = threading.Thread(target=drain, args=(os.fdopen(read), kept))
    reader.start()
    with os.fdopen(write, "w") as stream:
        for i in range(20_000):
            stream.write(f"log line {i} {'x' * 40}\n")
    reader.join(timeout=30)
    assert list(kept) == [f"log line {i} {'x' * 40}\n" for i in (19_997, 19_998, 19_999)]


def test_an_email_sent_while_the_session_ends_is_recorded_and_answered_as_over(
        api: Any, tokens: dict[str, str], make_visit: Any, flow: Any, services: Any) -> None:
    """The same race, made deterministic: the hang-up lands while SES is sending the invite."""
    from chalicelib.logic.access import Caller
    from chalicelib.logic.ending import hang_up

    # Given an invited session, and SES that takes its time: the caregiver hangs up meanwhile
    vid = make_visit()
    flow.link(vid)
    send = services.mailer.send

    def slow_send(email: Any, tags: Any = None) -> str:
        message_id = send(email, tags=tags)
        hang_up(services, Caller("ag1", "emp1", "employee"), vid, services.clock())
        return message_id

    services.mailer.send = slow_send
    # When the email invite completes after the end
    response = flow.invite(vid)
    # Then the caregiver hears the session is over, and the email that went out is on the timeline
    assert response.status_code == 409 and response.json_body["Code"] == "SESSION_OVER"
    assert flow.timeline(vid) == ["link_copied", "session_ended", "invite_sent"]  # same time: in write order
    assert len(sent_emails()) == 1


def test_the_local_dynamodb_keeps_no_copies_of_its_tables(caplog: pytest.LogCaptureFixture) -> None:
    """Regression: moto kept every object it made, and each transaction deep-copies the table, so the local
    stack grew by a table per write; after a few hundred racing requests the outbox (moto's data.json) took
    over 5 s and failed with 500, holding every other request behind it.
    """
    import boto3
    from moto.dynamodb.models.dynamo_type import Item

    from chalicelib.dev.outbox import read_outbox
    from devstack.moto_server import start_moto

    caplog.set_level(logging.ERROR, logger="werkzeug")
    moto = start_moto()
    table = f"copies-{uuid.uuid4().hex}"
    options: dict[str, Any] = {"endpoint_url": moto.url, "region_name": "us-east-1",
                               "aws_access_key_id": "local", "aws_secret_access_key": "local"}
    ddb, ses = boto3.client("dynamodb", **options), boto3.client("sesv2", **options)
    try:
        # Given a table of 300 items, 100 transactions on it, and one invite email sent
        ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
        for start in range(0, 300, 25):
            ddb.batch_write_item(RequestItems={table: [
                {"PutRequest": {"Item": {"pk": {"S": f"item-{i}"}, "data": {"S": "x" * 100}}}}
                for i in range(start, start + 25)]})
        for i in range(100):
            ddb.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": {"pk": {"S": f"tx-{i}"}}}}])
        ses.create_email_identity(EmailIdentity="outbox.example.test")
        raw = (b"From: visits@outbox.example.test\r\nTo: c@client.example.test\r\nSubject: Your video visit link\r\n"
               b"Content-Type: text/plain\r\n\r\nJoin here\r\n")
        ses.send_email(FromEmailAddress="visits@outbox.example.test",
                       Destination={"ToAddresses": ["c@client.example.test"]}, Content={"Raw": {"Data": raw}})
        # When the stack's outbox is read
        started = time.monotonic()
        mails = read_outbox(moto.url)
        took = time.monotonic() - started
    finally:
        ddb.delete_table(TableName=table)
        moto.stop()
    # Then moto kept no copies of the items, and the outbox answered at once with the mail
    assert len(Item.instances_tracked) == 0  # type: ignore[attr-defined]
    assert [(m["to"], m["subject"]) for m in mails][-1] == ("c@client.example.test", "Your video visit link")
    assert took < 1.0, took
