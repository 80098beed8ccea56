"""The nine o'clock burst (issue 16): 1,000 caregivers and 1,000 clients press "Join" within one minute.

What runs for real: the join logic (`clocking.clock_in`, `joining.employee_join`, `joining.client_join`,
`joining.client_view`), the stores (the in-memory twins of tests/memory.py, or DynamoDB on moto), `ChimeMeetings`
with its retries, and a real `chime-sdk-meetings` botocore client, answered by `FakeChime` (tests/reliability) at
the HTTP level: every request is checked against the service model, botocore parses every answer and runs its own
retry mode, and the stand-in enforces the service's per-operation rates (a token bucket of 10 a second per operation
by default; 429 ThrottlingException beyond) and the concurrent meeting quota.

What is modelled, on a virtual clock (benchmarks/simtime.py; seconds below are virtual):
- the people: caregivers clock in, then open the call window one second later; the window joins. Clients press
  "Join" on their own schedule; before the caregiver is in, the page waits and looks every 3 s (`STATE_POLL_MS`).
  Both start within 60 s, most in the first seconds: press times have a density falling linearly from t=0 to t=60 s
  (peak 33 joins a second of each kind);
- the pages' patience: on 503 VIDEO_BUSY (or SERVICE_BUSY) a page shows "connecting" and asks again after 2-4 s, for
  up to 5 minutes (frontend/src/media/patience.ts). Before issue 16 the page showed the error and the person pressed
  "Join" again 5-15 s later;
- Lambda: each instance serves one request at a time; a request finding none free starts one (cold start: the
  imports in Lambda's init phase on a full vCPU, `INIT_S`, then the clients the first request makes, scaled to the
  function's share of a vCPU), up to the function's reserved concurrency (beyond it API Gateway answers 500 and the
  page shows an error); the caregiver's first request goes through the authorizer function (reserved 20) first.
  A request's time is the network to the API and back
  (`PAGE_RTT_S`), each DynamoDB call (`DYNAMODB_S`), each Chime call (`CHIME_S`), its CPU (issue 7's measured own CPU
  and botocore CPU per call, scaled to the memory's share of a vCPU) and its waits.

The strategies (`STRATEGIES`) differ in how meetings are made, how a throttled call is retried and where the wait
happens. Everything is deterministic for a seed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.report import Section, percentile
from benchmarks.simtime import Sim, virtual_botocore

ROOT = Path(__file__).resolve().parent.parent
START = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)  # nine o'clock in New York

# The model's times, in seconds (docs/PERFORMANCE.md §6 says where each comes from).
PAGE_RTT_S = 0.10  # the phone or laptop to API Gateway and back
DYNAMODB_S = 0.005  # one DynamoDB call from Lambda, in the Region (§5's assumption)
CHIME_S = 0.070  # one Chime SDK call from Lambda (§5's assumption)
OWN_CPU_MS = 2.49  # the project's own CPU per request, p50 (§3, run of record)
BOTOCORE_CPU_MS = 2.46  # botocore's CPU per AWS call (§3)
INIT_S = 0.265  # the imports of a cold start (§1's phase split): Lambda's init phase runs on a full vCPU
FIRST_REQUEST_CPU_S = 0.117  # the botocore clients the first request makes (§1), at the function's share of a vCPU
AUTHORIZER_INIT_S = 0.394  # the authorizer function's cold start (§1), in its init phase
AUTHORIZER_CPU_MS = 2.0  # RS256 verification with a cached JWKS (§5's assumption)
API_RESERVED = 200  # infra's apiConcurrency: the API handler's reserved concurrency
AUTHORIZER_RESERVED = 20  # infra's reserved concurrency of the authorizer
FULL_VCPU_MB = 1769
CLIENT_POLL_S = 3.0  # the join page's look while it waits for the caregiver (STATE_POLL_MS)
PAGE_RETRY_S = (2.0, 4.0)  # after VIDEO_BUSY: the page's wait before it asks again (patience.ts)
PAGE_PATIENCE_S = 300.0
HUMAN_RETRY_S = (5.0, 15.0)  # before issue 16: the person reads "video unavailable" and presses Join again
GIVE_UP_S = 600.0


@dataclass(frozen=True)
class Strategy:
    """How meetings are made and how a throttled call is retried."""

    name: str
    label: str
    one_call: bool = True  # CreateMeetingWithAttendees for the first join (else CreateMeeting + CreateAttendee)
    patience: tuple[int, float] | None = None  # ChimeMeetings' join patience (attempts, budget s); None: the default
    old_retry: bool = False  # three quick attempts, as before issue 16
    botocore: dict[str, Any] | None = None  # the Chime client's retries config, e.g. adaptive mode
    bucket: float | None = None  # our own token bucket (calls/s) in front of Chime, in each Lambda instance
    page_patient: bool = True  # the page shows "connecting" and asks again on VIDEO_BUSY


STRATEGIES = {s.name: s for s in (
    Strategy("before", "before: CreateMeeting + CreateAttendee, 3 attempts in 0.3 s, person presses Join again",
             one_call=False, old_retry=True, page_patient=False),
    Strategy("two-calls", "CreateMeeting + CreateAttendee, one quick retry, page connecting", one_call=False),
    Strategy("chosen", "CreateMeetingWithAttendees, one quick retry in Lambda (full jitter), page connecting"),
    Strategy("page-only", "CreateMeetingWithAttendees, 1 attempt, the page does all the waiting",
             patience=(1, 0.0)),
    Strategy("patience-1", "CreateMeetingWithAttendees, 1 s patience, page connecting", patience=(4, 1.0)),
    Strategy("patience-3", "CreateMeetingWithAttendees, 3 s patience, page connecting", patience=(10, 3.0)),
    Strategy("patience-10", "CreateMeetingWithAttendees, 10 s patience, page connecting", patience=(30, 10.0)),
    Strategy("patience-25", "CreateMeetingWithAttendees, 25 s patience (API Gateway allows 29 s)",
             patience=(80, 25.0)),
    Strategy("adaptive", "CreateMeetingWithAttendees, botocore adaptive mode (5 attempts), page connecting",
             patience=(1, 0.0), botocore={"mode": "adaptive", "total_max_attempts": 5}),
    Strategy("standard-5", "CreateMeetingWithAttendees, botocore standard mode (5 attempts), page connecting",
             patience=(1, 0.0), botocore={"mode": "standard", "total_max_attempts": 5}),
    Strategy("own-bucket", "CreateMeetingWithAttendees, our token bucket (10/s per instance) + one quick retry",
             bucket=10.0),
)}


@dataclass(frozen=True)
class Quota:
    rate: float = 10.0  # each meeting operation's requests a second (the default)
    burst: float | None = None  # its bucket's size (not published: taken equal to the rate)
    max_meetings: int | None = 4000  # concurrent meetings (default 250; raised here unless a run says so)


@dataclass
class Figures:
    """What one run measured."""

    caregiver_waits: list[float] = field(default_factory=list)
    client_waits: list[float] = field(default_factory=list)  # from Join (or the caregiver's meeting, if later)
    client_waits_total: list[float] = field(default_factory=list)  # from the client's Join press
    failures: Counter[str] = field(default_factory=Counter)
    errors_shown: int = 0  # times a page showed "video unavailable" (before: the person had to press again)
    connecting_shown: int = 0  # times a page showed "connecting" and asked again by itself
    requests: Counter[str] = field(default_factory=Counter)
    per_second: dict[int, int] = field(default_factory=dict)  # API requests arriving in each second
    throttled: Counter[str] = field(default_factory=Counter)  # requests refused at a reserved concurrency
    lambda_busy_s: float = 0.0
    lambda_peak: int = 0
    cold_starts: int = 0
    chime_calls: Counter[str] = field(default_factory=Counter)
    chime_throttled: Counter[str] = field(default_factory=Counter)
    meetings_per_visit: Counter[int] = field(default_factory=Counter)
    last_join_s: float = 0.0
    arrivals: dict[str, float] = field(default_factory=dict)
    wall_s: float = 0.0
    sim_errors: list[str] = field(default_factory=list)


def press_times(n: int, rng: random.Random, window: float = 60.0) -> list[float]:
    """`n` press times in [0, window): density falling linearly to zero at `window` (most right on the hour)."""
    return sorted(window * (1 - math.sqrt(1 - rng.random())) for _ in range(n))


def agency_sizes(visits: int) -> list[int]:
    """Visits per agency: one large agency (30 %), ten mid-sized (50 %), the rest small (10 each)."""
    large = visits * 3 // 10
    mid = [visits // 20] * 10
    rest = visits - large - sum(mid)
    return [large, *mid, *([10] * (rest // 10)), *([rest % 10] if rest % 10 else [])]


# The world --------------------------------------------------------------------------------------------------------

@dataclass
class Visit:
    agency_id: str
    visit_id: str
    employee_id: str
    token: str
    caregiver_at: float
    client_at: float
    meeting_at: float | None = None


def _environment() -> None:
    """The test stage's settings (the app reads them once), with placeholder credentials for botocore."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    for name, value in config["stages"]["test"]["environment_variables"].items():
        os.environ[name] = value
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
        os.environ.pop(name, None)


class _Slow:
    """A store whose every call takes one DynamoDB call's time on the virtual clock (the in-memory twins)."""

    def __init__(self, inner: Any, on_call: Callable[[], None]) -> None:
        self._inner, self._on_call = inner, on_call

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            self._on_call()
            return attr(*args, **kwargs)

        return call


class _Bucketed:
    """Our own token bucket in front of a Chime client: a call waits for a token (one Lambda instance's)."""

    def __init__(self, client: Any, rate: float, sim: Sim) -> None:
        self._client, self._rate, self._sim = client, rate, sim
        self._tokens, self._at = rate, 0.0
        self.meta = client.meta

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)

        def call(**kwargs: Any) -> Any:
            now = self._sim.now()
            self._tokens = min(self._rate, self._tokens + (now - self._at) * self._rate)
            self._at = now
            if self._tokens < 1:
                self._sim.sleep((1 - self._tokens) / self._rate)
                self._tokens, self._at = 1.0, self._sim.now()
            self._tokens -= 1
            return method(**kwargs)

        return call


class _TwoCalls:
    """Meetings made as before issue 16: CreateMeeting, then CreateAttendee (two calls for the first join)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.provider = inner.provider

    def create_meeting_with_attendee(self, external_meeting_id: str, request_token: str,
                                     external_user_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        meeting = self._inner.create_meeting(external_meeting_id, request_token)
        return meeting, self._inner.create_attendee(meeting["MeetingId"], external_user_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _Lambda:
    """One instance of the API function: its own Chime client (its own botocore rate limiter, in adaptive mode)."""

    def __init__(self, services: Any) -> None:
        self.services = services


class Run:
    """One burst: the world, the strategy, the quota, the store kind."""

    def __init__(self, strategy: Strategy, quota: Quota, visits: int, seed: int, store: str,
                 memory_mb: int, recorder: Any = None) -> None:
        self.strategy, self.quota, self.n, self.store, self.memory_mb = strategy, quota, visits, store, memory_mb
        self.rng = random.Random(seed)
        self.sim = Sim(START - timedelta(minutes=1))
        self.figures = Figures()
        self.recorder = recorder
        self._calls = threading.local()
        self._idle: list[_Lambda] = []
        self._busy = 0
        self._auth_idle = 0
        self._auth_busy = 0
        self.visits: list[Visit] = []

    # Time on the virtual clock -------------------------------------------------------------------------------

    def _aws_call(self, seconds: float) -> None:
        self._calls.count = getattr(self._calls, "count", 0) + 1
        self.sim.sleep(seconds)

    def _cpu_scale(self) -> float:
        return FULL_VCPU_MB / min(self.memory_mb, FULL_VCPU_MB)

    # The services each Lambda instance holds ------------------------------------------------------------------

    def _stores(self) -> tuple[Any, Any, Any]:
        if self.store == "memory":
            from tests.memory import MemoryDirectory, MemorySessions, MemoryVisits, Tables

            tables = Tables()
            slow = lambda inner: _Slow(inner, lambda: self._aws_call(DYNAMODB_S))  # noqa: E731
            self._raw = (MemoryDirectory(tables), MemoryVisits(tables), MemorySessions(tables))
            return slow(self._raw[0]), slow(self._raw[1]), slow(self._raw[2])
        from chalicelib.persistence.directory import DynamoDirectory
        from chalicelib.persistence.sessions import DynamoSessions
        from chalicelib.persistence.visits import DynamoVisits

        self._raw = (DynamoDirectory(), DynamoVisits(), DynamoSessions())
        return self._raw

    def dynamodb_latency(self, **_: Any) -> None:
        """After each DynamoDB call of a request (a hook on the botocore session: moto runs)."""
        if getattr(self._calls, "in_sim", False):
            self._aws_call(DYNAMODB_S)

    def _chime_client(self, fake: Any) -> Any:
        from chalicelib.aws import make_client

        config = self.strategy.botocore or {"mode": "standard", "total_max_attempts": 1}
        client = make_client("chime-sdk-meetings", "us-east-1", retries=config)

        def latency(**_: Any) -> None:
            self._aws_call(CHIME_S)

        client.meta.events.register("before-send.chime-sdk-meetings", latency)
        fake.attach(client, http=True)
        return client

    def _meetings(self, client: Any) -> Any:
        from chalicelib.integrations.meetings import ChimeMeetings, Patience

        s = self.strategy
        if s.bucket is not None:
            client = _Bucketed(client, s.bucket, self.sim)
        kwargs: dict[str, Any] = {}
        if s.old_retry:
            kwargs["join_patience"] = Patience(attempts=3, budget=1.0, first=0.1, cap=2.0)
        elif s.patience is not None:
            kwargs["join_patience"] = Patience(attempts=s.patience[0], budget=s.patience[1], first=0.2, cap=1.0)
        meetings: Any = ChimeMeetings(client, "us-east-1", sleep=self.sim.sleep, draw=self.rng.random, **kwargs)
        return meetings if s.one_call else _TwoCalls(meetings)

    def _new_instance(self) -> _Lambda:
        from chalicelib.config import from_environ
        from chalicelib.services import Services
        from tests.memory import LINK_KEY, RecordingMailer

        per_instance = self.strategy.botocore is not None or self.strategy.bucket is not None
        client = self._chime_client(self.fake) if per_instance else self._shared_client
        services = Services(from_environ(), clock=self.sim.datetime, mailer=RecordingMailer(),
                            meetings=self._meetings(client), link_key=LINK_KEY, directory=self.directory,
                            visits=self.visits_store, sessions=self.sessions)
        return _Lambda(services)

    # Requests ---------------------------------------------------------------------------------------------------

    def _authorize(self) -> bool:
        """The authorizer function, for a staff request whose token API Gateway has not cached (300 s)."""
        if self._auth_idle:
            self._auth_idle -= 1
        elif self._auth_busy >= AUTHORIZER_RESERVED:
            self.figures.throttled["authorizer"] += 1
            return False
        else:
            self.sim.sleep(AUTHORIZER_INIT_S)  # its init runs on a full vCPU
        self._auth_busy += 1
        self.sim.sleep(AUTHORIZER_CPU_MS / 1000 * self._cpu_scale())
        self._auth_busy -= 1
        self._auth_idle += 1
        return True

    def request(self, route: str, handler: Callable[[Any, datetime], Any],
                authorize: bool = False) -> tuple[int, str, Any]:
        """One API request from a page: the network, a Lambda instance (cold if none is free), the handler.

        A function at its reserved concurrency is throttled; API Gateway answers that 500 (its DEFAULT_5XX), which
        the pages show as an error."""
        from chalicelib.errors import DomainError
        from chalicelib.observability import metrics

        self.figures.requests[route] += 1
        second = int(self.sim.now())
        self.figures.per_second[second] = self.figures.per_second.get(second, 0) + 1
        self.sim.sleep(PAGE_RTT_S / 2)
        if authorize and not self._authorize():
            self.sim.sleep(PAGE_RTT_S / 2)
            return 500, "INTERNAL_ERROR", None
        if self._idle:
            instance: _Lambda | None = self._idle.pop()
        elif self._busy >= API_RESERVED:
            self.figures.throttled["api"] += 1
            self.sim.sleep(PAGE_RTT_S / 2)
            return 500, "INTERNAL_ERROR", None
        else:
            self.figures.cold_starts += 1
            instance = None
        self._busy += 1
        self.figures.lambda_peak = max(self.figures.lambda_peak, self._busy)
        started = self.sim.now()
        if instance is None:
            # Init (the imports) runs on a full vCPU; the first request also makes the botocore clients.
            self.sim.sleep(INIT_S + FIRST_REQUEST_CPU_S * self._cpu_scale())
            instance = self._new_instance()
        self._calls.count = 0
        self._calls.in_sim = True
        try:
            body = handler(instance.services, self.sim.datetime())
            result: tuple[int, str, Any] = (200, "", body)
        except DomainError as error:
            result = (error.status, error.code, None)
        finally:
            self._calls.in_sim = False
            metrics().clear_metrics()  # the request's metrics (the app's middleware writes them; none here)
        cpu_s = (OWN_CPU_MS + BOTOCORE_CPU_MS * self._calls.count) / 1000 * self._cpu_scale()
        self.sim.sleep(cpu_s)
        self.figures.lambda_busy_s += self.sim.now() - started
        self._busy -= 1
        self._idle.append(instance)
        self.sim.sleep(PAGE_RTT_S / 2)
        return result

    def _patiently(self, route: str, handler: Callable[[Any, datetime], Any], begun: float,
                   waiting: Callable[[int, str], bool] | None = None,
                   authorize: bool = False) -> tuple[int, str, Any]:
        """A page's join: ask; on "busy" the patient page waits and asks again by itself; any other failure is
        shown, and the person presses the button again a little later (as with the page before issue 16)."""
        while True:
            status, code, body = self.request(route, handler, authorize)
            if (waiting is not None and waiting(status, code)) or status < 500:
                return status, code, body
            busy = status == 503 and code in ("VIDEO_BUSY", "SERVICE_BUSY")
            if busy and self.strategy.page_patient:
                if self.sim.now() - begun > PAGE_PATIENCE_S:
                    return status, code, body
                self.figures.connecting_shown += 1
                self.sim.sleep(self.rng.uniform(*PAGE_RETRY_S))
            else:
                if self.sim.now() - begun > GIVE_UP_S:
                    return status, code, body
                self.figures.errors_shown += 1
                self.sim.sleep(self.rng.uniform(*HUMAN_RETRY_S))

    # People -------------------------------------------------------------------------------------------------------

    def _connect(self, joined: dict[str, Any]) -> None:
        """The page's media connects with the join's attendee: the meeting is in use from now on (Chime ends a
        meeting nobody is connected to after five minutes, which would free the concurrent-meeting quota)."""
        self.fake.connect(joined["meeting"]["MeetingId"], joined["attendee"]["external_user_id"], self.sim.datetime())

    def caregiver(self, visit: Visit) -> None:
        from chalicelib.logic.access import Caller
        from chalicelib.logic.clocking import clock_in
        from chalicelib.logic.joining import employee_join

        caller = Caller(visit.agency_id, visit.employee_id, "employee")
        # The caregiver's first request at nine: API Gateway asks the authorizer (then caches its answer 300 s).
        status, code, _ = self._patiently("POST clock-in", lambda s, now: clock_in(s, caller, visit.visit_id, now),
                                          self.sim.now(), authorize=True)
        if status != 200:
            self.figures.failures[f"clock-in {status} {code}"] += 1
            return
        self.sim.sleep(1.0)  # "Join video session": the call window opens
        begun = self.sim.now()
        status, code, body = self._patiently("POST session/join",
                                             lambda s, now: employee_join(s, caller, visit.visit_id, now), begun)
        if status != 200:
            self.figures.failures[f"caregiver {status} {code}"] += 1
            return
        self._connect(body)
        visit.meeting_at = self.sim.now()
        self.figures.caregiver_waits.append(self.sim.now() - begun)
        self.figures.last_join_s = max(self.figures.last_join_s, self.sim.now())

    def client(self, visit: Visit) -> None:
        from chalicelib.logic.joining import client_join, client_view

        begun = self.sim.now()

        def waiting_for_caregiver(status: int, code: str) -> bool:
            return status == 409 and code == "WAITING_FOR_CAREGIVER"

        while True:
            status, code, body = self._patiently("POST /api/join/attendee",
                                                 lambda s, now: client_join(s, visit.token, now), begun,
                                                 waiting_for_caregiver)
            if not waiting_for_caregiver(status, code):
                break
            # The page waits for the caregiver, looking every 3 s, and joins by itself once they are in.
            while self.sim.now() - begun < GIVE_UP_S:
                self.sim.sleep(CLIENT_POLL_S)
                looked, _, page = self.request("POST /api/join", lambda s, now: client_view(s, visit.token, now))
                if looked == 200 and (page["caregiver_present"] or page["state"] == "active"):
                    break
            else:
                self.figures.failures["client gave up waiting for the caregiver"] += 1
                return
        if status != 200:
            self.figures.failures[f"client {status} {code}"] += 1
            return
        self._connect(body)
        now = self.sim.now()
        self.figures.client_waits_total.append(now - begun)
        self.figures.client_waits.append(now - max(begun, visit.meeting_at or begun))
        self.figures.last_join_s = max(self.figures.last_join_s, now)

    # The run ------------------------------------------------------------------------------------------------------

    def _setup(self) -> None:
        """Agencies, caregivers, clients and 1,000 visits at nine, each with its link copied (before the burst)."""
        from chalicelib.logic.access import Caller
        from chalicelib.logic.agency_admin import create_visit
        from chalicelib.logic.invitations import invite_client
        from chalicelib.observability import metrics
        from chalicelib.records import Agency, Client, Employee, ServiceCode
        from chalicelib.services import Services
        from tests.memory import LINK_KEY, RecordingMailer

        directory, visits_store, sessions = (s for s in self._raw)
        setup = Services(clock=self.sim.datetime, mailer=RecordingMailer(), link_key=LINK_KEY,
                         directory=directory, visits=visits_store, sessions=sessions)
        caregivers = press_times(self.n, self.rng)
        clients = press_times(self.n, self.rng)
        self.rng.shuffle(clients)
        now = self.sim.datetime()
        k = 0
        for a, size in enumerate(agency_sizes(self.n)):
            agency_id = f"agency{a:03d}"
            directory.add_agency(Agency(agency_id, f"Agency {a}", "America/New_York", f"visits@a{a}.example.test"))
            directory.add_service_code(agency_id, ServiceCode("TELE", "Telehealth", True))
            directory.add_employee(agency_id, Employee("coord", "Coordinator", f"coord@a{a}.example.test",
                                                       "coordinator"))
            coordinator = Caller(agency_id, "coord", "coordinator")
            for i in range(size):
                employee, client = f"e{i:04d}", f"c{i:04d}"
                directory.add_employee(agency_id, Employee(employee, f"Caregiver {i}", f"{employee}@a.example.test",
                                                           "employee"))
                directory.add_client(agency_id, Client(client, f"Client {i}", None))
                made = create_visit(setup, coordinator, {
                    "client_id": client, "employee_id": employee, "service_code": "TELE", "start": START,
                    "end": START + timedelta(hours=1), "virtual": True}, now)
                caregiver = Caller(agency_id, employee, "employee")
                link = invite_client(setup, caregiver, str(made["id"]), "link", now)["join_url"]
                metrics().clear_metrics()
                self.visits.append(Visit(agency_id, str(made["id"]), employee, str(link).split("#", 1)[1],
                                         60.0 + caregivers[k], 60.0 + clients[k]))
                k += 1

    def go(self) -> Figures:
        from tests.reliability.fake_chime import FakeChime, chime_rates

        started = time.perf_counter()
        self.fake = FakeChime(self.sim.datetime, rates=chime_rates(self.quota.rate, self.quota.burst),
                              max_meetings=self.quota.max_meetings, http=True)
        self.directory, self.visits_store, self.sessions = self._stores()
        self._setup()
        self._shared_client = self._chime_client(self.fake)
        if self.recorder is not None:
            self.recorder.start(self.sim)
        for visit in self.visits:
            self.sim.spawn(visit.caregiver_at, lambda v=visit: self.caregiver(v), "caregiver")
            self.sim.spawn(visit.client_at, lambda v=visit: self.client(v), "client")
        with virtual_botocore(self.sim):
            self.sim.run()
        if self.recorder is not None:
            self.recorder.stop()
        f = self.figures
        for call in self.fake.calls:
            f.chime_calls[call.operation] += 1
        f.chime_throttled.update(self.fake.throttled)
        per_visit = Counter(m.external_meeting_id for m in self.fake.meetings.values())
        f.meetings_per_visit = Counter(per_visit.get(f"visit-{v.visit_id}", 0) for v in self.visits)
        f.sim_errors = self.sim.errors
        f.wall_s = time.perf_counter() - started
        f.arrivals = {"caregivers_within_60s": sum(v.caregiver_at - 60 < 60 for v in self.visits),
                      "clients_within_60s": sum(v.client_at - 60 < 60 for v in self.visits)}
        return f


# Running and reporting ---------------------------------------------------------------------------------------------

def summary(f: Figures, visits: int) -> dict[str, Any]:
    joins = len(f.caregiver_waits) + len(f.client_waits)
    requests = sum(f.requests.values())
    return {
        "joins_ok": joins, "joins_wanted": 2 * visits, "failures": dict(f.failures),
        "meetings_twice": sum(n for k, n in f.meetings_per_visit.items() if k > 1),
        "caregiver_p50": percentile(f.caregiver_waits, 50), "caregiver_p99": percentile(f.caregiver_waits, 99),
        "caregiver_max": max(f.caregiver_waits, default=float("nan")),
        "client_p50": percentile(f.client_waits, 50), "client_p99": percentile(f.client_waits, 99),
        "client_total_p50": percentile(f.client_waits_total, 50),
        "client_total_p99": percentile(f.client_waits_total, 99),
        "last_join_s": f.last_join_s - 60, "errors_shown": f.errors_shown, "connecting_shown": f.connecting_shown,
        "requests": requests, "requests_per_visit": requests / visits, "requests_by_route": dict(f.requests),
        "lambda_gb_s_per_visit": f.lambda_busy_s / visits, "lambda_peak": f.lambda_peak,
        "cold_starts": f.cold_starts, "chime_calls": dict(f.chime_calls), "chime_throttled": dict(f.chime_throttled),
        "lambda_throttled": dict(f.throttled), "peak_requests_per_s": max(f.per_second.values(), default=0),
        "arrivals": f.arrivals, "wall_s": f.wall_s, "sim_errors": f.sim_errors[:3],
        "caregiver_waits_s": f.caregiver_waits,
    }


def run_one(strategy: str, quota: Quota, visits: int = 1000, seed: int = 16, store: str = "memory",
            memory_mb: int = 1024, recorder: Any = None) -> dict[str, Any]:
    _environment()
    run = Run(STRATEGIES[strategy], quota, visits, seed, store, memory_mb, recorder)
    with ExitStack() as stack:
        if store == "moto":
            def hooks() -> None:
                # Before the table: the DynamoDB client, made with it, copies the session's hooks.
                from chalicelib.aws import botocore_session

                session = botocore_session()
                session.register("after-call.dynamodb", run.dynamodb_latency, unique_id="burst-dynamodb-latency")
                stack.callback(session.unregister, "after-call.dynamodb", unique_id="burst-dynamodb-latency")
                if recorder is not None:
                    recorder.install()

            stack.enter_context(_moto(hooks))
        figures = run.go()
    result = summary(figures, visits)
    result["gb_s_per_visit"] = result["lambda_gb_s_per_visit"] * memory_mb / 1024
    return result


@contextmanager
def _moto(before_table: Callable[[], None]) -> Iterator[None]:
    """DynamoDB on moto in this process, with issue 7's two scale fixes (item-level rollback, partition Query)."""
    from moto import mock_aws

    from devstack.profiling import moto_at_scale

    moto_at_scale()
    with mock_aws():
        from chalicelib.persistence.binding import bound, create_table

        before_table()
        bound.cache_clear()
        create_table()
        yield
        bound.cache_clear()


def _fmt(seconds: float) -> str:
    return f"{seconds:.1f} s"


def _compare(result: dict[str, Any]) -> str:
    return (f"caregiver {_fmt(result['caregiver_p50'])} / {_fmt(result['caregiver_p99'])}, "
            f"client {_fmt(result['client_p50'])} / {_fmt(result['client_p99'])}")


def _costs(result: dict[str, Any]) -> str:
    return (f"{result['requests_per_visit']:.1f} requests, {result['gb_s_per_visit']:.1f} GB-s a visit, "
            f"{result['lambda_peak']} instances at most, {result['errors_shown']:,} errors shown, "
            f"{sum(result['chime_throttled'].values()):,} Chime calls throttled")


FULL = ["two-calls", "patience-3", "patience-10", "patience-25", "adaptive", "standard-5", "own-bucket"]


def run(full: bool = False, visits: int = 1000, memory_mb: int = 1024) -> Section:
    """Section 6 of `make bench`: the burst on DynamoDB (moto), the levers weighed, the quotas, the partitions."""
    from benchmarks.partitions import PartitionRecorder

    section = Section(6, f"The nine o'clock burst: {visits:,} caregiver and {visits:,} client joins within 60 s")
    data: dict[str, Any] = {"strategies": {}, "quotas": {}}
    # The run of record: the chosen strategy, DynamoDB on moto, at Chime's default rates (10 a second per operation;
    # the concurrent meeting quota raised, as a deployment of this size must: see the last row).
    recorder = PartitionRecorder()
    chosen = run_one("chosen", Quota(), visits, store="moto", memory_mb=memory_mb, recorder=recorder)
    data["strategies"]["chosen"] = chosen
    data["partitions"] = recorder.report()
    ok = chosen["joins_ok"] == chosen["joins_wanted"] and not chosen["failures"] and not chosen["sim_errors"]
    section.add("joins pressed within 60 s (caregivers / clients)",
                f"{chosen['arrivals']['caregivers_within_60s']:,} / {chosen['arrivals']['clients_within_60s']:,}",
                f">= {visits:,} each", min(chosen["arrivals"].values()) >= visits)
    section.add("joins that succeeded (DynamoDB on moto, Chime at 10/s)",
                f"{chosen['joins_ok']:,} of {chosen['joins_wanted']:,}", "all", ok)
    section.add("meetings created twice", str(chosen["meetings_twice"]), "0", chosen["meetings_twice"] == 0)
    section.add("join wait p50 / p99: caregiver, client (after the meeting)", _compare(chosen))
    section.add("last join in, after nine", _fmt(chosen["last_join_s"]))
    section.add("its cost", _costs(chosen))
    for name in ["before", "page-only", *(FULL if full else [])]:
        result = run_one(name, Quota(), visits, memory_mb=memory_mb)
        data["strategies"][name] = result
        section.add(f"{name}: join wait p50 / p99", _compare(result))
        section.add(f"{name}: its cost", _costs(result))
        if result["joins_ok"] != result["joins_wanted"]:
            section.notes.append(f"{name}: {result['joins_wanted'] - result['joins_ok']} joins failed: "
                                 f"{result['failures']}")
    for rate in (20, 30, 50) if full else (20, 30):
        result = run_one("chosen", Quota(rate=rate), visits, memory_mb=memory_mb)
        data["quotas"][str(rate)] = result
        section.add(f"Chime at {rate}/s: join wait p50 / p99", _compare(result))
    small = min(visits, 300)
    limited = run_one("chosen", Quota(max_meetings=250), small, memory_mb=memory_mb)
    data["quotas"]["meetings-250"] = limited
    section.add(f"default quota of 250 concurrent meetings, {small} visits: visits that never started",
                f"{small - len(limited['caregiver_waits_s'])} (request the quota: docs/DEPLOY.md)")
    for row in recorder.rows():
        section.add(*row)
    section.notes.append("times are virtual (benchmarks/simtime.py): the logic, the stores and botocore run for real; "
                         "the network, DynamoDB, Chime and Lambda's CPU take the times in docs/PERFORMANCE.md §6")
    if recorder.errors:
        section.notes.append(f"partition recorder errors: {recorder.errors[:3]}")
    section.data = data
    return section


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--strategy", default=None, help=f"one run: {', '.join(STRATEGIES)}")
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--max-meetings", type=int, default=4000)
    parser.add_argument("--visits", type=int, default=1000)
    parser.add_argument("--store", choices=("memory", "moto"), default="memory")
    parser.add_argument("--memory-mb", type=int, default=1024)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--full", action="store_true", help="every strategy and quota")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    sys.setrecursionlimit(10_000)
    if args.strategy:
        result = run_one(args.strategy, Quota(args.rate, max_meetings=args.max_meetings), args.visits, args.seed,
                         args.store, args.memory_mb)
        print(json.dumps(result, indent=1, default=str))
        if args.json:
            args.json.write_text(json.dumps(result, indent=1, default=str))
        return
    section = run(args.full, args.visits, args.memory_mb)
    print(section.render())
    if args.json:
        args.json.write_text(json.dumps(section.data, indent=1, default=str))


if __name__ == "__main__":
    main()


