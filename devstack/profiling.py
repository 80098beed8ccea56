"""Per-request CPU time of the app in the local stack, for the load benchmark (`DEVSTACK_PROFILE=<file>`).

For each API request the server records, in the thread that served it:
- `cpu_ms`: the thread's CPU time inside the Chalice app (routing, middleware, route, logic, pynamodb), what
  the API's Lambda function would run;
- `aws_cpu_ms` and `aws_calls`: the CPU time spent inside botocore calls, from the first event botocore
  emits for a call (`provide-client-params`) to its last (`after-call` or `after-call-error`): parameter
  handling, endpoint resolution, serializing, signing, the HTTP exchange and parsing. The local video
  provider's meeting calls count here too: in AWS they are botocore calls to Chime;
- `gateway_cpu_ms`: the whole request as the local server handled it (Chalice's local gateway, which also
  runs the authorizer on every request; in AWS the authorizer is its own function, cached for 300 s);
- `gc_cpu_ms`: the part of `cpu_ms` (outside botocore calls) spent in Python's garbage collector.

moto runs in its own process in this mode (`start_moto_process`), so this process's heap and GIL hold the
app and the local server only.

The project's own CPU time per request is `cpu_ms - aws_cpu_ms`. moto runs on its own threads, so its work
is in none of these. Never enabled outside a benchmark run.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from typing import Any

from devstack.moto_server import MotoServer

_local = threading.local()


def _call_started(**_: Any) -> None:
    _local.call_started = time.thread_time()


def _gc_phase(phase: str, _: dict[str, Any]) -> None:
    if getattr(_local, "aws_cpu", None) is None or getattr(_local, "call_started", None) is not None:
        return  # not in a request, or inside a botocore call (already left out)
    if phase == "start":
        _local.gc_started = time.thread_time()
    elif getattr(_local, "gc_started", None) is not None:
        _local.gc_cpu += time.thread_time() - _local.gc_started
        _local.gc_started = None


def _call_ended(event_name: str, **_: Any) -> None:
    started = getattr(_local, "call_started", None)
    if started is None or getattr(_local, "aws_cpu", None) is None:
        return
    _local.aws_cpu += time.thread_time() - started
    _local.call_started = None
    _local.aws_calls[".".join(event_name.split(".")[1:3])] += 1


def _stand_in(name: str, method: Any) -> Any:
    """A local provider's method, timed as the AWS call it stands in for."""

    @functools.wraps(method)
    def timed(*args: Any, **kwargs: Any) -> Any:
        if getattr(_local, "aws_cpu", None) is None or getattr(_local, "call_started", None) is not None:
            return method(*args, **kwargs)
        started = time.thread_time()
        try:
            return method(*args, **kwargs)
        finally:
            _local.aws_cpu += time.thread_time() - started
            _local.aws_calls[f"local-meetings.{name}"] += 1

    return timed


def install_botocore_hooks() -> None:
    """Hook the process's botocore session (every client made after this reports its calls), and time the
    local video provider's meeting calls as the Chime calls they stand in for."""
    from chalicelib.integrations.local_meetings import LocalMeetings

    for name in ("create_meeting", "create_attendee", "delete_meeting", "get_meeting", "list_attendees"):
        setattr(LocalMeetings, name, _stand_in(name, getattr(LocalMeetings, name)))
    from chalicelib.aws import botocore_session

    session = botocore_session()
    session.register("provide-client-params", _call_started, unique_id="devstack-profile-start")
    session.register("after-call", _call_ended, unique_id="devstack-profile-end")
    session.register("after-call-error", _call_ended, unique_id="devstack-profile-error")
    import gc

    gc.callbacks.append(_gc_phase)


class ProfiledApp:
    """The Chalice app, as the local gateway calls it, timing each call in the calling thread."""

    def __init__(self, app: Any, sink: ProfileSink) -> None:
        self._app = app
        self._sink = sink

    def __getattr__(self, name: str) -> Any:
        return getattr(self._app, name)

    def __call__(self, event: Any, context: Any) -> Any:
        _local.aws_cpu, _local.aws_calls, _local.gc_cpu, _local.call_started = 0.0, Counter(), 0.0, None
        started = time.thread_time()
        try:
            response = self._app(event, context)
        finally:
            cpu = time.thread_time() - started
            aws_cpu, calls, gc_cpu = _local.aws_cpu, _local.aws_calls, _local.gc_cpu
            _local.aws_cpu = None
        context = event.get("requestContext") or {}
        _local.record = {
            "route": context.get("resourcePath"), "method": event.get("httpMethod") or context.get("httpMethod"),
            "status": response.get("statusCode"), "cpu_ms": cpu * 1000, "aws_cpu_ms": aws_cpu * 1000,
            "aws_calls": dict(calls), "gc_cpu_ms": gc_cpu * 1000,
        }
        return response


class ProfiledGateway:
    """The local gateway, timing the whole request; writes one JSON line per API request."""

    def __init__(self, gateway: Any, sink: ProfileSink) -> None:
        self._gateway = gateway
        self._sink = sink

    def handle_request(self, *args: Any) -> Any:
        _local.record = None
        started = time.thread_time()
        try:
            return self._gateway.handle_request(*args)
        finally:
            record = _local.record
            if record is not None:
                record["gateway_cpu_ms"] = (time.thread_time() - started) * 1000
                self._sink.write(record)


class ProfileSink:
    """JSON lines, appended under a lock (after the timed part of each request)."""

    def __init__(self, path: str) -> None:
        self._file = open(path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - lives with the server
        self._lock = threading.Lock()

    def write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, separators=(",", ":"))
        with self._lock:
            self._file.write(line + "\n")

    def close(self) -> None:
        with self._lock:
            self._file.close()


def start_moto_process() -> MotoServer:
    """moto (with `moto_at_scale`) in a child process; it exits when this process does (its stdin closes)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "devstack.profiling"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("http"):
        raise RuntimeError("moto did not start")

    def stop() -> None:
        process.terminate()
        process.wait(timeout=10)

    return MotoServer(url, stop)


def _serve_moto() -> None:
    import logging

    from devstack.moto_server import start_moto

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    moto_at_scale()
    print(start_moto().url, flush=True)
    sys.stdin.read()  # until the parent goes away
    os._exit(0)


def moto_at_scale() -> None:
    """Two costs of moto that grow with the table (not DynamoDB's), removed for the load benchmark only."""
    item_level_transaction_rollback()
    partition_queries()


def partition_queries() -> None:
    """Make moto answer a Query on the table's own key from that partition alone.

    moto sorts and walks every item of the table for each Query; DynamoDB reads the one partition. The
    answer is the same (the same items, in the same order); only the time no longer grows with the table.
    Index queries are left as moto does them.
    """
    from moto.dynamodb.models.table import Table

    if getattr(Table, "_partition_queries", False):
        return
    original = Table.query

    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        if index_name or not self.range_key_attr:
            return original(self, hash_key, *args, **kwargs)
        partition = list(self.items.get(hash_key, {}).values())
        self.all_items = lambda: partition  # this call only: moto's own filter and sort run on it
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    Table.query = query  # type: ignore[method-assign]
    Table._partition_queries = True  # type: ignore[attr-defined]


def item_level_transaction_rollback() -> None:
    """Make moto's TransactWriteItems keep only the items it touches for its rollback.

    moto deep-copies every table a transaction names before running it, so each transaction costs time in
    proportion to the whole table, and a load run over thousands of visits slows down quadratically (in
    moto, not in the app). A transaction only changes the items it names: keeping a copy of those and
    putting them back on a failure is the same rollback. Enabled for the load benchmark only.
    """
    import copy

    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    if getattr(DynamoDBBackend, "_item_level_rollback", False):
        return
    original = DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        saved = []
        for entry in transact_items:
            _, op = next(iter(entry.items()))
            table = self.tables.get(op.get("TableName"))
            if table is None:
                continue
            key = op.get("Key") or op.get("Item") or {}
            hash_key = DynamoType(key[table.hash_key_attr])
            range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
            current = table.items.get(hash_key, {}).get(range_key) if range_key else table.items.get(hash_key)
            saved.append((table, hash_key, range_key, copy.deepcopy(current)))
        try:
            original(self, transact_items)
        except Exception:
            for table, hash_key, range_key, item in reversed(saved):
                if range_key is None:
                    if item is None:
                        table.items.pop(hash_key, None)
                    else:
                        table.items[hash_key] = item
                elif item is None:
                    table.items.get(hash_key, {}).pop(range_key, None)
                else:
                    table.items[hash_key][range_key] = item
            raise

    # Only transact_write_items deep-copies tables; its own restore then puts back the same object.
    Table.__deepcopy__ = lambda self, memo: self  # type: ignore[attr-defined]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    DynamoDBBackend._item_level_rollback = True  # type: ignore[attr-defined]


if __name__ == "__main__":
    _serve_moto()
