"""Lifecycle properties (issue 6): a Hypothesis state machine drives one visit's session through every rule.

Each example is a fresh virtual visit on moto, a movable clock, the real routes (chalice.test.Client) and the real
`ChimeMeetings` integration on a real `chime-sdk-meetings` client, answered by `FakeChime` (see fake_chime.py for
why it is a stateful fake behind botocore's hooks rather than a Stubber queue). The machine keeps a model of what
SPEC.md says must happen, checks every answer against it, and after every step checks the invariants:

- nothing joins after the session is over or expired (no 200 join, and no attendee or meeting made at Chime);
- at most one live meeting per visit, and none once the session ended (when Chime was reachable to delete it);
- an old link never works after a reschedule (404 INVALID_LINK), and a resend sends the same link (R09, R10);
- the timeline is append-only and ordered: nothing written is ever changed or removed, lines are ordered by
  time, what a call writes carries that call's time, and each state change writes its line (R26);
- every email sent matches an `invite_sent` line on the timeline, and carries the link of its time;
- terminal states stay terminal: once `over` or `expired`, always that, with the same reason;
- the session status (state, staleness, last invite, expiry, end reason) is what the model says.

`make reliability` (RELIABILITY_FULL=1) runs 100 examples x 50 steps; `make test` runs a small, real sample.
Figures of the last run are written to test-output/reliability/lifecycle.json.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.conftest import NOW, ROOT, Api, email_parts, iso, sent_emails
from tests.reliability.conftest import FULL
from tests.reliability.fake_chime import FakeChime

# Full: issue 6's 100 x 50. Small (`make test`): a real sample in about a minute; LIFECYCLE_EXAMPLES and
# LIFECYCLE_STEPS override either for a local hunt.
EXAMPLES = int(os.environ.get("LIFECYCLE_EXAMPLES", 100 if FULL else 20))
STEPS = int(os.environ.get("LIFECYCLE_STEPS", 50 if FULL else 20))
GRACE = timedelta(minutes=15)
REMINDER_LEAD = timedelta(minutes=15)  # the agency's default `reminder_minutes` (R32)
REMINDER_SUBJECT = "Your video visit starts soon"
OPEN = ("invited", "active")
TERMINAL = ("over", "expired")
DIRECTORY_PARTITIONS = {"AGENCY#ag1", "AGENCY#ag2"}
CLIENT_EMAIL = "eleanor.rigby@mail.example.test"

TEXT = {
    "INVALID_LINK": "This link is no longer valid. Please ask your care provider for a new invitation.",
    "LINK_EXPIRED": ("The link to the virtual session has expired. Create a new visit and send a new invite to the "
                     "client."),
    "CLIENT_LINK_EXPIRED": "This link has expired. Please contact your care provider for a new invitation.",
    "SESSION_OVER": "The virtual session for this visit is over. Create a new visit to start another virtual session.",
    "CLIENT_SESSION_OVER": "Your caregiver has ended the session. You can now close this page.",
    "NOT_CLOCKED_IN": "You must clock in to the visit before you can join the video session.",
    "NO_SESSION": "Send the invite to the client before joining the video session.",
}


@dataclass
class ModelSession:
    """What the virtual session must be, as SPEC.md and the design say."""

    state: str  # invited, active, over, expired (as stored; `effective` adds expiry by the clock)
    expires_at: datetime
    link_gen: int  # the schedule version of the session's current link
    sent_gen: int  # the schedule version of the link the client last received
    last_invite: datetime | None = None
    ended_reason: str | None = None


class Figures:
    examples = 0
    steps = 0
    rules: ClassVar[Counter[str]] = Counter()
    chime_faults = 0
    chime_calls = 0
    emails = 0
    reminders = 0
    events_delivered = 0


class Harness:
    """What the machine runs against; set by the test before the machine runs."""

    api: Api
    tokens: dict[str, str]
    clock: Any


def wipe_visits() -> None:
    """Delete everything but the seeded agencies (cheap: keys only), and forget sent mail."""
    import boto3
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    from chalicelib.config import settings as app_settings

    table = app_settings().table_name
    ddb = boto3.client("dynamodb", region_name="us-east-1")
    doomed = [item for page in ddb.get_paginator("scan").paginate(TableName=table, ProjectionExpression="pk, sk")
              for item in page["Items"] if item["pk"]["S"] not in DIRECTORY_PARTITIONS]
    for i in range(0, len(doomed), 25):
        ddb.batch_write_item(RequestItems={table: [{"DeleteRequest": {"Key": k}} for k in doomed[i:i + 25]]})
    ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages.clear()


def token_of(url: str) -> str:
    match = re.search(r"/join#([A-Za-z0-9_-]{43})$", url)
    assert match, url
    return match.group(1)


def varied(rule_function: Any) -> Any:
    """No rule runs more than three times in a row: Hypothesis likes long runs of one rule, and a fourth refused
    clock-in or reassignment in a row tells nothing new, while it uses up the example's steps."""
    name = rule_function.__name__
    return precondition(lambda self: self.history[-3:] != [name] * 3)(rule_function)


class LifecycleMachine(RuleBasedStateMachine):
    """One visit, its session, its links, its meeting and its timeline, step by step."""

    def __init__(self) -> None:
        super().__init__()
        from chalicelib.integrations.meetings import ChimeMeetings
        from chalicelib.services import Services, use_services

        Figures.examples += 1
        self.api, self.tokens, self.clock = Harness.api, Harness.tokens, Harness.clock
        self.clock.offset = timedelta()
        wipe_visits()
        self.chime = FakeChime(self.clock)
        self.backoffs: list[float] = []
        use_services(Services(clock=self.clock, meetings=ChimeMeetings(self.chime.client, "us-east-1",
                                                                       sleep=self.backoffs.append)))
        self.vid = ""
        self.session: ModelSession | None = None
        self.links: dict[int, str] = {}  # schedule version -> the link token of that version
        self.version = 1
        self.assigned = "emp1"
        self.clocked_in = self.clocked_out = False
        self.seen_terminal: tuple[str, str | None] | None = None
        self.terminal_calls = -1  # index into the fake's call log when the session became terminal
        self.delete_pending = False  # ended while Chime was down: the sweep must finish the delete
        self.timeline: Counter[tuple[Any, ...]] = Counter()
        self.expect_events: list[str] = []
        self.step_at_now = True
        self.emails_checked = 0
        self.parsed_emails: list[Any] = []
        self.generation_starts: dict[int, datetime] = {}  # link generation -> the visit's start it was issued for
        self.steps_taken = 0
        self.history: list[str] = []

    # Helpers ----------------------------------------------------------------------------------------------

    def ran(self, rule_name: str, kind: str | None = None) -> None:
        Figures.rules[kind or rule_name] += 1
        self.history.append(rule_name)

    def now(self) -> datetime:
        return self.clock()

    def call(self, method: str, path: str, body: Any = None, who: str | None = None) -> Any:
        token = self.tokens[who] if who else None
        return self.api.call(method, path, body, token)

    def expect(self, response: Any, status: int, code: str | None = None, text: str | None = None) -> Any:
        body = response.json_body
        assert response.status_code == status, (response.status_code, body, "expected", status, code)
        if code is not None:
            assert body["Code"] == code, body
        if text is not None:
            assert body["Message"] == TEXT[text], body
        return body

    def caller(self, as_other: bool) -> str:
        return self.other() if as_other else self.assigned

    def other(self) -> str:
        return "emp2" if self.assigned == "emp1" else "emp1"

    def effective(self) -> str:
        s = self.session
        if s is None:
            return "none"
        if s.state in OPEN and self.now() >= s.expires_at:
            return "expired"
        return s.state

    def link_dead(self) -> bool:
        """R13 for the caregiver: the session (or, before one exists, the visit) is past its link expiry."""
        s = self.session
        if s is not None and (s.state == "expired" or self.now() >= s.expires_at):
            return True
        return self.now() >= self.end + GRACE

    def end_session(self, terminal: str, reason: str) -> None:
        assert self.session is not None
        self.session.state, self.session.ended_reason = terminal, reason
        self.expect_events.append("link_expired" if terminal == "expired" else "session_ended")
        if self.chime.down:  # the meeting's delete waits for a sweep with Chime reachable
            self.delete_pending = True
        self.browser_leaves(f"employee-{self.assigned}")  # both windows show that the session is over (R20)
        self.browser_leaves(f"client-{self.vid}")

    def browser_leaves(self, who: str, dropped: bool = False) -> None:
        self.chime.disconnect(who, self.now(), dropped)

    def emails(self, reminders: bool = False) -> list[Any]:
        """The invite emails sent, or (`reminders`) the reminder emails (R32)."""
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends

        if len(ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages) != len(self.parsed_emails):
            self.parsed_emails = sent_emails()
        return [m for m in self.parsed_emails if (m["Subject"] == REMINDER_SUBJECT) == reminders]

    # Setup ------------------------------------------------------------------------------------------------

    @initialize(with_email=st.sampled_from([True, True, True, False]),
                start_in=st.integers(min_value=-40, max_value=30), minutes=st.sampled_from([30, 60]),
                progress=st.sampled_from([0, 1, 2, 3, 4, 4, 4, 4]), delivery=st.sampled_from(["email", "link"]))
    def create_visit(self, with_email: bool, start_in: int, minutes: int, progress: int, delivery: str) -> None:
        """A fresh visit, taken some way into the lifecycle through the same checked rules (short runs reach
        the call too: invite, clock in, caregiver joins, client joins)."""
        self.client_id = "cli1" if with_email else "cli2"
        self.start = self.now() + timedelta(minutes=start_in)
        self.end = self.start + timedelta(minutes=minutes)
        body = self.expect(self.call("POST", "/api/visits", {
            "client_id": self.client_id, "employee_id": "emp1", "service_code": "TELE",
            "start": iso(self.start), "end": iso(self.end), "virtual": True,
        }, "coord"), 201)
        self.vid = body["id"]
        steps = [lambda: self.invite(delivery if with_email else "link", False), lambda: self.clock_in(False),
                 lambda: self.employee_join(False), lambda: self.client_join_current()]
        for step in steps[:progress]:
            step()

    def client_join_current(self) -> None:
        token = self.links.get(self.version)
        if token is not None:
            self.client_join_with(token, self.version)

    # Inviting (R04-R10, R13, R23) -----------------------------------------------------------------------

    @varied
    @rule(delivery=st.sampled_from(["email", "link"]), as_other=st.sampled_from([False, False, False, True]))
    def invite(self, delivery: str, as_other: bool) -> None:
        self.ran("invite")
        response = self.call("POST", f"/api/visits/{self.vid}/invite", {"delivery": delivery},
                             self.other() if as_other else self.assigned)
        if as_other:
            self.expect(response, 403, "NOT_ASSIGNED")
            return
        if self.session is not None and self.session.state == "over":
            self.expect(response, 409, "SESSION_OVER", "SESSION_OVER")
            return
        if self.link_dead():
            self.expect(response, 410, "LINK_EXPIRED", "LINK_EXPIRED")
            return
        if delivery == "email" and self.client_id == "cli2":
            self.expect(response, 422, "CLIENT_HAS_NO_EMAIL")
            return
        body = self.expect(response, 200)
        now = self.now()
        if self.session is None:
            self.session = ModelSession("invited", self.end + GRACE, self.version, self.version)
        elif self.session.link_gen != self.version:  # R10: a send after a time change issues a fresh link
            self.session.link_gen, self.session.expires_at = self.version, self.end + GRACE
        self.session.sent_gen = self.session.link_gen
        self.generation_starts.setdefault(self.session.link_gen, self.start)
        if delivery == "email":
            self.session.last_invite = now
            sent = self.emails()
            assert len(sent) == self.emails_checked + 1, "exactly one email per emailed invite"
            message = sent[-1]
            assert message["To"] == CLIENT_EMAIL
            token = token_of(re.search(r"https://\S+/join#\S{43}", email_parts(message)[0]).group(0))  # type: ignore[union-attr]
            self.emails_checked += 1
            Figures.emails += 1
            self.expect_events.append("invite_sent")
        else:
            token = token_of(body["join_url"])
            self.expect_events.append("link_copied")
        known = self.links.get(self.session.link_gen)
        assert known in (None, token), "R09: a resend of the same schedule sends the same link"
        assert token not in [t for g, t in self.links.items() if g != self.session.link_gen], "R10: a fresh link"
        self.links[self.session.link_gen] = token
        assert body["session"]["state"] == self.effective()

    # Coordinator: reschedule and reassign (R10) ----------------------------------------------------------

    @varied
    @rule(shift=st.sampled_from([-60, -20, -5, 0, 5, 20, 60, 120]), minutes=st.sampled_from([15, 30, 60, 90]))
    def reschedule(self, shift: int, minutes: int) -> None:
        self.ran("reschedule")
        start = self.start + timedelta(minutes=shift)
        end = start + timedelta(minutes=minutes)
        self.expect(self.call("PATCH", f"/api/visits/{self.vid}", {"start": iso(start), "end": iso(end)}, "coord"),
                    200)
        if (start, end) == (self.start, self.end):
            return
        self.start, self.end = start, end
        self.version += 1
        self.expect_events.append("visit_changed")
        s = self.session
        # An open session's expiry follows the new end (R13); an expired one stays expired (terminal).
        if s is not None and s.state in OPEN and self.now() < s.expires_at:
            s.expires_at = end + GRACE
        if self.links:  # R10: the newest link sent so far stops working at once
            old = self.links[max(self.links)]
            self.expect(self.call("POST", "/api/join", {"token": old}), 404, "INVALID_LINK", "INVALID_LINK")

    @varied
    @precondition(lambda self: self.history.count("reassign") < 4)  # a few per visit; it sorts first, so is drawn most
    @rule()
    def reassign(self) -> None:
        self.ran("reassign")
        to = self.other()
        response = self.call("PATCH", f"/api/visits/{self.vid}", {"employee_id": to}, "coord")
        if self.clocked_in and not self.clocked_out:  # R11: the clock-in is the assigned caregiver's own
            self.expect(response, 409, "VISIT_IN_PROGRESS")
            return
        self.expect(response, 200)
        self.assigned = to
        self.expect_events.append("visit_changed")

    # Clocking (R08, R11, R21, R22) ------------------------------------------------------------------------

    @varied
    @rule(as_other=st.sampled_from([False, False, False, True]))
    def clock_in(self, as_other: bool) -> None:
        self.ran("clock_in")
        response = self.call("POST", f"/api/visits/{self.vid}/clock-in", None, self.caller(as_other))
        if as_other:
            self.expect(response, 403, "NOT_ASSIGNED")
        elif self.clocked_out:
            self.expect(response, 409, "ALREADY_CLOCKED_OUT")
        elif self.clocked_in:
            self.expect(response, 409, "ALREADY_CLOCKED_IN")
        else:
            self.expect(response, 200)
            self.clocked_in = True
            self.expect_events.append("clocked_in")

    @varied
    @rule(as_other=st.sampled_from([False, False, False, True]))
    def clock_out(self, as_other: bool) -> None:
        self.ran("clock_out")
        response = self.call("POST", f"/api/visits/{self.vid}/clock-out", None, self.caller(as_other))
        if as_other:
            self.expect(response, 403, "NOT_ASSIGNED")
            return
        if self.clocked_out:
            self.expect(response, 409, "ALREADY_CLOCKED_OUT")
            return
        if not self.clocked_in:
            self.expect(response, 409, "NOT_CLOCKED_IN")
            return
        body = self.expect(response, 200)
        self.clocked_out = True
        self.expect_events.append("clocked_out")
        s = self.session
        warned = s is not None and s.state == "active" and self.now() < s.expires_at
        assert ("warning" in body) == warned, body  # R22
        if s is not None and s.state in OPEN:
            expired = self.now() >= s.expires_at
            self.end_session("expired" if expired else "over", "expired" if expired else "clock_out")

    # The caregiver in the call (R11-R15, R20, R23, R24) --------------------------------------------------

    @varied
    @rule(as_other=st.sampled_from([False, False, False, False, True]))
    def employee_join(self, as_other: bool) -> None:
        self.ran("employee_join")
        who = self.other() if as_other else self.assigned
        response = self.call("POST", f"/api/visits/{self.vid}/session/join", None, who)
        s = self.session
        if as_other:
            self.expect(response, 403, "NOT_ASSIGNED")
        elif s is not None and s.state == "over":
            self.expect(response, 409, "SESSION_OVER", "SESSION_OVER")
        elif self.link_dead():
            self.expect(response, 410, "LINK_EXPIRED", "LINK_EXPIRED")
        elif not self.clocked_in or self.clocked_out:
            self.expect(response, 409, "NOT_CLOCKED_IN", "NOT_CLOCKED_IN")
        elif s is None:
            self.expect(response, 409, "NO_SESSION", "NO_SESSION")
        elif self.chime.down:
            self.expect(response, 503, "VIDEO_BUSY")  # after the join's patience
        else:
            body = self.expect(response, 200)
            assert body["provider"] == "chime" and body["attendee"]["external_user_id"] == f"employee-{who}"
            meeting_id = body["meeting"]["MeetingId"]
            assert self.chime.connect(meeting_id, f"employee-{who}", self.now()), "a join hands out a live meeting"
            s.state = "active"

    @varied
    @precondition(lambda self: self.vid != "" and self.chime.connected(f"employee-{self.assigned}"))
    @rule()
    def employee_leave(self) -> None:
        self.ran("employee_leave")
        self.expect(self.call("POST", f"/api/visits/{self.vid}/session/leave", None, self.assigned), 200)
        self.browser_leaves(f"employee-{self.assigned}")

    @varied
    @rule(as_other=st.sampled_from([False, False, False, True]))
    def employee_end(self, as_other: bool) -> None:
        self.ran("employee_end")
        response = self.call("POST", f"/api/visits/{self.vid}/session/end", None, self.caller(as_other))
        s = self.session
        if as_other:
            self.expect(response, 403, "NOT_ASSIGNED")
            return
        if s is None:
            self.expect(response, 409, "NO_SESSION")
            return
        body = self.expect(response, 200)
        if s.state in OPEN:
            # A hang-up past the link's expiry ends the session as the sweep would have: expired (R13, R27).
            expired = self.now() >= s.expires_at
            self.end_session("expired" if expired else "over", "expired" if expired else "hang_up")
        assert body["state"] == s.state and body["ended_reason"] == s.ended_reason, body

    # The client (R16, R19, R23, R24) ----------------------------------------------------------------------

    def pick_link(self, data: Any) -> tuple[str, int | None]:
        options: list[tuple[str, int | None]] = [(t, g) for g, t in self.links.items()]
        options.append(("A" * 43, None))
        return data.draw(st.sampled_from(options), label="link")

    def link_outcome(self, gen: int | None) -> tuple[int, str, str] | None:
        """The refusal a client link gets before anything else is looked at, or None if it works."""
        s = self.session
        if gen is None or s is None or gen != self.version or gen != s.link_gen:
            return 404, "INVALID_LINK", "INVALID_LINK"
        if s.state == "expired" or self.now() >= s.expires_at:
            return 410, "LINK_EXPIRED", "CLIENT_LINK_EXPIRED"
        return None

    @varied
    @rule(data=st.data())
    def client_join(self, data: Any) -> None:
        self.client_join_with(*self.pick_link(data))

    def client_join_with(self, token: str, gen: int | None) -> None:
        self.ran("client_join")
        response = self.call("POST", "/api/join/attendee", {"token": token})
        refused = self.link_outcome(gen)
        s = self.session
        if refused is not None:
            self.expect(response, *refused)
        elif s is not None and s.state == "over":
            self.expect(response, 409, "SESSION_OVER", "CLIENT_SESSION_OVER")
        elif s is not None and s.state == "invited":
            self.expect(response, 409, "WAITING_FOR_CAREGIVER")
        elif self.chime.down:
            self.expect(response, 503, "VIDEO_BUSY")  # after the join's patience
        else:
            body = self.expect(response, 200)
            assert body["attendee"]["external_user_id"] == f"client-{self.vid}"
            assert self.chime.connect(body["meeting"]["MeetingId"], f"client-{self.vid}", self.now())

    @varied
    @rule(data=st.data())
    def client_leave(self, data: Any) -> None:
        self.ran("client_leave")
        token, gen = self.pick_link(data)
        response = self.call("POST", "/api/join/leave", {"token": token})
        refused = self.link_outcome(gen)
        if refused is not None:
            self.expect(response, *refused)
            return
        assert self.session is not None
        assert self.expect(response, 200)["state"] == self.effective()  # R19, R23: a client never ends it
        self.browser_leaves(f"client-{self.vid}")

    @varied
    @precondition(lambda self: self.vid != "" and self.chime.connected(f"client-{self.vid}"))
    @rule()
    def client_network_drops(self) -> None:
        self.ran("client_network_drops")
        self.browser_leaves(f"client-{self.vid}", dropped=True)

    # Chime's events: in order, out of order, twice, or never ----------------------------------------------

    def deliver(self, detail: dict[str, Any]) -> None:
        api = self.api.client
        outcome = api.lambda_.invoke("on_chime_event", api.events.generate_cw_event(
            source="aws.chime", detail_type="Chime Meeting State Change", detail=detail, resources=[])).payload
        assert outcome in ("applied", "no change", "not current", "unknown meeting"), outcome
        Figures.events_delivered += 1
        self.step_at_now = False

    @varied
    @precondition(lambda self: bool(self.chime.pending or self.chime.delivered))
    @rule(action=st.sampled_from(["next", "any", "any", "again", "lose"]), data=st.data())
    def chime_event(self, action: str, data: Any) -> None:
        """EventBridge delivers Chime's next event, or a later one first, or one again, or loses one."""
        pending = self.chime.pending
        if action == "again" and not self.chime.delivered:
            action = "next"
        if action == "again" or not pending:
            self.ran("chime_event", "chime_event_duplicate")
            self.deliver(data.draw(st.sampled_from(self.chime.delivered), label="again"))
            return
        index = 0 if action == "next" else data.draw(st.integers(0, len(pending) - 1), label="which")
        detail = pending.pop(index)
        if action == "lose":
            self.ran("chime_event", "chime_event_lost")
            return
        self.ran("chime_event")
        self.chime.delivered.append(detail)
        self.deliver(detail)

    # Chime faults, time and the sweep (R13, R27) -----------------------------------------------------------

    @varied
    @rule(fault=st.sampled_from(["down", "up", "up", "CreateMeetingWithAttendees", "CreateAttendee", "DeleteMeeting",
                                 "GetMeeting", "*"]),
          code=st.sampled_from([("ThrottlingException", 429), ("ServiceFailureException", 500)]))
    def chime_fault(self, fault: str, code: tuple[str, int]) -> None:
        """Chime goes down or comes back, or fails one call (throttled or 5xx), which the retries absorb."""
        self.ran("chime_fault", f"chime_{fault if fault in ('down', 'up') else 'hiccup'}")
        if fault in ("down", "up"):
            self.chime.down = fault == "down"
        else:
            # At most two queued: each call has three attempts, so the retries always absorb them.
            self.chime.fail_next = [*self.chime.fail_next, (fault, *code)][-2:]

    @varied
    @rule(minutes=st.sampled_from([1, 3, 6, 11, 30]))
    def advance_time(self, minutes: int) -> None:
        self.ran("advance_time")
        self.clock.advance(timedelta(minutes=minutes))
        self.chime.tick(self.now())

    @varied
    @precondition(lambda self: self.steps_taken >= 5)  # give the call a chance before the link dies
    @rule(offset=st.sampled_from([-1, 0, 1, 60]))
    def cross_expiry(self, offset: int) -> None:
        """Land exactly around the link's expiry: a second before, on it, a second after, a minute after."""
        self.ran("cross_expiry")
        expiry = self.session.expires_at if self.session is not None else self.end + GRACE
        target = expiry + timedelta(seconds=offset)
        if target > self.now():
            self.clock.advance(target - self.now())
            self.chime.tick(self.now())

    @varied
    @rule()
    def sweep(self) -> None:
        self.ran("sweep")
        api = self.api.client
        result = api.lambda_.invoke("sweep", api.events.generate_cw_event(
            source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])).payload
        s = self.session
        if s is not None and s.state in OPEN and self.now() >= s.expires_at:
            self.end_session("expired", "expired")
            assert result["expired"] == 1, result
        else:
            assert result["expired"] == 0, result
        if not self.chime.down:
            self.delete_pending = False
        # Reconciliation may mark a side gone with the sweep's time.

    # Invariants -------------------------------------------------------------------------------------------

    @invariant()
    def holds(self) -> None:
        if not self.vid:
            return
        Figures.steps += 1
        self.steps_taken += 1
        from chalicelib.logic.views import session_status
        from chalicelib.services import services

        now = self.now()
        # One read per step: the visit, its session and its timeline. The status is what GET .../session answers
        # (that route is `session_status` over the same read); the rules check the routes' own answers.
        bundle = services().visits.bundle("ag1", self.vid, with_timeline=True)
        status = session_status(bundle.session, bundle.visit, now)
        self.check_status(status, now)
        self.check_terminal(status)
        self.check_meetings(bundle.session)
        self.check_timeline(bundle.events, now)
        self.check_emails(bundle.events)
        self.expect_events, self.step_at_now = [], True

    def check_status(self, status: dict[str, Any], now: datetime) -> None:
        s, state = self.session, self.effective()
        assert status["state"] == state, (status, state)
        if s is None:
            return
        assert status["link_expires_at"] == iso(s.expires_at), status
        assert status["last_invite_sent_at"] == (iso(s.last_invite) if s.last_invite else None), status
        assert status["invite_stale"] == (state in OPEN and s.sent_gen != self.version), status  # R10
        reason = s.ended_reason or ("expired" if state == "expired" else None)
        assert status["ended_reason"] == reason, status
        if state not in OPEN:
            assert not status["client_present"] and not status["employee_present"], status

    def check_terminal(self, status: dict[str, Any]) -> None:
        observed = (status["state"], status["ended_reason"])
        if self.seen_terminal is not None:
            assert observed == self.seen_terminal, ("terminal states stay terminal", self.seen_terminal, observed)
        elif status["state"] in TERMINAL:
            self.seen_terminal = observed
            self.terminal_calls = len(self.chime.calls)

    def check_meetings(self, stored: Any) -> None:
        live = self.chime.live_meetings(f"visit-{self.vid}")
        assert len(live) <= 1, f"at most one live meeting per visit, found {len(live)}"
        if self.seen_terminal is not None:
            late = [c for c in self.chime.calls[self.terminal_calls:]
                    if c.ok and c.operation in ("CreateMeeting", "CreateMeetingWithAttendees", "CreateAttendee")]
            assert not late, f"nothing joins after the end: {late}"
        if self.session is not None and self.session.state in TERMINAL and not self.delete_pending:
            assert not live, "an ended session leaves no live meeting behind"
        if stored is not None and stored.state in TERMINAL:
            assert not stored.employee_present and not stored.client_present
            if not self.delete_pending:
                assert stored.meeting_to_delete is None and stored.sweep_at is None, "left the sweep index"

    def check_timeline(self, events: list[Any], now: datetime) -> None:
        current = Counter((e.at, str(e.type), e.actor, e.detail) for e in events)
        gone = self.timeline - current
        assert not gone, ("the timeline is append-only", dict(gone))
        times = [e.at for e in events]
        assert times == sorted(times), "the timeline is ordered by time"
        new = list((current - self.timeline).elements())
        if self.step_at_now:
            assert all(at == now for at, *_ in new), ("a call's lines carry its time", [(t, at) for at, t, *_ in new])
        missing = Counter(self.expect_events) - Counter(kind for _, kind, *_ in new)
        assert not missing, ("R26: every state change is on the timeline", dict(missing), [t for _, t, *_ in new])
        self.timeline = current

    def check_emails(self, events: list[Any]) -> None:
        sent = self.emails()
        invites = sum(1 for e in events if e.type == "invite_sent")
        assert len(sent) == invites == self.emails_checked, ("every email matches an invite", len(sent), invites)
        # R32: each reminder email is on the timeline, carries a link the client was sent, at most one per link
        # generation, sent in the reminder's window before that link's start
        reminders = self.emails(reminders=True)
        lines = [e for e in events if e.type == "reminder_sent"]
        assert len(reminders) == len(lines), ("every reminder is on the timeline", len(reminders), len(lines))
        by_token = {token: generation for generation, token in self.links.items()}
        generations = [by_token.get(token_of(re.search(r"https://\S+/join#\S{43}", email_parts(m)[0]).group(0)))  # type: ignore[union-attr]
                       for m in reminders]
        assert None not in generations and len(set(generations)) == len(generations), generations
        for generation, line in zip(generations, lines, strict=True):
            start = self.generation_starts[generation]  # type: ignore[index]
            assert start - REMINDER_LEAD <= line.at < start, ("a reminder in its window", line.at, start)


    def teardown(self) -> None:
        Figures.reminders += len(self.emails(reminders=True)) if self.vid else 0
        Figures.chime_calls += len(self.chime.calls)
        Figures.chime_faults += self.chime.faults_injected


SETTINGS = settings(max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None,
                    suppress_health_check=list(HealthCheck))


def write_figures(name: str, extra: dict[str, Any]) -> None:
    out = ROOT / "test-output" / "reliability"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps({
        "full": FULL, "max_examples": EXAMPLES, "steps_per_example": STEPS, "examples_run": Figures.examples,
        "steps_run": Figures.steps, "rules": dict(Figures.rules), "emails_sent": Figures.emails,
        "reminders_sent": Figures.reminders,
        "chime_events_delivered": Figures.events_delivered, "chime_calls": Figures.chime_calls,
        "chime_calls_failed": Figures.chime_faults, **extra,
    }, indent=2, sort_keys=True))


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_session_lifecycle_properties(api: Api, tokens: dict[str, str], clock: Any, services: Any) -> None:
    # Given one seeded agency, moto, a movable clock and Chime behind a real client
    from chalicelib.services import use_services

    Harness.api, Harness.tokens, Harness.clock = api, tokens, clock
    try:
        # When Hypothesis drives fresh visits through random sequences of every lifecycle rule
        # Then every answer matches the model and every invariant holds after every step
        run_state_machine_as_test(LifecycleMachine, settings=SETTINGS)
    finally:
        use_services(services)
        write_figures("lifecycle", {})


# Regressions the machine found, as plain tests ----------------------------------------------------------------------

def test_r13_reschedule_after_expiry_keeps_the_session_expired(api, tokens, make_visit, flow, clock):
    # Given a session whose link expired (the sweep has not run yet)
    vid = make_visit(start=NOW - timedelta(minutes=30), minutes=30)
    token = flow.link(vid)
    clock.advance(timedelta(minutes=16))
    assert flow.session(vid)["state"] == "expired"
    # When the coordinator moves the visit to later today
    moved = api.call("PATCH", f"/api/visits/{vid}", {"start": iso(NOW + timedelta(hours=1)),
                                                      "end": iso(NOW + timedelta(hours=2))}, tokens["coord"])
    # Then the visit moves, but its session stays expired: no invite, join or link works any more (R13)
    assert moved.status_code == 200 and moved.json_body["session"]["state"] == "expired"
    assert flow.session(vid)["link_expires_at"] == iso(NOW + timedelta(minutes=15))
    assert flow.invite(vid, "link").json_body["Code"] == "LINK_EXPIRED"
    assert flow.client("view", token).status_code == 404  # the time changed, so the old link is dead too


def test_r13_hang_up_after_expiry_records_expired_not_hang_up(api, make_visit, flow, clock):
    # Given a call still running when the link expires, before the sweep runs
    vid = make_visit(start=NOW - timedelta(minutes=30), minutes=30)
    flow.link(vid)
    flow.post(vid, "clock-in")
    assert flow.post(vid, "session/join").status_code == 200
    clock.advance(timedelta(minutes=16))
    # When the caregiver hangs up
    ended = flow.post(vid, "session/end")
    # Then the session ends as expired, as the sweep would have ended it, and stays so
    assert ended.status_code == 200
    assert (ended.json_body["state"], ended.json_body["ended_reason"]) == ("expired", "expired")
    assert flow.timeline(vid)[-1] == "link_expired"
    assert api.client.lambda_.invoke("sweep", api.client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])).payload["expired"] == 0
    assert flow.session(vid)["state"] == "expired"
