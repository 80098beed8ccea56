"""Ranges people ask for (R37): `from` and `to` as instants with a zone, or as dates of the agency's calendar.

A date means its whole day in the agency's time zone, from its first instant (a day of a clock change lasts 23 or
25 hours). Ranges are half-open, [from, to): a visit starting exactly at `to` belongs to the next range, so
"November" is `from=2026-11-01&to=2026-12-01` and December starts where it ends.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from chalicelib.errors import BadRequest

MAX_RANGE_DAYS = 62  # two months of the agency's calendar

Bound = datetime | date


def start_of_day(day: date, zone: tzinfo) -> datetime:
    """The first instant of `day` in `zone`, in UTC.

    Where a clock change skips midnight, local 00:00 (fold 0) reads with the offset before the change, which is the
    first instant of the day: 01:00 in the new offset.
    """
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def resolve(start: Bound, end: Bound, zone_of: Callable[[], str]) -> tuple[datetime, datetime]:
    """[from, to) as UTC instants; dates through the agency's zone, asked for only when a date was given."""
    zone: tzinfo = UTC
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        from zoneinfo import ZoneInfo  # only dates need a zone: not on every cold start

        zone = ZoneInfo(zone_of())
    first = start if isinstance(start, datetime) else start_of_day(start, zone)
    last = end if isinstance(end, datetime) else start_of_day(end, zone)
    if last <= first:
        raise BadRequest.field("to", "must be after 'from'")
    # Days of the agency's calendar: adding days to a local time keeps its wall-clock time across clock changes.
    if last > (first.astimezone(zone) + timedelta(days=MAX_RANGE_DAYS)).astimezone(UTC):
        raise BadRequest.field("to", f"must be at most {MAX_RANGE_DAYS} days after 'from'")
    return first, last

