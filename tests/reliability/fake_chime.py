"""Amazon Chime SDK Meetings as an in-memory service behind a real `chime-sdk-meetings` botocore client.

Why not a `Stubber`: a Stubber answers from a strict FIFO queue, so every test must predict the exact order of
Chime calls. A state machine cannot: whether a step calls CreateMeeting, CreateAttendee, GetMeeting, ListAttendees
or DeleteMeeting (and how often, with retries) depends on everything before it. Replaying the app's own
decisions in the test to queue the responses would test the app against itself.

So this fake answers from a model of Chime instead, hooked into the same two botocore events the Stubber uses:
- `before-parameter-build` sees the API parameters; the real client then validates them against the real
  service model (the Stubber's guarantee: a missing `ExternalMeetingId` or a 1-character `ExternalUserId` fails);
- `before-call` returns the answer, so nothing leaves the process. Every answer is validated against the
  operation's output shape, as the Stubber does.

The model: CreateMeeting is idempotent per `ClientRequestToken` (a token reused after the meeting ended gets the
ended meeting back, the harsher reading of Chime's idempotency); CreateAttendee returns the same attendee for the
same `ExternalUserId`; ListAttendees lists every attendee of a live meeting, including ones that left (as Chime
does until the meeting ends); a meeting nobody is connected to ends by itself after five minutes; deleted or ended
meetings answer `NotFoundException`. Browsers connecting and leaving are driven by the test (`connect`,
`disconnect`), and every change queues the EventBridge event Chime would send ("Chime Meeting State Change").
Faults: `down` answers every call 503 `ServiceUnavailableException`; `fail_next` queues errors for given calls
(status 0: the connection fails, `EndpointConnectionError`).

Limits, as the service sets them per account and Region (AWS General Reference, "Amazon Chime SDK endpoints and
quotas"): `rates` gives operations a token bucket each (`CHIME_DEFAULT_RATES`: 10 requests a second, the default of
CreateMeeting, CreateMeetingWithAttendees, CreateAttendee, BatchCreateAttendee, GetMeeting, ListAttendees and
DeleteMeeting); a call finding its bucket empty is answered 429 `ThrottlingException` and takes no token.
`max_meetings` is the concurrent meeting quota (default 250): a meeting beyond it is refused with
`LimitExceededException`. Both are off unless given, so the state-machine tests see no throttling.

`http=True` answers at `before-send` instead of `before-call`, with the JSON body and headers Chime would send: the
client then parses the answer itself and runs its own retry handlers (botocore's standard or adaptive mode), which
`before-call` would skip. `client=` attaches the fake to a client made elsewhere (with the app's configuration).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError
from botocore.validate import ParamValidator

IDLE_END = timedelta(minutes=5)
REGION = "us-east-1"
EPOCH = datetime(2000, 1, 1).astimezone()


@dataclass
class Rate:
    """A token bucket: `per_second` tokens a second, holding at most `burst` (a full bucket to start)."""

    per_second: float
    burst: float
    tokens: float = -1.0
    at: float = 0.0

    def take(self, now: float) -> bool:
        if self.tokens < 0:
            self.tokens, self.at = self.burst, now
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.per_second)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


RATED = ("CreateMeeting", "CreateMeetingWithAttendees", "CreateAttendee", "BatchCreateAttendee", "GetMeeting",
         "ListAttendees", "DeleteMeeting")


def chime_rates(per_second: float = 10.0, burst: float | None = None) -> dict[str, Rate]:
    """A bucket per operation at the given rate (the service's default: 10 a second each)."""
    return {op: Rate(per_second, burst if burst is not None else per_second) for op in RATED}


class _Body:
    """The raw body of a made-up HTTP answer, readable the way botocore reads a urllib3 response."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


@dataclass
class FakeAttendee:
    attendee_id: str
    external_user_id: str
    join_token: str
    connected: bool = False


@dataclass
class FakeMeeting:
    meeting_id: str
    external_meeting_id: str
    request_token: str
    idle_since: datetime | None
    attendees: dict[str, FakeAttendee] = field(default_factory=dict)  # by external user id
    live: bool = True
    first_attendees: list[str] = field(default_factory=list)  # CreateMeetingWithAttendees' list


@dataclass
class Call:
    operation: str
    params: dict[str, Any]
    at: datetime
    ok: bool


class FakeChime:
    """A stateful Chime behind a real client; `client` goes into `ChimeMeetings`."""

    def __init__(self, clock: Callable[[], datetime], *, rates: dict[str, Rate] | None = None,
                 max_meetings: int | None = None, client: Any = None, http: bool = False) -> None:
        self.clock = clock
        self.rates = rates or {}
        self.max_meetings = max_meetings
        self.throttled: dict[str, int] = {}
        self._lock = threading.RLock()
        self._params = threading.local()
        self.client = client if client is not None else boto3.client("chime-sdk-meetings", region_name=REGION)
        self.attach(self.client, http)
        self.meetings: dict[str, FakeMeeting] = {}
        self.by_token: dict[str, str] = {}
        self.pending: list[dict[str, Any]] = []  # events Chime sent that EventBridge has not delivered yet
        self.delivered: list[dict[str, Any]] = []
        self.calls: list[Call] = []
        self.down = False
        self.fail_next: list[tuple[str, str, int]] = []  # (operation or "*", error code, HTTP status or 0)
        self.faults_injected = 0

    # The service ------------------------------------------------------------------------------------------

    def attach(self, client: Any, http: bool = False) -> None:
        """Answer this client's calls (several clients may share one fake: one per Lambda instance)."""
        events = client.meta.events
        events.register("before-parameter-build.chime-sdk-meetings", self._capture)
        if http:
            events.register("before-send.chime-sdk-meetings", self._answer_http)
        else:
            events.register("before-call.chime-sdk-meetings", self._answer)

    def _capture(self, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["fake_chime_params"] = dict(params)
        self._params.value = dict(params)  # before-send sees only the request: the same thread's last call

    def _answer(self, model: Any, context: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        status, body = self._serve(model, context.get("fake_chime_params", {}))
        return AWSResponse(None, status, {}, None), {**body, "ResponseMetadata": {"HTTPStatusCode": status}}

    def _answer_http(self, request: Any, event_name: str, **_: Any) -> AWSResponse:
        model = self.client.meta.service_model.operation_model(event_name.rsplit(".", 1)[-1])
        status, body = self._serve(model, getattr(self._params, "value", {}))
        headers = {"Content-Type": "application/json", "x-amzn-RequestId": str(uuid.uuid4())}
        if status >= 400:
            error = body.pop("Error")
            headers["x-amzn-ErrorType"] = error["Code"]
            body = {"Code": error["Code"], "Message": error["Message"]}
        return AWSResponse(request.url, status, headers, _Body(json.dumps(body).encode()))

    def _serve(self, model: Any, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """The status and parsed body Chime would answer `model.name` with (or a raised connection failure)."""
        operation = model.name
        with self._lock:
            now = self.clock()
            self.tick(now)
            fault = self._fault(operation, now)
            if fault is not None:
                self.calls.append(Call(operation, params, now, False))
                if fault[1] == 0:  # no HTTP answer at all: the connection failed
                    raise EndpointConnectionError(endpoint_url=f"https://meetings-chime.{REGION}.api.aws")
                return self._error(*fault)
            handler = getattr(self, f"_op_{operation}")
            try:
                body = handler(params, now)
            except LookupError:
                self.calls.append(Call(operation, params, now, False))
                return self._error("NotFoundException", 404, "The requested resource does not exist.")
            except OverflowError:
                self.calls.append(Call(operation, params, now, False))
                return self._error("LimitExceededException", 400, "The request exceeds the resource limit.")
            self.calls.append(Call(operation, params, now, True))
        errors = ParamValidator().validate(body, model.output_shape) if model.output_shape else None
        if errors is not None and errors.has_errors():
            raise AssertionError(f"fake Chime answered {operation} with an invalid shape: {errors.generate_report()}")
        return 200, body

    def _fault(self, operation: str, now: datetime) -> tuple[str, int, str] | None:
        if self.down:
            self.faults_injected += 1
            return "ServiceUnavailableException", 503, "Service unavailable"
        for i, (op, code, status) in enumerate(self.fail_next):
            if op in (operation, "*"):
                del self.fail_next[i]
                self.faults_injected += 1
                return code, status, "Injected fault"
        bucket = self.rates.get(operation)
        if bucket is not None and not bucket.take((now - EPOCH).total_seconds()):
            self.throttled[operation] = self.throttled.get(operation, 0) + 1
            return "ThrottlingException", 429, "Rate exceeded"
        return None

    @staticmethod
    def _error(code: str, status: int, message: str) -> tuple[int, dict[str, Any]]:
        return status, {"Error": {"Code": code, "Message": message}}

    def _live(self, meeting_id: str) -> FakeMeeting:
        meeting = self.meetings.get(meeting_id)
        if meeting is None or not meeting.live:
            raise LookupError(meeting_id)
        return meeting

    @staticmethod
    def _meeting_body(meeting: FakeMeeting) -> dict[str, Any]:
        mid = meeting.meeting_id
        return {"Meeting": {
            "MeetingId": mid, "ExternalMeetingId": meeting.external_meeting_id, "MediaRegion": REGION,
            "MeetingArn": f"arn:aws:chime:{REGION}:111122223333:meeting/{mid}",
            "MediaPlacement": {
                "AudioHostUrl": f"{mid[:8]}.k.m1.ue1.app.chime.aws:3478",
                "AudioFallbackUrl": f"wss://haxrp.m1.ue1.app.chime.aws:443/calls/{mid}",
                "SignalingUrl": f"wss://signal.m1.ue1.app.chime.aws/control/{mid}",
                "TurnControlUrl": "https://2713.cell.us-east-1.meetings.chime.aws/v2/turn_sessions",
                "EventIngestionUrl": "https://data.svc.ue1.ingest.chime.aws/v1/client-events",
            },
            "MeetingFeatures": {"Audio": {"EchoReduction": "AVAILABLE"}},
        }}

    @staticmethod
    def _attendee_body(attendee: FakeAttendee) -> dict[str, Any]:
        return {"AttendeeId": attendee.attendee_id, "ExternalUserId": attendee.external_user_id,
                "JoinToken": attendee.join_token}

    def _new_meeting(self, params: dict[str, Any], now: datetime) -> tuple[FakeMeeting, bool]:
        """The meeting of this request token (and whether it is new), within the concurrent meeting quota."""
        token = params["ClientRequestToken"]
        existing = self.by_token.get(token)
        if existing is not None:
            return self.meetings[existing], False
        if self.max_meetings is not None and sum(m.live for m in self.meetings.values()) >= self.max_meetings:
            raise OverflowError(token)
        meeting = FakeMeeting(str(uuid.uuid4()), params["ExternalMeetingId"], token, idle_since=now)
        self.meetings[meeting.meeting_id] = meeting
        self.by_token[token] = meeting.meeting_id
        return meeting, True

    def _op_CreateMeeting(self, params: dict[str, Any], now: datetime) -> dict[str, Any]:
        return self._meeting_body(self._new_meeting(params, now)[0])

    def _op_CreateMeetingWithAttendees(self, params: dict[str, Any], now: datetime) -> dict[str, Any]:
        """A repeated request token answers with the meeting and the attendees of the *first* request (the harsher
        reading of Chime's idempotency: a caller must not take the attendees it gets back for its own)."""
        meeting, new = self._new_meeting(params, now)
        if new:
            meeting.first_attendees = [a["ExternalUserId"] for a in params["Attendees"]]
            for external in meeting.first_attendees:
                self._attendee(meeting, external)
        return {**self._meeting_body(meeting),
                "Attendees": [self._attendee_body(meeting.attendees[e]) for e in meeting.first_attendees],
                "Errors": []}

    def _attendee(self, meeting: FakeMeeting, external: str) -> FakeAttendee:
        attendee = meeting.attendees.get(external)
        if attendee is None:
            attendee = FakeAttendee(str(uuid.uuid4()), external, "jt-" + uuid.uuid4().hex)
            meeting.attendees[external] = attendee
        return attendee

    def _op_CreateAttendee(self, params: dict[str, Any], now: datetime) -> dict[str, Any]:
        meeting = self._live(params["MeetingId"])
        return {"Attendee": self._attendee_body(self._attendee(meeting, params["ExternalUserId"]))}

    def _op_GetMeeting(self, params: dict[str, Any], now: datetime) -> dict[str, Any]:
        return self._meeting_body(self._live(params["MeetingId"]))

    def _op_ListAttendees(self, params: dict[str, Any], now: datetime) -> dict[str, Any]:
        meeting = self._live(params["MeetingId"])
        return {"Attendees": [self._attendee_body(a) for a in meeting.attendees.values()]}

    def _op_DeleteMeeting(self, params: dict[str, Any], now: datetime) -> dict[str, Any]:
        self._end(self._live(params["MeetingId"]), now)
        return {}

    # What Chime does by itself, and what the browsers do --------------------------------------------------

    def _end(self, meeting: FakeMeeting, at: datetime) -> None:
        for attendee in meeting.attendees.values():
            if attendee.connected:
                attendee.connected = False
                self._emit(meeting, "AttendeeLeft", at, attendee)
        meeting.live = False
        self._emit(meeting, "MeetingEnded", at)

    def tick(self, now: datetime) -> None:
        """Chime ends a meeting nobody has been connected to for five minutes."""
        for meeting in list(self.meetings.values()):
            if meeting.live and meeting.idle_since is not None and now - meeting.idle_since >= IDLE_END:
                self._end(meeting, meeting.idle_since + IDLE_END)

    def connect(self, meeting_id: str, external_user_id: str, at: datetime) -> bool:
        """A browser joins the meeting with its attendee; False if the meeting is gone."""
        meeting = self.meetings.get(meeting_id)
        attendee = meeting.attendees.get(external_user_id) if meeting else None
        if meeting is None or not meeting.live or attendee is None:
            return False
        if not attendee.connected:
            attendee.connected = True
            meeting.idle_since = None
            self._emit(meeting, "AttendeeJoined", at, attendee)
        return True

    def disconnect(self, external_user_id: str, at: datetime, dropped: bool = False) -> None:
        """A browser leaves (or its network drops) every live meeting it is in."""
        for meeting in self.meetings.values():
            attendee = meeting.attendees.get(external_user_id)
            if meeting.live and attendee is not None and attendee.connected:
                attendee.connected = False
                self._emit(meeting, "AttendeeDropped" if dropped else "AttendeeLeft", at, attendee)
                if not any(a.connected for a in meeting.attendees.values()):
                    meeting.idle_since = at

    def connected(self, external_user_id: str) -> bool:
        return any(m.live and (a := m.attendees.get(external_user_id)) is not None and a.connected
                   for m in self.meetings.values())

    def live_meetings(self, external_meeting_id: str) -> list[FakeMeeting]:
        return [m for m in self.meetings.values() if m.live and m.external_meeting_id == external_meeting_id]

    def _emit(self, meeting: FakeMeeting, kind: str, at: datetime, attendee: FakeAttendee | None = None) -> None:
        detail: dict[str, Any] = {
            "version": "0", "eventType": f"chime:{kind}", "meetingId": meeting.meeting_id,
            "externalMeetingId": meeting.external_meeting_id, "timestamp": int(at.timestamp() * 1000),
            "mediaRegion": REGION,
        }
        if attendee is not None:
            detail.update(attendeeId=attendee.attendee_id, externalUserId=attendee.external_user_id)
        self.pending.append(detail)
