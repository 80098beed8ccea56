"""Clocking out while the call runs ends the session (R22); the invite link can be copied (R07)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.helpers import (
    CAREGIVER_NAME,
    R20_CLIENT_ENDED,
    R20_OVER,
    R22_WARNING,
    Api,
    assert_video_flowing,
    sign_in,
    visit_day,
)
from tests.browser.test_main_flow import client_joins, join_call, open_visit_dialog

pytestmark = pytest.mark.browser


def test_r07_r22_copy_link_then_clock_out_during_call_ends_it(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    stack: Any,
) -> None:
    # Given a virtual visit now, for a client without an email address (R06: copying still works)
    client_info = api.new_client(coordinator_token, with_email=False)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=-10, minutes=45)
    caregiver_ctx = new_context()
    caregiver_ctx.grant_permissions(["camera", "microphone", "clipboard-read", "clipboard-write"], origin=stack.url)
    main = caregiver_ctx.new_page()
    sign_in(main, stack.url, CAREGIVER_NAME, visit_day(visit))
    open_visit_dialog(main, client_info["name"])
    dialog = main.get_by_test_id("visit-dialog")

    # When the caregiver copies the invite link (R07)
    dialog.get_by_role("button", name="Copy invite link").click()
    expect(dialog.get_by_test_id("feedback")).to_have_text("Invite link copied.")
    link = str(main.evaluate("() => navigator.clipboard.readText()"))
    assert "/join#" in link and "?" not in link

    # ... sending by email is refused with the API's own words (R06)
    dialog.get_by_role("button", name="Send invite to client").click()
    expect(dialog.get_by_test_id("dialog-error")).to_have_text("The client does not have an email address.")

    # ... and both join
    dialog.get_by_role("button", name="Clock in").click()
    expect(dialog.get_by_test_id("clock-state")).to_contain_text("Clocked in at")
    call = join_call(main)
    client_ctx = new_context(phone=True)
    client = client_ctx.new_page()
    client.goto("/join#" + link.split("#", 1)[1])
    client_joins(client)
    assert_video_flowing(call)
    assert_video_flowing(client)

    # ... the client reloads the page (closing ends nothing, R24) and joins again with the same link
    client.reload()
    client_joins(client)
    assert_video_flowing(client)
    assert_video_flowing(call)

    # ... when the client's network drops, their page says it is reconnecting, and recovers
    client_ctx.set_offline(True)
    expect(client.get_by_test_id("reconnecting")).to_be_visible()
    client_ctx.set_offline(False)
    expect(client.get_by_test_id("reconnecting")).to_be_hidden()
    assert_video_flowing(client)

    # When the caregiver clocks out in the main window during the call
    main.bring_to_front()
    dialog.get_by_role("button", name="Clock out").click()

    # Then the R22 warning shows, and the call window and the client's page show the session is over
    expect(dialog.get_by_test_id("clock-out-warning")).to_have_text(R22_WARNING)
    expect(dialog.get_by_test_id("clock-state")).to_contain_text("Clocked out at")
    expect(call.get_by_test_id("over-text")).to_have_text(R20_OVER)
    expect(client.get_by_test_id("ended")).to_have_text(R20_CLIENT_ENDED)
