"""Ranges people ask for (R37): dates are whole days of the agency's time zone, and ranges are half-open."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib.errors import BadRequest
from chalicelib.logic import attendance, ranges, schedule
from chalicelib.records import Agency
from tests.unit.conftest import CAREGIVER, COORDINATOR

NEW_YORK = ZoneInfo("America/New_York")  # ag1's zone


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def listed(agency, start, end):
    return [e["id"] for e in schedule.my_schedule(agency.services, CAREGIVER, start, end, agency.now())]


def reported(agency, start, end):
    return [r["visit_id"] for r in attendance.virtual_visit_report(agency.services, COORDINATOR, start, end)]


def test_r37_a_visit_starting_exactly_at_to_is_in_exactly_one_of_two_consecutive_monthly_reports(agency):
    # Given a visit that starts at the first instant of December in the agency's zone (05:00 UTC)
    december_first = agency.visit(start=at(2026, 12, 1, 5))
    last_of_november = agency.visit(start=at(2026, 12, 1, 4, 59))
    # When the coordinator asks for November and for December, as dates
    november = reported(agency, date(2026, 11, 1), date(2026, 12, 1))
    december = reported(agency, date(2026, 12, 1), date(2027, 1, 1))
    # Then the first is billed in December only, and the visit a minute earlier in November only
    assert december_first not in november and december_first in december
    assert last_of_november in november and last_of_november not in december


def test_r37_the_same_holds_for_instants_and_for_schedules(agency):
    edge = agency.visit(start=at(2026, 11, 25, 16))
    before, after = at(2026, 11, 25, 12), at(2026, 11, 25, 20)
    assert edge not in listed(agency, before, at(2026, 11, 25, 16))
    assert edge in listed(agency, at(2026, 11, 25, 16), after)
    assert edge in reported(agency, at(2026, 11, 25, 16), after)


def test_r37_a_date_is_the_agencys_day_not_utcs(agency):
    # Given a visit at 23:30 New York time on 24 November (04:30 UTC on the 25th)
    late = agency.visit(start=at(2026, 11, 25, 4, 30))
    # When the schedule of the 24th is asked for; Then it is there, and not in the 25th's
    assert late in listed(agency, date(2026, 11, 24), date(2026, 11, 25))
    assert late not in listed(agency, date(2026, 11, 25), date(2026, 11, 26))


@pytest.mark.parametrize(("day", "hours", "last_minute", "next_midnight"), [
    (date(2026, 11, 1), 25, at(2026, 11, 2, 4, 30), at(2026, 11, 2, 5)),   # clocks go back: a 25-hour day
    (date(2026, 3, 8), 23, at(2026, 3, 9, 3, 30), at(2026, 3, 9, 4)),      # clocks go forward: 23 hours
])
def test_r37_a_day_of_a_clock_change_is_the_whole_local_day(agency, day, hours, last_minute, next_midnight):
    # Given a visit at 23:30 local on the day of a clock change, and one at the next midnight
    late, next_day = agency.visit(start=last_minute), agency.visit(start=next_midnight)
    # When that day's schedule is asked for, as a date
    first, end = ranges.resolve(day, day + timedelta(days=1), lambda: "America/New_York")
    # Then the day lasts its local hours, holds the late visit, and leaves the next midnight to the next day
    assert end - first == timedelta(hours=hours)
    assert listed(agency, day, day + timedelta(days=1)) == [late]
    assert next_day in listed(agency, day + timedelta(days=1), day + timedelta(days=2))


def test_r37_a_day_whose_midnight_a_clock_change_skips_starts_at_its_first_instant():
    # America/Santiago moves from 24:00 to 01:00 on 6 September 2026: that day starts at 01:00 local
    first = ranges.start_of_day(date(2026, 9, 6), ZoneInfo("America/Santiago"))
    assert first == at(2026, 9, 6, 4) and first.astimezone(ZoneInfo("America/Santiago")).hour == 1


def test_r37_dates_and_instants_mix(agency):
    first, last = ranges.resolve(date(2026, 11, 25), at(2026, 11, 25, 12), lambda: "America/New_York")
    assert (first, last) == (at(2026, 11, 25, 5), at(2026, 11, 25, 12))


def test_r37_instants_need_no_time_zone_read(agency):
    # A range of instants never reads the agency (one read fewer per schedule, as before R37)
    def unused() -> str:
        raise AssertionError("the zone was read")

    assert ranges.resolve(at(2026, 11, 1), at(2026, 11, 2), unused) == (at(2026, 11, 1), at(2026, 11, 2))


@pytest.mark.parametrize(("start", "end", "problem"), [
    (date(2026, 11, 2), date(2026, 11, 2), "'to' must be after 'from'"),
    (at(2026, 11, 2), at(2026, 11, 1), "'to' must be after 'from'"),
    (date(2026, 9, 1), date(2026, 11, 3), "'to' must be at most 62 days after 'from'"),
])
def test_r37_ranges_that_end_before_they_start_or_run_too_long_name_the_field(start, end, problem):
    with pytest.raises(BadRequest, match=problem):
        ranges.resolve(start, end, lambda: "America/New_York")


def test_r37_sixty_two_days_of_the_agencys_calendar_across_a_clock_change_are_accepted():
    # 1 Sept to 2 Nov is 62 days and one hour more, since the clocks went back on 1 November
    first, last = ranges.resolve(date(2026, 9, 1), date(2026, 11, 2), lambda: "America/New_York")
    assert last - first == timedelta(days=62, hours=1)


def test_r37_dates_follow_each_agencys_own_zone(agency):
    # Given a second agency in London, with a visit at 00:30 London time on 25 November
    from chalicelib.logic.access import Caller

    agency.services.directory.add_agency(Agency("ag3", "Thames Care", "Europe/London", "v@thames.example.test"))
    london = Caller("ag3", "boss", "coordinator")
    first, last = schedule.agency_range(agency.services, london, date(2026, 11, 25), date(2026, 11, 26))
    assert (first, last) == (at(2026, 11, 25, 0), at(2026, 11, 26, 0))
