"""Counting AWS calls with botocore event hooks.

Every client the app makes (pynamodb's one DynamoDB client, SES, Chime, Secrets Manager) comes from one
botocore session (`chalicelib.aws`), so one `after-call` hook on it sees them all, whether the answer came
from moto, a real endpoint or a botocore `Stubber`. A client made elsewhere (a test's stubbed Chime client)
is passed in and gets the same hook.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Calls:
    """What the app asked AWS for: calls by `service.Operation`, and the DynamoDB items read."""

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

    def by_service(self, service: str) -> dict[str, int]:
        prefix = f"{service}."
        return {k[len(prefix):]: v for k, v in self.operations.items() if k.startswith(prefix)}

    def take(self) -> Counter[str]:
        """The calls so far, and start counting afresh."""
        taken, self.operations = self.operations, Counter()
        return taken


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
    session.register("after-call", calls.after_call, unique_id=hook_id)
    for client in clients:
        client.meta.events.register("after-call", calls.after_call, unique_id=hook_id)
    bound.cache_clear()
    try:
        yield calls
    finally:
        session.unregister("after-call", unique_id=hook_id)
        for client in clients:
            client.meta.events.unregister("after-call", unique_id=hook_id)
        bound.cache_clear()


@contextmanager
def counting_dynamodb_calls() -> Iterator[Calls]:
    """Count what the persistence layer asks DynamoDB for."""
    with counting_aws_calls() as calls:
        yield calls
