"""States a person can trust (R41-R44): the dialog follows the call, no camera before the API says yes, no dead
ends, and times as people read them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Page, Request, Route, expect

from tests.browser.helpers import (
    AGENCY_NAME,
    CAREGIVER_NAME,
    R16_WAITING,
    R20_CLIENT_ENDED,
    R20_OVER,
    R23_OVER,
    TIME_ZONE,
    Api,
    assert_video_flowing,
    axe_serious,
    parse_time,
    shot,
    sign_in,
    visit_day,
)
from tests.browser.test_main_flow import client_joins, is_api_poll, join_call, open_visit_dialog

pytestmark = pytest.mark.browser

R11_NOT_CLOCKED_IN = "You must clock in to the visit before you can join the video session."
BOUNCED = "The last invite could not be delivered. Check the client's contact details."  # R29


def api_requests(*pages: Page) -> list[str]:
    """Starts recording every request the pages make to the product's API (not the local media signaling)."""
    asked: list[str] = []

    def note(request: Request) -> None:
        if is_api_poll(request.url):
            asked.append(request.url)

    for page in pages:
        page.on("request", note)
    return asked


def live_tracks(page: Page) -> int:
    return int(page.evaluate("() => (window.__vvTracks || []).filter(t => t.readyState === 'live').length"))


def opened_tracks(page: Page) -> int:
    return int(page.evaluate("() => (window.__vvTracks || []).length"))


def en_us_time(moment: datetime) -> str:
    return f"{moment.hour % 12 or 12}:{moment.minute:02d}"


def test_r41_the_dialog_follows_the_call_window_without_asking_the_api(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    caregiver_token: str,
    stack: Any,
) -> None:
    # Given the caregiver's dialog for a virtual visit with a sent invite, clocked in
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=-5, minutes=60)
    link = api.ok("POST", f"/visits/{visit['id']}/invite", caregiver_token, {"delivery": "link"})["join_url"]
    main = new_context().new_page()
    sign_in(main, stack.url, CAREGIVER_NAME, visit_day(visit))
    open_visit_dialog(main, client_info["name"])
    dialog = main.get_by_test_id("visit-dialog")
    status = dialog.get_by_test_id("session-status")
    dialog.get_by_role("button", name="Clock in").click()
    expect(dialog.get_by_test_id("clock-state")).to_contain_text("Clocked in at")

    # When the caregiver joins: the dialog says what the call window tells it, and asks the API nothing
    call = join_call(main)
    expect(call.get_by_test_id("waiting-text")).to_be_visible()
    asked = api_requests(main)
    expect(status).to_have_text(re.compile(r"^The video session is running\. The client has not joined yet\."))
    expect(status).to_have_attribute("data-state", "call-waiting")

    # ... the client joins: "in the call"
    client = new_context(phone=True).new_page()
    client.goto("/join#" + link.split("#", 1)[1])
    client_joins(client)
    assert_video_flowing(call)
    expect(status).to_have_text(re.compile(r"^The video session is running\. The client is in the call\."))

    # ... the client hangs up: "left"
    client.get_by_role("button", name="Hang up", exact=True).click()
    expect(status).to_have_text(re.compile(r"^The video session is running\. The client has left the call\."))
    main.wait_for_timeout(4000)  # longer than the dialog's own refresh interval (3 s)
    assert asked == []

    # ... the caregiver hangs up: the dialog shows the end at once, still without asking the API
    call.get_by_role("button", name="Hang up", exact=True).click()
    call.get_by_test_id("hang-up-confirm").get_by_role("button", name="Hang up").click()
    expect(call.get_by_test_id("over-text")).to_have_text(R20_OVER)
    expect(status).to_have_text(re.compile(r"^The video session is over\."))
    assert asked == []
    shot(main, "12-dialog-after-the-call")


def test_r41_a_dialog_opened_during_the_call_asks_the_window_and_an_undelivered_invite_shows(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    caregiver_token: str,
    stack: Any,
) -> None:
    # Given a call window that is open, and an invite the mail service reported as bounced (R29): the
    # API's answers carry `invite_undeliverable` and its `invite_warning`, as after SES's bounce event
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=-5, minutes=60)
    api.ok("POST", f"/visits/{visit['id']}/invite", caregiver_token, {"delivery": "email"})
    api.ok("POST", f"/visits/{visit['id']}/clock-in", caregiver_token)
    context = new_context()

    def bounced(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        session = body.get("session", body)
        session.update({"invite_undeliverable": True, "invite_bounced": True, "invite_warning": BOUNCED})
        route.fulfill(response=response, body=json.dumps(body))

    context.route(re.compile(rf".*/api/visits/{visit['id']}(/session)?$"), bounced)
    main = context.new_page()
    sign_in(main, stack.url, CAREGIVER_NAME, visit_day(visit))
    open_visit_dialog(main, client_info["name"])
    dialog = main.get_by_test_id("visit-dialog")
    expect(dialog.get_by_test_id("invite-undeliverable")).to_have_text(BOUNCED)
    call = join_call(main)
    expect(call.get_by_test_id("waiting-text")).to_be_visible()

    # When the caregiver closes the dialog and opens it again while the call window is open
    dialog.get_by_role("button", name="Close").click()
    open_visit_dialog(main, client_info["name"])

    # Then the new dialog asks the call window, not the API, and shows the call's state
    status = main.get_by_test_id("visit-dialog").get_by_test_id("session-status")
    expect(status).to_have_text(re.compile(r"^The video session is running\. The client has not joined yet\."))
    asked = api_requests(main)
    main.wait_for_timeout(4000)
    assert asked == []

    # ... and once the window is closed, the dialog asks the API again (the call ends nothing, R24)
    call.close(run_before_unload=True)
    expect(status).not_to_have_attribute("data-state", re.compile("^call-"))
    expect(status).to_contain_text("The video session is running.")
    context.unroute_all(behavior="ignoreErrors")


def test_r42_no_camera_before_the_api_allows_the_join(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    caregiver_token: str,
    stack: Any,
) -> None:
    # Given a virtual visit with a sent invite, not clocked in yet
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=-5, minutes=60)
    link = api.ok("POST", f"/visits/{visit['id']}/invite", caregiver_token, {"delivery": "link"})["join_url"]
    main = new_context().new_page()
    sign_in(main, stack.url, CAREGIVER_NAME, visit_day(visit))
    open_visit_dialog(main, client_info["name"])
    dialog = main.get_by_test_id("visit-dialog")

    # When the caregiver presses "Join video session" before clocking in
    refused = join_call(main)

    # Then the refusal shows in the call window and in the dialog, and no camera or microphone was ever opened
    expect(refused.get_by_test_id("join-error")).to_have_text(R11_NOT_CLOCKED_IN)
    expect(dialog.get_by_test_id("dialog-error")).to_have_text(R11_NOT_CLOCKED_IN)
    assert opened_tracks(refused) == 0
    shot(refused, "13-call-refused")
    refused.close()

    # When the session is over and a call window is opened anyway (an old tab, a bookmark)
    api.ok("POST", f"/visits/{visit['id']}/clock-in", caregiver_token)
    call = join_call(main)
    expect(call.get_by_test_id("waiting-text")).to_be_visible()
    assert live_tracks(call) == 2  # allowed: camera and microphone, asked for after the API's yes
    call.get_by_role("button", name="Hang up", exact=True).click()
    call.get_by_test_id("hang-up-confirm").get_by_role("button", name="Hang up").click()
    expect(call.get_by_test_id("over-text")).to_have_text(R20_OVER)
    assert live_tracks(call) == 0
    call.close()
    with main.expect_popup() as popup:
        main.evaluate("id => window.open('/call?visit=' + id, 'old-tab', 'popup')", visit["id"])
    late = popup.value
    expect(late.get_by_test_id("join-error")).to_have_text(R23_OVER)
    assert opened_tracks(late) == 0

    # ... and the client's link, now over, offers no device check and opens no camera
    client = new_context(phone=True).new_page()
    client.goto("/join#" + link.split("#", 1)[1])
    expect(client.get_by_test_id("ended")).to_have_text(R20_CLIENT_ENDED)
    expect(client.get_by_role("button", name="Check camera and microphone")).to_have_count(0)
    assert opened_tracks(client) == 0


def test_r43_every_refusal_offers_the_next_step_and_dead_actions_are_not_offered(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    caregiver_token: str,
    stack: Any,
) -> None:
    # Given a visit whose invite was sent, in the caregiver's dialog, not clocked in
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=-5, minutes=60)
    link = api.ok("POST", f"/visits/{visit['id']}/invite", caregiver_token, {"delivery": "link"})["join_url"]
    main = new_context().new_page()
    sign_in(main, stack.url, CAREGIVER_NAME, visit_day(visit))
    open_visit_dialog(main, client_info["name"])
    dialog = main.get_by_test_id("visit-dialog")
    expect(dialog.get_by_role("button", name="Clock out")).to_have_count(0)  # not clocked in: nothing to clock out

    # When the call window refuses the join (R11), it offers the way back, which goes back to the dialog
    refused = join_call(main)
    expect(refused.get_by_test_id("join-error")).to_have_text(R11_NOT_CLOCKED_IN)
    expect(refused.get_by_role("button", name="Close")).to_be_visible()
    assert axe_serious(refused) == []
    with refused.expect_event("close"):
        refused.get_by_role("button", name="Back to the visit").click()
    assert refused.is_closed()

    # ... after clock-in, the clock-in button is gone; after hang-up and clock-out, so are invite, copy and join
    dialog.get_by_role("button", name="Clock in").click()
    expect(dialog.get_by_test_id("clock-state")).to_contain_text("Clocked in at")
    expect(dialog.get_by_role("button", name="Clock in")).to_have_count(0)
    call = join_call(main)
    expect(call.get_by_test_id("waiting-text")).to_be_visible()
    call.get_by_role("button", name="Hang up", exact=True).click()
    call.get_by_test_id("hang-up-confirm").get_by_role("button", name="Hang up").click()
    expect(call.get_by_test_id("over-text")).to_have_text(R20_OVER)
    # ... the ended call window offers "Close", which closes it
    with call.expect_event("close"):
        call.get_by_role("button", name="Close").click()
    dialog.get_by_role("button", name="Clock out").click()
    expect(dialog.get_by_test_id("clock-state")).to_contain_text("Clocked out at")
    for name in ("Resend invite to client", "Send invite to client", "Copy invite link", "Join video session",
                 "Clock in", "Clock out"):
        expect(dialog.get_by_role("button", name=name)).to_have_count(0)
    expect(dialog.get_by_role("button", name="Save notes")).to_be_visible()  # notes still work
    shot(main, "14-dialog-over")

    # ... and the client's ended page offers "Close this page"; where the browser keeps the tab, it says how
    client = new_context(phone=True).new_page()
    client.goto("/join#" + link.split("#", 1)[1])
    expect(client.get_by_test_id("ended")).to_have_text(R20_CLIENT_ENDED)
    assert axe_serious(client) == []
    assert axe_serious(main) == []  # the dialog with nothing left to offer but notes
    client.get_by_role("button", name="Close this page").click()
    client.wait_for_timeout(500)
    # A tab the person opened themself closes, where the browser lets a page close it; else the page says how
    assert client.is_closed() or client.get_by_text("You can now close this tab or window.").is_visible()


def test_r44_times_in_the_readers_locale_with_the_zone_named_on_one_line(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    caregiver_token: str,
    stack: Any,
) -> None:
    # Given a visit whose invite was sent, and a US client on a 360-pixel phone
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=-5, minutes=60)
    link = api.ok("POST", f"/visits/{visit['id']}/invite", caregiver_token, {"delivery": "link"})["join_url"]
    zone = ZoneInfo(TIME_ZONE)
    start, end = parse_time(visit["start"]).astimezone(zone), parse_time(visit["end"]).astimezone(zone)
    client = new_context(phone=True, locale="en-US").new_page()
    client.set_viewport_size({"width": 360, "height": 720})

    # When the client opens the link
    client.goto("/join#" + link.split("#", 1)[1])

    # Then the time reads as an en-US reader reads it, names the zone, and is not broken over two lines
    time_line = client.get_by_test_id("visit-time")
    expect(time_line).to_contain_text(en_us_time(start))
    expect(time_line).to_contain_text(en_us_time(end))
    expect(time_line).to_contain_text(re.compile(r"\b(AM|PM) Eastern Time\b"))  # R44: as the email names it
    lines = client.eval_on_selector(".visit-when", "el => el.getClientRects().length")
    assert lines == 1, f"the time range is broken over {lines} lines"
    width = client.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways ({width} px)"
    shot(client, "15-join-time-en-us")

    # ... a caregiver whose browser reads en-GB sees the 24-hour clock, in the agency's zone
    main = new_context(locale="en-GB").new_page()
    sign_in(main, stack.url, CAREGIVER_NAME, visit_day(visit))
    card = main.locator(".visit-card", has_text=client_info["name"]).locator(".visit-time")
    expect(card).to_have_text(re.compile(rf"0?{start.hour}:{start.minute:02d}\W+0?{end.hour}:{end.minute:02d}$"))
    expect(card).not_to_contain_text(re.compile("AM|PM"))

    # When the session is over and the client reloads the link
    api.ok("POST", f"/visits/{visit['id']}/clock-in", caregiver_token)
    api.ok("POST", f"/visits/{visit['id']}/clock-out", caregiver_token)
    client.reload()

    # Then the page still shows the agency, the caregiver's first name and the time, with the ended text
    expect(client.get_by_test_id("ended")).to_have_text(R20_CLIENT_ENDED)
    info = client.get_by_test_id("join-info")
    expect(info).to_contain_text(AGENCY_NAME)
    expect(info).to_contain_text("James")
    expect(client.get_by_test_id("visit-time")).to_contain_text(en_us_time(start))
    expect(client.get_by_text(R16_WAITING)).to_have_count(0)
    shot(client, "16-join-ended-reloaded")
