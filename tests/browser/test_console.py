"""A coordinator's day in a real browser (R33-R37): service codes, clients, staff and visits from the console; a
reschedule the caregiver sees (R10); a cancel the client sees (R34); the live board following a visit from invited
to client waiting to in call (R35); a deactivated caregiver refused (R36); the report's CSV (R37)."""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import R10_STALE, TIME_ZONE, Api, shot, sign_in
from tests.browser.test_main_flow import client_joins, join_call

pytestmark = pytest.mark.browser

COORDINATOR_NAME = "Dana Whitfield"
R34_CLIENT = "This visit was cancelled. Please contact your care provider."
R35_WAITING = "The client is waiting for you."
DEACTIVATED = "This account was deactivated. Ask your coordinator."
BOARD_POLL_S = 15


def section(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Sections").get_by_role("link", name=name, exact=True).click()
    page.get_by_role("heading", level=2).first.wait_for()


def form(page: Page) -> Any:
    return page.get_by_test_id("record-form")


def local(moment: Any) -> tuple[str, str]:
    """A day and a wall-clock time as the agency's forms take them."""
    at = moment.astimezone(ZoneInfo(TIME_ZONE))
    return at.strftime("%Y-%m-%d"), at.strftime("%H:%M")


def live_state(page: Page, visit_id: str) -> Any:
    return page.locator(f".board-row[data-visit-id='{visit_id}']").get_by_test_id("live-state")


def add_service_code(page: Page, code: str, name: str) -> None:
    section(page, "Service codes")
    page.get_by_role("button", name="Add a service code").click()
    # A code that exists is refused beside the code field, in the API's words (R33)
    form(page).get_by_label("Code").fill("TELE")
    form(page).get_by_label("Name").fill(name)
    form(page).get_by_label("Allows virtual visits").check()
    form(page).get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("error-code")).to_have_text("The field 'code' names a service code that already exists.")
    expect(form(page).get_by_label("Code")).to_have_attribute("aria-invalid", "true")
    form(page).get_by_label("Code").fill(code)
    form(page).get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("notice")).to_have_text(f"Service code {code} saved.")
    expect(page.locator(f".record-row[data-code='{code}']")).to_contain_text(name)


def add_client(page: Page, name: str, email: str) -> None:
    section(page, "Clients")
    page.get_by_role("button", name="Add a client").click()
    form(page).get_by_label("Name").fill(name)
    form(page).get_by_label("Email").fill("not an address")
    form(page).get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("error-email")).to_have_text("The field 'email' must be an email address.")
    form(page).get_by_label("Email").fill(email)
    form(page).get_by_label("Preferred language").select_option("en")
    form(page).get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("notice")).to_have_text(f"Client {name} saved.")
    # The list searches
    page.get_by_label("Search").fill(name.split()[-1])
    expect(page.locator(".record-row")).to_have_count(1)
    expect(page.locator(".record-row")).to_contain_text(email)
    # R28 (issue 14): the same form edits the mobile phone and the consent to texts, recorded with who and when
    page.get_by_role("button", name=f"Edit {name}").click()
    form(page).get_by_label("Mobile phone").fill("555 0100")
    form(page).get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("error-mobile_phone")).to_have_text(
        "The field 'mobile_phone' must be a mobile phone number in E.164 form, like +15551234567.")
    number = f"+1555010{secrets.randbelow(10_000):04d}"
    form(page).get_by_label("Mobile phone").fill(number)
    form(page).get_by_label("The client agreed to receive text messages").check()
    form(page).get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("notice")).to_have_text(f"Client {name} saved.")
    row = page.locator(".record-row")
    expect(row).to_contain_text(number)
    expect(row).to_contain_text(re.compile(rf"Agreed to text messages: recorded .+ by {re.escape(COORDINATOR_NAME)}\."))


def add_caregiver(page: Page, name: str, email: str) -> None:
    section(page, "Staff")
    page.get_by_role("button", name="Add a staff member").click()
    form(page).get_by_label("Name").fill(name)
    form(page).get_by_label("Email").fill(email)
    form(page).get_by_label("Role").select_option("employee")
    form(page).get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("notice")).to_have_text(f"{name} was added and can sign in.")


def schedule_visit(page: Page, client: str, caregiver: str, service: str, start: Any, minutes: int) -> None:
    section(page, "Visits")
    page.get_by_role("button", name="Schedule a visit").click()
    day, begin = local(start)
    _, end = local(start + timedelta(minutes=minutes))
    f = form(page)
    f.get_by_label("Client").select_option(label=client)
    f.get_by_label("Service").select_option(label=service)
    f.get_by_label("Caregiver").select_option(label=f"{caregiver} (Caregiver)")
    f.get_by_label("Day").fill(day)
    f.get_by_label("Start").fill(begin)
    f.get_by_label("End").fill(end)
    f.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("notice")).to_have_text("Visit saved.")


def visit_row(page: Page, client: str, time_text: str) -> Any:
    return page.locator(".record-row", has_text=client).filter(has_text=time_text)


def test_r33_to_r37_a_coordinator_runs_the_day(new_context: Callable[..., BrowserContext], api: Api,
                                               stack: Any) -> None:
    tag = secrets.token_hex(3)
    code, service = f"VID{tag}".upper(), f"Video check-in {tag}"
    client, email = f"Client {tag}", f"client-{tag}@client.example.test"
    caregiver, caregiver_email = f"Caregiver {tag}", f"caregiver-{tag}@sunrise.example.test"
    coord = new_context().new_page()
    sign_in(coord, stack.url, COORDINATOR_NAME)

    # R33: a service code, a client and a caregiver, each refusal beside its field
    add_service_code(coord, code, service)
    add_client(coord, client, email)
    add_caregiver(coord, caregiver, caregiver_email)
    # ... and two virtual visits: one under way now, one later today (to cancel)
    now = api.now().replace(second=0, microsecond=0)
    schedule_visit(coord, client, caregiver, f"{service} ({code})", now - timedelta(minutes=5), 60)
    schedule_visit(coord, client, caregiver, f"{service} ({code})", now + timedelta(minutes=90), 30)
    shot(coord, "console-visits")
    coordinator = api.token("sunrise-coord")
    listed = api.ok("GET", f"/visits?from={(now - timedelta(hours=2)).isoformat().replace('+00:00', 'Z')}"
                           f"&to={(now + timedelta(hours=3)).isoformat().replace('+00:00', 'Z')}&q={tag}", coordinator)
    first, second = sorted(listed, key=lambda v: v["start"])
    assert first["employee"]["name"] == caregiver and first["service_code"] == code and first["virtual"]

    # The caregiver signs in and sends the invite
    care = new_context().new_page()
    sign_in(care, stack.url, caregiver)
    care.locator(".visit-card", has_text=client).first.click()
    care.get_by_test_id("visit-preview").get_by_role("button", name="More details").click()
    dialog = care.get_by_test_id("visit-dialog")
    dialog.get_by_role("button", name="Send invite to client").click()
    expect(dialog.get_by_role("button", name="Resend invite to client")).to_be_visible()

    # R35: the board says "Invited"
    section(coord, "Live board")
    expect(live_state(coord, first["id"])).to_have_text("Invited")

    # R10: the coordinator reschedules it; the caregiver's dialog says to resend
    section(coord, "Visits")
    row = coord.locator(f".record-row[data-visit-id='{first['id']}']")
    row.get_by_role("button", name=re.compile("^Reschedule")).click()
    _, later = local(now + timedelta(minutes=85))
    form(coord).get_by_label("End").fill(later)
    form(coord).get_by_role("button", name="Save").click()
    expect(coord.get_by_test_id("notice")).to_have_text(
        "Visit rescheduled. The caregiver is asked to resend the invite.")
    expect(dialog.get_by_test_id("invite-stale")).to_have_text(R10_STALE)
    dialog.get_by_role("button", name="Resend invite to client").click()
    expect(dialog.get_by_test_id("invite-stale")).to_be_hidden()
    link = api.join_link_from_outbox(email, after=1)

    # R35: the client opens the new link: the board moves to "Client waiting", and the caregiver's dialog says so
    section(coord, "Live board")
    client_page = new_context(phone=True).new_page()
    client_page.goto("/join#" + link.split("#", 1)[1])
    expect(client_page.get_by_test_id("join-info")).to_contain_text(caregiver.split()[0])
    expect(live_state(coord, first["id"])).to_have_text("Client waiting", timeout=(2 * BOARD_POLL_S + 5) * 1000)
    expect(dialog.get_by_test_id("session-status")).to_contain_text(R35_WAITING)
    shot(coord, "console-board-waiting")
    # ... and the caregiver's schedule too
    schedule = new_context().new_page()
    sign_in(schedule, stack.url, caregiver)
    expect(schedule.locator(".visit-card", has_text=client).first.get_by_test_id("client-waiting")).to_have_text(
        R35_WAITING)
    schedule.close()

    # R35: both in the call: "In call"
    dialog.get_by_role("button", name="Clock in").click()
    expect(dialog.get_by_test_id("clock-state")).to_contain_text("Clocked in at")
    call = join_call(care)
    client_joins(client_page)
    expect(call.get_by_test_id("waiting")).to_be_hidden()
    expect(live_state(coord, first["id"])).to_have_text("In call", timeout=(2 * BOARD_POLL_S + 5) * 1000)
    shot(coord, "console-board-in-call")

    # R34: the second visit's client has its link open; the coordinator cancels it, after a question
    second_link = api.ok("POST", f"/visits/{second['id']}/invite", _token_of(api, caregiver), {"delivery": "link"})
    other_client = new_context(phone=True).new_page()
    other_client.goto("/join#" + second_link["join_url"].split("#", 1)[1])
    expect(other_client.get_by_test_id("join-info")).to_be_visible()
    section(coord, "Visits")
    row = coord.locator(f".record-row[data-visit-id='{second['id']}']")
    row.get_by_role("button", name=re.compile("^Cancel visit")).click()
    confirm = coord.get_by_test_id("cancel-confirm")
    expect(confirm).to_contain_text(f"Cancel the visit with {client}")
    confirm.get_by_role("button", name="Keep the visit").click()
    expect(confirm).to_have_count(0)
    row.get_by_role("button", name=re.compile("^Cancel visit")).click()
    coord.get_by_test_id("cancel-confirm").get_by_role("button", name="Cancel visit").click()
    expect(coord.get_by_test_id("notice")).to_have_text("Visit cancelled.")
    expect(row.get_by_test_id("visit-cancelled")).to_have_text("Cancelled")
    other_client.reload()
    expect(other_client.get_by_test_id("refused")).to_have_text(R34_CLIENT)

    # R36: the coordinator deactivates the caregiver, after a question; their app signs them out and refuses them
    section(coord, "Staff")
    coord.get_by_label("Search").fill(tag)
    person = coord.locator(".record-row", has_text=caregiver)
    person.get_by_role("button", name="Deactivate").click()
    asked = coord.get_by_test_id("staff-confirm")
    expect(asked).to_contain_text(f"Deactivate {caregiver}?")
    asked.get_by_role("button", name="Deactivate").click()
    expect(person.get_by_test_id("employee-status")).to_have_text("Deactivated")
    # Their app's next request (here: opening it again) answers 401; it signs them out, and the sign-in refuses them
    care.bring_to_front()
    care.reload()
    expect(care.get_by_role("heading", name="Sign in")).to_be_visible()
    care.get_by_role("button", name=re.compile(f"^Sign in as {caregiver}")).click()
    expect(care.get_by_role("alert")).to_have_text(DEACTIVATED)
    # ... and the board lists their visit still under way for reassignment
    section(coord, "Live board")
    expect(coord.get_by_test_id("to-reassign").locator(f"[data-visit-id='{first['id']}']")).to_be_visible()
    call.close()

    # R37: the report for today, and its CSV, parsed
    section(coord, "Report")
    day, _ = local(now)
    coord.get_by_label("From").fill(day)
    coord.get_by_label("To (not included)").fill((now.astimezone(ZoneInfo(TIME_ZONE)) + timedelta(days=1)).strftime(
        "%Y-%m-%d"))
    coord.get_by_role("button", name="Show report").click()
    expect(coord.locator("table.report")).to_contain_text(client)
    with coord.expect_download() as download:
        coord.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename.startswith("virtual-visits-") and \
        download.value.suggested_filename.endswith(".csv")
    rows = {r["visit_id"]: r for r in csv.DictReader(io.StringIO(download.value.path().read_text()))}
    assert rows[first["id"]]["client_id"] == first["client_id"] and rows[first["id"]]["invite_count"] == "2"
    assert rows[first["id"]]["clock_in_at"] and rows[second["id"]]["end_reason"] == "cancelled"
    shot(coord, "console-report")


def _token_of(api: Api, name: str) -> str:
    user = next(u for u in api.ok("GET", "/dev/users") if u["name"] == name)
    return api.token(user["employee_id"])
