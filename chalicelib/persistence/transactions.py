"""Conditional writes: one transaction for a state change and its timeline line, and what a refusal means."""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from pynamodb.exceptions import PutError, PynamoDBException, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.errors import Conflict, ServiceBusy
from chalicelib.persistence.binding import connection
from chalicelib.persistence.models import Item

# ("update", item, actions, condition) or ("put", item, [], condition)
Op = tuple[str, Item, list[Any], Any]
T = TypeVar("T")

# Cancellation reasons that mean "not now" rather than "a condition failed": DynamoDB throttled the transaction,
# or another transaction held one of its items. They arrive as TransactionCanceledException, which botocore's
# retries leave alone; a cancelled transaction wrote nothing, so it is retried here (issue 6, faults).
TRANSIENT_CANCELLATIONS = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded", "TransactionConflict",
                                     "RequestLimitExceeded"})
TRANSACTION_ATTEMPTS = 4
# What DynamoDB answers when it is over capacity, once the client's own retries are spent.
OVERLOAD_CODES = frozenset({"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"})
_sleep = time.sleep  # replaced in tests, which never wait


def _transient(exc: TransactWriteError) -> bool:
    codes = {reason.code for reason in exc.cancellation_reasons if reason is not None}
    return bool(codes & TRANSIENT_CANCELLATIONS) and "ConditionalCheckFailed" not in codes


def overloaded(exc: BaseException) -> bool:
    """Whether DynamoDB refused for load (after every retry), not because of anything in the request."""
    if not isinstance(exc, PynamoDBException):
        return False
    if isinstance(exc, TransactWriteError) and exc.cause_response_code == "TransactionCanceledException":
        return _transient(exc)
    return exc.cause_response_code in OVERLOAD_CODES


def refused(exc: PynamoDBException) -> bool:
    """Whether a single write failed its condition (a lost race, or no such item)."""
    return exc.cause_response_code == "ConditionalCheckFailedException"


def commit(ops: list[Op]) -> None:
    """Run updates and puts in one transaction; a failed condition is a Conflict, throttling is retried."""
    for attempt in range(TRANSACTION_ATTEMPTS):
        try:
            with TransactWrite(connection=connection()) as tx:
                for op, item, actions, condition in ops:
                    if op == "update":
                        tx.update(item, actions=actions, condition=condition)
                    else:
                        tx.save(item, condition=condition)
            return
        except TransactWriteError as exc:
            if exc.cause_response_code != "TransactionCanceledException":
                raise
            if not _transient(exc):
                raise Conflict() from None
            if attempt + 1 == TRANSACTION_ATTEMPTS:
                raise  # still throttled: a server-side failure, not a lost race
            _sleep(random.random() * 0.05 * 2**attempt)  # noqa: S311 - jitter, not security


def create(item: Item) -> None:
    """Put a new item; Conflict if one with its key exists."""
    try:
        item.save(condition=Item.pk.does_not_exist())
    except PutError as exc:
        if refused(exc):
            raise Conflict("That already exists.") from None
        raise


def conditional_update(item: Item, actions: list[Any], condition: Any) -> bool:
    """One conditional UpdateItem; False when its condition failed."""
    try:
        item.update(actions=actions, condition=condition)
    except UpdateError as exc:
        if refused(exc):
            return False
        raise
    return True


def storage_errors(method: Callable[..., T]) -> Callable[..., T]:
    """DynamoDB over capacity after its retries becomes 503 SERVICE_BUSY: the caller can simply try again."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return method(*args, **kwargs)
        except PynamoDBException as exc:
            if overloaded(exc):
                from chalicelib.observability import log

                log().warning("database over capacity", extra={"error": type(exc).__name__})
                raise ServiceBusy() from exc
            raise

    return wrapper


def translated(cls: type[T]) -> type[T]:
    """Apply `storage_errors` to every public method of a store class."""
    for name, value in list(vars(cls).items()):
        if callable(value) and not name.startswith("_"):
            setattr(cls, name, storage_errors(value))
    return cls
