"""R33: what the coordinator's console manages: clients, service codes, visits and the agency's settings, with
lists that search and refusals that name their field."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.errors import AlreadyExists, Forbidden, NotFound
from chalicelib.logic import agency_admin, agency_settings, listings
from tests.conftest import NOW
from tests.unit.conftest import CAREGIVER, COORDINATOR, OTHER_COORDINATOR

DAY = (NOW - timedelta(hours=12), NOW + timedelta(hours=12))


def test_r33_the_client_list_searches_names_and_emails_and_a_client_reads_alone(agency):
    assert [c["name"] for c in listings.clients(agency.services, COORDINATOR)] == ["Eleanor Rigby", "Walter Nobody"]
    assert [c["id"] for c in listings.clients(agency.services, COORDINATOR, "rigby")] == ["cli1"]
    assert [c["id"] for c in listings.clients(agency.services, COORDINATOR, "mail.example")] == ["cli1"]
    assert listings.clients(agency.services, COORDINATOR, "nobody at all") == []
    one = agency_admin.get_client(agency.services, COORDINATOR, "cli1")
    assert (one["name"], one["email"], one["preferred_language"]) == (
        "Eleanor Rigby", "eleanor.rigby@mail.example.test", "en")
    with pytest.raises(NotFound):
        agency_admin.get_client(agency.services, OTHER_COORDINATOR, "cli1")
    with pytest.raises(Forbidden):
        agency_admin.get_client(agency.services, CAREGIVER, "cli1")


def test_r33_service_codes_are_added_changed_searched_and_a_duplicate_is_named(agency):
    added = agency_admin.create_service_code(agency.services, COORDINATOR, {
        "code": "RESP", "name": "Respite check-in", "allows_virtual_visits": False})
    assert added == {"code": "RESP", "name": "Respite check-in", "allows_virtual_visits": False}
    with pytest.raises(AlreadyExists) as refused:
        agency_admin.create_service_code(agency.services, COORDINATOR, {
            "code": "RESP", "name": "Again", "allows_virtual_visits": True})
    assert (refused.value.status, refused.value.message) == (
        409, "The field 'code' names a service code that already exists.")
    changed = agency_admin.update_service_code(agency.services, COORDINATOR, "RESP", {"allows_virtual_visits": True})
    assert changed["allows_virtual_visits"] is True and changed["name"] == "Respite check-in"
    assert [s["code"] for s in listings.service_codes(agency.services, CAREGIVER, "respite")] == ["RESP"]
    with pytest.raises(NotFound):
        agency_admin.update_service_code(agency.services, COORDINATOR, "NOPE", {"name": "x"})
    with pytest.raises(Forbidden):
        agency_admin.update_service_code(agency.services, CAREGIVER, "RESP", {"name": "x"})


def test_r33_a_service_code_that_now_allows_video_takes_new_virtual_visits(agency):
    # R01 is checked when a visit is scheduled: after the change, a virtual visit with "PC" can be made
    agency_admin.update_service_code(agency.services, COORDINATOR, "PC", {"allows_virtual_visits": True})
    assert agency.details(agency.visit(service="PC"), COORDINATOR)["virtual"] is True


def test_r33_the_visit_list_names_client_and_caregiver_and_searches_them(agency):
    first = agency.visit()
    second = agency.visit(client="cli2", employee="emp2", start=NOW + timedelta(hours=2), virtual=False,
                          service="PC")
    rows = listings.visits(agency.services, COORDINATOR, *DAY)
    assert [r["id"] for r in rows] == [first, second]
    assert (rows[1]["client"]["name"], rows[1]["employee"]["name"], rows[1]["cancelled"]) == (
        "Walter Nobody", "James Okafor", False)
    assert [r["id"] for r in listings.visits(agency.services, COORDINATOR, *DAY, "okafor")] == [second]
    assert [r["id"] for r in listings.visits(agency.services, COORDINATOR, *DAY, "tele")] == [first]
    assert [r["id"] for r in listings.visits(agency.services, COORDINATOR, *DAY, "", "emp1")] == [first]
    assert [r["id"] for r in listings.visits(agency.services, COORDINATOR, *DAY, "", None, "cli2")] == [second]
    assert [r["id"] for r in listings.visits(agency.services, COORDINATOR, *DAY, "", "emp1", "cli2")] == []
    assert listings.visits(agency.services, OTHER_COORDINATOR, *DAY) == []
    with pytest.raises(Forbidden):
        listings.visits(agency.services, CAREGIVER, *DAY)


def test_r33_the_agency_settings_change_the_zone_dates_are_read_in(agency):
    # Given the agency in New York, and a visit at 00:30 London time on the 26th (19:30 on the 25th in New York)
    vid = agency.visit(start=NOW.replace(hour=0, minute=30) + timedelta(days=1))
    seen = agency_settings.agency_settings(agency.services, COORDINATOR)
    assert (seen["time_zone"], seen["locale"], seen["reminder_minutes"]) == ("America/New_York", "en-US", 15)
    assert [r["id"] for r in listings.visits(agency.services, COORDINATOR, NOW.date(),
                                             NOW.date() + timedelta(days=1))] == [vid]
    # When the coordinator moves the agency to London, with its locale and no reminders
    changed = agency_settings.change_agency(agency.services, COORDINATOR, {
        "time_zone": "Europe/London", "locale": "en-GB", "reminder_minutes": 0})
    assert (changed["time_zone"], changed["locale"], changed["reminder_minutes"]) == ("Europe/London", "en-GB", 0)
    # Then a date means London's day (R37)
    assert listings.visits(agency.services, COORDINATOR, NOW.date(), NOW.date() + timedelta(days=1)) == []
    assert agency.services.directory.lookup("ag1", agency=True).agency.reminder_minutes == 0
    with pytest.raises(Forbidden):
        agency_settings.change_agency(agency.services, CAREGIVER, {"reminder_minutes": 5})
