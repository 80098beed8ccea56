"""Scheduling, schedules and the visit dialog's read side, over in-memory stores (R01-R03, R10, R17, R25, R45)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.errors import (
    BadRequest,
    Forbidden,
    InvalidSchedule,
    NotAssignedToDocument,
    NotAssignedToView,
    NotFound,
    ServiceNotVirtual,
    VisitInProgress,
)
from chalicelib.logic import agency_admin, schedule
from tests.conftest import NOW
from tests.unit.conftest import CAREGIVER, COLLEAGUE, COORDINATOR, OTHER_COORDINATOR, STRANGER

DAY = (NOW - timedelta(hours=12), NOW + timedelta(hours=12))


def new_visit(**overrides):
    body = {"client_id": "cli1", "employee_id": "emp1", "service_code": "TELE", "start": NOW,
            "end": NOW + timedelta(hours=1), "virtual": True}
    return {**body, **overrides}


def test_r01_a_virtual_visit_needs_a_service_code_that_allows_it(agency):
    # Given a service code that does not allow virtual visits
    # When the coordinator schedules a virtual visit with it
    with pytest.raises(ServiceNotVirtual) as refused:
        agency_admin.create_visit(agency.services, COORDINATOR, new_visit(service_code="PC"), NOW)
    # Then 422 SERVICE_NOT_VIRTUAL with SPEC's text, and nothing was stored
    assert refused.value.status == 422 and refused.value.code == "SERVICE_NOT_VIRTUAL"
    assert refused.value.message == "This service code does not allow virtual visits."
    assert agency.tables.visits == {}
    # And the same code still makes an in-person visit
    assert agency_admin.create_visit(agency.services, COORDINATOR, new_visit(service_code="PC", virtual=False),
                                     NOW)["virtual"] is False


def test_r02_virtual_visits_are_marked_in_the_employees_and_the_clients_schedule(agency):
    # Given a virtual and an in-person visit of the same caregiver and client
    virtual = agency.visit()
    in_person = agency.visit(virtual=False, service="PC")
    # When each schedule is read
    mine = schedule.my_schedule(agency.services, CAREGIVER, *DAY, agency.now())
    clients = schedule.client_schedule(agency.services, COORDINATOR, "cli1", *DAY)
    # Then both carry `virtual` as the icon needs it
    for entries in (mine, clients):
        assert {e["id"]: e["virtual"] for e in entries} == {virtual: True, in_person: False}


def test_r03_the_visit_dialog_says_the_visit_is_virtual_with_its_client_summary(agency):
    # Given a virtual visit
    vid = agency.visit()
    # When its caregiver opens the dialog
    details = agency.details(vid)
    # Then it says virtual, with the client's name and whether an email exists, and no session yet
    assert details["virtual"] is True
    assert details["client"] == {"id": "cli1", "name": "Eleanor Rigby", "has_email": True, "email_failing": False,
                                 "has_mobile": False, "sms_consent": False, "sms_status": None,
                                 "preferred_language": "en"}
    assert details["session"]["state"] == "none"


def test_r10_a_time_change_makes_the_sent_invite_stale_and_moves_the_link_expiry(agency):
    # Given a visit whose invite went out
    vid = agency.visit()
    agency.invite(vid)
    # When the coordinator moves its end by half an hour
    later = NOW + timedelta(minutes=80)
    changed = agency.reschedule(vid, end=later)
    # Then the dialog asks for a resend, and the live session's link now dies 15 minutes after the new end
    assert changed["session"]["invite_stale"] is True
    assert changed["session"]["link_expires_at"] == "2026-11-25T16:35:00Z"
    assert agency.timeline(vid)[-1] == "visit_changed"


def test_r11_a_visit_in_progress_is_not_reassigned(agency):
    # Given a visit its caregiver clocked in to
    vid = agency.visit()
    agency.clock_in(vid)
    # When the coordinator reassigns it
    with pytest.raises(VisitInProgress):
        agency.reschedule(vid, employee_id="emp2")
    # Then it is still the first caregiver's; after the clock-out it can be corrected
    assert agency.details(vid, COORDINATOR)["employee_id"] == "emp1"
    agency.clock_out(vid)
    assert agency.reschedule(vid, employee_id="emp2")["employee_id"] == "emp2"


def test_r17_the_caregiver_saves_notes_during_the_call_and_only_their_own(agency):
    # Given a visit in a call
    vid = agency.visit()
    agency.link(vid)
    agency.clock_in(vid)
    agency.join(vid)
    # When its caregiver saves notes, and a colleague tries
    saved = schedule.save_notes(agency.services, CAREGIVER, vid, "Took her blood pressure.", NOW)
    with pytest.raises(NotAssignedToDocument):
        schedule.save_notes(agency.services, COLLEAGUE, vid, "Not mine to write.", NOW)
    # Then the caregiver's notes are kept and the call goes on
    assert saved["notes"] == "Took her blood pressure." and agency.details(vid)["notes"] == saved["notes"]
    assert agency.session(vid)["state"] == "active"


def test_r25_another_agencys_visit_is_not_found_never_forbidden(agency):
    # Given a visit of the first agency
    vid = agency.visit()
    # When staff of the other agency ask for it, or save notes on it; Then it does not exist for them
    for call in (lambda: agency.details(vid, STRANGER), lambda: agency.details(vid, OTHER_COORDINATOR),
                 lambda: schedule.save_notes(agency.services, STRANGER, vid, "x", NOW),
                 lambda: agency.reschedule("nope", end=NOW)):
        with pytest.raises(NotFound):
            call()


def test_r25_a_caregiver_reads_only_their_own_visits_and_schedules(agency):
    # Given a visit of one caregiver
    vid = agency.visit()
    # When a colleague reads it or the caregiver's schedule; Then the dialog is refused and the schedule forbidden
    with pytest.raises(NotAssignedToView):
        agency.details(vid, COLLEAGUE)
    with pytest.raises(Forbidden):
        schedule.employee_schedule(agency.services, COLLEAGUE, "emp1", *DAY)
    # And a colleague's view of the client's schedule lists none of the first caregiver's visits
    assert schedule.client_schedule(agency.services, COLLEAGUE, "cli1", *DAY) == []


@pytest.mark.parametrize(("body", "field"), [
    (new_visit(client_id="nobody"), "client_id"),
    (new_visit(employee_id="emp3"), "employee_id"),  # the other agency's
    (new_visit(service_code="NOPE"), "service_code"),
])
def test_r25_references_to_records_the_agency_does_not_have_name_the_field(agency, body, field):
    with pytest.raises(BadRequest) as refused:
        agency_admin.create_visit(agency.services, COORDINATOR, body, NOW)
    assert f"'{field}'" in refused.value.message and agency.tables.visits == {}


@pytest.mark.parametrize(("body", "field"), [
    (new_visit(end=NOW), "end"),
    (new_visit(end=NOW + timedelta(hours=24, minutes=1)), "end"),
    (new_visit(start=NOW + timedelta(days=731), end=NOW + timedelta(days=731, hours=1)), "start"),
    (new_visit(start=NOW - timedelta(days=366), end=NOW - timedelta(days=366) + timedelta(hours=1)), "start"),
])
def test_r45_a_visit_has_sane_times_or_422_names_the_field(agency, body, field):
    # Given times no visit can have (the year 9999 is what overflowed before: the window holds it far off)
    # When the coordinator schedules it; Then 422 INVALID_SCHEDULE names the field, and nothing is stored
    with pytest.raises(InvalidSchedule) as refused:
        agency_admin.create_visit(agency.services, COORDINATOR, body, NOW)
    assert refused.value.status == 422 and f"'{field}'" in refused.value.message
    assert agency.tables.visits == {}


def test_r45_a_reschedule_is_held_to_the_same_limits_and_names_the_field_it_changes(agency):
    # Given a visit
    vid = agency.visit()
    # When its end moves to more than a day after its start, or its start past its end
    with pytest.raises(InvalidSchedule, match="'end'"):
        agency.reschedule(vid, end=NOW + timedelta(days=3))
    with pytest.raises(InvalidSchedule, match="'start'"):
        agency.reschedule(vid, start=NOW + timedelta(hours=2))
    # Then nothing changed; a day exactly is a visit
    assert agency.details(vid)["end"] == "2026-11-25T15:50:00Z"
    assert agency.reschedule(vid, end=NOW - timedelta(minutes=10) + timedelta(hours=24))["end"] == \
        "2026-11-26T14:50:00Z"
