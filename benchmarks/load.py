"""Load: the full flow of 1,000 visits at concurrency 50 against the local stack.

Per visit, as its caregiver and its client would: invite by email (and copy the link, which is how this
script learns the client's token), clock in, join, client join, client leave, client rejoin, end, clock
out. The coordinator creates the visits first. 50 workers each run one visit's flow at a time over a
keep-alive connection; latencies are measured here, per route.

The local stack runs with `DEVSTACK_PROFILE`, so its server records each request's CPU time inside the
app, minus the CPU time inside botocore calls (see devstack/profiling.py): the project's own CPU time.
In this run moto serves from its own process (so the server's heap and GIL hold the app alone, as a
Lambda's do), keeps only the items a transaction touches for its rollback, and answers a Query on the
table's key from that partition (moto otherwise copies the whole table per transaction and walks it per
Query, which makes a large run slow in moto, not in the app; see devstack/profiling.py).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks.report import Section, percentile

CPU_TARGET_MS = 5.0
COORDINATOR, CAREGIVERS, CLIENT = "sunrise-coord", ("sunrise-maria", "sunrise-james"), "sunrise-eleanor"
FLOW = ("invite email", "invite link (copy)", "clock-in", "caregiver join", "client join", "client leave",
        "client rejoin", "end (hang up)", "clock-out")


class Client:
    """One keep-alive connection per worker thread; every call timed."""

    def __init__(self, base: str, timings: dict[str, list[float]], errors: list[str]) -> None:
        parts = urlsplit(base)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self._local = threading.local()
        self._timings, self._errors = timings, errors
        self._lock = threading.Lock()

    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = http.client.HTTPConnection(self._host, self._port, timeout=120)
        return conn

    def call(self, label: str, method: str, path: str, token: str | None = None, body: Any = None,
             expect: int = 200) -> Any:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        started = time.perf_counter()
        try:
            conn = self._connection()
            conn.request(method, f"/api{path}", body=data, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            self._local.conn = None
            with self._lock:
                self._errors.append(f"{label}: {exc!r}")
            return None
        elapsed = time.perf_counter() - started
        with self._lock:
            self._timings[label].append(elapsed)
            if status != expect:
                self._errors.append(f"{label}: HTTP {status} {raw[:200]!r}")
        return json.loads(raw) if raw and status == expect else None


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _visit_flow(api: Client, visit_id: str, caregiver: str) -> None:
    base = f"/visits/{visit_id}"
    api.call("invite email", "POST", f"{base}/invite", caregiver, {"delivery": "email"})
    copied = api.call("invite link (copy)", "POST", f"{base}/invite", caregiver, {"delivery": "link"})
    if not copied:
        return
    link = {"token": str(copied["join_url"]).split("#", 1)[1]}
    api.call("clock-in", "POST", f"{base}/clock-in", caregiver)
    api.call("caregiver join", "POST", f"{base}/session/join", caregiver)
    api.call("client join", "POST", "/join/attendee", body=link)
    api.call("client leave", "POST", "/join/leave", body=link)
    api.call("client rejoin", "POST", "/join/attendee", body=link)
    api.call("end (hang up)", "POST", f"{base}/session/end", caregiver)
    api.call("clock-out", "POST", f"{base}/clock-out", caregiver)


def _pool(concurrency: int, jobs: list[Callable[[], None]]) -> None:
    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(job) for job in jobs]:
            future.result()


def _read_profile(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def run(visits: int = 1000, concurrency: int = 50) -> Section:
    from devstack.stack import start_stack

    section = Section(3, f"Load: full flow of {visits:,} visits at concurrency {concurrency}, local stack")
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile.jsonl"
        os.environ["DEVSTACK_PROFILE"] = str(profile)
        try:
            stack = start_stack(port=0, sweep_seconds=24 * 3600)
        finally:
            os.environ.pop("DEVSTACK_PROFILE", None)
        try:
            api = Client(stack.url, timings, errors)
            tokens = {who: api.call("login", "POST", "/dev/login", body={"employee_id": who})["token"]
                      for who in (COORDINATOR, *CAREGIVERS)}
            start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
            visit_ids: list[tuple[str, str]] = []
            lock = threading.Lock()

            def create(n: int) -> None:
                caregiver = CAREGIVERS[n % len(CAREGIVERS)]
                made = api.call("create visit (coordinator)", "POST", "/visits", tokens[COORDINATOR], {
                    "client_id": CLIENT, "employee_id": caregiver, "service_code": "TELE",
                    "start": _iso(start), "end": _iso(start + timedelta(minutes=60)), "virtual": True,
                }, expect=201)
                if made:
                    with lock:
                        visit_ids.append((made["id"], tokens[caregiver]))

            _pool(concurrency, [lambda n=n: create(n) for n in range(visits)])
            began = time.perf_counter()
            _pool(concurrency, [lambda v=v, t=t: _visit_flow(api, v, t) for v, t in visit_ids])
            flow_seconds = time.perf_counter() - began
        finally:
            stack.stop()
        records = _read_profile(profile)

    flow_requests = sum(len(timings[label]) for label in FLOW)
    section.add("errors (any non-2xx or failed request)", str(len(errors)), "0", not errors)
    section.add("flow requests / wall time", f"{flow_requests:,} in {flow_seconds:.0f} s "
                                            f"({flow_requests / flow_seconds:.0f}/s)")
    own = [r["cpu_ms"] - r["aws_cpu_ms"] for r in records]
    by_route: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_route[f"{record['method']} {record['route']}"].append(record)
    p99_own = percentile(own, 99)
    section.add("project's own CPU per request, p99 (all requests)", f"{p99_own:.2f} ms",
                f"<= {CPU_TARGET_MS:.0f} ms", p99_own <= CPU_TARGET_MS)
    section.add("project's own CPU per request, p50", f"{percentile(own, 50):.2f} ms")
    no_gc = [r["cpu_ms"] - r["aws_cpu_ms"] - r.get("gc_cpu_ms", 0.0) for r in records]
    gc_hit = sum(1 for r in records if r.get("gc_cpu_ms", 0.0) > 0.5)
    section.add("  the same without garbage-collector pauses, p50 / p99",
                f"{percentile(no_gc, 50):.2f} / {percentile(no_gc, 99):.2f} ms")
    section.add("  requests with a garbage-collector pause > 0.5 ms", f"{gc_hit} of {len(records)}")
    section.add("app CPU incl. botocore, p50 / p99",
                f"{percentile([r['cpu_ms'] for r in records], 50):.2f} / "
                f"{percentile([r['cpu_ms'] for r in records], 99):.2f} ms")
    section.add("local gateway + authorizer + app CPU, p50 / p99",
                f"{percentile([r['gateway_cpu_ms'] for r in records], 50):.2f} / "
                f"{percentile([r['gateway_cpu_ms'] for r in records], 99):.2f} ms")
    for label in ("create visit (coordinator)", *FLOW):
        values = timings[label]
        if values:
            section.add(f"{label}: latency p50 / p99 (n={len(values)})",
                        f"{percentile(values, 50) * 1000:.0f} / {percentile(values, 99) * 1000:.0f} ms")
    route_rows = {}
    for route, rows in sorted(by_route.items()):
        own_route = [r["cpu_ms"] - r["aws_cpu_ms"] for r in rows]
        route_rows[route] = {"n": len(rows), "own_cpu_p50_ms": percentile(own_route, 50),
                             "own_cpu_p99_ms": percentile(own_route, 99),
                             "aws_cpu_p50_ms": percentile([r["aws_cpu_ms"] for r in rows], 50)}
        section.add(f"own CPU {route} p50 / p99 (n={len(rows)})",
                    f"{percentile(own_route, 50):.2f} / {percentile(own_route, 99):.2f} ms")
    section.notes.append("latency is measured by this script, on the same 2 cores as the server and moto; "
                         "CPU time is the serving thread's own (time.thread_time), in the server")
    if errors:
        section.notes.append("first errors: " + "; ".join(errors[:5]))
    section.data = {
        "visits": visits, "concurrency": concurrency, "errors": len(errors), "error_samples": errors[:20],
        "flow_seconds": flow_seconds, "flow_requests": flow_requests,
        "latency_ms": {label: {"n": len(v), "p50": percentile(v, 50) * 1000, "p99": percentile(v, 99) * 1000,
                               "mean": statistics.fmean(v) * 1000}
                       for label, v in timings.items() if v},
        "own_cpu_ms": {"p50": percentile(own, 50), "p99": p99_own, "max": max(own, default=0.0), "n": len(own)},
        "own_cpu_no_gc_ms": {"p50": percentile(no_gc, 50), "p99": percentile(no_gc, 99)}, "gc_pauses": gc_hit,
        "aws_cpu_per_call_ms": sum(r["aws_cpu_ms"] for r in records)
                               / max(1, sum(sum(r["aws_calls"].values()) for r in records)),
        "routes": route_rows,
    }
    return section


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    section = run(args.visits, args.concurrency)
    print(section.render())
    if args.json:
        args.json.write_text(json.dumps(section.data, indent=2))


if __name__ == "__main__":
    main()
