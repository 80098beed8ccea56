"""Every new screen, at desktop and phone widths: axe finds no serious or critical violation and nothing needs
sideways scrolling at 360 px; and the staff app installs on a phone and says plainly when it is offline."""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Error, Page, expect

from tests.browser.helpers import Api, axe_serious, shot, sign_in

pytestmark = pytest.mark.browser

SECTIONS = ("Live board", "Visits", "Clients", "Staff", "Service codes", "Report", "Settings")


def overflow(page: Page) -> int:
    """How far the page is wider than the screen (a table scrolls inside its own region, not the page)."""
    return int(page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth"))


def open_section(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Sections").get_by_role("link", name=name, exact=True).click()
    expect(page.locator("main h2").first).to_be_visible()
    expect(page.locator("[aria-busy='true']")).to_have_count(0)  # its lists were read


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone-360"])
def test_r33_axe_finds_nothing_serious_on_the_console_and_it_fits_a_phone(
    new_context: Callable[..., BrowserContext], api: Api, coordinator_token: str, stack: Any, phone: bool
) -> None:
    # Given a visit to cancel, a caregiver deactivated with one to reassign, and a coordinator at this width
    client = api.new_client(coordinator_token)
    api.new_visit(coordinator_token, client["id"], start_offset_min=30, minutes=30)
    page = new_context(phone=phone, width=360 if phone else None).new_page()
    sign_in(page, stack.url, "Dana Whitfield")
    found: dict[str, list[dict[str, Any]]] = {}
    wide: dict[str, int] = {}

    def check(name: str) -> None:
        found[name] = axe_serious(page)
        if phone:
            wide[name] = overflow(page)
        shot(page, f"console-{'phone' if phone else 'desktop'}-{re.sub('[^a-z]+', '-', name.lower())}")

    for name in SECTIONS:
        open_section(page, name)
        check(name)
    # Forms with a refusal beside a field, and the questions before destroying
    open_section(page, "Service codes")
    page.get_by_role("button", name="Add a service code").click()
    page.get_by_test_id("record-form").get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("error-code")).to_be_visible()
    check("service code form, refused")
    open_section(page, "Clients")
    page.get_by_role("button", name="Add a client").click()
    check("client form")
    open_section(page, "Staff")
    page.locator(".record-row", has_text="James Okafor").get_by_role("button", name="Deactivate").click()
    expect(page.get_by_test_id("staff-confirm")).to_be_visible()
    check("deactivate question")
    page.get_by_test_id("staff-confirm").get_by_role("button", name="Cancel").click()
    open_section(page, "Visits")
    page.get_by_role("button", name="Schedule a visit").click()
    page.get_by_test_id("record-form").get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("error-client_id")).to_be_visible()
    check("visit form, refused")
    page.get_by_test_id("record-form").get_by_role("button", name="Cancel").click()
    page.locator(".record-row", has_text=client["name"]).get_by_role("button", name=re.compile("^Cancel visit")).click()
    expect(page.get_by_test_id("cancel-confirm")).to_be_visible()
    check("cancel question")

    assert {name: v for name, v in found.items() if v} == {}
    assert {name: px for name, px in wide.items() if px > 0} == {}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_staff_app_installs_and_says_plainly_when_it_is_offline(
    new_context: Callable[..., BrowserContext], api: Api, stack: Any
) -> None:
    context = new_context(phone=True, width=360)
    page = context.new_page()
    sign_in(page, stack.url, "Dana Whitfield")
    # The manifest: a name, standalone, and icons of 192 and 512 pixels (a maskable one too)
    href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = json.loads(page.request.get(href or "").text())
    assert (manifest["display"], manifest["start_url"], manifest["short_name"]) == ("standalone", "/", "Visits")
    sizes = {}
    for icon in manifest["icons"]:
        if icon["type"] == "image/png":
            sizes[icon["purpose"], icon["sizes"]] = png_size(page.request.get(icon["src"]).body())
    assert sizes == {("any", "192x192"): (192, 192), ("any", "512x512"): (512, 512),
                     ("maskable", "512x512"): (512, 512)}
    # The service worker controls the app once it is installed
    assert page.evaluate("() => navigator.serviceWorker.ready.then(r => r.active.scriptURL)").endswith("/sw.js")
    page.reload()
    page.get_by_role("heading", name="Schedule").wait_for()
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    # Using the app keeps nothing of its answers: the worker's cache holds the offline page and its parts, no API
    open_section(page, "Live board")
    open_section(page, "Clients")
    kept = page.evaluate("""async () => {
        const urls = [];
        for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
        }
        return urls.sort();
    }""")
    assert kept == ["/favicon.svg", "/icons/icon-192.png", "/offline.css", "/offline.html"]
    # Offline, opening the app says so plainly, readable at 360 px, instead of the browser's error page
    context.set_offline(True)
    page.goto("/")
    expect(page.get_by_test_id("offline")).to_contain_text("You are offline")
    expect(page.get_by_role("link", name="Try again")).to_be_visible()
    assert axe_serious(page) == [] and overflow(page) <= 0
    shot(page, "staff-app-offline-phone")
    # The client's join page is not the staff app's: the worker leaves it alone
    with pytest.raises(Error):
        page.goto("/join#abc")
    context.set_offline(False)
    page.goto("/")
    page.get_by_role("heading", name="Schedule").wait_for()
