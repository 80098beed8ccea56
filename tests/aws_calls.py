"""Counting AWS calls with botocore event hooks: every DynamoDB call of pynamodb goes through one session."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import botocore.session


class Calls:
    def __init__(self) -> None:
        self.operations: Counter[str] = Counter()
        self.items_read = 0

    def after_call(self, event_name: str, parsed: dict[str, Any], **_: Any) -> None:
        service, operation = event_name.split(".")[1:3]
        self.operations[f"{service}.{operation}"] += 1
        if operation in ("Query", "Scan"):
            self.items_read += len(parsed.get("Items", []))
        elif operation == "GetItem":
            self.items_read += 1 if parsed.get("Item") else 0
        elif operation == "BatchGetItem":
            self.items_read += sum(len(v) for v in parsed.get("Responses", {}).values())


@contextmanager
def counting_dynamodb_calls() -> Iterator[Calls]:
    """Route pynamodb's connections through one botocore session that counts what they do."""
    import pynamodb.connection.base as base

    from chalicelib.persistence.binding import bound
    from chalicelib.persistence.models import Item

    calls = Calls()
    session = botocore.session.get_session()
    session.register("after-call.dynamodb", calls.after_call)
    original = base.get_session
    base.get_session = lambda: session
    models = [Item, *Item.__subclasses__()]
    for model in models:
        model._connection = None
    bound.cache_clear()
    try:
        yield calls
    finally:
        base.get_session = original
        for model in models:
            model._connection = None
        bound.cache_clear()
