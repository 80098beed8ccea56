"""The client's language and the calendar entry, over in-memory stores (R30, R31, R44)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from chalicelib import i18n
from chalicelib.errors import ClientLinkExpired, ClientSessionOver, InvalidLink
from chalicelib.http import refusal
from chalicelib.payloads import CLIENT_CREATE, TOKEN
from tests.conftest import NOW

ES_WHEN = "miércoles 25 de noviembre de 2026 a las 9:50 a.m. (hora del Este)"


def english_sentences() -> list[str]:
    """Every English text a client can read from the server, without its placeholders."""
    texts = []
    for key, value in i18n.table("en").items():
        if key.startswith(("email.", "sms.", "calendar.", "refusal.")):
            for text in value if isinstance(value, tuple) else (value,):
                texts += [part.strip() for part in text.replace("}", "{").split("{")[::2] if len(part.strip()) > 6]
    return texts


def calendar_of(email):
    calendar = Calendar.from_ical(email.calendar)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_r30_a_spanish_client_reads_the_invite_email_in_spanish_with_times_in_spanish(agency):
    # Given a client whose language is Spanish
    agency.update_client("cli1", preferred_language="es")
    vid = agency.visit()
    # When the caregiver emails the invite
    agency.invite(vid)
    [(email, _)] = agency.mailer.sent
    # Then subject, text and HTML are Spanish, the time is written as Spanish readers write it, with the zone (R44)
    assert email.subject == "El enlace de su visita por video"
    assert f"Cuándo: {ES_WHEN}" in email.text and ES_WHEN in email.html and '<html lang="es">' in email.html
    assert "Maria, de su equipo de cuidado" in email.text
    # And no English sentence is left in it
    left = [s for s in english_sentences() if s in email.text or s in email.html]
    assert not left, left


def test_r30_a_spanish_client_reads_the_text_message_in_spanish(agency):
    agency.texting_client(language="es")
    vid = agency.visit(client="cli2")
    agency.invite(vid, "sms")
    [(text, _)] = agency.texter.sent
    assert text.body.startswith("Sunrise Home Care: su visita por video es el miércoles 25 de noviembre a las "
                                "9:50 a.m. (hora del Este). Enlace para entrar: https://visits.example.test/join#")


@pytest.mark.parametrize(("zone", "en", "es"), [
    ("America/New_York", "Eastern Time", "hora del Este"),
    ("America/Los_Angeles", "Pacific Time", "hora del Pacífico"),
    ("Pacific/Honolulu", "Hawaii Time", "hora de Hawái"),
])
def test_r44_the_join_page_names_the_zone_as_the_clients_email_and_text_do(agency, zone, en, es):
    # Given a Spanish client who has an email and a mobile phone, of an agency in `zone`
    agency.tables.agencies["ag1"] = replace(agency.tables.agencies["ag1"], time_zone=zone)
    agency.texting_client(language="es")
    agency.update_client("cli2", email="lucia@example.test")
    vid = agency.visit(client="cli2")
    agency.invite(vid, "sms")
    agency.invite(vid, "email")
    [(text, _)] = agency.texter.sent
    [(email, _)] = agency.mailer.sent
    # When the client opens the link, the page is given the zone's name in each language it can switch to
    page = agency.client_page(agency.link(vid))
    assert page["zone_names"] == {"en": en, "es": es}
    # Then the page, the email and the text name the zone in the same words (R44), from one table
    assert f"({es})" in text.body and f"({es})" in email.text and f"({es})" in email.html

    # Given a Spanish client's link
    agency.update_client("cli1", preferred_language="es")
    vid = agency.visit()
    token = agency.link(vid)
    # When the client opens it, the page is told the client's language
    assert agency.client_page(token)["language"] == "es"
    # When the caregiver hangs up (R20, R23), the client's refusal is in Spanish, and says so in its header
    agency.clock_in(vid)
    agency.join(vid)
    agency.hang_up(vid)
    with pytest.raises(ClientSessionOver) as over:
        agency.client_join(token)
    answer = refusal(over.value)
    assert answer.headers["Content-Language"] == "es"
    assert '"Code":"SESSION_OVER"' in answer.body
    assert "Su cuidador o cuidadora ha terminado la sesi\\u00f3n. Ya puede cerrar esta p\\u00e1gina." in answer.body
    # And the language the client chose on the page comes first
    from chalicelib.logic.joining import client_join

    with pytest.raises(ClientSessionOver) as chosen:
        client_join(agency.services, token, agency.now(), "en")
    assert refusal(chosen.value).headers["Content-Language"] == "en"
    assert "Your caregiver has ended the session." in refusal(chosen.value).body


def test_r30_r10_and_r13_refusals_are_in_the_clients_language(agency):
    # Given a Spanish client's link whose visit time then changed (R10)
    agency.update_client("cli1", preferred_language="es")
    vid = agency.visit()
    token = agency.link(vid)
    agency.reschedule(vid, end=NOW + timedelta(minutes=70))
    with pytest.raises(InvalidLink) as old:
        agency.client_page(token)
    assert old.value.language == "es" and i18n.refusal("es", old.value) == (
        "Este enlace ya no es válido. Pida una nueva invitación a su proveedor de cuidado.")
    # And a link past its expiry (R13)
    fresh = agency.link(vid)
    agency.advance(90)
    with pytest.raises(ClientLinkExpired) as expired:
        agency.client_page(fresh)
    assert expired.value.language == "es" and i18n.refusal("es", expired.value).startswith("Este enlace ha vencido.")


def test_r30_a_link_that_names_no_client_speaks_the_pages_language(agency):
    from chalicelib.logic.joining import client_view

    with pytest.raises(InvalidLink) as unknown:
        client_view(agency.services, "x" * 43, agency.now(), "es")
    assert unknown.value.language == "es"
    with pytest.raises(InvalidLink) as default:
        client_view(agency.services, "x" * 43, agency.now())
    assert default.value.language == "en" and refusal(default.value).headers["Content-Language"] == "en"


def test_r30_only_languages_with_a_table_can_be_chosen():
    assert CLIENT_CREATE["preferred_language"].choices == i18n.LANGUAGES == ("en", "es")
    assert TOKEN["language"].choices == i18n.LANGUAGES
    assert i18n.supported("fr") == "en" and i18n.table("fr") is i18n.table("en")


@pytest.mark.parametrize(("zone", "language", "expected"), [
    ("America/New_York", "en", "Wednesday, November 25, 2026 at 2:30 PM Eastern Time"),
    ("America/New_York", "es", "miércoles 25 de noviembre de 2026 a las 2:30 p.m. (hora del Este)"),
    ("America/Los_Angeles", "es", "miércoles 25 de noviembre de 2026 a las 11:30 a.m. (hora del Pacífico)"),
    ("America/Chicago", "es", "miércoles 25 de noviembre de 2026 a la 1:30 p.m. (hora del Centro)"),
    ("Europe/London", "en", "Wednesday, November 25, 2026 at 7:30 PM UK time"),
    ("Asia/Kolkata", "en", "Thursday, November 26, 2026 at 1:00 AM IST"),
    ("Asia/Dubai", "es", "miércoles 25 de noviembre de 2026 a las 11:30 p.m. (UTC+04)"),
])
def test_r44_times_read_as_the_readers_language_writes_them_and_name_the_zone(zone, language, expected):
    assert i18n.when(datetime(2026, 11, 25, 19, 30, tzinfo=UTC), zone, language) == expected


def test_r31_the_invite_email_carries_the_visit_as_a_calendar_entry(agency):
    # Given a Spanish client
    agency.update_client("cli1", preferred_language="es")
    vid = agency.visit()
    # When the invite is emailed
    agency.invite(vid)
    [(email, _)] = agency.mailer.sent
    # Then a real iCalendar parser reads an invitation with the start, the end and the join link
    calendar, event = calendar_of(email)
    assert str(calendar["METHOD"]) == "REQUEST" and str(calendar["VERSION"]) == "2.0"
    url = email.text.split("\n")[email.text.split("\n").index("Entre a la visita aquí:") + 1]
    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (NOW - timedelta(minutes=10),
                                                                  NOW + timedelta(minutes=50))
    assert str(event["URL"]) == url and str(event["LOCATION"]) == url and url in str(event["DESCRIPTION"])
    assert str(event["SUMMARY"]) == "Visita por video con Sunrise Home Care"
    assert str(event["UID"]) == f"visit-{vid}@sunrise.example.test" and int(event["SEQUENCE"]) == 1
    assert str(event["ORGANIZER"]) == "mailto:visits@sunrise.example.test"
    assert event["ORGANIZER"].params["CN"] == "Sunrise Home Care"
    assert str(event["ATTENDEE"]) == "mailto:eleanor.rigby@mail.example.test"
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"


def test_r31_a_resend_after_a_time_change_updates_the_same_entry(agency):
    # Given an emailed invite
    vid = agency.visit()
    agency.invite(vid)
    _, before = calendar_of(agency.mailer.sent[0][0])
    # When the visit moves (R10) and the caregiver resends
    agency.reschedule(vid, start=NOW + timedelta(minutes=20), end=NOW + timedelta(minutes=80))
    agency.invite(vid, "resend")
    _, after = calendar_of(agency.mailer.sent[1][0])
    # Then it is the same entry (same UID) at a higher SEQUENCE, with the new time and the new link
    assert str(after["UID"]) == str(before["UID"]) and int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART") == NOW + timedelta(minutes=20)
    assert str(after["URL"]) != str(before["URL"])
    # And a resend with no change sends the same entry again, same SEQUENCE
    agency.invite(vid, "resend")
    _, same = calendar_of(agency.mailer.sent[2][0])
    assert (str(same["UID"]), int(same["SEQUENCE"]), str(same["URL"])) == (
        str(after["UID"]), int(after["SEQUENCE"]), str(after["URL"]))
