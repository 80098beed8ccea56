"""R38 in a real browser: a caregiver, a client on a 360 px phone and the client's guest (a daughter) in one call,
peer to peer on loopback (the local provider's mesh: each page holds a peer connection to each other page).

One story: the caregiver invites the guest from the visit dialog; the guest's link waits for the caregiver like the
client's; three people see each other, each tile labelled with a first name; the guest leaves (nothing ends) and
rejoins; the caregiver hangs up and everyone's call ends, the guest's link with it. The local provider cannot
caption, so no page offers "Captions" (R39).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import (
    CAREGIVER_NAME,
    R16_WAITING,
    R20_CLIENT_ENDED,
    R20_OVER,
    Api,
    assert_loopback_media,
    assert_video_flowing,
    axe_serious,
    shot,
    sign_in,
    visit_day,
)
from tests.browser.test_main_flow import client_joins, join_call, open_visit_dialog

pytestmark = pytest.mark.browser

GUEST_LEFT = "Ann (guest) has left the call. They can rejoin with their link."


def tile_video(role: str) -> str:
    return f"[data-testid=tile-{role}] video.remote-video"


def sees(page: Page, names: dict[str, str]) -> None:
    """The page shows a tile for each other person, labelled with their first name, with their video playing."""
    for role, name in names.items():
        expect(page.get_by_test_id(f"tile-{role}").locator(".tile-name")).to_have_text(name)
        assert_video_flowing(page, tile_video(role))
    expect(page.locator(".tile")).to_have_count(len(names))
    # R39: the local provider cannot caption, so the button is absent rather than broken
    expect(page.get_by_role("button", name="Captions", exact=True)).to_have_count(0)


def test_r38_three_people_in_one_call_through_a_guests_leave_and_rejoin_and_the_hang_up(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    stack: Any,
) -> None:
    # Given a virtual visit now for a client called Rosa, invited by email
    tag = secrets.token_hex(3)
    client_info = api.ok("POST", "/clients", coordinator_token,
                         {"name": f"Rosa Tester{tag}", "email": f"rosa-{tag}@client.example.test"})
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=-5, minutes=60)
    main = new_context().new_page()
    sign_in(main, stack.url, CAREGIVER_NAME, visit_day(visit))
    open_visit_dialog(main, f"Rosa Tester{tag}")
    dialog = main.get_by_test_id("visit-dialog")
    guest_section = dialog.get_by_test_id("guest")
    expect(guest_section).to_have_count(0)  # a guest's link needs the session the client's invite makes
    dialog.get_by_role("button", name="Send invite to client").click()
    client_token = api.join_link_from_outbox(f"rosa-{tag}@client.example.test").split("#", 1)[1]

    # When the caregiver invites the client's daughter Ann from the dialog, her link by email
    guest_email = f"ann-{tag}@family.example.test"
    guest_section.get_by_label("Guest's first name").fill("Ann")
    guest_section.get_by_label("Guest's email address").fill(guest_email)
    guest_section.get_by_role("button", name="Email the guest's link").click()
    expect(guest_section.get_by_test_id("guest-feedback")).to_have_text("The guest's link was sent.")
    expect(guest_section.get_by_test_id("guest-status")).to_contain_text("Ann (guest) is not in the call.")
    guest_token = api.join_link_from_outbox(guest_email).split("#", 1)[1]
    assert guest_token != client_token
    shot(main, "r38-dialog-guest-invited")

    # Then the guest's link waits for the caregiver, as the client's does (R16, R38)
    guest = new_context().new_page()
    guest.goto(f"/join#{guest_token}")
    expect(guest.get_by_test_id("join-info")).to_contain_text("James")
    expect(guest.get_by_text(R16_WAITING)).to_be_visible()
    client = new_context(phone=True, width=360).new_page()
    client.goto(f"/join#{client_token}")
    expect(client.get_by_text(R16_WAITING)).to_be_visible()

    # When the caregiver clocks in and joins, and the client and the guest join
    dialog.get_by_role("button", name="Clock in").click()
    expect(dialog.get_by_test_id("clock-state")).to_contain_text("Clocked in at")
    call = join_call(main)
    client_joins(client)
    client_joins(guest)

    # Then each of the three sees the other two, named by first name, video flowing, media on loopback only
    sees(call, {"client": "Rosa", "guest": "Ann"})
    sees(client, {"employee": "James", "guest": "Ann"})
    sees(guest, {"employee": "James", "client": "Rosa"})
    for page in (call, client, guest):
        assert_loopback_media(page)
    assert client.evaluate("() => document.documentElement.scrollWidth") <= 360  # fits the phone
    for page in (call, client, guest):  # three people's tiles, no serious accessibility issue
        assert axe_serious(page) == [], page.url
    assert axe_serious(main, "[data-testid=guest]") == []  # the dialog's guest part
    shot(call, "r38-three-caregiver")
    shot(client, "r38-three-client-phone")
    shot(guest, "r38-three-guest")

    # When the guest hangs up
    guest.get_by_role("button", name="Hang up", exact=True).click()
    expect(guest.get_by_role("button", name="Rejoin")).to_be_visible()

    # Then nothing ends (R38): the caregiver is told, the client and the caregiver keep their call
    expect(call.get_by_test_id("guest-left")).to_have_text(GUEST_LEFT)
    expect(call.get_by_test_id("tile-guest")).to_have_count(0)
    expect(client.get_by_test_id("tile-guest")).to_have_count(0)
    assert_video_flowing(call, tile_video("client"))
    assert_video_flowing(client, tile_video("employee"))
    caregiver_token = api.token("sunrise-james")
    status = api.ok("GET", f"/visits/{visit['id']}/session", caregiver_token)
    assert status["state"] == "active" and status["client_present"] and not status["guest"]["present"]

    # When the guest rejoins with the same link
    guest.get_by_role("button", name="Rejoin").click()

    # Then the three are together again
    sees(guest, {"employee": "James", "client": "Rosa"})
    sees(call, {"client": "Rosa", "guest": "Ann"})
    sees(client, {"employee": "James", "guest": "Ann"})
    expect(call.get_by_test_id("guest-left")).to_have_count(0)

    # When the caregiver hangs up
    call.get_by_role("button", name="Hang up", exact=True).click()
    call.get_by_test_id("hang-up-confirm").get_by_role("button", name="Hang up").click()

    # Then the call is over on every side, every camera and microphone stopped
    expect(call.get_by_test_id("over-text")).to_have_text(R20_OVER)
    for page in (client, guest):
        expect(page.get_by_test_id("ended")).to_have_text(R20_CLIENT_ENDED)
    for page in (call, client, guest):
        page.wait_for_function("() => (window.__vvTracks || []).every(t => t.readyState === 'ended')")

    # And the guest's link died with the session (R23): the API refuses it as it refuses the client's
    assert api.call("POST", "/join/attendee", body={"token": guest_token})[1]["Code"] == "SESSION_OVER"

    # And the timeline records the guest's invite, each join and the leave (R38)
    kinds = [entry["type"] for entry in api.ok("GET", f"/visits/{visit['id']}/timeline", caregiver_token)]
    assert kinds.count("guest_invited") == 1
    assert kinds.count("guest_joined") == 2 and kinds.count("guest_left") >= 1, kinds
    main.bring_to_front()
    expect(dialog.get_by_test_id("guest")).to_have_count(0)  # R43: no guest invite once the session is over
