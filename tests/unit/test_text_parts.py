"""How many message parts the invite and reminder texts really take (R28, R30, R32): what a text costs.

End User Messaging bills each part. GSM-7 holds 160 characters in one part and 153 a part once split; one character
outside it (Spanish á and í are outside, é, ñ and ü inside) makes the whole text UCS-2: 70 characters, 67 split.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from benchmarks.cost import TEXT_AGENCY, TEXT_URL, text_parts
from chalicelib.logic.invite_text import invite_text, reminder_text, segments
from chalicelib.records import Agency, Visit

SATURDAY = datetime(2026, 11, 28, 15, 30, tzinfo=UTC)
WEDNESDAY = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)


def texts(zone: str, start: datetime, language: str) -> tuple[str, str]:
    agency = Agency("a", TEXT_AGENCY, zone, "visits@agency.example")
    visit = Visit("a", "v", "c", "e", "TELE", start, start + timedelta(hours=1))
    return invite_text(agency, visit, TEXT_URL, language), reminder_text(agency, visit, TEXT_URL, language)


@pytest.mark.parametrize(("text", "parts"), [
    ("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3),  # GSM-7: 160, then 153 a part
    ("é" * 160, 1), ("ñü" * 80, 1),  # é, ñ and ü are GSM-7
    ("€" * 80, 1), ("€" * 81, 2),  # the extension table's characters take two septets
    ("á" * 70, 1), ("á" * 71, 2), ("í" * 134, 2), ("í" * 135, 3),  # UCS-2: 70, then 67 a part
    ("a" * 69 + "á", 1), ("a" * 70 + "á", 2),  # one á makes the whole text UCS-2
])
def test_r28_a_text_is_counted_in_the_parts_the_service_bills(text, parts):
    assert segments(text) == parts


def test_r28_r30_the_invite_and_the_reminder_take_the_parts_the_docs_give_for_a_long_agency_name():
    # English: 2 parts each, whatever the zone and the day
    for zone in ("America/New_York", "America/Los_Angeles", "Pacific/Honolulu"):
        for start in (WEDNESDAY, SATURDAY):
            assert [segments(t) for t in texts(zone, start, "en")] == [2, 2]
    # Spanish, Eastern: 2 on a weekday; Saturday ("sábado") turns the invite into UCS-2: 4
    invite, reminder = texts("America/New_York", WEDNESDAY, "es")
    assert (segments(invite), segments(reminder)) == (2, 2) and "miércoles" in invite  # é is GSM-7
    saturday, _ = texts("America/New_York", SATURDAY, "es")
    assert "sábado" in saturday and segments(saturday) == 4
    # Spanish, Pacific, Hawaii, Puerto Rico: the zone's name ("Pacífico", "Hawái", "Atlántico") makes both UCS-2
    for zone, name in (("America/Los_Angeles", "Pacífico"), ("Pacific/Honolulu", "Hawái"),
                       ("America/Puerto_Rico", "Atlántico")):
        invite, reminder = texts(zone, WEDNESDAY, "es")
        assert name in invite and name in reminder
        assert (segments(invite), segments(reminder)) == (4, 4)
    # The cost benchmark (docs/PERFORMANCE.md §5) counts the same
    parts = text_parts()
    assert (parts["en"]["invite"], parts["en"]["reminder"]) == ([2, 2], [2, 2])
    assert (parts["es"]["invite"], parts["es"]["reminder"]) == ([2, 4], [2, 4])
