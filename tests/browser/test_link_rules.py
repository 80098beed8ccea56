"""Link rules on the client's page: an old link after a reschedule (R10) and an expired link (R13), which still shows
the visit on a reload (R44)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.helpers import (
    AGENCY_NAME,
    CAREGIVER_NAME,
    R10_INVALID,
    R10_STALE,
    R13_CLIENT_EXPIRED,
    R16_WAITING,
    R20_CLIENT_ENDED,
    TIME_ZONE,
    Api,
    iso,
    parse_time,
    shot,
    sign_in,
    visit_day,
)
from tests.browser.test_main_flow import open_visit_dialog

pytestmark = pytest.mark.browser


def test_r10_old_link_after_reschedule_is_refused_and_resend_gives_a_working_one(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    caregiver_token: str,
    stack: Any,
) -> None:
    # Given an invite was sent for a virtual visit
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=30, minutes=60)
    api.ok("POST", f"/visits/{visit['id']}/invite", caregiver_token, {"delivery": "email"})
    old_link = api.join_link_from_outbox(client_info["email"])

    # When the coordinator moves the visit
    start = parse_time(visit["start"]) + timedelta(minutes=30)
    moved = api.ok(
        "PATCH",
        f"/visits/{visit['id']}",
        coordinator_token,
        {"start": iso(start), "end": iso(start + timedelta(minutes=60))},
    )

    # Then the old link shows the API's invalid-link message, and nothing about the visit
    client = new_context(phone=True).new_page()
    client.goto("/join#" + old_link.split("#", 1)[1])
    expect(client.get_by_test_id("link-invalid")).to_have_text(R10_INVALID)
    expect(client.get_by_test_id("join-info")).to_be_hidden()
    shot(client, "08-join-old-link")

    # ... and the caregiver's dialog says to resend; resending gives a link that works
    main = new_context().new_page()
    sign_in(main, stack.url, CAREGIVER_NAME, visit_day(moved))
    open_visit_dialog(main, client_info["name"])
    dialog = main.get_by_test_id("visit-dialog")
    expect(dialog.get_by_test_id("invite-stale")).to_have_text(R10_STALE)
    dialog.get_by_role("button", name="Resend invite to client").click()
    expect(dialog.get_by_test_id("invite-stale")).to_be_hidden()
    new_link = api.join_link_from_outbox(client_info["email"], after=1)
    assert new_link != old_link
    client.goto("/join#" + new_link.split("#", 1)[1])
    expect(client.get_by_text(R16_WAITING)).to_be_visible()


def test_r13_r44_an_expired_link_says_so_and_still_shows_the_agency_the_caregiver_and_the_time(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    caregiver_token: str,
) -> None:
    # Given two visits that end in 5 minutes: one whose invite was emailed, one whose caregiver hung up with its link
    # open on an en-US client's phone (one clock move for both: the app's clock is shared by the browser tests)
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=-55, minutes=60)
    api.ok("POST", f"/visits/{visit['id']}/invite", caregiver_token, {"delivery": "email"})
    token = api.join_link_from_outbox(client_info["email"]).split("#", 1)[1]
    other = api.new_visit(coordinator_token, api.new_client(coordinator_token)["id"], start_offset_min=-55, minutes=60)
    link = api.ok("POST", f"/visits/{other['id']}/invite", caregiver_token, {"delivery": "link"})["join_url"]
    api.ok("POST", f"/visits/{other['id']}/clock-in", caregiver_token)
    api.ok("POST", f"/visits/{other['id']}/clock-out", caregiver_token)
    reloaded = new_context(phone=True, locale="en-US").new_page()
    reloaded.goto("/join#" + link.split("#", 1)[1])
    expect(reloaded.get_by_test_id("ended")).to_have_text(R20_CLIENT_ENDED)

    # When the visits ended more than 15 minutes ago (the app's clock moves on 21 minutes)
    api.advance_clock(21)

    # Then the client's page shows the expired text from the API (R13), and no Join
    client = new_context(phone=True).new_page()
    client.goto(f"/join#{token}")
    expect(client.get_by_test_id("link-expired")).to_have_text(R13_CLIENT_EXPIRED)
    expect(client.get_by_role("button", name="Join", exact=True)).to_have_count(0)
    shot(client, "09-join-expired")

    # ... and a reloaded expired link still shows the agency, the caregiver's first name and the time with its zone
    # as the email names it (R44), offering only the next step (R43)
    reloaded.reload()
    expect(reloaded.get_by_test_id("link-expired")).to_have_text(R13_CLIENT_EXPIRED)
    info = reloaded.get_by_test_id("join-info")
    expect(info).to_contain_text(AGENCY_NAME)
    expect(info).to_contain_text(CAREGIVER_NAME.split()[0])
    expect(info).not_to_contain_text(CAREGIVER_NAME.split()[1])
    end = parse_time(other["end"]).astimezone(ZoneInfo(TIME_ZONE))
    time_line = reloaded.get_by_test_id("visit-time")
    expect(time_line).to_contain_text(f"{end.hour % 12 or 12}:{end.minute:02d}")
    expect(time_line).to_contain_text(re.compile(r"\b(AM|PM) Eastern Time\b"))
    expect(reloaded.get_by_role("button", name="Join", exact=True)).to_have_count(0)
    expect(reloaded.get_by_role("button", name="Close this page")).to_be_visible()
    shot(reloaded, "09b-join-expired-reloaded")

    # And a link that is not one of ours shows nothing of any visit
    stranger = new_context(phone=True).new_page()
    stranger.goto("/join#" + "A" * 43)
    expect(stranger.get_by_test_id("link-invalid")).to_be_visible()
    expect(stranger.get_by_test_id("join-info")).to_have_count(0)
