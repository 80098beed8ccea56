"""R31: the calendar entry, written with the standard library, read back by a real iCalendar parser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from chalicelib.logic.calendar import visit_entry

START = datetime(2026, 11, 25, 19, 30, tzinfo=UTC)


def entry(**fields):
    values = {"uid": "visit-v1@sunrise.example.test", "sequence": 3, "stamp": START - timedelta(hours=2),
              "start": START, "end": START + timedelta(minutes=45), "summary": "Video visit with Sunrise",
              "description": "Join the video visit here: https://visits.example.test/join#abc",
              "url": "https://visits.example.test/join#abc", "organizer_name": "Sunrise Home Care",
              "organizer_email": "visits@sunrise.example.test", "attendee_email": "eleanor@mail.example.test"}
    return visit_entry(**{**values, **fields})


def test_r31_the_entry_reads_back_with_every_field():
    [event] = Calendar.from_ical(entry()).walk("VEVENT")
    assert (event.decoded("DTSTART"), event.decoded("DTEND"), event.decoded("DTSTAMP")) == (
        START, START + timedelta(minutes=45), START - timedelta(hours=2))
    assert (str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])) == (
        "visit-v1@sunrise.example.test", 3, "CONFIRMED")


def test_r31_long_lines_fold_at_75_octets_never_inside_a_character_and_text_is_escaped():
    # Given a summary and an organizer name with accents, commas, semicolons, backslashes, quotes and line breaks
    summary = "Visita por video con Soins à domicile Léa; Cuidados, Inc. \\ " + "é" * 80
    text = entry(summary=summary, description="line one\nline two", organizer_name='Soins "Léa"\nInc')
    # Then every line is at most 75 octets and ends in CRLF, and the parser reads back what went in
    lines = text.encode().split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode()  # a fold never splits a UTF-8 character
    [event] = Calendar.from_ical(text).walk("VEVENT")
    assert str(event["SUMMARY"]) == summary and str(event["DESCRIPTION"]) == "line one\nline two"
    assert event["ORGANIZER"].params["CN"] == "Soins LéaInc"
