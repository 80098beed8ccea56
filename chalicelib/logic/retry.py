"""Losing a race is normal: read again and decide again, a few times, then tell the caller."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from chalicelib.errors import Conflict

T = TypeVar("T")


def retry_on_conflict(attempt: Callable[[], T], attempts: int = 5, on: type[Exception] = Conflict) -> T:
    """Run `attempt` until it does not raise `on` (a write whose condition failed); each attempt reads afresh.

    After `attempts` lost races the caller gets 409 CONFLICT.
    """
    for _ in range(attempts - 1):
        try:
            return attempt()
        except on:
            continue
    try:
        return attempt()
    except on:
        raise Conflict() from None


def reads(first: T, again: Callable[[], T]) -> Callable[[], T]:
    """For an attempt: the caller's read the first time, a fresh one every time after (the first lost its race)."""
    pending = [first]

    def read() -> T:
        return pending.pop() if pending else again()

    return read
