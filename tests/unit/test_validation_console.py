"""The console's inputs: agency settings, searches and the board's date, each refused naming its field (R25, R33)."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib import payloads as p
from chalicelib.errors import BadRequest
from chalicelib.validation import query_date, query_text, validate


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London", "UTC", "America/Argentina/Buenos_Aires"])
def test_r33_the_agency_takes_a_time_zone_people_pick(zone):
    assert validate({"time_zone": zone}, p.AGENCY_PATCH) == {"time_zone": zone}


@pytest.mark.parametrize("zone", ["Mars/Olympus", "localtime", "posixrules", "../../etc/passwd", "America/New_York\n",
                                  "", "EST5EDT", "x" * 70, 5])
def test_r33_anything_else_is_refused_naming_time_zone(zone):
    with pytest.raises(BadRequest) as refused:
        validate({"time_zone": zone}, p.AGENCY_PATCH)
    assert "'time_zone'" in refused.value.message


@pytest.mark.parametrize(("body", "field"), [
    ({"locale": "english"}, "locale"), ({"locale": "en_US"}, "locale"), ({"locale": "en-US\n"}, "locale"),
    ({"reminder_minutes": -1}, "reminder_minutes"), ({"reminder_minutes": 1441}, "reminder_minutes"),
    ({"reminder_minutes": 1.5}, "reminder_minutes"), ({"reminder_minutes": True}, "reminder_minutes"),
    ({"name": "x"}, "name"),
])
def test_r33_settings_outside_their_range_are_refused_naming_the_field(body, field):
    with pytest.raises(BadRequest) as refused:
        validate(body, p.AGENCY_PATCH)
    assert f"'{field}'" in refused.value.message


def test_r33_locales_and_reminders_within_range_are_taken():
    assert validate({"locale": "es-419", "reminder_minutes": 0}, p.AGENCY_PATCH) == {
        "locale": "es-419", "reminder_minutes": 0}
    assert validate({"locale": "zh-Hant-TW", "reminder_minutes": 1440}, p.AGENCY_PATCH)["reminder_minutes"] == 1440


def test_r33_a_search_is_one_line_of_at_most_100_characters():
    assert query_text({"q": "  Rigby "}, "q") == "Rigby" and query_text(None, "q") == ""
    for bad in ("x" * 101, "a\nb", "\ud800"):
        with pytest.raises(BadRequest) as refused:
            query_text({"q": bad}, "q")
        assert "'q'" in refused.value.message


def test_r35_the_board_takes_a_date_or_none():
    assert query_date({"date": "2026-11-25"}, "date") == date(2026, 11, 25) and query_date({}, "date") is None
    for bad in ("2026-02-30", "2026-11-25T00:00:00Z", "1999-12-31", "tomorrow"):
        with pytest.raises(BadRequest) as refused:
            query_date({"date": bad}, "date")
        assert "'date'" in refused.value.message


def test_r36_an_employee_change_takes_a_role_and_active_only():
    assert validate({"role": "coordinator", "active": False}, p.EMPLOYEE_PATCH) == {"role": "coordinator",
                                                                                     "active": False}
    for body in ({"role": "admin"}, {"active": "no"}, {"email": "a@b.example"}):
        with pytest.raises(BadRequest):
            validate(body, p.EMPLOYEE_PATCH)
