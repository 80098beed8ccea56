"""AWS faults at the boto3 layer (issue 6): what each failure answers, what it leaves behind, what repairs it.

Faults are injected on the app's own clients through botocore's event hooks, never by patching the app:
- `before-send` answers in place of the service (SES, DynamoDB on moto), inside botocore's retry loop, so the
  client's configured retry mode is what gets tested;
- Chime answers through `FakeChime` (a stateful fake behind a real `chime-sdk-meetings` client's `before-call`);
- a crash is a `BaseException` raised from an `after-call` hook once the first write succeeded: no `except
  Exception` or `finally` of the app runs after it, as when a Lambda dies.
botocore's backoff is recorded instead of slept; so is ChimeMeetings' own and the transaction retry's.
Each case and its outcome is in docs/reliability/FAULTS_AND_PROPERTIES.md.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from chalicelib.integrations.meetings import JOIN_PATIENCE
from tests.conftest import NOW, ROOT, email_parts, link_token_in, sent_emails
from tests.reliability.fake_chime import FakeAttendee, FakeChime, FakeMeeting

INJECTED: Counter[str] = Counter()  # faults injected, by kind: the figures for the report
EMAIL_FAILED = {
    "Code": "EMAIL_FAILED",
    "Message": "The invite email could not be sent just now. Nothing was changed; please try again.",
}
VIDEO_UNAVAILABLE = {
    "Code": "VIDEO_UNAVAILABLE", "Message": "The video service is busy just now. Please try again in a moment.",
}
VIDEO_BUSY = {
    "Code": "VIDEO_BUSY",
    "Message": "Many video visits are starting at this moment. Please try again in a minute.",
}


class Crash(BaseException):
    """The process dies here: nothing after this point of the app runs, not even its `except Exception`."""


# Injection helpers ---------------------------------------------------------------------------------------------

class _Body:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


def dynamodb_error(code: str, status: int = 400, **extra: Any) -> AWSResponse:
    body = {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": f"Injected {code}", **extra}
    return AWSResponse("https://dynamodb.us-east-1.amazonaws.com/", status,
                       {"x-amzn-requestid": "fault", "content-type": "application/x-amz-json-1.0"},
                       _Body(json.dumps(body).encode()))


def throttled_transaction() -> AWSResponse:
    """How DynamoDB throttles a transaction: cancelled, with `ThrottlingError` as the reason."""
    return dynamodb_error(
        "TransactionCanceledException", Message="Transaction cancelled, please refer cancellation reasons for "
        "specific reasons [ThrottlingError, None]",
        CancellationReasons=[{"Code": "ThrottlingError", "Message": "Throughput exceeds the current capacity."},
                             {"Code": "None"}])


def ses_error(code: str, status: int) -> AWSResponse:
    return AWSResponse("https://email.us-east-1.amazonaws.com/v2/email/outbound-emails", status,
                       {"x-amzn-requestid": "fault", "x-amzn-errortype": code, "content-type": "application/json"},
                       _Body(json.dumps({"message": f"Injected {code}"}).encode()))


def dynamodb_clients() -> list[Any]:
    """Every botocore client the persistence layer sends through (models and transactions)."""
    from chalicelib.persistence import binding
    from chalicelib.persistence.models import Item

    binding.bound()

    def family(model: Any) -> list[Any]:
        return [model, *(m for sub in model.__subclasses__() for m in family(sub))]

    connections = [m._get_connection().connection for m in family(Item)]
    connections.append(binding.connection())
    return list({id(c.client): c.client for c in connections}.values())


@contextmanager
def answering(clients: list[Any], event: str, answers: list[AWSResponse | None],
              kind: str) -> Iterator[list[str]]:
    """Answer the next calls matching `event` (`before-send.<service>[.<Operation>]`) with `answers` in turn
    (None lets a call through to the service); yields the operations attempted."""
    from moto.core.models import botocore_stubber

    attempts: list[str] = []
    queue = list(answers)
    hook_id = f"fault-{uuid.uuid4().hex}"
    held = {"moto": botocore_stubber.enabled}

    def hook(event_name: str, **_: Any) -> AWSResponse | None:
        attempts.append(event_name.rsplit(".", 1)[-1])
        answer = queue.pop(0) if queue else None
        if answer is not None:
            INJECTED[kind] += 1
            # botocore still calls every `before-send` handler after an answer; keep moto from acting on this
            # attempt, so a refused write is not also applied.
            botocore_stubber.enabled = False
        return answer

    def release(**_: Any) -> None:
        botocore_stubber.enabled = held["moto"]

    for client in clients:
        client.meta.events.register_first(event, hook, unique_id=hook_id)
        # On the least specific name, last: botocore calls it after moto's own `before-send` handler.
        client.meta.events.register_last("before-send", release, unique_id=hook_id + "-release")
    try:
        yield attempts
    finally:
        botocore_stubber.enabled = held["moto"]
        for client in clients:
            client.meta.events.unregister(event, unique_id=hook_id)
            client.meta.events.unregister("before-send", unique_id=hook_id + "-release")


@contextmanager
def crash_after(clients: list[Any], event: str, nth: int = 1) -> Iterator[None]:
    """Crash right after the `nth` successful call matching `event` (`after-call.<service>.<Operation>`)."""
    seen = {"calls": 0}
    hook_id = f"crash-{uuid.uuid4().hex}"

    def hook(http_response: Any, **_: Any) -> None:
        if http_response.status_code < 300:
            seen["calls"] += 1
            if seen["calls"] == nth:
                INJECTED["crash between writes"] += 1
                raise Crash(event)

    for client in clients:
        client.meta.events.register(event, hook, unique_id=hook_id)
    try:
        yield
    finally:
        for client in clients:
            client.meta.events.unregister(event, unique_id=hook_id)


# Fixtures -------------------------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def waits(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[float]]:
    """Backoffs are recorded, never slept: botocore's standard mode, and the transaction retry."""
    from botocore.retries.standard import ExponentialBackoff

    from chalicelib.persistence import transactions

    recorded: dict[str, list[float]] = {"botocore": [], "transactions": []}
    original = ExponentialBackoff.delay_amount

    def record(self: Any, context: Any) -> float:
        recorded["botocore"].append(original(self, context))
        return 0.0

    monkeypatch.setattr(ExponentialBackoff, "delay_amount", record)
    monkeypatch.setattr(transactions, "_sleep", recorded["transactions"].append)
    return recorded


@pytest.fixture(scope="module", autouse=True)
def figures() -> Iterator[None]:
    yield
    out = ROOT / "test-output" / "reliability"
    out.mkdir(parents=True, exist_ok=True)
    (out / "faults.json").write_text(json.dumps({"faults_injected": sum(INJECTED.values()), "by_kind": INJECTED},
                                                indent=2, sort_keys=True))


@pytest.fixture
def chime(services: Any, clock: Any) -> Iterator[tuple[FakeChime, list[float]]]:
    """Chime (stateful fake) behind a real client, through the real ChimeMeetings with its retries."""
    from chalicelib.integrations.meetings import ChimeMeetings
    from chalicelib.services import Services, use_services

    fake, sleeps = FakeChime(clock), []
    use_services(Services(clock=clock, meetings=ChimeMeetings(fake.client, "us-east-1", sleep=sleeps.append)))
    yield fake, sleeps
    INJECTED["chime"] += fake.faults_injected
    use_services(services)


def run_sweep(api: Any) -> dict[str, int]:
    return api.client.lambda_.invoke("sweep", api.client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])).payload


def in_call(make_visit: Any, flow: Any, fake: FakeChime, **visit: Any) -> tuple[str, str]:
    """A visit whose caregiver and client are both in the meeting."""
    vid = make_visit(**visit)
    token = flow.link(vid)
    assert flow.post(vid, "clock-in").status_code == 200
    joined = flow.post(vid, "session/join")
    assert joined.status_code == 200, joined.body
    assert flow.client("attendee", token).status_code == 200
    meeting_id = joined.json_body["meeting"]["MeetingId"]
    for who in ("employee-emp1", f"client-{vid}"):  # both browsers connect to Chime
        assert fake.connect(meeting_id, who, fake.clock())
    return vid, meeting_id


def stored_session(vid: str) -> Any:
    from chalicelib.services import services

    return services().sessions.get("ag1", vid)


def caller(employee: str = "emp1") -> Any:
    from chalicelib.logic.access import Caller

    return Caller("ag1", employee, "employee")


# SES --------------------------------------------------------------------------------------------------------------

def test_r04_ses_outage_answers_503_email_failed_and_records_no_invite(make_visit, flow, services, waits):
    # Given a visit, and SES answering 503 to every attempt
    vid = make_visit()
    ses = services.mailer._client
    assert ses.meta.config.retries["mode"] == "standard"
    with answering([ses], "before-send.sesv2.SendEmail", [ses_error("ServiceUnavailableException", 503)] * 9,
                   "ses 503") as attempts:
        # When the caregiver sends the invite
        response = flow.invite(vid)
    # Then the answer is 503 EMAIL_FAILED with a message that says nothing changed, after standard-mode retries
    assert response.status_code == 503 and response.json_body == EMAIL_FAILED
    assert attempts == ["SendEmail"] * 4 and len(waits["botocore"]) == 3  # max_attempts=3 means 3 retries
    # and nothing says an invite was sent
    assert flow.session(vid)["state"] == "none" and flow.session(vid)["last_invite_sent_at"] is None
    assert flow.timeline(vid) == [] and sent_emails() == []
    # When SES is back and the caregiver tries again
    retry = flow.invite(vid)
    # Then the invite goes out once, is recorded once, and its link opens the visit
    assert retry.status_code == 200 and retry.json_body["session"]["state"] == "invited"
    assert flow.timeline(vid) == ["invite_sent"] and len(sent_emails()) == 1
    assert flow.client("view", link_token_in(email_parts(sent_emails()[0])[0])).status_code == 200


def test_r09_failed_resend_keeps_the_last_sent_time_and_the_same_link(make_visit, flow, services, clock):
    # Given an invite sent at 15:00
    vid = make_visit()
    assert flow.invite(vid).status_code == 200
    first_link = link_token_in(email_parts(sent_emails()[0])[0])
    before, timeline = flow.session(vid), flow.timeline(vid)
    clock.advance(timedelta(minutes=5))
    # When the resend at 15:05 fails at SES with an error that is not worth retrying
    with answering([services.mailer._client], "before-send.sesv2.SendEmail",
                   [ses_error("SendingPausedException", 400)], "ses 400") as attempts:
        response = flow.invite(vid)
    # Then it answers EMAIL_FAILED after one attempt, and the dialog still shows the 15:00 send (R09)
    assert response.status_code == 503 and response.json_body == EMAIL_FAILED and attempts == ["SendEmail"]
    assert flow.session(vid) == before and flow.timeline(vid) == timeline
    # When the caregiver retries, the same link goes out again and the new time is recorded
    assert flow.invite(vid).status_code == 200
    assert link_token_in(email_parts(sent_emails()[-1])[0]) == first_link
    assert flow.session(vid)["last_invite_sent_at"] == "2026-11-25T15:05:00Z"


def test_r10_failed_resend_after_a_time_change_still_asks_for_a_resend(api, tokens, make_visit, flow, services):
    # Given an emailed invite, then a time change: the dialog asks for a resend (R10)
    vid = make_visit()
    assert flow.invite(vid).status_code == 200
    old_link = link_token_in(email_parts(sent_emails()[0])[0])
    assert api.call("PATCH", f"/api/visits/{vid}", {"end": "2026-11-25T16:30:00Z"}, tokens["coord"]).status_code == 200
    before = flow.session(vid)
    assert before["invite_stale"] is True
    # When the resend fails at SES
    with answering([services.mailer._client], "before-send.sesv2.SendEmail",
                   [ses_error("ServiceUnavailableException", 503)] * 4, "ses 503"):
        assert flow.invite(vid).status_code == 503
    # Then the dialog still asks for a resend: the client holds no link of the new time
    assert flow.session(vid) == before
    assert flow.client("view", old_link).status_code == 404
    # When the resend goes through, the fresh link works and the dialog stops asking
    assert flow.invite(vid).status_code == 200
    assert flow.session(vid)["invite_stale"] is False
    assert flow.client("view", link_token_in(email_parts(sent_emails()[-1])[0])).status_code == 200


def test_ses_throttled_once_is_retried_and_sends_one_email(make_visit, flow, services, waits):
    # Given SES throttles the first attempt
    vid = make_visit()
    with answering([services.mailer._client], "before-send.sesv2.SendEmail",
                   [ses_error("TooManyRequestsException", 429)], "ses throttled") as attempts:
        # When the caregiver sends the invite
        response = flow.invite(vid)
    # Then botocore's standard mode retries it: one email, one invite on the timeline
    assert response.status_code == 200 and attempts == ["SendEmail", "SendEmail"]
    assert len(sent_emails()) == 1 and flow.timeline(vid) == ["invite_sent"]
    assert 0 <= waits["botocore"][0] <= 1.0  # the throttling backoff: up to 1 s before the first retry


# Chime (test_chime.py covers CreateMeeting throttled 3x -> 503, a 500 then success, a failed delete at hang-up) ----

def test_chime_client_makes_one_attempt_per_call_so_retries_are_only_chime_meetings_own():
    # Given the production Chime provider
    import dataclasses

    from chalicelib.config import settings
    from chalicelib.services import Services

    meetings = Services(dataclasses.replace(settings(), meeting_provider="chime")).meetings
    # Then botocore makes one attempt per call: ChimeMeetings' three attempts are all there are
    assert meetings._client.meta.config.retries == {"mode": "standard", "total_max_attempts": 1}


def test_r16_client_join_throttled_by_chime_is_retried_then_answers_503_video_busy(make_visit, flow, chime):
    fake, sleeps = chime
    # Given the caregiver is in the call
    vid = make_visit()
    token = flow.link(vid)
    flow.post(vid, "clock-in")
    assert flow.post(vid, "session/join").status_code == 200
    # When Chime throttles every attempt to add the client
    fake.fail_next = [("CreateAttendee", "ThrottlingException", 429)] * JOIN_PATIENCE.attempts
    response = flow.client("attendee", token)
    # Then the client gets 503 VIDEO_BUSY with Retry-After once the join's patience is spent (the page then shows
    # "connecting" and asks again), and nothing is recorded
    assert response.status_code == 503 and response.json_body == VIDEO_BUSY
    assert response.headers["Retry-After"] == "2"
    attempts = [c for c in fake.calls if c.operation == "CreateAttendee" and not c.ok]
    assert 2 <= len(attempts) <= JOIN_PATIENCE.attempts and len(sleeps) == len(attempts) - 1
    assert sum(sleeps) <= JOIN_PATIENCE.budget
    assert all(0 <= s <= min(JOIN_PATIENCE.cap, JOIN_PATIENCE.first * 2**n) for n, s in enumerate(sleeps))
    assert "client_joined" not in flow.timeline(vid) and flow.session(vid)["client_present"] is False
    # When Chime recovers, the same link gets the client in
    fake.fail_next = []
    assert flow.client("attendee", token).status_code == 200


def test_chime_connection_failure_is_retried_like_a_server_error(make_visit, flow, chime):
    fake, _ = chime
    # Given a clocked-in caregiver with an invite out, and Chime's endpoint unreachable once
    vid = make_visit()
    flow.link(vid)
    flow.post(vid, "clock-in")
    fake.fail_next = [("CreateMeetingWithAttendees", "EndpointConnectionError", 0)]
    # When the caregiver joins
    response = flow.post(vid, "session/join")
    # Then the retry makes the meeting: one meeting, the caregiver in it
    assert response.status_code == 200
    assert len(fake.live_meetings(f"visit-{vid}")) == 1 and len(fake.meetings) == 1


def test_chime_client_error_is_not_retried_and_answers_503(make_visit, flow, chime):
    fake, sleeps = chime
    vid = make_visit()
    flow.link(vid)
    flow.post(vid, "clock-in")
    # Given Chime refuses the call (a 4xx is not worth retrying: it will not change)
    fake.fail_next = [("CreateMeetingWithAttendees", "ForbiddenException", 403)]
    # When the caregiver joins
    response = flow.post(vid, "session/join")
    # Then one attempt, 503 VIDEO_UNAVAILABLE, no meeting and nothing recorded
    assert response.status_code == 503 and response.json_body == VIDEO_UNAVAILABLE
    assert [c.operation for c in fake.calls] == ["CreateMeetingWithAttendees"] and sleeps == []
    assert fake.meetings == {} and flow.session(vid)["state"] == "invited"


def test_r24_attendee_failure_after_the_meeting_was_made_reuses_that_meeting(make_visit, flow, chime):
    fake, _ = chime
    vid = make_visit()
    flow.link(vid)
    flow.post(vid, "clock-in")
    # Given the meeting is made, then Chime fails every attempt to add the caregiver (the meeting's own call
    # answers with another caller's attendee, so the caregiver's is made with CreateAttendee)
    fake.by_token[f"{vid}-1"] = "planted"
    fake.meetings["planted"] = FakeMeeting("planted", f"visit-{vid}", f"{vid}-1", idle_since=None,
                                           first_attendees=["client-someone"])
    fake.meetings["planted"].attendees["client-someone"] = FakeAttendee("a-1", "client-someone", "jt-1")
    fake.fail_next = [("CreateAttendee", "ServiceFailureException", 500)] * JOIN_PATIENCE.attempts
    assert flow.post(vid, "session/join").status_code == 503
    fake.fail_next = []
    # When the caregiver joins again
    response = flow.post(vid, "session/join")
    # Then the same meeting is used: exactly one was ever made
    assert response.status_code == 200
    assert len(fake.meetings) == 1 and response.json_body["meeting"]["MeetingId"] in fake.meetings


def test_r22_failed_delete_at_clock_out_still_ends_and_the_sweep_finishes_it(api, make_visit, flow, chime):
    fake, _ = chime
    vid, meeting_id = in_call(make_visit, flow, fake)
    # Given Chime is down when the caregiver clocks out during the call
    fake.down = True
    response = flow.post(vid, "clock-out")
    # Then the clock-out and the end of the session stand (R22), with the meeting still to delete
    assert response.status_code == 200 and response.json_body["session"]["state"] == "over"
    assert response.json_body["warning"]["Code"] == "SESSION_STILL_ACTIVE"
    assert flow.post(vid, "session/join").status_code == 409  # R23, Chime or not
    assert fake.meetings[meeting_id].live and stored_session(vid).meeting_to_delete == meeting_id
    # When a sweep runs while Chime is still down, the delete stays queued
    assert run_sweep(api)["meetings_deleted"] == 1 and fake.meetings[meeting_id].live
    # When Chime is back, the next sweep deletes it and the session leaves the sweep index
    fake.down = False
    assert run_sweep(api)["meetings_deleted"] == 1
    assert not fake.meetings[meeting_id].live
    assert stored_session(vid).meeting_to_delete is None and stored_session(vid).sweep_at is None
    assert run_sweep(api)["examined"] == 0


def test_r27_sweep_expires_sessions_while_chime_is_down_and_deletes_their_meetings_later(api, make_visit, flow,
                                                                                         chime, clock):
    fake, _ = chime
    # Given one call that will expire, and another still running that the sweep must check with Chime
    ending, ending_meeting = in_call(make_visit, flow, fake, start=NOW - timedelta(minutes=30), minutes=30)
    running, running_meeting = in_call(make_visit, flow, fake, start=NOW - timedelta(minutes=10), minutes=120)
    clock.advance(timedelta(minutes=16))  # past the first link's expiry, and time to reconcile the second
    fake.down = True
    # When the sweep runs while Chime is down
    result = run_sweep(api)
    # Then it does not give up: the expired session is expired and its delete queued, the other one waits
    assert result["expired"] == 1
    assert flow.session(ending)["state"] == "expired" and flow.timeline(ending)[-1] == "link_expired"
    assert flow.session(running)["state"] == "active" and flow.session(running)["client_present"] is True
    # When Chime is back, the next sweep finishes the delete and checks the running call
    fake.down = False
    clock.advance(timedelta(minutes=1))
    again = run_sweep(api)
    assert again["meetings_deleted"] == 1 and again["reconciled"] == 1
    assert not fake.meetings[ending_meeting].live and fake.meetings[running_meeting].live


# DynamoDB ---------------------------------------------------------------------------------------------------------

def test_dynamodb_throttling_is_retried_in_standard_mode(api, tokens, make_visit, flow, waits):
    # Given the persistence layer's DynamoDB client(s), in botocore's standard retry mode with 4 attempts
    vid = make_visit()
    clients = dynamodb_clients()
    assert all(c.meta.config.retries == {"mode": "standard", "total_max_attempts": 4} for c in clients)
    # When DynamoDB throttles the visit's read three times
    throttled = [dynamodb_error("ProvisionedThroughputExceededException")] * 3
    with answering(clients, "before-send.dynamodb.Query", throttled, "dynamodb throttled") as attempts:
        response = api.call("GET", f"/api/visits/{vid}", token=tokens["emp1"])
    # Then the fourth attempt answers, after backoffs with the throttling scale (up to 1 s, 2 s, 4 s)
    assert response.status_code == 200 and attempts == ["Query"] * 4
    assert len(waits["botocore"]) == 3
    assert all(0 <= wait <= cap for wait, cap in zip(waits["botocore"], (1, 2, 4), strict=True))


def test_dynamodb_read_throttled_past_the_retries_answers_503_service_busy(api, tokens, make_visit, waits):
    # Given DynamoDB throttles every attempt of the visit's read
    vid = make_visit()
    throttled = [dynamodb_error("ProvisionedThroughputExceededException")] * 4
    with answering(dynamodb_clients(), "before-send.dynamodb.Query", throttled, "dynamodb throttled"):
        # When the caregiver opens the visit
        response = api.call("GET", f"/api/visits/{vid}", token=tokens["emp1"])
    # Then a clear 503 the dialog can show, asking to try again; the next read works
    assert response.status_code == 503 and response.json_body["Code"] == "SERVICE_BUSY"
    assert api.call("GET", f"/api/visits/{vid}", token=tokens["emp1"]).status_code == 200


def test_dynamodb_throttling_that_outlasts_the_retries_answers_503_and_writes_nothing(make_visit, flow):
    vid = make_visit()
    flow.link(vid)
    # Given DynamoDB throttles every attempt of a write
    with answering(dynamodb_clients(), "before-send.dynamodb.TransactWriteItems",
                   [dynamodb_error("ThrottlingException")] * 4, "dynamodb throttled") as attempts:
        # When the caregiver clocks in
        response = flow.post(vid, "clock-in")
    # Then 503 SERVICE_BUSY with Retry-After (no data in it), and nothing was written; a retry works
    assert response.status_code == 503, response.json_body
    assert response.json_body == {"Code": "SERVICE_BUSY",
                                  "Message": "The service is very busy just now. Please try again in a moment."}
    assert response.headers["Retry-After"] == "1"
    assert attempts == ["TransactWriteItems"] * 4
    assert flow.timeline(vid) == ["link_copied"]
    assert flow.post(vid, "clock-in").status_code == 200


def test_r11_throttled_clock_in_transaction_is_retried_not_answered_already_clocked_in(make_visit, flow, waits):
    # Given DynamoDB cancels the clock-in transaction once for throttling (not for a failed condition)
    vid = make_visit()
    with answering(dynamodb_clients(), "before-send.dynamodb.TransactWriteItems", [throttled_transaction()],
                   "dynamodb transaction throttled") as attempts:
        # When the caregiver clocks in
        response = flow.post(vid, "clock-in")
    # Then the transaction is retried and the caregiver is clocked in, once
    assert response.status_code == 200, response.json_body
    assert attempts == ["TransactWriteItems"] * 2 and len(waits["transactions"]) == 1
    assert flow.timeline(vid) == ["clocked_in"]


def test_r04_throttled_invite_record_is_retried_so_the_email_has_its_timeline_line(make_visit, flow):
    # Given DynamoDB throttles the transaction that records the invite (after the session was made)
    vid = make_visit()
    with answering(dynamodb_clients(), "before-send.dynamodb.TransactWriteItems", [None, throttled_transaction()],
                   "dynamodb transaction throttled"):
        # When the caregiver sends the invite
        response = flow.invite(vid)
    # Then it is recorded after all: one email, one invite_sent
    assert response.status_code == 200
    assert len(sent_emails()) == 1 and flow.timeline(vid) == ["invite_sent"]


def test_throttled_transaction_that_stays_throttled_answers_503_not_a_conflict(make_visit, flow):
    vid = make_visit()
    with answering(dynamodb_clients(), "before-send.dynamodb.TransactWriteItems", [throttled_transaction()] * 4,
                   "dynamodb transaction throttled"):
        response = flow.post(vid, "clock-in")
    assert response.status_code == 503 and response.json_body["Code"] == "SERVICE_BUSY"
    assert flow.post(vid, "clock-in").status_code == 200


# A crash between two writes ---------------------------------------------------------------------------------------

def crash_during(call: Callable[[], Any], clients: list[Any], event: str, nth: int = 1) -> None:
    with crash_after(clients, event, nth), pytest.raises(Crash):
        call()


def test_r04_crash_after_the_session_is_made_leaves_no_invite_and_the_retry_sends_it(make_visit, flow, services):
    from chalicelib.logic.invitations import invite_client

    vid = make_visit()
    # Given the process dies right after the session (and its link) is written, before the email
    crash_during(lambda: invite_client(services, caller(), vid, "email", NOW), dynamodb_clients(),
                 "after-call.dynamodb.TransactWriteItems")
    # Then nothing says an invite was sent, and no email went out
    assert flow.session(vid)["state"] == "none" and flow.timeline(vid) == [] and sent_emails() == []
    # When the caregiver tries again, one email and one invite_sent
    assert flow.invite(vid).status_code == 200
    assert len(sent_emails()) == 1 and flow.timeline(vid) == ["invite_sent"]


def test_r09_crash_after_the_email_before_it_is_recorded_the_retry_sends_the_same_link(make_visit, flow, services):
    from chalicelib.logic.invitations import invite_client

    vid = make_visit()
    # Given the process dies right after SES accepted the email, before the invite is recorded
    crash_during(lambda: invite_client(services, caller(), vid, "email", NOW), [services.mailer._client],
                 "after-call.sesv2.SendEmail")
    # Then the email is out but not on the timeline: the one window of the send-first order (documented)
    assert len(sent_emails()) == 1 and flow.timeline(vid) == [] and flow.session(vid)["state"] == "none"
    first = link_token_in(email_parts(sent_emails()[0])[0])
    # When the caregiver sends again (the dialog still offers "Send invite")
    assert flow.invite(vid).status_code == 200
    # Then the client gets the same link, it works, and the send is recorded
    assert link_token_in(email_parts(sent_emails()[1])[0]) == first
    assert flow.client("view", first).status_code == 200 and flow.timeline(vid) == ["invite_sent", "link_opened"]


def test_r20_crash_after_hang_up_before_the_delete_the_sweep_ends_the_meeting(api, make_visit, flow, services,
                                                                              chime):
    from chalicelib.logic.ending import hang_up

    fake, _ = chime
    vid, meeting_id = in_call(make_visit, flow, fake)
    # Given the process dies right after the session is ended, before Chime is asked to delete the meeting
    crash_during(lambda: hang_up(services_now(), caller(), vid, NOW), dynamodb_clients(),
                 "after-call.dynamodb.TransactWriteItems")
    # Then the session is over for everyone (R23) while the meeting still runs
    assert flow.session(vid)["state"] == "over" and flow.post(vid, "session/join").status_code == 409
    assert fake.meetings[meeting_id].live
    # When the sweep runs, it deletes the meeting and the session leaves the sweep index
    assert run_sweep(api)["meetings_deleted"] == 1 and not fake.meetings[meeting_id].live
    assert stored_session(vid).sweep_at is None


def test_r20_crash_after_the_delete_before_it_is_recorded_the_sweep_finishes(api, make_visit, flow, chime):
    from chalicelib.logic.ending import hang_up

    fake, _ = chime
    vid, meeting_id = in_call(make_visit, flow, fake)
    # Given the process dies right after Chime deleted the meeting, before that is recorded
    crash_during(lambda: hang_up(services_now(), caller(), vid, NOW), [fake.client],
                 "after-call.chime-sdk-meetings.DeleteMeeting")
    assert not fake.meetings[meeting_id].live and stored_session(vid).meeting_to_delete == meeting_id
    # When the sweep runs, the meeting is already gone (NotFound counts as deleted) and the session is done
    assert run_sweep(api)["meetings_deleted"] == 1
    assert stored_session(vid).meeting_to_delete is None and run_sweep(api)["examined"] == 0


def test_r22_crash_after_clock_out_before_the_delete_the_sweep_ends_the_meeting(api, make_visit, flow, chime):
    from chalicelib.logic.clocking import clock_out

    fake, _ = chime
    vid, meeting_id = in_call(make_visit, flow, fake)
    crash_during(lambda: clock_out(services_now(), caller(), vid, NOW), dynamodb_clients(),
                 "after-call.dynamodb.TransactWriteItems")
    assert flow.session(vid)["state"] == "over"
    assert sorted(flow.timeline(vid)[-2:]) == ["clocked_out", "session_ended"]
    assert fake.meetings[meeting_id].live
    assert run_sweep(api)["meetings_deleted"] == 1 and not fake.meetings[meeting_id].live


def test_r24_crash_after_the_meeting_is_made_before_it_is_stored_the_next_join_reuses_it(make_visit, flow, chime):
    from chalicelib.logic.joining import employee_join

    fake, _ = chime
    vid = make_visit()
    flow.link(vid)
    flow.post(vid, "clock-in")
    # Given the process dies right after Chime made the meeting, before the session stores it
    crash_during(lambda: employee_join(services_now(), caller(), vid, NOW), [fake.client],
                 "after-call.chime-sdk-meetings.CreateMeetingWithAttendees")
    assert len(fake.meetings) == 1 and stored_session(vid).meeting_id is None
    # When the caregiver joins again, the request token names the same meeting: still one meeting
    response = flow.post(vid, "session/join")
    assert response.status_code == 200 and len(fake.meetings) == 1
    assert stored_session(vid).meeting_id == response.json_body["meeting"]["MeetingId"]


def test_r24_crash_after_the_meeting_is_stored_before_the_attendee_the_next_join_repairs(make_visit, flow, chime):
    from chalicelib.logic.joining import employee_join

    fake, _ = chime
    vid = make_visit()
    flow.link(vid)
    flow.post(vid, "clock-in")
    # Given the process dies right after the meeting is stored on the session
    crash_during(lambda: employee_join(services_now(), caller(), vid, NOW), dynamodb_clients(),
                 "after-call.dynamodb.TransactWriteItems")
    assert flow.session(vid)["state"] == "active" and "employee_joined" not in flow.timeline(vid)
    # When the caregiver joins again, the same meeting, an attendee, and the join on the timeline
    response = flow.post(vid, "session/join")
    assert response.status_code == 200 and len(fake.meetings) == 1
    assert "employee_joined" in flow.timeline(vid)


def test_r27_crash_in_the_sweep_after_expiry_before_the_delete_the_next_sweep_deletes(api, make_visit, flow, chime,
                                                                                       clock):
    from chalicelib.logic.expiry import sweep_expired_sessions

    fake, _ = chime
    vid, meeting_id = in_call(make_visit, flow, fake, start=NOW - timedelta(minutes=30), minutes=30)
    clock.advance(timedelta(minutes=16))
    # Given the sweep dies right after it marked the session expired
    crash_during(lambda: sweep_expired_sessions(services_now(), clock(), 200), dynamodb_clients(),
                 "after-call.dynamodb.TransactWriteItems")
    assert flow.session(vid)["state"] == "expired" and fake.meetings[meeting_id].live
    # When the next sweep runs, it deletes the meeting; nothing is expired twice
    result = run_sweep(api)
    assert result["expired"] == 0 and result["meetings_deleted"] == 1 and not fake.meetings[meeting_id].live
    assert flow.timeline(vid).count("link_expired") == 1


def services_now() -> Any:
    from chalicelib.services import services

    return services()

