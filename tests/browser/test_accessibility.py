"""axe-core finds no serious or critical violation on the schedule, the dialog, the call window and the join page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.helpers import AXE_JS, CAREGIVER_NAME, Api, assert_video_flowing, axe_serious, sign_in, visit_day
from tests.browser.test_main_flow import client_joins, join_call

pytestmark = pytest.mark.browser


def test_axe_no_serious_or_critical_violations(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    stack: Any,
) -> None:
    assert AXE_JS.is_file(), "axe-core is missing: run `cd frontend && npm ci`"
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=-5, minutes=60)
    main = new_context().new_page()
    found: dict[str, list[dict[str, Any]]] = {}

    # The schedule, the preview and the visit dialog
    sign_in(main, stack.url, CAREGIVER_NAME, visit_day(visit))
    expect(main.locator(".visit-card", has_text=client_info["name"])).to_be_visible()
    found["schedule"] = axe_serious(main)
    main.locator(".visit-card", has_text=client_info["name"]).click()
    found["preview"] = axe_serious(main)
    main.get_by_test_id("visit-preview").get_by_role("button", name="More details").click()
    dialog = main.get_by_test_id("visit-dialog")
    dialog.get_by_role("button", name="Send invite to client").click()
    dialog.get_by_role("button", name="Clock in").click()
    expect(dialog.get_by_test_id("clock-state")).to_contain_text("Clocked in at")
    found["dialog"] = axe_serious(main)

    # The join page before joining, on a phone
    client = new_context(phone=True).new_page()
    client.goto("/join#" + api.join_link_from_outbox(client_info["email"]).split("#", 1)[1])
    expect(client.get_by_test_id("join-info")).to_be_visible()
    found["join page"] = axe_serious(client)

    # The call window while waiting, then both in the call
    call = join_call(main)
    expect(call.get_by_test_id("waiting-text")).to_be_visible()
    found["call window, waiting"] = axe_serious(call)
    client_joins(client)
    assert_video_flowing(call)
    assert_video_flowing(client)
    found["call window, in call"] = axe_serious(call)
    found["join page, in call"] = axe_serious(client)
    call.get_by_role("button", name="Hang up", exact=True).click()
    found["hang-up confirmation"] = axe_serious(call)

    assert {page: v for page, v in found.items() if v} == {}
