"""The visit as a calendar entry (R31): an iCalendar object (RFC 5545) written with the standard library.

METHOD:REQUEST, from the agency (ORGANIZER) to the client (ATTENDEE, no reply asked for): it is the method Gmail,
Outlook and Apple Mail apply as an update of the entry they already hold when the same UID comes again with a higher
SEQUENCE, so a resend after a time change (R10) moves the entry rather than adding a second one (PUBLISH is imported
as a new entry by Outlook and Gmail). The UID is the visit's, the SEQUENCE its schedule version. Times are UTC, so
the object needs no VTIMEZONE; every calendar shows them in its own zone.
"""

from __future__ import annotations

from datetime import datetime

PRODUCT = "-//Virtual visits//Visit invite//EN"
FOLD_AT = 75  # octets a content line holds before it folds (RFC 5545, 3.1)


def _utc(value: datetime) -> str:
    from datetime import UTC

    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """A TEXT value, escaped (RFC 5545, 3.3.11)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n")
            .replace("\n", "\\n").replace("\r", "\\n"))


def _param(value: str) -> str:
    """A parameter value, quoted; a quote or a control character cannot appear in one, so they are dropped."""
    return '"' + "".join(c for c in value if c != '"' and c >= " " and c != "\x7f") + '"'


def _fold(line: str) -> str:
    """One content line, folded into lines of at most 75 octets, never inside a UTF-8 character."""
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode())
        if size + width > FOLD_AT:
            out.append(current)
            current, size = " ", 1  # a continuation line starts with one space
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def visit_entry(*, uid: str, sequence: int, stamp: datetime, start: datetime, end: datetime, summary: str,
                description: str, url: str, organizer_name: str, organizer_email: str, attendee_email: str) -> str:
    """The calendar object of one visit's invite."""
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODUCT}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{_text(summary)}",
        f"DESCRIPTION:{_text(description)}",
        f"LOCATION:{_text(url)}",
        f"URL:{url}",
        f"ORGANIZER;CN={_param(organizer_name)}:mailto:{organizer_email}",
        f"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{attendee_email}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)
