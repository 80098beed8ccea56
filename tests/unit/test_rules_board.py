"""R35: the live board follows each virtual visit of the day through its states, with the two flags; the caregiver's
dialog and schedule say when the client waits."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from chalicelib.errors import Forbidden
from chalicelib.logic import schedule
from chalicelib.logic.board import board
from chalicelib.logic.cancel import cancel_visit
from chalicelib.logic.email_events import on_email_event
from chalicelib.logic.joining import client_view
from tests.conftest import NOW
from tests.unit.conftest import CAREGIVER, COORDINATOR, OTHER_COORDINATOR


def row(agency: Any, vid: str, day: date | None = None) -> dict[str, Any]:
    rows = {r["id"]: r for r in board(agency.services, COORDINATOR, day, agency.now())["visits"]}
    return rows[vid]


def state(agency: Any, vid: str) -> str:
    return str(row(agency, vid)["state"])


def my_entry(agency: Any, vid: str) -> dict[str, Any]:
    day = (NOW - timedelta(hours=12), NOW + timedelta(hours=12))
    entries = schedule.my_schedule(agency.services, CAREGIVER, *day, agency.now())
    return next(e for e in entries if e["id"] == vid)


def test_r35_the_board_follows_a_visit_from_not_invited_to_over(agency):
    # Given a virtual visit of today
    vid = agency.visit()
    assert state(agency, vid) == "not_invited"
    # When the caregiver sends the invite
    token = agency.link(vid)
    assert state(agency, vid) == "invited"
    # When the client opens the link and waits on the join page
    agency.client_page(token)
    assert state(agency, vid) == "client_waiting"
    # When both are in the call
    agency.clock_in(vid)
    agency.join(vid)
    agency.client_join(token)
    assert state(agency, vid) == "in_call"
    assert (row(agency, vid)["employee_present"], row(agency, vid)["client_present"]) == (True, True)
    # When the client hangs up
    agency.client_leave(token)
    assert state(agency, vid) == "client_left"
    # When the client comes back, and the caregiver hangs up
    agency.client_join(token)
    assert state(agency, vid) == "in_call"
    agency.hang_up(vid)
    assert state(agency, vid) == "over"


def test_r35_expired_and_cancelled_visits_say_so(agency):
    expired = agency.visit(minutes=20)
    agency.link(expired)
    cancelled = agency.visit()
    cancel_visit(agency.services, COORDINATOR, cancelled, agency.now())
    agency.advance(30)
    assert (state(agency, expired), state(agency, cancelled)) == ("expired", "cancelled")


def test_r35_the_client_is_waiting_while_the_page_asks_and_the_caregiver_is_not_in_the_call(agency):
    # Given a client with the join page open
    vid = agency.visit()
    token = agency.link(vid)
    agency.client_page(token)
    # Then the caregiver's dialog and schedule say the client waits
    assert agency.session(vid)["client_waiting"] is True
    assert my_entry(agency, vid)["client_waiting"] is True
    # When the page stops asking (closed) for 30 seconds, the client is no longer waiting
    agency.advance(0.5)
    assert agency.session(vid)["client_waiting"] is False and state(agency, vid) == "invited"
    # When it asks again, and keeps asking every 10 seconds, the mark is kept
    for _ in range(6):
        agency.client_page(token)
        agency.advance(10 / 60)
        assert agency.session(vid)["client_waiting"] is True
    # When the caregiver is in the call, the client is not waiting for them (but in the call with them, or about to)
    agency.clock_in(vid)
    agency.join(vid)
    assert agency.session(vid)["client_waiting"] is False and my_entry(agency, vid)["client_waiting"] is False


def test_r35_a_client_in_the_call_before_the_caregiver_is_waiting(agency):
    # Given a session whose meeting the caregiver started, then left (closed the window)
    vid = agency.visit()
    token = agency.link(vid)
    agency.clock_in(vid)
    agency.join(vid)
    agency.leave(vid)
    # When the client joins the call
    agency.client_join(token)
    # Then they wait in it for the caregiver
    assert state(agency, vid) == "client_waiting" and agency.session(vid)["client_waiting"] is True


def test_r35_a_page_that_says_the_client_hung_up_is_not_waiting(agency):
    vid = agency.visit()
    token = agency.link(vid)
    client_view(agency.services, token, agency.now(), waiting=True)
    assert agency.session(vid)["client_waiting"] is True
    # The join page after "hang up" asks with waiting false: the mark goes at once
    client_view(agency.services, token, agency.now(), waiting=False)
    assert agency.session(vid)["client_waiting"] is False


def test_r35_the_page_writes_once_in_about_20_seconds_not_at_every_look(agency):
    vid = agency.visit()
    token = agency.link(vid)
    agency.client_page(token)  # the first open: opened and waiting
    writes = agency.tables.writes
    for _ in range(12):  # two minutes of looks every 10 seconds
        agency.advance(10 / 60)
        agency.client_page(token)
    assert agency.tables.writes - writes == 6
    assert agency.timeline(vid) == ["link_copied", "link_opened"]


def test_r35_client_has_not_opened_the_link_once_the_start_passed_by_10_minutes(agency):
    # Given a visit starting now, invited
    vid = agency.visit(start=NOW)
    token = agency.link(vid)
    # Then the flag waits for 10 minutes past the start
    agency.advance(9.9)
    assert row(agency, vid)["link_not_opened"] is False
    agency.advance(0.1)
    assert row(agency, vid)["link_not_opened"] is True
    # When the client opens it, the flag goes
    agency.client_page(token)
    assert row(agency, vid)["link_not_opened"] is False


def test_r35_a_new_link_after_a_time_change_must_be_opened_again(agency):
    vid = agency.visit(start=NOW)
    agency.client_page(agency.link(vid))
    agency.reschedule(vid, end=NOW + timedelta(minutes=90))
    fresh = agency.link(vid)  # R10: the resend issues a fresh link
    agency.advance(15)
    assert row(agency, vid)["link_not_opened"] is True
    agency.client_page(fresh)
    assert row(agency, vid)["link_not_opened"] is False
    assert agency.timeline(vid).count("link_opened") == 2


def test_r35_an_invite_that_could_not_be_delivered_stands_out(agency):
    vid = agency.visit()
    agency.invite(vid)
    assert row(agency, vid)["invite_undeliverable"] is False
    on_email_event(agency.services, {"eventType": "Bounce", "bounce": {"bounceType": "Permanent"},
                                     "mail": {"tags": {"agency": ["ag1"], "client": ["cli1"], "visit": [vid]}}},
                   agency.now())
    assert row(agency, vid)["invite_undeliverable"] is True


@pytest.mark.parametrize("event_type", ["TEXT_UNREACHABLE", "TEXT_BLOCKED"])
def test_r29_r35_a_text_that_failed_or_met_an_opt_out_stands_out_on_the_board(agency, event_type):
    # Given a client invited by text message (issue 14), then the carrier's report: unreachable, or an opt-out
    agency.texting_client()
    vid = agency.visit(client="cli2")
    agency.invite(vid, "sms")
    assert row(agency, vid)["invite_undeliverable"] is False
    assert agency.text_event(event_type, agency.texter.sent[0][1]) == "applied"
    # Then the board marks the invite undeliverable, as it does a bounced email, until the next sent invite
    assert row(agency, vid)["invite_undeliverable"] is True
    if event_type == "TEXT_UNREACHABLE":  # a failing number may be texted again; an opted-out one may not (R29)
        agency.invite(vid, "resend")
        assert row(agency, vid)["invite_undeliverable"] is False


def test_r35_the_board_shows_one_day_of_the_agencys_virtual_visits_in_its_time_zone(agency):
    # Given visits today (New York), one tomorrow, and an in-person one
    today = agency.visit()
    tomorrow = agency.visit(start=NOW + timedelta(days=1))
    agency.visit(virtual=False, service="PC")
    # Then today's board lists the virtual one of today, and the date names tomorrow's
    shown = board(agency.services, COORDINATOR, None, agency.now())
    assert (shown["date"], shown["time_zone"], [r["id"] for r in shown["visits"]]) == (
        "2026-11-25", "America/New_York", [today])
    assert [r["id"] for r in board(agency.services, COORDINATOR, date(2026, 11, 26), agency.now())["visits"]] == [
        tomorrow]
    first = shown["visits"][0]
    assert (first["client"]["name"], first["employee"]["name"], first["employee"]["active"]) == (
        "Eleanor Rigby", "Maria Lopez", True)


def test_r35_the_board_is_the_coordinators_and_each_agency_sees_its_own(agency):
    agency.visit()
    with pytest.raises(Forbidden):
        board(agency.services, CAREGIVER, None, agency.now())
    assert board(agency.services, OTHER_COORDINATOR, None, agency.now())["visits"] == []
