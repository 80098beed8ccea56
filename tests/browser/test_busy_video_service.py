"""Issue 16 in the pages: a busy video service shows an honest "connecting" state, and the client's page loads
the video provider's code while the client checks the camera, so "Join" never waits for it.

The busy answers are the API's own (503 VIDEO_BUSY with Retry-After, what `ChimeMeetings` answers once its
patience is spent): the test makes the first join requests answer so, then lets the rest through to the local
stack, and watches the pages wait, say so, and get in by themselves.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.browser.helpers import CAREGIVER_NAME, Api, assert_video_flowing, sign_in, visit_day
from tests.browser.test_chime_path import serve_chime
from tests.browser.test_main_flow import join_call, open_visit_dialog

pytestmark = pytest.mark.browser

VIDEO_BUSY = {"Code": "VIDEO_BUSY",
              "Message": "Many video visits are starting at this moment. Please try again in a minute."}
CLIENT_CONNECTING = ("Connecting you to the call… Many visits are starting right now, so this can take a minute. "
                     "Please stay on this page.")
CAREGIVER_CONNECTING = ("Connecting to the video session… Many visits are starting right now, so this can take a "
                        "minute. Keep this window open: it joins by itself.")


def busy_first(page: Page, pattern: str, times: int) -> list[int]:
    """The first `times` requests matching `pattern` answer 503 VIDEO_BUSY; later ones reach the stack."""
    seen: list[int] = []

    def handle(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        seen.append(len(seen) + 1)
        if len(seen) <= times:
            route.fulfill(status=503, content_type="application/json", headers={"Retry-After": "2"},
                          body=json.dumps(VIDEO_BUSY))
        else:
            route.continue_()

    page.route(pattern, handle)
    return seen


def test_a_busy_video_service_shows_connecting_on_both_pages_and_they_join_by_themselves(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    caregiver_token: str,
    stack: Any,
) -> None:
    # Given a visit at the top of the hour, its link, and the caregiver clocked in
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=-1, minutes=60)
    link = api.ok("POST", f"/visits/{visit['id']}/invite", caregiver_token, {"delivery": "link"})["join_url"]
    api.ok("POST", f"/visits/{visit['id']}/clock-in", caregiver_token)
    main = new_context().new_page()
    sign_in(main, stack.url, CAREGIVER_NAME, visit_day(visit))
    open_visit_dialog(main, client_info["name"])

    # When the video service is busy for the caregiver's first join
    tries = busy_first_in_context(main.context, "**/api/visits/*/session/join", 1)
    call = join_call(main)
    # Then the call window says it is connecting (no camera yet: R42), and joins by itself
    expect(call.get_by_test_id("connecting")).to_have_text(CAREGIVER_CONNECTING)
    assert not call.evaluate("() => (window.__vvTracks || []).some(t => t.readyState === 'live')")
    expect(call.get_by_test_id("waiting-text")).to_be_visible(timeout=15000)
    assert len(tries) == 2

    # When the client presses Join and the service is busy twice
    client = new_context(phone=True).new_page()
    client_tries = busy_first(client, "**/api/join/attendee", 2)
    client.goto("/join#" + link.split("#", 1)[1])
    client.get_by_role("button", name="Check camera and microphone").click()
    client.get_by_role("button", name="Join", exact=True).click()
    # Then the page says it is connecting, keeps the preview, and gets in by itself: video flows both ways
    expect(client.get_by_test_id("connecting")).to_have_text(CLIENT_CONNECTING)
    expect(client.get_by_test_id("join-button")).to_be_disabled()
    assert_video_flowing(client)
    assert_video_flowing(call)
    assert len(client_tries) == 3
    expect(client.get_by_test_id("connecting")).to_have_count(0)


def busy_first_in_context(context: BrowserContext, pattern: str, times: int) -> list[int]:
    """As `busy_first`, for every page of the context (the call window is a popup)."""
    seen: list[int] = []

    def handle(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        seen.append(len(seen) + 1)
        if len(seen) <= times:
            route.fulfill(status=503, content_type="application/json", headers={"Retry-After": "2"},
                          body=json.dumps(VIDEO_BUSY))
        else:
            route.continue_()

    context.route(pattern, handle)
    return seen


def test_the_join_page_loads_the_named_provider_while_the_client_checks_the_camera(
    new_context: Callable[..., BrowserContext],
) -> None:
    # Given a link whose first answer names the Chime provider
    page = new_context(phone=True).new_page()
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    serve_chime(page, "AVAILABLE")
    # When the client opens the link and has not pressed anything yet
    page.goto("/join#chime-path-token")
    expect(page.get_by_role("button", name="Check camera and microphone")).to_be_visible()
    # Then the call part and the Chime chunk arrive by themselves (the SDK ready before Join is pressed)
    page.wait_for_function("() => performance.getEntriesByType('resource').some(e => e.name.includes('/assets/chime-')"
                           " && e.responseEnd > 0)")
    assert any("/assets/call-" in url for url in scripts)
    # ... and not the local provider's
    assert not any("/assets/session-" in url for url in scripts)
    # ... and none of it is in what the page loads before it is drawn (its HTML names no call or provider chunk)
    html = page.request.get("/join.html").text()
    assert "/assets/chime-" not in html and "/assets/call-" not in html and "/assets/session-" not in html
