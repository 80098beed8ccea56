"""The invite's MIME message, written without the email package's generator (issue 7): a mail reader's parser
gets back exactly the text and HTML that went in, whatever the names and line lengths."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from chalicelib.integrations.email import Email, build_mime

TOKEN_URL = "https://visits.agency-with-a-long-name.example.test/join#" + "Ab_-9" * 8 + "xyz"


def parsed(email: Email) -> object:
    return message_from_bytes(build_mime(email), policy=policy.default)


def make(sender_name: str = "Sunrise Home Care", text: str = "Hello,\n", html: str = "<p>Hello</p>") -> Email:
    return Email(sender_name=sender_name, sender="visits@sunrise.example.test", to="eleanor@mail.example.test",
                 subject="Your video visit link", text=text, html=html)


def test_both_parts_come_back_exactly_as_written():
    # Given an invite with long lines, '=' signs, trailing spaces and non-ASCII text
    text = f"Hello Zoë,\n\nJoin the visit here:\n{TOKEN_URL}\n\n  1. {'a long tip ' * 12}  \nBye = ciao\n"
    html = (f'<!doctype html><html><body style="font-size: 18px"><a href="{TOKEN_URL}">Join</a> é {"x" * 300}'
            "</body></html>")
    # When it is written and read back by a mail reader's parser
    message = parsed(make(text=text, html=html))
    # Then it is multipart/alternative, text first, and each part decodes to what went in
    assert message.get_content_type() == "multipart/alternative"
    parts = [p for p in message.iter_parts()]
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert parts[0].get_content() == text and parts[1].get_content() == html


def test_headers_are_the_fixed_subject_and_an_encoded_sender_name():
    # Given an agency whose name is not ASCII
    message = parsed(make(sender_name="Soins à domicile Léa, Inc."))
    # Then the headers read back as written, and every line of the raw message is ASCII
    assert message["Subject"] == "Your video visit link"
    assert message["To"] == "eleanor@mail.example.test"
    assert message["From"].addresses[0].display_name == "Soins à domicile Léa, Inc."
    assert message["Message-ID"].endswith("@sunrise.example.test>")
    assert build_mime(make(sender_name="Soins à domicile Léa")).isascii()


def test_a_line_break_in_a_header_value_is_refused():
    with pytest.raises(ValueError, match="line break"):
        build_mime(make(sender_name="Sunrise\nBcc: everyone@example.test"))
