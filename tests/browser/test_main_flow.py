"""The whole story in a real browser: a caregiver and a client hold a video visit, peer to peer on loopback."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Request, expect

from tests.browser.helpers import (
    AGENCY_NAME,
    CAREGIVER_NAME,
    R15_PREFIX,
    R16_WAITING,
    R19_LEFT,
    R20_CLIENT_ENDED,
    R20_CONFIRM,
    R20_OVER,
    R23_OVER,
    Api,
    agency_time,
    assert_loopback_media,
    assert_video_flowing,
    shot,
    sign_in,
    visit_day,
)

pytestmark = pytest.mark.browser


def open_visit_dialog(page: Page, client_name: str) -> Page:
    """Schedule → preview (R03) → "More details" → the visit dialog."""
    page.locator(".visit-card", has_text=client_name).click()
    preview = page.get_by_test_id("visit-preview")
    expect(preview).to_contain_text("This is a virtual visit")
    preview.get_by_role("button", name="More details").click()
    dialog = page.get_by_test_id("visit-dialog")
    expect(dialog.get_by_role("heading", name=re.compile(client_name))).to_be_visible()
    return page


def join_call(page: Page) -> Page:
    """Clicks "Join video session" in the dialog; returns the call window (R14)."""
    with page.expect_popup() as popup:
        page.get_by_role("button", name="Join video session").click()
    call = popup.value
    call.wait_for_load_state()
    return call


def is_api_poll(url: str) -> bool:
    """A request to the product's API (the local provider's own signaling stands in for Chime's media channel)."""
    path = urlsplit(url).path
    return path.startswith("/api/") and not path.startswith("/api/media/local/")


def client_joins(client: Page) -> None:
    client.get_by_role("button", name="Check camera and microphone").click()
    client.get_by_role("button", name="Join", exact=True).click()


def test_r02_to_r24_whole_visit_with_real_video(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    stack: Any,
) -> None:
    # Given a virtual visit happening now and an in-person one later, for the caregiver
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=-5, minutes=60)
    other = api.new_client(coordinator_token)
    api.new_visit(coordinator_token, other["id"], start_offset_min=-5, minutes=30, virtual=False)
    caregiver_ctx = new_context()
    client_ctx = new_context(phone=True)
    main = caregiver_ctx.new_page()

    # 1. The caregiver signs in and sees the icon on the virtual visit only (R02)
    sign_in(main, stack.url, CAREGIVER_NAME, visit_day(visit))
    virtual_card = main.locator(".visit-card", has_text=client_info["name"])
    in_person_card = main.locator(".visit-card", has_text=other["name"])
    expect(virtual_card.get_by_role("img", name="Virtual visit")).to_have_count(1)
    expect(in_person_card).to_be_visible()
    expect(in_person_card.get_by_role("img", name="Virtual visit")).to_have_count(0)
    shot(main, "01-schedule")

    # ... opens the preview, which says the visit is virtual, then "More details" (R03)
    open_visit_dialog(main, client_info["name"])
    dialog = main.get_by_test_id("visit-dialog")

    # 2. They send the invite (R04); the button becomes "Resend invite to client" (R09)
    dialog.get_by_role("button", name="Send invite to client").click()
    expect(dialog.get_by_role("button", name="Resend invite to client")).to_be_visible()
    shot(main, "02-visit-dialog")
    link = api.join_link_from_outbox(client_info["email"])
    token = link.split("#", 1)[1]

    # 3. The client opens the link: agency, caregiver's first name, time, and the waiting text (R16)
    client = client_ctx.new_page()
    client.goto(f"/join#{token}")
    info = client.get_by_test_id("join-info")
    expect(info).to_contain_text(AGENCY_NAME)
    expect(info).to_contain_text("James")
    expect(info).not_to_contain_text("Okafor")
    expect(client.get_by_text(R16_WAITING)).to_be_visible()
    shot(client, "03-join-page-waiting")

    # 4. The caregiver clocks in and joins; the call window shows R15 with the time in the agency's zone (R44)
    dialog.get_by_role("button", name="Clock in").click()
    expect(dialog.get_by_test_id("clock-state")).to_contain_text("Clocked in at")
    call = join_call(main)
    session = api.ok("GET", f"/visits/{visit['id']}/session", api.token("sunrise-james"))
    expected = R15_PREFIX + agency_time(session["last_invite_sent_at"])
    expect(call.get_by_test_id("waiting-text")).to_contain_text(expected)
    expect(call.get_by_role("button", name="Resend invite", exact=True)).to_be_visible()

    # 5. The client joins: each side sees the other's real video, frames advancing (R16)
    client_joins(client)
    assert_video_flowing(call)
    assert_video_flowing(client)
    expect(call.get_by_test_id("waiting")).to_be_hidden()
    expect(client.get_by_text(R16_WAITING)).to_be_hidden()
    assert_loopback_media(call)
    assert_loopback_media(client)
    for page in (call, client):  # the four controls, as named buttons (R18)
        for name in ("Hang up", "Switch camera", "Turn camera off", "Mute"):
            expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    shot(call, "04-call-caregiver")
    call.get_by_role("button", name="Full screen").click()
    call.wait_for_function("() => document.fullscreenElement?.dataset.testid === 'stage'")
    for name in ("Hang up", "Switch camera", "Turn camera off", "Mute"):  # labels show in fullscreen (R18)
        expect(call.locator(".control-label", has_text=name)).to_be_visible()
    call.get_by_role("button", name="Exit full screen").click()
    call.wait_for_function("() => document.fullscreenElement === null")
    shot(client, "05-call-client")

    # ... and, connected, no page asks the API anything: the media session reports presence and the end
    # (the cost of a visit, docs/PERFORMANCE.md §5). Longer than every page's poll interval (3 s, 10 s).
    asked: list[str] = []

    def note(request: Request) -> None:
        if is_api_poll(request.url):
            asked.append(request.url)

    for page in (main, call, client):
        page.on("request", note)
    call.wait_for_timeout(10_500)
    for page in (main, call, client):
        page.remove_listener("request", note)
    assert asked == []

    # ... notes keep saving in the main window during the call (R17)
    main.bring_to_front()
    main.get_by_label("Visit notes").fill("Client in good spirits; reviewed medication list.")
    main.get_by_role("button", name="Save notes").click()
    expect(main.get_by_test_id("notes-status")).to_have_text("Notes saved.")

    # 6. The client hangs up; the caregiver sees R19; the client rejoins and video flows again
    client.get_by_role("button", name="Hang up", exact=True).click()
    expect(client.get_by_role("button", name="Rejoin")).to_be_visible()
    expect(call.get_by_test_id("client-left")).to_have_text(R19_LEFT)
    client.get_by_role("button", name="Rejoin").click()
    assert_video_flowing(client)
    assert_video_flowing(call)
    expect(call.get_by_test_id("client-left")).to_be_hidden()

    # 7. The caregiver closes the call window and joins again: the same call (R24)
    call.close(run_before_unload=True)
    expect(client.get_by_text(R16_WAITING)).to_be_visible()
    call = join_call(main)
    assert_video_flowing(call)
    assert_video_flowing(client)

    # 8. Hang up asks first (R20): Cancel keeps the call, Hang up ends it
    call.get_by_role("button", name="Hang up", exact=True).click()
    confirm = call.get_by_test_id("hang-up-confirm")
    expect(confirm).to_contain_text(R20_CONFIRM)
    confirm.get_by_role("button", name="Cancel").click()
    expect(confirm).to_have_count(0)
    assert_video_flowing(call)
    call.get_by_role("button", name="Hang up", exact=True).click()
    call.get_by_test_id("hang-up-confirm").get_by_role("button", name="Hang up").click()
    expect(call.get_by_test_id("over-text")).to_have_text(R20_OVER)
    expect(client.get_by_test_id("ended")).to_have_text(R20_CLIENT_ENDED)
    shot(call, "06-call-over")
    shot(client, "07-join-ended")
    for page in (call, client):  # every camera and microphone track was stopped
        live = page.evaluate("() => (window.__vvTracks || []).filter(t => t.readyState === 'live').length")
        assert live == 0

    # 9. The dialog heard the end from the call window (R41) and offers no invite, copy or join any more
    #    (R43); the API refuses them with R23's text, and a call window opened anyway says so, camera off (R42)
    call.close()
    main.bring_to_front()
    expect(dialog.get_by_test_id("session-status")).to_contain_text("The video session is over.")
    for name in ("Resend invite to client", "Copy invite link", "Join video session"):
        expect(dialog.get_by_role("button", name=name)).to_have_count(0)
    caregiver_token = api.token("sunrise-james")
    status, body = api.call("POST", f"/visits/{visit['id']}/invite", caregiver_token, {"delivery": "email"})
    assert (status, body["Message"]) == (409, R23_OVER)
    with main.expect_popup() as popup:
        main.evaluate("id => window.open('/call?visit=' + id, 'late-call', 'popup')", visit["id"])
    refused = popup.value
    expect(refused.get_by_test_id("join-error")).to_have_text(R23_OVER)
    assert refused.evaluate("() => window.__vvTracks.length") == 0
    refused.close()
    dialog.get_by_role("button", name="Clock out").click()
    expect(dialog.get_by_test_id("clock-state")).to_contain_text("Clocked out at")
    expect(dialog.get_by_test_id("clock-out-warning")).to_be_hidden()

    # The visit's timeline shows what happened (R26)
    dialog.get_by_text("Timeline").click()
    timeline = dialog.get_by_test_id("timeline")
    for label in (
        "Invite sent",
        "Clocked in",
        "Client joined the video session",
        "Client left the video session",
        "Caregiver left the video session",
        "Video session ended",
        "Clocked out",
    ):
        expect(timeline).to_contain_text(label)
