"""Reminder benchmark (R32): what one sweep reads and writes to send the reminders due, with 100,000 visits ahead.

Every upcoming visit has an invited session and a reminder waiting in the sweep's sparse index; DUE of them are due.
Runs against moto in-process. moto answers every Query by walking the whole table (DynamoDB reads only the items a
Query returns), so a Query of one visit's partition costs moto seconds at this size: the benchmark gives moto a
partition lookup for base-table queries (its own `items[hash]` map, the same answer) and reports moto's index walk
apart. The figures that matter, items read and calls per reminder, are what DynamoDB itself would serve.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime
from typing import Any

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
DUE = 100
SHARDS = 4


def _env() -> None:
    os.environ.update({"APP_STAGE": "test", "TABLE_NAME": "bench-reminders", "AWS_DEFAULT_REGION": "us-east-1",
                       "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "MEETING_PROVIDER": "local",
                       "SMS_PROVIDER": "local", "POWERTOOLS_METRICS_DISABLED": "true", "SWEEP_SHARDS": str(SHARDS),
                       "PUBLIC_BASE_URL": "https://visits.example.test",
                       "LINK_KEY": "YmVuY2gtb25seS1saW5rLWtleS0zMi1ieXRlcy1sb25nISE"})
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        os.environ.pop(name, None)


def _partition_queries() -> None:
    """Base-table Queries read their partition from moto's own map instead of walking every item (benchmark only)."""
    import inspect

    from moto.dynamodb.models.table import Table

    original = Table.query
    signature = inspect.signature(original)

    def query(self: Any, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs).arguments
        if bound.get("index_name") is not None or not self.range_key_attr:
            return original(self, *args, **kwargs)
        partition = list(self.items.get(bound["hash_key"], {}).values())
        self.all_items = lambda: iter(partition)
        try:
            return original(self, *args, **kwargs)
        finally:
            del self.all_items

    Table.query = query  # type: ignore[method-assign]


def run(size: int) -> dict[str, Any]:
    from moto import mock_aws

    with mock_aws():
        from chalicelib.clock import ShiftedClock
        from chalicelib.integrations.local_meetings import LocalMeetings
        from chalicelib.integrations.local_texts import LocalTexter
        from chalicelib.logic import expiry
        from chalicelib.persistence.binding import bound, create_table
        from chalicelib.persistence.sessions import DynamoSessions
        from chalicelib.services import Services
        from tests.api.test_reminder_scale import seed_reminders
        from tests.aws_calls import capacity_units, counting_dynamodb_calls, item_size

        bound.cache_clear()
        create_table()
        texter = LocalTexter()
        services = Services(clock=ShiftedClock(base=lambda: NOW), meetings=LocalMeetings(),
                            sessions=DynamoSessions(SHARDS), texter=texter)
        started = time.perf_counter()
        due = seed_reminders(services.directory, size, DUE)
        seeded = time.perf_counter() - started
        started = time.perf_counter()
        list(DynamoSessions(SHARDS).due_for_sweep(NOW, 200 * SHARDS))
        index_walk = time.perf_counter() - started
        with counting_dynamodb_calls() as calls:
            started = time.perf_counter()
            result = expiry.sweep_expired_sessions(services, NOW, 200)
            wall = time.perf_counter() - started
            log, operations, items_read = list(calls.log), dict(calls.operations), calls.items_read
        import boto3

        client = boto3.client("dynamodb", region_name="us-east-1")
        touched = {("AGENCY#ag1#VISIT#" + vid, sk) for vid in due for sk in ("SESSION", "VISIT", "REMINDER")}
        sizes = {(i["pk"]["S"], i["sk"]["S"]): item_size(i) for i in (
            client.get_item(TableName=os.environ["TABLE_NAME"], Key={"pk": {"S": pk}, "sk": {"S": sk}}).get("Item")
            for pk, sk in touched) if i}
        rru, wru = capacity_units(log, sizes)
    assert result.reminded == DUE and len(texter.sent()) == DUE, result
    return {"upcoming_visits": size, "reminded": result.reminded, "items_read": items_read,
            "items_read_per_reminder": items_read / DUE, "scans": operations.get("dynamodb.Scan", 0),
            "queries": operations.get("dynamodb.Query", 0),
            "writes": sum(n for op, n in operations.items() if op.split(".")[1] in ("UpdateItem", "PutItem",
                                                                                    "DeleteItem")),
            "rru_per_reminder": rru / DUE, "wru_per_reminder": wru / DUE, "sweep_wall_s": round(wall, 3),
            "moto_index_walk_s": round(index_walk, 3), "seed_s": round(seeded, 1)}


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000", help="comma-separated counts of upcoming visits")
    args = parser.parse_args(argv)
    _env()
    _partition_queries()
    rows = [run(int(size)) for size in args.sizes.split(",")]
    print(f"Reminders ({DUE} due per run, {SHARDS} shards, batch 200)")
    print(f"{'upcoming':>9} {'items read':>10} {'per reminder':>12} {'RRU/rem':>7} {'WRU/rem':>7} {'scans':>5}"
          f" {'queries':>7} {'writes':>6} {'sweep s':>8} {'moto index s':>12}")
    for r in rows:
        print(f"{r['upcoming_visits']:>9} {r['items_read']:>10} {r['items_read_per_reminder']:>12.2f}"
              f" {r['rru_per_reminder']:>7.2f} {r['wru_per_reminder']:>7.2f} {r['scans']:>5} {r['queries']:>7}"
              f" {r['writes']:>6} {r['sweep_wall_s']:>8.3f} {r['moto_index_walk_s']:>12.3f}")
    return rows


if __name__ == "__main__":
    main()
