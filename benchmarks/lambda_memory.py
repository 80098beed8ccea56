"""Lambda memory (issue 16): latency and cost at 256, 512 and 1,024 MB, from what the other sections measured.

Lambda gives a function CPU in proportion to its memory: one vCPU at 1,769 MB, so the CPU-bound part of a request
takes 1,769 / M times as long as on a full vCPU (this machine's core stands in for one). Waiting on DynamoDB, SES
or Chime does not change with memory, but is billed by it. A cold start's imports run in Lambda's init phase,
which gets a full vCPU whatever the memory (AWS, "Effectively running Java on Serverless: utilize the
initialization phase"); the clients the first request makes run at the function's share.

From section 1 (cold start: its phase split), section 3 (own CPU per request and botocore CPU per AWS call), section
2 (the calls of each action) and section 5's visit, for each size: a warm caregiver join and a p99 request, a
cold start, the cost of a visit, and what a throttled nine o'clock burst adds (section 6's Lambda seconds).
"""

from __future__ import annotations

from typing import Any

from benchmarks.report import Section

SIZES = (256, 512, 1024)
CHOSEN_MB = 1024  # infra's apiMemoryMb (docs/PERFORMANCE.md §8 has the reason)
VCPU_MB = 1769
# Section 1's phase split (12 runs, ms at a full vCPU): imports in the init phase, then in the first request the
# DynamoDB client and the request itself (docs/PERFORMANCE.md §1).
INIT_IMPORTS_MS = 265.0
FIRST_CLIENTS_MS = 117.0
FIRST_REQUEST_MS = 30.0
# Section 3, run of record, when the load section did not run alongside.
OWN_P50_MS, OWN_P99_MS, BOTOCORE_PER_CALL_MS = 2.49, 4.78, 2.46
JOIN_CALLS = {"dynamodb": 3, "chime-sdk-meetings": 1}  # caregiver's first join: Query, 2 transactions, CMWA
NETWORK_MS = {"dynamodb": 5.0, "chime-sdk-meetings": 70.0}
PAGE_BYTES = 12_000 + 2 * 310_000  # section 5's pages when section 4 did not run (the staff app, the join page twice)


def share(memory_mb: int) -> float:
    """How much longer CPU work takes than on a full vCPU."""
    return VCPU_MB / min(memory_mb, VCPU_MB)


def figures(memory_mb: int, own_p50: float, own_p99: float, per_call: float, rows: dict[str, Any] | None,
            burst_busy_s_per_visit: float | None) -> dict[str, float]:
    from benchmarks import cost

    calls = sum(JOIN_CALLS.values())
    network = sum(NETWORK_MS[s] * n for s, n in JOIN_CALLS.items())
    join_ms = (own_p50 + per_call * calls) * share(memory_mb) + network
    p99_ms = (own_p99 + per_call * calls) * share(memory_mb) + network
    cold_ms = INIT_IMPORTS_MS + (FIRST_CLIENTS_MS + FIRST_REQUEST_MS) * share(memory_mb)
    out = {"memory_mb": memory_mb, "cpu_x": share(memory_mb), "join_warm_ms": join_ms, "join_p99_cpu_ms": p99_ms,
           "cold_start_ms": cold_ms, "cold_join_ms": cold_ms + join_ms}
    if rows is not None:
        visit = cost.cost(rows, cost.scenario(), own_p50, per_call, PAGE_BYTES, memory_mb=memory_mb)
        lambda_lines = {name: dollars for name, _, _, dollars in visit["lines"] if name.startswith("Lambda")}
        out.update(visit_total=visit["total"], visit_lambda=sum(lambda_lines.values()))
    if burst_busy_s_per_visit is not None:
        out["burst_extra"] = burst_busy_s_per_visit * memory_mb / 1024 * cost.PRICE["lambda_gb_second"]
    return out


def run(load: dict[str, Any] | None = None, calls: dict[str, Any] | None = None,
        burst: dict[str, Any] | None = None) -> Section:
    section = Section(8, "Lambda memory: latency and cost at 256, 512 and 1,024 MB")
    own_p50 = load["own_cpu_ms"]["p50"] if load else OWN_P50_MS
    own_p99 = load["own_cpu_ms"]["p99"] if load else OWN_P99_MS
    per_call = load["aws_cpu_per_call_ms"] if load else BOTOCORE_PER_CALL_MS
    rows = {r["action"]: r for r in calls["rows"]} if calls else None
    busy = None
    if burst:
        chosen = burst.get("strategies", {}).get("chosen")
        if chosen:
            busy = chosen["lambda_gb_s_per_visit"]  # seconds busy per visit (GB-s at 1,024 MB)
    table = [figures(mb, own_p50, own_p99, per_call, rows, busy) for mb in SIZES]
    for f in table:
        mb = f["memory_mb"]
        mark = " (chosen)" if mb == CHOSEN_MB else ""
        section.add(f"{mb} MB{mark}: caregiver join warm / p99 CPU / cold", f"{f['join_warm_ms']:.0f} / "
                    f"{f['join_p99_cpu_ms']:.0f} / {f['cold_join_ms']:.0f} ms")
        if "visit_total" in f:
            section.add(f"{mb} MB{mark}: a visit, everything but Chime (Lambda's share)",
                        f"${f['visit_total']:.6f} (${f['visit_lambda']:.6f})", "< $0.001", f["visit_total"] < 0.001)
        if "burst_extra" in f:
            section.add(f"{mb} MB{mark}: added by a burst at Chime's default rate, per visit",
                        f"${f['burst_extra']:.6f}")
    section.notes.append(f"CPU: own p50 {own_p50:.2f} ms, p99 {own_p99:.2f} ms, botocore {per_call:.2f} ms per AWS "
                         f"call (section 3); a join makes {sum(JOIN_CALLS.values())} AWS calls and waits "
                         f"{sum(NETWORK_MS[s] * n for s, n in JOIN_CALLS.items()):.0f} ms on them; cold start: "
                         f"{INIT_IMPORTS_MS:.0f} ms of imports on a full vCPU, then "
                         f"{FIRST_CLIENTS_MS + FIRST_REQUEST_MS:.0f} ms (full-vCPU time) at the function's share")
    section.data = {"sizes": table, "chosen_mb": CHOSEN_MB}
    return section
