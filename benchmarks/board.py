"""The live board's cost per coordinator-day (section 5, R35): a modest poll, measured, beside a push channel.

The board is read through the real route on moto (DynamoDB in-process), its AWS calls counted with the botocore
hook of section 2 and priced with section 5's prices and Lambda model, for an agency day of 10, 40 and 150 virtual
visits in every live state. A coordinator keeps the board open and in view for a whole shift: the front end looks
every BOARD_POLL_MS (read from its code) while it shows today and is in view, and not at all while hidden.

    .venv/bin/python -m benchmarks.board
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from benchmarks.cost import LAMBDA_MB, PRICE, RESPONSE_BYTES, _one, poll_ms
from benchmarks.report import Section

SHIFT_HOURS = 8
WORKDAYS_PER_MONTH = 22
SIZES = (10, 40, 150)
# A push channel (API Gateway WebSocket) instead, per coordinator-day, as priced (us-east-1): $1.00 per million
# messages and $0.25 per million connection-minutes; each change of a row is one message to each open board, sent
# by a function that reads the changed session and the open connections (2 reads, one Lambda run). Connections
# last at most 2 hours (and 10 idle minutes): the board reconnects and reads the whole day again.
WS_MESSAGE = 1.00 / 1e6
WS_CONNECTION_MINUTE = 0.25 / 1e6
CHANGES_PER_VISIT = 8  # invited, opened/waiting, both in, a leave and a rejoin, over, flags
AWS_CPU_PER_CALL_MS = 2.5  # botocore's CPU per call, section 3's measure (cost.py's default without it)


def _seed(svc: Any, count: int, now: datetime) -> None:
    """One agency's day: `count` virtual visits spread over the day, three in four invited."""
    from chalicelib.records import Agency, Client, Employee, ServiceCode, Visit

    svc.directory.add_agency(Agency("ag1", "Sunrise Home Care", "America/New_York", "visits@sunrise.example.test"))
    svc.directory.add_service_code("ag1", ServiceCode("TELE", "Telehealth check-in", True))
    svc.directory.add_employee("ag1", Employee("coord1", "Dana Whitfield", "dana@sunrise.example.test", "coordinator"))
    caregivers = max(2, count // 6)
    for n in range(caregivers):
        svc.directory.add_employee("ag1", Employee(f"emp{n}", f"Caregiver {n}", f"c{n}@sunrise.example.test",
                                                   "employee"))
    day = now.replace(hour=12, minute=0, second=0, microsecond=0)
    for n in range(count):
        svc.directory.add_client("ag1", Client(f"cli{n}", f"Client Number {n}", f"client{n}@mail.example.test"))
        start = day + timedelta(minutes=(n * 600) // count - 300)
        visit = svc.visits.add(Visit("ag1", f"v{n}", f"cli{n}", f"emp{n % caregivers}", "TELE", start,
                                     start + timedelta(minutes=60), True))
        if n % 4:  # three in four invited; their sessions hold what the board reads
            svc.sessions.create(visit, f"nonce-{n}", start + timedelta(minutes=75), f"digest-{n}")


def measure(count: int) -> dict[str, Any]:
    """The calls, request units and the app's own CPU time of one board read of a day of `count` visits."""
    from chalice.test import Client
    from moto import mock_aws

    import tests.conftest  # noqa: F401  (the test stage's environment)
    from app import app
    from chalicelib.clock import ShiftedClock
    from chalicelib.integrations.local_meetings import LocalMeetings
    from chalicelib.persistence.binding import bound, create_table
    from chalicelib.services import Services, use_services
    from tests.aws_calls import capacity_units, counting_aws_calls, item_size
    from tests.conftest import ROOT, token_for

    now = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
    with mock_aws():
        bound.cache_clear()
        create_table()
        use_services(Services(clock=ShiftedClock(base=lambda: now), meetings=LocalMeetings()))
        try:
            from chalicelib.services import services

            _seed(services(), count, now)
            token = token_for("ag1", "coord1", "coordinator")
            headers = {"Authorization": f"Bearer {token}"}
            with Client(app, stage_name="test", project_dir=str(ROOT)) as client:
                client.http.get("/api/board", headers=headers)  # warm: imports, clients
                with counting_aws_calls() as calls:
                    response = client.http.get("/api/board", headers=headers)
                assert response.status_code == 200, response.body
                import boto3

                from chalicelib.config import settings

                table = boto3.client("dynamodb", region_name="us-east-1")
                sizes = {(i["pk"]["S"], i["sk"]["S"]): item_size(i) for page in table.get_paginator("scan").paginate(
                    TableName=settings().table_name) for i in page["Items"]}
                rru, wru = capacity_units(calls.log, sizes)
            own = _own_cpu_ms(count, now)
            return {"visits": count, "calls": dict(calls.operations), "authorizer": dict(calls.authorizer),
                    "rru": rru, "wru": wru, "own_cpu_ms": own, "bytes": len(response.body)}
        finally:
            use_services(None)
            bound.cache_clear()


def _own_cpu_ms(count: int, now: datetime, runs: int = 15) -> float:
    """The app's own CPU time for one board: the rules and the answer's JSON over in-memory stores (the same day),
    median of `runs`. botocore's time per AWS call is priced apart, as in section 5."""
    import json

    from chalicelib.clock import ShiftedClock
    from chalicelib.logic.access import Caller
    from chalicelib.logic.board import board
    from tests.memory import memory_services

    svc, _, _ = memory_services(ShiftedClock(base=lambda: now))
    _seed(svc, count, now)
    caller = Caller("ag1", "coord1", "coordinator")
    samples = []
    for _ in range(runs):
        started = time.process_time()
        json.dumps(board(svc, caller, None, now), separators=(",", ":"))
        samples.append((time.process_time() - started) * 1000)
    return sorted(samples)[len(samples) // 2]


def run() -> Section:
    section = Section(5, "The live board per coordinator-day: a modest poll (measured) or a push channel")
    interval_s = poll_ms("console/board.ts", "BOARD_POLL_MS") / 1000
    polls = SHIFT_HOURS * 3600 / interval_s
    rows = [measure(n) for n in SIZES]
    for row in rows:
        one = _one({"calls": row["calls"], "rru": row["rru"], "wru": row["wru"]}, row["own_cpu_ms"],
                   AWS_CPU_PER_CALL_MS)
        # The answer grows with the day: CloudFront's data out is priced on its real size, not a typical answer's.
        one += (row["bytes"] - RESPONSE_BYTES) / 1e9 * PRICE["cloudfront_gb"]
        row["per_request"] = one
        row["per_day"] = one * polls
        section.add(f"board of {row['visits']} virtual visits: one read",
                    f"{sum(row['calls'].values())} calls, {row['rru']:g} RRU, {row['own_cpu_ms']:.1f} ms own CPU, "
                    f"{row['bytes'] / 1024:.1f} KiB, ${one:.7f}")
        section.add(f"  polled every {interval_s:g} s for an {SHIFT_HOURS}-hour shift ({polls:,.0f} reads)",
                    f"${row['per_day']:.4f} a day, ${row['per_day'] * WORKDAYS_PER_MONTH:.2f} a month")
    middle = rows[1]
    ws_day = (SHIFT_HOURS * 60 * WS_CONNECTION_MINUTE + middle["visits"] * CHANGES_PER_VISIT * WS_MESSAGE
              + middle["visits"] * CHANGES_PER_VISIT * (PRICE["lambda_request"] + 2 * 0.5 * PRICE["dynamodb_rru"]
                                                        + 0.05 * LAMBDA_MB / 1024 * PRICE["lambda_gb_second"])
              + (SHIFT_HOURS / 2) * middle["per_request"])
    section.add(f"push channel instead, {middle['visits']} visits ({CHANGES_PER_VISIT} changes each, a reconnect "
                "every 2 hours)", f"about ${ws_day:.4f} a day")
    section.notes.append(
        "chosen: the poll. Its cost is cents a month per coordinator; a push channel saves most of that but needs a "
        "WebSocket API, a connections table, a stream consumer and a timer for the states that change with the "
        "clock alone (a client's waiting mark lapsing, 'Client has not opened the link' at start + 10 min), which "
        "a poll reads as they are.")
    section.notes.append(f"authorizer per board read: {rows[1]['authorizer']} here; in AWS API Gateway keeps its "
                         "answer 5 minutes per token, so one GetItem per 20 polls")
    section.data = {"rows": rows, "poll_seconds": interval_s, "shift_hours": SHIFT_HOURS, "push_per_day": ws_day}
    return section


def main() -> None:
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    print(run().render())


if __name__ == "__main__":
    main()
