"""The client's language on the join page's routes, and the invite's calendar entry as SES (moto) received it
(R30, R31)."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from chalicelib.http import SECURITY_HEADERS
from tests.conftest import NOW, iso, sent_emails

SPANISH_OVER = "Su cuidador o cuidadora ha terminado la sesión. Ya puede cerrar esta página."


def spanish(api, tokens, client="cli1"):
    assert api.call("PATCH", f"/api/clients/{client}", {"preferred_language": "es"}, tokens["coord"]).status_code == 200


def calendar_entry(message):
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    [attached] = [p for p in message.walk() if p.get_filename() == "invite.ics"]
    assert attached.get_content().decode() == part.get_content()
    [event] = Calendar.from_ical(part.get_content()).walk("VEVENT")
    return part, event


def test_r30_the_join_page_is_told_the_language_and_the_clients_refusals_come_in_it(api, tokens, make_visit, flow):
    # Given a Spanish client's link
    spanish(api, tokens)
    vid = make_visit()
    token = flow.link(vid)
    # When the client opens it, the page learns the client's language
    assert flow.client("view", token).json_body["language"] == "es"
    # When the caregiver has hung up (R20, R23), the client's refusal is Spanish, and says so in a header
    flow.post(vid, "clock-in")
    flow.post(vid, "session/join")
    flow.post(vid, "session/end")
    refused = flow.client("attendee", token)
    assert (refused.status_code, refused.json_body) == (409, {"Code": "SESSION_OVER", "Message": SPANISH_OVER})
    assert refused.headers["Content-Language"] == "es"
    for name, value in SECURITY_HEADERS.items():
        assert refused.headers[name] == value
    # And the language chosen on the page wins; a language with no table is refused, naming the field
    chosen = api.call("POST", "/api/join/attendee", {"token": token, "language": "en"})
    assert chosen.json_body["Message"] == "Your caregiver has ended the session. You can now close this page."
    bad = api.call("POST", "/api/join", {"token": token, "language": "fr"})
    assert (bad.status_code, bad.json_body["Message"]) == (400, "The field 'language' must be one of 'en', 'es'.")


def test_r30_a_link_that_names_no_visit_answers_in_the_pages_language(api):
    answer = api.call("POST", "/api/join", {"token": "x" * 43, "language": "es"})
    assert (answer.status_code, answer.headers["Content-Language"]) == (404, "es")
    assert answer.json_body == {"Code": "INVALID_LINK", "Message": (
        "Este enlace ya no es válido. Pida una nueva invitación a su proveedor de cuidado.")}
    assert api.call("POST", "/api/join", {"token": "x" * 43}).json_body["Message"] == (
        "This link is no longer valid. Please ask your care provider for a new invitation.")


def test_r30_r31_a_spanish_invite_through_ses_has_an_encoded_subject_and_the_calendar_entry(api, tokens, make_visit,
                                                                                          flow):
    # Given a Spanish client
    spanish(api, tokens)
    vid = make_visit()
    # When the invite is emailed
    assert flow.invite(vid).status_code == 200
    [mail] = sent_emails()
    # Then the subject is Spanish and the visit rides along as a calendar invitation and an .ics attachment
    assert mail["Subject"] == "El enlace de su visita por video"
    part, event = calendar_entry(mail)
    assert part.get_param("method") == "REQUEST"
    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (NOW - timedelta(minutes=10),
                                                                  NOW + timedelta(minutes=50))
    assert str(event["SUMMARY"]) == "Visita por video con Sunrise Home Care"
    link = str(event["URL"])
    assert flow.client("view", link.split("#", 1)[1]).status_code == 200


def test_r31_a_resend_after_a_time_change_updates_the_same_calendar_entry(api, tokens, make_visit, flow):
    # Given an emailed invite
    vid = make_visit()
    flow.invite(vid)
    # When the coordinator moves the visit (R10) and the caregiver resends
    moved = {"start": iso(NOW + timedelta(minutes=30)), "end": iso(NOW + timedelta(minutes=90))}
    assert api.call("PATCH", f"/api/visits/{vid}", moved, tokens["coord"]).status_code == 200
    flow.invite(vid, "resend")
    # Then the second email updates the first entry: same UID, higher SEQUENCE, the new time and the new link
    (_, first), (_, second) = (calendar_entry(mail) for mail in sent_emails())
    assert str(second["UID"]) == str(first["UID"]) and int(second["SEQUENCE"]) > int(first["SEQUENCE"])
    assert second.decoded("DTSTART") == NOW + timedelta(minutes=30) and str(second["URL"]) != str(first["URL"])
    assert flow.client("view", str(first["URL"]).split("#", 1)[1]).status_code == 404
    assert flow.client("view", str(second["URL"]).split("#", 1)[1]).status_code == 200
