"""Sweep benchmark: items read per expired session and wall time at 10k, 100k (and 1M) open sessions.

Runs against moto in-process. Two costs of the fake are not DynamoDB's and are kept out of the figures:
moto deep-copies the whole table for every transaction item (for its rollback), and it answers an index
Query by walking every item of the table. The first is switched off here (benchmark only: no transaction
fails in this run); the second is reported separately as "moto query time".
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
DUE = 100
SHARDS = 4


def _env() -> None:
    os.environ.update({"APP_STAGE": "test", "TABLE_NAME": "bench-sweep", "AWS_DEFAULT_REGION": "us-east-1",
                       "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "MEETING_PROVIDER": "local",
                       "POWERTOOLS_METRICS_DISABLED": "true", "SWEEP_SHARDS": str(SHARDS)})
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        os.environ.pop(name, None)


def _no_table_copy() -> None:
    import copy

    from moto.dynamodb.models import DynamoDBBackend

    original = DynamoDBBackend.transact_write_items

    def transact(self: Any, transact_items: list[dict[str, Any]]) -> None:
        real = copy.deepcopy
        copy.deepcopy = lambda value, memo=None: value  # the rollback snapshot only
        try:
            return original(self, transact_items)
        finally:
            copy.deepcopy = real

    DynamoDBBackend.transact_write_items = transact  # type: ignore[method-assign]


def run(size: int) -> dict[str, Any]:
    from moto import mock_aws

    with mock_aws():
        from chalicelib.clock import ShiftedClock
        from chalicelib.integrations.local_meetings import LocalMeetings
        from chalicelib.logic import expiry
        from chalicelib.persistence.binding import bound, create_table
        from chalicelib.persistence.sessions import DynamoSessions
        from chalicelib.services import Services
        from tests.api.test_sweep_scale import seed_sessions
        from tests.aws_calls import counting_dynamodb_calls

        bound.cache_clear()
        create_table()
        started = time.perf_counter()
        seed_sessions(size, DUE)
        seeded = time.perf_counter() - started
        services = Services(clock=ShiftedClock(base=lambda: NOW), meetings=LocalMeetings(),
                            sessions=DynamoSessions(SHARDS))
        started = time.perf_counter()
        list(DynamoSessions(SHARDS).due_for_sweep(NOW, 200 * SHARDS))
        query_only = time.perf_counter() - started
        with counting_dynamodb_calls() as calls:
            started = time.perf_counter()
            result = expiry.sweep_expired_sessions(services, NOW + timedelta(seconds=1), 200)
            wall = time.perf_counter() - started
    assert result.expired == DUE, result
    return {"open_sessions": size, "expired": result.expired, "items_read": calls.items_read,
            "items_read_per_expired": calls.items_read / DUE, "scans": calls.operations["dynamodb.Scan"],
            "queries": calls.operations["dynamodb.Query"], "writes": calls.operations["dynamodb.TransactWriteItems"],
            "sweep_wall_s": round(wall, 3), "moto_query_s": round(query_only, 3), "seed_s": round(seeded, 1)}


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated open-session counts")
    args = parser.parse_args(argv)
    _env()
    _no_table_copy()
    rows = [run(int(size)) for size in args.sizes.split(",")]
    print("Sweep (100 expired sessions per run, 4 shards, batch 200)")
    print(f"{'open':>9} {'items read':>10} {'per expired':>11} {'scans':>5} {'queries':>7} {'writes':>6}"
          f" {'sweep s':>8} {'moto query s':>12}")
    for r in rows:
        print(f"{r['open_sessions']:>9} {r['items_read']:>10} {r['items_read_per_expired']:>11.2f} {r['scans']:>5}"
              f" {r['queries']:>7} {r['writes']:>6} {r['sweep_wall_s']:>8.3f} {r['moto_query_s']:>12.3f}")
    return rows


if __name__ == "__main__":
    main()
