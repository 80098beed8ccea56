"""Time: rules take a Clock; storage is UTC."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, in UTC."""
    return datetime.now(UTC)


class ShiftedClock:
    """A clock that runs with the real one, moved by an offset (local demos and tests)."""

    def __init__(self, base: Clock = system_clock) -> None:
        self._base = base
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return self._base() + self.offset

    def advance(self, delta: timedelta) -> datetime:
        self.offset += delta
        return self()


def iso(value: datetime | None) -> str | None:
    """A UTC datetime as ISO-8601 with Z, to the second."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_iso(value: str) -> datetime:
    """Parse an ISO-8601 time that carries a zone; return it in UTC."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("a time zone is required")
    return parsed.astimezone(UTC)


def local_time(value: datetime, zone: str) -> datetime:
    """The same instant in the agency's zone."""
    from zoneinfo import ZoneInfo  # only invite emails need zones: not on every cold start

    return value.astimezone(ZoneInfo(zone))
