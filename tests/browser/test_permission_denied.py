"""With the camera and microphone blocked, both pages explain in plain words what to do, per browser (R14)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.helpers import CAREGIVER_NAME, Api, shot, sign_in, visit_day
from tests.browser.test_main_flow import join_call, open_visit_dialog

pytestmark = pytest.mark.browser

USER_AGENTS = {
    "Microsoft Edge": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0"
    ),
    "Firefox": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Safari on iPhone or iPad": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.1 Mobile/15E148 Safari/604.1"
    ),
    "Safari on Mac": (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.1 Safari/605.1.15"
    ),
}


@pytest.fixture
def client_token(api: Api, coordinator_token: str, caregiver_token: str) -> str:
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=-5, minutes=60)
    api.ok("POST", f"/visits/{visit['id']}/invite", caregiver_token, {"delivery": "email"})
    return api.join_link_from_outbox(client_info["email"]).split("#", 1)[1]


def test_r14_blocked_camera_guidance_in_chrome_on_both_pages(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    caregiver_token: str,
    client_token: str,
    stack: Any,
) -> None:
    # Given camera and microphone are blocked for the site
    client = new_context(phone=True, media=False).new_page()

    # When the client checks their devices
    client.goto(f"/join#{client_token}")
    client.get_by_role("button", name="Check camera and microphone").click()

    # Then Chrome's steps show, with "Try again", and no Join button
    guidance = client.get_by_test_id("device-guidance")
    expect(guidance).to_contain_text("Your camera or microphone is blocked")
    expect(guidance).to_contain_text("In Chrome:")
    expect(guidance).to_contain_text("Set Camera and Microphone to Allow.")
    expect(guidance.get_by_role("button", name="Try again")).to_be_visible()
    expect(client.get_by_role("button", name="Join", exact=True)).to_have_count(0)
    shot(client, "10-join-camera-blocked")

    # ... and the caregiver's call window shows the same kind of guidance, once the API allowed the join (R42)
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=-5, minutes=60)
    api.ok("POST", f"/visits/{visit['id']}/invite", caregiver_token, {"delivery": "link"})
    api.ok("POST", f"/visits/{visit['id']}/clock-in", caregiver_token)
    main = new_context(media=False).new_page()
    sign_in(main, stack.url, CAREGIVER_NAME, visit_day(visit))
    open_visit_dialog(main, client_info["name"])
    call = join_call(main)
    expect(call.get_by_test_id("device-guidance")).to_contain_text("In Chrome:")
    # ... and "Try again" asks the API again, then the devices: still blocked, still the guidance
    call.get_by_role("button", name="Try again").click()
    expect(call.get_by_test_id("device-guidance")).to_contain_text("In Chrome:")


@pytest.mark.parametrize("browser_name", list(USER_AGENTS))
def test_r14_guidance_names_the_browser_in_use(
    new_context: Callable[..., BrowserContext],
    client_token: str,
    browser_name: str,
) -> None:
    # Given the client's browser is Edge, Firefox or Safari, with the camera blocked
    client = new_context(phone=True, media=False, user_agent=USER_AGENTS[browser_name]).new_page()
    client.goto(f"/join#{client_token}")

    # When they check their devices
    client.get_by_role("button", name="Check camera and microphone").click()

    # Then the steps are those of their browser
    expect(client.get_by_test_id("device-guidance")).to_contain_text(f"In {browser_name}:")
