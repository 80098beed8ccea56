"""The attendance CSV: what a spreadsheet opens must never run as a formula (OWASP "CSV injection", R45)."""

from __future__ import annotations

import csv
import io

import pytest

from chalicelib.logic.attendance import FIELDS, as_csv


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x.test\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"])
def test_r45_a_cell_that_a_spreadsheet_would_run_is_neutralised(value):
    # Given a row whose text cell starts like a formula (a service code may start with '-')
    row = dict.fromkeys(FIELDS, "") | {"service_code": value, "invite_count": 2, "minutes_together": 30.0,
                                        "no_show": False, "clock_in_at": None}
    # When the report is written as CSV
    [parsed] = list(csv.DictReader(io.StringIO(as_csv([row]))))
    # Then the cell reads as text, with its value after the quote; numbers, booleans and empties stay as they are
    assert parsed["service_code"] == "'" + value
    assert (parsed["invite_count"], parsed["minutes_together"], parsed["no_show"], parsed["clock_in_at"]) == \
        ("2", "30.0", "false", "")


def test_r45_ordinary_text_and_times_are_written_as_they_are():
    row = dict.fromkeys(FIELDS, "") | {"service_code": "TELE", "scheduled_start": "2026-11-25T14:50:00Z"}
    [parsed] = list(csv.DictReader(io.StringIO(as_csv([row]))))
    assert parsed["service_code"] == "TELE" and parsed["scheduled_start"] == "2026-11-25T14:50:00Z"
