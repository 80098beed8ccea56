"""The smaller things a person meets: an icon on every page, the outbox's join link as a link, service names on
the schedule, no microphone meter stopped twice, and any link fragment answered with the R10 text (R45)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from tests.browser.helpers import (
    CAREGIVER_NAME,
    R10_INVALID,
    R20_CLIENT_ENDED,
    R20_OVER,
    Api,
    assert_video_flowing,
    sign_in,
    visit_day,
)
from tests.browser.test_main_flow import client_joins, join_call, open_visit_dialog

pytestmark = pytest.mark.browser


def page_errors(page: Page) -> list[str]:
    """Collects the page's uncaught exceptions and console errors from now on."""
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(f"pageerror: {err}"))

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text} ({message.location.get('url')})")

    page.on("console", console)
    return errors


def test_every_page_has_an_icon(new_context: Callable[..., BrowserContext], stack: Any) -> None:
    # Given any page of the product, and the outbox of the local stack
    page = new_context().new_page()
    for path in ("/", "/join#not-a-real-link-token", "/call", "/outbox"):
        # When it loads
        page.goto(path)
        # Then it names an icon that loads
        href = page.eval_on_selector("link[rel=icon]", "el => el.href")
        response = page.request.get(href)
        assert response.status == 200 and response.headers["content-type"].startswith("image/"), (path, href)
    # ... and the address browsers ask for by themselves answers with one too, not a 404
    response = page.request.get(f"{stack.url}/favicon.ico")
    assert response.status == 200 and response.headers["content-type"].startswith("image/")


def test_outbox_shows_the_join_link_as_a_link(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    caregiver_token: str,
) -> None:
    # Given an invite email that was sent
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=30, minutes=60)
    api.ok("POST", f"/visits/{visit['id']}/invite", caregiver_token, {"delivery": "email"})
    link = api.join_link_from_outbox(client_info["email"])

    # When the developer opens the outbox and clicks the link
    page = new_context(phone=True).new_page()
    page.goto("/outbox")
    anchor = page.locator(f'a[href="{link}"]')
    expect(anchor).to_have_count(1)
    anchor.click()

    # Then the join page opens on it
    expect(page.get_by_test_id("join-info")).to_be_visible()


def test_schedule_cards_show_service_names_like_the_dialog(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    stack: Any,
) -> None:
    # Given a visit of service code TELE ("Telehealth check-in")
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=60, minutes=30)
    page = new_context().new_page()

    # When the caregiver looks at the schedule
    sign_in(page, stack.url, CAREGIVER_NAME, visit_day(visit))

    # Then the card names the service as the dialog does, not by its code
    card = page.locator(".visit-card", has_text=client_info["name"])
    expect(card.locator(".visit-service")).to_have_text("Telehealth check-in")
    open_visit_dialog(page, client_info["name"])
    expect(page.get_by_test_id("visit-dialog")).to_contain_text("Telehealth check-in (TELE)")


def test_client_page_rejoins_and_ends_without_errors(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    caregiver_token: str,
    stack: Any,
) -> None:
    # Given a caregiver in the call window and a client who checked their devices (the microphone meter runs)
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=-5, minutes=60)
    link = api.ok("POST", f"/visits/{visit['id']}/invite", caregiver_token, {"delivery": "link"})["join_url"]
    api.ok("POST", f"/visits/{visit['id']}/clock-in", caregiver_token)
    main = new_context().new_page()
    sign_in(main, stack.url, CAREGIVER_NAME, visit_day(visit))
    open_visit_dialog(main, client_info["name"])
    call = join_call(main)
    client = new_context(phone=True).new_page()
    errors = page_errors(client)
    client.goto("/join#" + link.split("#", 1)[1])

    # When the client joins, hangs up, rejoins, and the caregiver ends the session
    client_joins(client)
    assert_video_flowing(client)
    client.get_by_role("button", name="Hang up", exact=True).click()
    client.get_by_role("button", name="Rejoin").click()
    assert_video_flowing(client)
    call.get_by_role("button", name="Hang up", exact=True).click()
    call.get_by_test_id("hang-up-confirm").get_by_role("button", name="Hang up").click()
    expect(call.get_by_test_id("over-text")).to_have_text(R20_OVER)
    expect(client.get_by_test_id("ended")).to_have_text(R20_CLIENT_ENDED)

    # Then nothing was stopped twice ("Cannot close a closed AudioContext.") and the page raised no error
    assert errors == []
    assert client.evaluate("() => window.__vvTracks.every(t => t.readyState === 'ended')")


BAD_FRAGMENTS = {"percent": "abc%", "broken-utf8": "%E0%A4%A", "none": "", "markup": "<script>alert(1)</script>",
                 "too-long": "a" * 300, "space": "x y"}


@pytest.mark.parametrize("fragment", list(BAD_FRAGMENTS.values()), ids=list(BAD_FRAGMENTS))
def test_r10_r45_any_bad_link_fragment_shows_the_invalid_link_text(
    new_context: Callable[..., BrowserContext], fragment: str
) -> None:
    # Given a join link whose fragment is malformed, missing, or not a token at all
    page = new_context(phone=True).new_page()
    errors = page_errors(page)

    # When the client opens it
    page.goto(f"/join#{fragment}" if fragment else "/join")

    # Then the page shows the R10 text (never a blank page), with its next step, and opened no camera
    expect(page.get_by_test_id("link-invalid")).to_have_text(R10_INVALID)
    expect(page.get_by_role("button", name="Close this page")).to_be_visible()
    assert page.evaluate("() => window.__vvTracks.length") == 0
    assert [e for e in errors if "pageerror" in e] == []
