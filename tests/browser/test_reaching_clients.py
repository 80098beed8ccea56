"""Reaching every client in a real browser (R28-R32): a text invite, a reminder, the join page and the call in the
client's own language on a phone, and the dialog saying why a client cannot be texted."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import (
    AGENCY_NAME,
    CAREGIVER_NAME,
    JOIN_LINK,
    ROOT,
    Api,
    assert_loopback_media,
    assert_video_flowing,
    shot,
    sign_in,
    visit_day,
)
from tests.browser.test_main_flow import join_call, open_visit_dialog

pytestmark = pytest.mark.browser

R29_UNDELIVERABLE = "The last invite could not be delivered. Check the client's contact details."
R29_OPTED_OUT = "The client has opted out of text messages. Send the invite by email or copy the link."
R28_NO_CONSENT = "The client has not agreed to receive text messages."
ES_WAITING = "Su cuidador o cuidadora se unirá en breve."
ES_ENDED = "Su cuidador o cuidadora ha terminado la sesión. Ya puede cerrar esta página."
EN_ENDED = "Your caregiver has ended the session. You can now close this page."


def _quoted(path: str) -> set[str]:
    """The words of every quoted text in a front-end table."""
    text = (ROOT / "frontend" / "src" / "texts" / path).read_text()
    texts = ["".join(found) for found in re.findall(r"'((?:[^'\\]|\\.)*)'|`([^`]*)`", text)]
    return {w.lower() for t in texts for w in re.findall(r"[^\W\d_]+", t)}


# Words only English uses on the client's page: every word of the English tables that no Spanish table has.
# (The languages' own names, on the switch, are names.)
ENGLISH = _quoted("client.ts") | _quoted("guidance.en.ts")
ENGLISH_ONLY = ENGLISH - _quoted("client.es.ts") - _quoted("guidance.es.ts") - {"english", "español"}


def english_on(page: Page, names: tuple[str, ...]) -> list[str]:
    """English words the page shows (its visible text and its title), names aside: the agency's, the caregiver's
    first name, the switch's "English", and the time zone Intl names ("EST") should the page ever fall back to it."""
    shown = page.evaluate("() => document.title + '\\n' + document.body.innerText")
    for name in (*names, "English"):
        shown = shown.replace(name, " ")
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", shown)}
    return sorted(w for w in words if w in ENGLISH_ONLY and w not in ("est", "edt"))


def texting_client(api: Api, coordinator_token: str, language: str = "en", consent: bool = True) -> dict[str, Any]:
    """A client with only a mobile phone (a fresh number: the local text service remembers STOP per number)."""
    number = f"+1555010{secrets.randbelow(10_000):04d}"
    body = {"name": f"Texting Client {secrets.token_hex(3)}", "mobile_phone": number, "sms_consent": consent,
            "preferred_language": language}
    return {**api.ok("POST", "/clients", coordinator_token, body), **body}


def texts_to(api: Api, number: str) -> list[dict[str, Any]]:
    return [m for m in api.ok("GET", "/dev/outbox") if m["channel"] == "sms" and m["to"] == number]


def test_r28_r30_r32_a_spanish_client_with_only_a_phone_is_texted_reminded_and_holds_the_call_in_spanish(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    stack: Any,
) -> None:
    # Given a client with only a mobile phone, Spanish as their language, and a visit 17-18 minutes ahead (its
    # reminder 2-3 minutes ahead: the invite, after the sign-in, must go out before the reminder is due)
    client_info = texting_client(api, coordinator_token, "es")
    number = client_info["mobile_phone"]
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=18, minutes=45)
    main = new_context().new_page()
    sign_in(main, stack.url, CAREGIVER_NAME, visit_day(visit))
    open_visit_dialog(main, client_info["name"])
    dialog = main.get_by_test_id("visit-dialog")

    # 1. The caregiver sends the invite by text message (R28); the dialog says it went by text
    expect(dialog.get_by_test_id("text-refusal")).to_have_count(0)
    dialog.get_by_role("button", name="Send invite by text message").click()
    expect(dialog.get_by_test_id("feedback")).to_have_text("Invite sent.")
    expect(dialog.get_by_test_id("session-status")).to_contain_text("Last invite sent by text message at")
    expect(dialog.get_by_role("button", name="Resend invite to client")).to_be_visible()
    [invite] = texts_to(api, number)
    # ... in Spanish: the agency, "visita por video", the time with its zone, the link, nothing else (R28, R30, R44)
    assert re.fullmatch(rf"{AGENCY_NAME}: su visita por video es el \w+ \d+ de \w+ a las? \d+:\d\d [ap]\.m\. "
                        r"\(hora del Este\)\. Enlace para entrar: \S+/join#[A-Za-z0-9_-]{43}", invite["text"]), invite
    assert client_info["name"].split()[0] not in invite["text"] and "James" not in invite["text"]

    # 2. Three minutes later, 15 minutes before the start, the sweep sends one reminder by text, with the same link
    api.advance_clock(3)
    assert api.ok("POST", "/dev/sweep")["reminded"] == 1
    assert api.ok("POST", "/dev/sweep")["reminded"] == 0
    invite_text, reminder = texts_to(api, number)
    assert reminder["text"].startswith(f"{AGENCY_NAME}: su visita por video empieza a la")
    link = JOIN_LINK.search(reminder["text"]).group(0)  # type: ignore[union-attr]
    assert link in invite_text["text"]

    # 3. The outbox shows the texts beside the emails, each join link a link (`make dev`'s /outbox)
    phone = new_context(phone=True)
    outbox = phone.new_page()
    outbox.set_viewport_size({"width": 360, "height": 740})
    outbox.goto("/outbox")
    expect(outbox.locator("article.sms", has_text=reminder["text"][:40]).first).to_be_visible()
    expect(outbox.locator(f'a[href="{link}"]')).to_have_count(2)

    # 4. The client opens the reminder's link on a 360 px phone whose browser speaks English: the page speaks
    #    Spanish, the client's language, from its first words (R30), with the switch visible
    outbox.locator(f'a[href="{link}"]').first.click()
    client = outbox
    info = client.get_by_test_id("join-info")
    expect(info).to_contain_text(AGENCY_NAME)
    expect(client.get_by_text(ES_WAITING)).to_be_visible()
    assert client.evaluate("() => [document.documentElement.lang, document.title]") == ["es", "Su visita por video"]
    switch = client.get_by_test_id("language-switch")
    expect(switch.get_by_role("button", name="Español")).to_have_attribute("aria-pressed", "true")
    # ... the time zone named as the text and the email name it (R44), not Intl's "EST" or "GMT-5"
    expect(info).to_contain_text(re.compile(r"Cuándo: \w+, \d+ de \w+, .*[ap]\.m\. \(hora del Este\)"))
    assert "(hora del Este)" in invite_text["text"] and "EST" not in client.get_by_test_id("visit-time").inner_text()
    names = (AGENCY_NAME, "James")
    assert english_on(client, names) == []
    assert client.evaluate("() => document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    shot(client, "14-join-page-spanish")

    # 5. The caregiver clocks in and joins; the client checks camera and microphone and joins, all in Spanish
    dialog.get_by_role("button", name="Clock in").click()
    call = join_call(main)
    client.get_by_role("button", name="Revisar la cámara y el micrófono").click()
    expect(client.get_by_role("status").filter(has_text="Su cámara y su micrófono funcionan.")).to_be_visible()
    assert english_on(client, names) == []
    client.get_by_role("button", name="Entrar", exact=True).click()
    assert_video_flowing(call)
    assert_video_flowing(client)
    assert_loopback_media(client)
    for name in ("Colgar", "Cambiar cámara", "Apagar cámara", "Silenciar"):  # the controls (R18), in Spanish
        expect(client.get_by_role("button", name=name, exact=True)).to_be_visible()
    assert english_on(client, names) == []
    shot(client, "15-call-client-spanish")

    # 6. The caregiver hangs up: the client reads R20's text in Spanish; the switch still turns the page English
    call.get_by_role("button", name="Hang up", exact=True).click()
    call.get_by_test_id("hang-up-confirm").get_by_role("button", name="Hang up").click()
    expect(client.get_by_test_id("ended")).to_have_text(ES_ENDED)
    assert english_on(client, names) == []
    client.get_by_test_id("language-switch").get_by_role("button", name="English").click()
    expect(client.get_by_test_id("ended")).to_have_text(EN_ENDED)
    assert client.evaluate("() => document.documentElement.lang") == "en"
    client.get_by_test_id("language-switch").get_by_role("button", name="Español").click()
    expect(client.get_by_test_id("ended")).to_have_text(ES_ENDED)
    for page in (call, client):
        assert page.evaluate("() => (window.__vvTracks || []).filter(t => t.readyState === 'live').length") == 0


def test_r28_r29_stop_a_failed_delivery_and_a_missing_consent_each_show_their_text_in_the_dialog(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    stack: Any,
) -> None:
    # Given three clients with mobile phones: one who never agreed to texts, two who did
    no_consent = texting_client(api, coordinator_token, consent=False)
    stopping = texting_client(api, coordinator_token)
    unreachable = texting_client(api, coordinator_token)
    visits = {c["id"]: api.new_visit(coordinator_token, c["id"], start_offset_min=-5, minutes=60)
              for c in (no_consent, stopping, unreachable)}
    main = new_context().new_page()
    sign_in(main, stack.url, CAREGIVER_NAME, visit_day(visits[stopping["id"]]))

    # A missing consent (R28): no text button, and the dialog says why
    open_visit_dialog(main, no_consent["name"])
    dialog = main.get_by_test_id("visit-dialog")
    expect(dialog.get_by_test_id("text-refusal")).to_have_text(R28_NO_CONSENT)
    expect(dialog.get_by_role("button", name="Send invite by text message")).to_have_count(0)
    dialog.get_by_role("button", name="Close").click()

    # STOP (R29): the client replied STOP to the first text; the resend is refused with R29's text, and from then
    # on the dialog says so and offers no text
    open_visit_dialog(main, stopping["name"])
    dialog = main.get_by_test_id("visit-dialog")
    dialog.get_by_role("button", name="Send invite by text message").click()
    expect(dialog.get_by_test_id("feedback")).to_have_text("Invite sent.")
    assert api.ok("POST", "/dev/text-reply", body={"to": stopping["mobile_phone"], "text": "STOP"})["outcome"] == (
        "opted_out")
    dialog.get_by_role("button", name="Resend invite to client").click()
    expect(dialog.get_by_test_id("dialog-error")).to_have_text(R29_OPTED_OUT)
    expect(dialog.get_by_test_id("text-refusal")).to_have_text(R29_OPTED_OUT)
    expect(dialog.get_by_role("button", name="Send invite by text message")).to_have_count(0)
    shot(main, "16-dialog-opted-out")
    dialog.get_by_role("button", name="Close").click()

    # A failed delivery (R29): the carrier reports the text undeliverable; the open dialog shows it by itself
    open_visit_dialog(main, unreachable["name"])
    dialog = main.get_by_test_id("visit-dialog")
    dialog.get_by_role("button", name="Send invite by text message").click()
    expect(dialog.get_by_test_id("feedback")).to_have_text("Invite sent.")
    event = {"to": unreachable["mobile_phone"], "event_type": "TEXT_UNREACHABLE"}
    assert api.ok("POST", "/dev/text-status", body=event)["outcome"] == "applied"
    expect(dialog.get_by_test_id("invite-undeliverable")).to_have_text(R29_UNDELIVERABLE, timeout=10_000)
    dialog.get_by_test_id("timeline").locator("summary").click()
    expect(dialog.get_by_test_id("timeline")).to_contain_text("Invite could not be delivered")
    shot(main, "17-dialog-undeliverable")
