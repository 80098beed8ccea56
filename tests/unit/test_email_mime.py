"""The invite's MIME message, built with the standard library's `email` package (policy SMTP): a mail reader's
parser (`email.message_from_bytes`) gets back every header and part exactly as they went in."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from typing import Any

import pytest

from chalicelib.integrations.email import Email, build_mime

TOKEN_URL = "https://visits.agency-with-a-long-name.example.test/join#" + "Ab_-9" * 8 + "xyz"
CALENDAR = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nSUMMARY:Visita por video con Soins à domicile\r\nEND:VCALENDAR\r\n"


def make(sender_name: str = "Sunrise Home Care", subject: str = "Your video visit link", text: str = "Hello,\n",
         html: str = "<p>Hello</p>", calendar: str | None = None) -> Email:
    return Email(sender_name=sender_name, sender="visits@sunrise.example.test", to="eleanor@mail.example.test",
                 subject=subject, text=text, html=html, calendar=calendar)


def parsed(email: Email) -> Any:
    return message_from_bytes(build_mime(email), policy=policy.default)


def lf(text: str) -> str:
    """A part's text as written (the message carries it with CRLF line ends)."""
    return text.replace("\r\n", "\n")


def test_r31_an_invite_is_mixed_text_html_and_calendar_alternatives_with_the_ics_attached():
    # Given an invite with long lines, '=' signs, trailing spaces, non-ASCII text and a calendar entry
    text = f"Hello Zoë,\n\nJoin the visit here:\n{TOKEN_URL}\n\n  1. {'a long tip ' * 12}  \nBye = ciao\n"
    html = (f'<!doctype html><html><body style="font-size: 18px"><a href="{TOKEN_URL}">Join</a> é {"x" * 300}'
            "</body></html>")
    # When it is written and read back by a mail reader's parser
    message = parsed(make(text=text, html=html, calendar=CALENDAR))
    # Then the tree is mixed[alternative[text, html, calendar], ics attachment]
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, rich, calendar = alternative.iter_parts()
    assert [p.get_content_type() for p in (plain, rich, calendar)] == ["text/plain", "text/html", "text/calendar"]
    # And each part decodes to what went in, in UTF-8 (a text part always ends with a line break)
    assert lf(plain.get_content()) == text and lf(rich.get_content()) == html + "\n"
    assert all(p.get_content_charset() == "utf-8" for p in (plain, rich, calendar))
    # And the calendar part is an invitation (method REQUEST), also attached as invite.ics, byte for byte
    assert calendar.get_param("method") == "REQUEST" and calendar.get_content() == CALENDAR
    assert calendar.get_content_disposition() is None
    assert attachment.get_content_type() == "application/ics"
    assert (attachment.get_content_disposition(), attachment.get_filename()) == ("attachment", "invite.ics")
    assert attachment.get_content() == CALENDAR.encode()


def test_every_header_reads_back_and_the_raw_message_is_ascii_with_crlf_lines():
    # Given an agency whose name is not ASCII
    raw = build_mime(make(sender_name="Soins à domicile Léa, Inc.", calendar=CALENDAR))
    message = message_from_bytes(raw, policy=policy.default)
    # Then the headers read back as written
    assert set(message.keys()) == {"Subject", "From", "To", "Date", "Message-ID", "MIME-Version", "Content-Type"}
    assert message["Subject"] == "Your video visit link"
    assert message["To"] == "eleanor@mail.example.test"
    sender = message["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == ("Soins à domicile Léa, Inc.", "visits@sunrise.example.test")
    assert re.fullmatch(r"<[^@<>]+@sunrise\.example\.test>", message["Message-ID"])
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None
    assert message["MIME-Version"] == "1.0"
    # And the raw message is 7-bit ASCII, every line ends in CRLF and none is longer than SMTP allows
    assert raw.isascii()
    lines = raw.split(b"\r\n")
    assert b"\n" not in b"".join(lines) and all(len(line) <= 998 for line in lines)


def test_r30_a_spanish_subject_is_rfc2047_encoded():
    # Given a subject with an accent (R30)
    raw = build_mime(make(subject="Su visita por vídeo empieza pronto"))
    # Then the Subject line on the wire is an RFC 2047 encoded word, and it decodes to the subject
    [line] = [line for line in raw.split(b"\r\n") if line.startswith(b"Subject:")]
    assert b"=?utf-8?" in line and "í".encode() not in raw
    assert message_from_bytes(raw, policy=policy.default)["Subject"] == "Su visita por vídeo empieza pronto"


def test_without_a_calendar_the_message_is_text_and_html_alternatives():
    message = parsed(make())
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]


@pytest.mark.parametrize("field", ["sender_name", "subject", "to"])
def test_a_line_break_in_a_header_value_is_refused(field):
    values = {"sender_name": "Sunrise", "subject": "Your video visit link", "to": "eleanor@mail.example.test"}
    values[field] += "\nBcc: everyone@example.test"
    with pytest.raises(ValueError, match="line break"):
        build_mime(Email(sender="visits@sunrise.example.test", text="x", html="x", **values))
