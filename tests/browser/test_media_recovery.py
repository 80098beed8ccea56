"""A meeting the video provider ends while the session is still open (Chime ends idle meetings) is joined again.

The pages stop asking the API once their media session is connected (docs/PERFORMANCE.md §5), so the media's
"meeting gone" is what they act on; the API then says whether the session ended (R20, R22, R13) or is still
open, in which case both pages join the new meeting the API makes for the same session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.helpers import CAREGIVER_NAME, R20_OVER, Api, assert_video_flowing, sign_in, visit_day
from tests.browser.test_main_flow import client_joins, join_call, open_visit_dialog

pytestmark = pytest.mark.browser


def test_meeting_ended_by_the_provider_with_the_session_open_is_joined_again(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    caregiver_token: str,
    stack: Any,
) -> None:
    # Given a caregiver and a client in a call
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=-5, minutes=60)
    link = api.ok("POST", f"/visits/{visit['id']}/invite", caregiver_token, {"delivery": "link"})["join_url"]
    main = new_context().new_page()
    sign_in(main, stack.url, CAREGIVER_NAME, visit_day(visit))
    open_visit_dialog(main, client_info["name"])
    dialog = main.get_by_test_id("visit-dialog")
    dialog.get_by_role("button", name="Clock in").click()
    expect(dialog.get_by_test_id("clock-state")).to_contain_text("Clocked in at")
    call = join_call(main)
    client = new_context(phone=True).new_page()
    client.goto("/join#" + link.split("#", 1)[1])
    client_joins(client)
    assert_video_flowing(call)
    assert_video_flowing(client)

    # When the provider ends the meeting on its own, the session still open (the local stage's stand-in for it)
    assert api.ok("POST", "/dev/end-meeting", body={"visit_id": visit["id"]}) == {"ended": 1}

    # Then both pages join the meeting the API makes for the same session, and video flows again
    expect(client.get_by_test_id("caregiver-waiting")).to_be_visible()  # the page noticed, and waits to rejoin
    assert_video_flowing(call, timeout_s=30)
    assert_video_flowing(client, timeout_s=30)
    expect(call.get_by_test_id("over-text")).to_have_count(0)
    expect(client.get_by_test_id("ended")).to_have_count(0)
    assert api.ok("GET", f"/visits/{visit['id']}/session", caregiver_token)["state"] not in ("over", "expired")

    # ... and a hang-up still ends it for both
    call.get_by_role("button", name="Hang up", exact=True).click()
    call.get_by_test_id("hang-up-confirm").get_by_role("button", name="Hang up").click()
    expect(call.get_by_test_id("over-text")).to_have_text(R20_OVER)
    expect(client.get_by_test_id("ended")).to_be_visible()
