"""Counting AWS calls with botocore event hooks.

Every client the app makes (pynamodb's one DynamoDB client, SES, Chime, Secrets Manager) comes from one
botocore session (`chalicelib.aws`), so one `after-call` hook on it sees them all, whether the answer came
from moto, a real endpoint or a botocore `Stubber`. A client made elsewhere (a test's stubbed Chime client)
is passed in and gets the same hook.
"""

from __future__ import annotations

import math
import sys
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any


class Calls:
    """What the app asked AWS for: calls by `service.Operation`, and the DynamoDB items read.

    Each call's parameters and answer are kept too (`log`), for the capacity units they cost.
    """

    def __init__(self) -> None:
        self.operations: Counter[str] = Counter()
        # The authorizer's own calls, apart: in AWS it is its own function, and API Gateway keeps its answer for
        # the cache time (5 minutes a token), so a route's request does not make them (R36).
        self.authorizer: Counter[str] = Counter()
        self.items_read = 0
        self.log: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        self.taken_log: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        self.taken_authorizer: Counter[str] = Counter()
        self._params: dict[str, Any] = {}

    def before_call(self, params: dict[str, Any], **_: Any) -> None:
        self._params = params

    def after_call(self, event_name: str, parsed: dict[str, Any], **_: Any) -> None:
        service, operation = event_name.split(".")[1:3]
        if in_authorizer():
            self.authorizer[f"{service}.{operation}"] += 1
            return
        self.operations[f"{service}.{operation}"] += 1
        self.log.append((f"{service}.{operation}", self._params, parsed))
        if operation in ("Query", "Scan"):
            self.items_read += len(parsed.get("Items", []))
        elif operation == "GetItem":
            self.items_read += 1 if parsed.get("Item") else 0
        elif operation == "BatchGetItem":
            self.items_read += sum(len(v) for v in parsed.get("Responses", {}).values())

    def by_service(self, service: str) -> dict[str, int]:
        prefix = f"{service}."
        return {k[len(prefix):]: v for k, v in self.operations.items() if k.startswith(prefix)}

    def take(self) -> Counter[str]:
        """The calls so far, and start counting afresh (their log moves to `taken_log`)."""
        self.taken_authorizer, self.authorizer = self.authorizer, Counter()
        taken, self.operations = self.operations, Counter()
        self.taken_log, self.log = self.log, []
        return taken


def in_authorizer() -> bool:
    """Whether the app's staff authorizer is making this call (it is on the stack)."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "authorize" and frame.f_code.co_filename.endswith("app.py"):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def item_size(item: dict[str, Any]) -> int:
    """An item's size by DynamoDB's rules (attribute names plus values), from its wire form."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def _value_size(value: dict[str, Any]) -> int:
    (kind, raw), = value.items()
    if kind == "S":
        return len(str(raw).encode())
    if kind == "N":
        digits = len(str(raw).lstrip("-").replace(".", "").strip("0")) or 1
        return (digits + 1) // 2 + 1
    if kind == "B":
        return len(raw)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + _value_size(v) + 1 for k, v in raw.items())
    if kind == "L":
        return 3 + sum(_value_size(v) + 1 for v in raw)
    return sum(len(str(v).encode()) for v in raw)  # string, number and binary sets


def _reads(size: int, consistent: bool) -> float:
    return max(1, math.ceil(size / 4096)) * (1.0 if consistent else 0.5)


def _writes(size: int, transactional: bool = False) -> float:
    return max(1, math.ceil(size / 1024)) * (2.0 if transactional else 1.0)


def _key(key: dict[str, Any]) -> tuple[str, str]:
    return key["pk"]["S"], key["sk"]["S"]


def capacity_units(log: Iterable[tuple[str, dict[str, Any], dict[str, Any]]],
                   sizes: dict[tuple[str, str], int]) -> tuple[float, float]:
    """DynamoDB on-demand read and write request units of the logged calls.

    Reads are priced from the items returned (4 KB steps; eventually consistent at half). Writes are priced
    from the item written: a put's own size, an update's returned item, and for a transaction's updates the
    item's size at the end of the run (`sizes`), which is at least its size then; transactions cost double.
    """
    rru = wru = 0.0
    for op, params, parsed in log:
        if op == "dynamodb.GetItem":
            rru += _reads(item_size(parsed.get("Item") or {}), bool(params.get("ConsistentRead")))
        elif op in ("dynamodb.Query", "dynamodb.Scan"):
            rru += _reads(sum(item_size(i) for i in parsed.get("Items", [])), bool(params.get("ConsistentRead")))
        elif op == "dynamodb.BatchGetItem":
            for table, request in params.get("RequestItems", {}).items():
                found = parsed.get("Responses", {}).get(table, [])
                consistent = bool(request.get("ConsistentRead"))
                rru += sum(_reads(item_size(i), consistent) for i in found)
                rru += _reads(0, consistent) * (len(request.get("Keys", [])) - len(found))
        elif op == "dynamodb.PutItem":
            wru += _writes(item_size(params["Item"]))
        elif op in ("dynamodb.UpdateItem", "dynamodb.DeleteItem"):
            wru += _writes(max(item_size(parsed.get("Attributes") or {}), sizes.get(_key(params["Key"]), 0)))
        elif op == "dynamodb.TransactWriteItems":
            for entry in params.get("TransactItems", []):
                (kind, action), = entry.items()
                size = item_size(action["Item"]) if kind == "Put" else sizes.get(_key(action["Key"]), 0)
                wru += _writes(size, transactional=True)
    return rru, wru


@contextmanager
def counting_aws_calls(*clients: Any) -> Iterator[Calls]:
    """Count the calls of every client made from the shared session while counting, and of `clients`.

    The DynamoDB client is made again (the models are re-bound), so it carries the hook; clients made
    before counting started, other than those passed in, are not counted.
    """
    from chalicelib.aws import botocore_session
    from chalicelib.persistence.binding import bound

    calls = Calls()
    hook_id = f"count-{uuid.uuid4().hex}"
    session = botocore_session()
    session.register("provide-client-params", calls.before_call, unique_id=f"{hook_id}-params")
    session.register("after-call", calls.after_call, unique_id=hook_id)
    for client in clients:
        client.meta.events.register("after-call", calls.after_call, unique_id=hook_id)
    bound.cache_clear()
    try:
        yield calls
    finally:
        session.unregister("provide-client-params", unique_id=f"{hook_id}-params")
        session.unregister("after-call", unique_id=hook_id)
        for client in clients:
            client.meta.events.unregister("after-call", unique_id=hook_id)
        bound.cache_clear()


@contextmanager
def counting_dynamodb_calls() -> Iterator[Calls]:
    """Count what the persistence layer asks DynamoDB for."""
    with counting_aws_calls() as calls:
        yield calls
