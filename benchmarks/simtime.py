"""Virtual time for real code: the burst benchmark's scheduler.

The app's logic, its stores and botocore run for real, on threads, but only one thread runs at a time and the clock
moves only when every thread waits: a thread "sleeps" by handing control back with the time it wants to wake at.
So a minute of a burst with thousands of waiting joins takes as long as the code's own work, the figures do not
depend on how busy this machine is, and a run with the same seed gives the same figures.

Everything that takes time in the model sleeps on this clock: the join's backoff (ChimeMeetings gets `Sim.sleep`),
botocore's own retry waits and adaptive rate limiter (patched for the run: `virtual_botocore`), the network and the
services' latencies, and the Lambda function's CPU time. No thread may block on anything else for long (a real lock
held across a virtual sleep would stop the run; the code under test holds none).
"""

from __future__ import annotations

import heapq
import itertools
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any


class _Proc:
    def __init__(self, name: str, fn: Callable[[], None]) -> None:
        self.name, self.fn = name, fn
        self.go = threading.Semaphore(0)
        self.thread: threading.Thread | None = None


class Sim:
    """A virtual clock and the threads that run on it (one at a time, in time order, ties in order of arrival)."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.t = 0.0
        self._heap: list[tuple[float, int, _Proc]] = []
        self._seq = itertools.count()
        self._yielded = threading.Semaphore(0)
        self._local = threading.local()
        self.errors: list[str] = []
        self.switches = 0

    # What the code under test sees -------------------------------------------------------------------------

    def now(self) -> float:
        """Seconds since the start of the run."""
        return self.t

    def datetime(self) -> datetime:
        """The run's time as the app's clock (UTC)."""
        return self.start + timedelta(seconds=self.t)

    def sleep(self, seconds: float) -> None:
        """Wait `seconds` of virtual time (called on a simulated thread)."""
        proc: _Proc | None = getattr(self._local, "proc", None)
        if proc is None:
            raise RuntimeError("Sim.sleep outside a simulated thread")
        heapq.heappush(self._heap, (self.t + max(0.0, seconds), next(self._seq), proc))
        self._yielded.release()
        proc.go.acquire()

    # Running ------------------------------------------------------------------------------------------------

    def spawn(self, at: float, fn: Callable[[], None], name: str = "proc") -> None:
        """Run `fn` on its own thread from virtual time `at` (may be called from a simulated thread)."""
        heapq.heappush(self._heap, (max(at, self.t), next(self._seq), _Proc(name, fn)))

    def _body(self, proc: _Proc) -> None:
        self._local.proc = proc
        proc.go.acquire()
        try:
            proc.fn()
        except BaseException:  # every failure is reported with the run's figures
            self.errors.append(f"{proc.name}: {traceback.format_exc(limit=8)}")
        finally:
            self._yielded.release()

    def run(self, until: float = float("inf")) -> None:
        """Run until every thread finished (or the clock passes `until`)."""
        old = threading.stack_size(512 * 1024)
        try:
            while self._heap and self._heap[0][0] <= until:
                at, _, proc = heapq.heappop(self._heap)
                self.t = at
                self.switches += 1
                if proc.thread is None:
                    proc.thread = threading.Thread(target=self._body, args=(proc,), name=proc.name, daemon=True)
                    proc.thread.start()
                proc.go.release()
                self._yielded.acquire()
        finally:
            threading.stack_size(old)


@contextmanager
def virtual_botocore(sim: Sim) -> Iterator[None]:
    """botocore's own waits on the virtual clock, for the run: the retry handler's backoff (endpoint.py sleeps
    between attempts) and the adaptive mode's clock and token bucket (which waits on a condition variable)."""
    import botocore.endpoint
    from botocore.retries import bucket

    saved: dict[str, Any] = {"time": botocore.endpoint.time, "current_time": bucket.Clock.current_time,
                             "sleep": bucket.Clock.sleep, "acquire": bucket.TokenBucket._acquire}

    class _Time:
        @staticmethod
        def sleep(seconds: float) -> None:
            sim.sleep(seconds)

    def _acquire(self: Any, amount: float, block: bool) -> bool:
        # botocore's own logic, with its condition-variable wait on the virtual clock (the bucket is one
        # Lambda instance's: nobody else takes its lock meanwhile).
        self._refill()
        if amount <= self._current_capacity:
            self._current_capacity -= amount
            return True
        if not block:
            raise bucket.CapacityNotAvailableError()
        sleep_amount = self._sleep_amount(amount)
        while sleep_amount > 0:
            # At least a millisecond, as a real condition wait takes: a wait shorter than the clock's resolution
            # at this time of the run would not move it, and the bucket would never refill.
            sim.sleep(max(sleep_amount, 0.001))
            self._refill()
            sleep_amount = self._sleep_amount(amount)
        self._current_capacity -= amount
        return True

    botocore.endpoint.time = _Time  # type: ignore[assignment]
    bucket.Clock.current_time = lambda self: sim.now()  # type: ignore[method-assign]
    bucket.Clock.sleep = lambda self, amount: sim.sleep(amount)  # type: ignore[method-assign]
    bucket.TokenBucket._acquire = _acquire  # type: ignore[method-assign]
    try:
        yield
    finally:
        botocore.endpoint.time = saved["time"]
        bucket.Clock.current_time = saved["current_time"]  # type: ignore[method-assign]
        bucket.Clock.sleep = saved["sleep"]  # type: ignore[method-assign]
        bucket.TokenBucket._acquire = saved["acquire"]  # type: ignore[method-assign]
