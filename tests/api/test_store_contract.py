"""The stores' contract, run against DynamoDB (moto) and the in-memory twins the rule tests use: the same writes
succeed, the same conditions refuse, and the same records come back. A twin that drifted fails here."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.errors import Conflict, NotFound
from chalicelib.records import (
    Agency,
    Client,
    Employee,
    Ending,
    EndReason,
    EventType,
    Reminder,
    SentText,
    ServiceCode,
    SessionState,
    SmsConsent,
    SmsStatus,
    TimelineEntry,
    Visit,
    VisitChange,
)
from tests.conftest import NOW

START = NOW - timedelta(minutes=10)
EXPIRES = START + timedelta(minutes=75)


@pytest.fixture(params=["dynamodb", "memory"])
def stores(request: pytest.FixtureRequest, clock: Any) -> Iterator[Any]:
    if request.param == "dynamodb":
        yield request.getfixturevalue("services")
        return
    from tests.memory import memory_services

    yield memory_services(clock)[0]


def line(kind: EventType, minutes: float = 0, actor: str = "employee:e1") -> TimelineEntry:
    return TimelineEntry(NOW + timedelta(minutes=minutes), kind, actor)


def a_visit(stores: Any, visit_id: str = "v1", start: Any = START, **fields: Any) -> Visit:
    return stores.visits.add(Visit("ag1", visit_id, "c1", "e1", "TELE", start, start + timedelta(hours=1),
                                   True, **fields))


def a_session(stores: Any, visit: Visit) -> Any:
    return stores.sessions.create(visit, "nonce-1", visit.end + timedelta(minutes=15), f"digest-{visit.visit_id}")


def test_directory_records_round_trip_and_duplicates_conflict(stores):
    d = stores.directory
    d.add_agency(Agency("ag1", "Sunrise", "America/New_York", "v@sunrise.test"))
    d.add_client("ag1", Client("c2", "Bea"))
    d.add_client("ag1", Client("c1", "Ann", "ann@mail.test"))
    d.add_service_code("ag1", ServiceCode("TELE", "Tele", True))
    with pytest.raises(Conflict):
        d.add_client("ag1", Client("c1", "Someone else"))
    found = d.lookup("ag1", agency=True, client_id="c1", employee_id="nobody", service_code="TELE")
    assert (found.agency.name, found.client.email, found.employee, found.service.allows_virtual_visits) == (
        "Sunrise", "ann@mail.test", None, True)
    assert d.lookup("ag2", agency=True, client_id="c1").client is None
    assert [c.client_id for c in d.list_clients("ag1")] == ["c1", "c2"] and d.list_clients("ag2") == []
    assert set(d.clients("ag1", ["c1", "c2", "c9"])) == {"c1", "c2"} and set(d.clients("ag1", ["c1"])) == {"c1"}
    with pytest.raises(NotFound):
        d.client("ag2", "c1")
    # A bounce marks the address; a new address clears the mark; None removes the address
    assert d.mark_email_failing("ag1", "c1", "bounced") and not d.mark_email_failing("ag1", "c9", "bounced")
    assert d.client("ag1", "c1").email_status == "bounced"
    changed = d.update_client("ag1", "c1", {"email": "ann@new.test", "name": "Ann B"})
    assert (changed.email, changed.name, changed.email_status, changed.preferred_language) == (
        "ann@new.test", "Ann B", None, "en")
    assert d.update_client("ag1", "c1", {"email": None}).email is None
    with pytest.raises(NotFound):
        d.update_client("ag1", "c9", {"name": "x"})


def test_visits_schedules_are_half_open_and_writes_are_conditional(stores):
    v = stores.visits
    first = a_visit(stores)
    a_visit(stores, "v2", START + timedelta(hours=1))
    with pytest.raises(Conflict):
        a_visit(stores)
    # [start, end): a visit starting exactly at `end` is not in it, one starting exactly at `start` is
    assert [x.visit_id for x in v.of_employee("ag1", "e1", START, START + timedelta(hours=1))] == ["v1"]
    assert [x.visit_id for x in v.of_client("ag1", "c1", START + timedelta(hours=1), NOW + timedelta(days=1))] == \
        ["v2"]
    assert [x.visit_id for x in v.of_agency("ag1", START, START + timedelta(hours=2))] == ["v1", "v2"]
    assert v.of_agency("ag2", START, START + timedelta(hours=2)) == []
    with pytest.raises(NotFound):
        v.bundle("ag2", "v1")
    # Clocking: once each, in order, each with its line
    with pytest.raises(Conflict):
        v.clock_out(first, NOW, line(EventType.CLOCKED_OUT))
    clocked = v.clock_in(first, NOW, line(EventType.CLOCKED_IN))
    assert clocked.clock_in_at == NOW
    with pytest.raises(Conflict):
        v.clock_in(first, NOW, line(EventType.CLOCKED_IN))
    # Notes: only the assigned employee's
    assert v.save_notes("ag1", "v1", "e1", "fine") and not v.save_notes("ag1", "v1", "e2", "x")
    assert not v.save_notes("ag1", "v9", "e1", "x")
    bundle = v.bundle("ag1", "v1", with_timeline=True)
    assert (bundle.visit.notes, [str(e.type) for e in bundle.events]) == ("fine", ["clocked_in"])
    assert v.bundle("ag1", "v1").events == []


def test_a_change_is_conditional_on_the_version_read_and_moves_only_a_live_session(stores):
    v = stores.visits
    visit = a_visit(stores)
    session = a_session(stores, visit)
    later = EXPIRES + timedelta(minutes=30)
    changed, moved = v.change(visit, session, VisitChange(end=visit.end + timedelta(minutes=30), new_expiry=later),
                              line(EventType.VISIT_CHANGED))
    assert (changed.schedule_version, moved.expires_at) == (2, later)
    assert stores.sessions.get("ag1", "v1").expires_at == later
    with pytest.raises(Conflict):  # the version it was decided on is gone
        v.change(visit, None, VisitChange(start=START + timedelta(minutes=5)), line(EventType.VISIT_CHANGED))
    # A session past its expiry is not moved: the whole change is refused
    with pytest.raises(Conflict):
        v.change(changed, moved, VisitChange(end=changed.end + timedelta(minutes=5), new_expiry=later),
                 replace(line(EventType.VISIT_CHANGED), at=later))
    # No reassign while in progress
    v.clock_in(changed, NOW, line(EventType.CLOCKED_IN))
    with pytest.raises(Conflict):
        v.change(changed, None, VisitChange(employee_id="e2"), line(EventType.VISIT_CHANGED))
    assert v.bundle("ag1", "v1").visit.employee_id == "e1"


def test_a_clock_out_ends_the_open_session_in_the_same_write_or_neither(stores):
    v, s = stores.visits, stores.sessions
    visit = v.clock_in(a_visit(stores), NOW, line(EventType.CLOCKED_IN))
    session = s.attach_meeting(a_session(stores, visit), {"MeetingId": "m1"}, None)
    stale = replace(session, meeting_id="m0")
    ending = Ending(SessionState.OVER, EndReason.CLOCK_OUT)
    with pytest.raises(Conflict):  # the session's meeting is not the one read: nothing is written
        v.clock_out(visit, NOW, line(EventType.CLOCKED_OUT), (stale, ending, line(EventType.SESSION_ENDED)))
    assert v.bundle("ag1", "v1").visit.clock_out_at is None and s.get("ag1", "v1").is_open
    out, ended = v.clock_out(visit, NOW, line(EventType.CLOCKED_OUT), (session, ending,
                                                                       line(EventType.SESSION_ENDED)))
    assert out.clock_out_at == NOW and (ended.state, ended.meeting_to_delete) == (SessionState.OVER, "m1")
    events = [str(e.type) for e in v.bundle("ag1", "v1", with_timeline=True).events]
    assert events == ["clocked_in", "clocked_out", "session_ended"]


def test_sessions_links_and_invites(stores):
    s = stores.sessions
    visit = a_visit(stores)
    session = a_session(stores, visit)
    assert (session.state, session.link_generation, session.invite_count) == (SessionState.INVITED, 1, 0)
    with pytest.raises(Conflict):
        a_session(stores, visit)
    assert s.link("digest-v1").visit_id == "v1" and s.link("digest-2") is None
    invited = s.record_invite(session, NOW, "email", line(EventType.INVITE_SENT))
    assert (invited.invite_count, invited.last_invite_sent_at, invited.sent_generation) == (1, NOW, 1)
    assert s.get("ag1", "v1").invite_count == 1
    newer = replace(visit, schedule_version=2)
    rotated = s.rotate_link(invited, newer, "nonce-2", EXPIRES, "digest-2")
    assert (rotated.link_generation, rotated.link_nonce, s.link("digest-2").generation) == (2, "nonce-2", 2)
    with pytest.raises(Conflict):  # rotated meanwhile
        s.rotate_link(invited, newer, "nonce-3", EXPIRES, "digest-3")
    s.issue_link_again(rotated, "digest-2-under-new-key")  # the link key rotated: same generation, same expiry
    again = s.link("digest-2-under-new-key")
    assert (again.agency_id, again.visit_id, again.generation, again.expires_at) == ("ag1", "v1", 2, EXPIRES)
    s.mark_invite_undeliverable("ag1", "v1", line(EventType.INVITE_UNDELIVERABLE, 0, "system"))
    s.mark_invite_undeliverable("ag1", "v9", line(EventType.INVITE_UNDELIVERABLE, 0, "system"))
    assert s.get("ag1", "v1").invite_undeliverable
    ended = s.end(rotated, Ending(SessionState.OVER, EndReason.HANG_UP), NOW, line(EventType.SESSION_ENDED))
    assert (ended.state, ended.ended_reason, ended.sweep_at) == (SessionState.OVER, "hang_up", None)
    with pytest.raises(Conflict):
        s.record_invite(rotated, NOW, "link", line(EventType.LINK_COPIED))
    s.add_event("ag1", "v1", line(EventType.INVITE_SENT, 1))
    events = [str(e.type) for e in stores.visits.bundle("ag1", "v1", with_timeline=True).events]
    assert events == ["invite_sent", "invite_undeliverable", "session_ended", "invite_sent"]


def test_meetings_presence_and_the_end_conditions(stores):
    s = stores.sessions
    session = a_session(stores, a_visit(stores))
    joined = s.attach_meeting(session, {"MeetingId": "m1"}, None)
    assert (joined.state, joined.meeting_id, joined.meeting_seq) == (SessionState.ACTIVE, "m1", 1)
    assert s.of_meeting("m1").visit_id == "v1" and s.of_meeting("m9") is None
    with pytest.raises(Conflict):  # another join stored a meeting meanwhile
        s.attach_meeting(session, {"MeetingId": "m2"}, None)
    # Presence: a change applies once; a duplicate or an older one changes nothing
    here = s.set_presence(joined, "client", True, NOW, line(EventType.CLIENT_JOINED, actor="client"),
                          NOW + timedelta(minutes=10))
    assert here.client_present and here.sweep_at == NOW + timedelta(minutes=10)
    assert s.set_presence(here, "client", True, NOW, line(EventType.CLIENT_JOINED, actor="client")) is None
    assert s.set_presence(here, "client", False, NOW - timedelta(seconds=1),
                          line(EventType.CLIENT_LEFT, -1 / 60, "client")) is None
    # The provider ended the meeting: forgotten, and nobody is present
    assert s.meeting_gone(here, "m1", NOW, EXPIRES) and not s.meeting_gone(here, "m1", NOW, EXPIRES)
    gone = s.get("ag1", "v1")
    assert (gone.meeting_id, gone.client_present, gone.is_open) == (None, False, True)
    again = s.attach_meeting(gone, {"MeetingId": "m2"}, gone.meeting_id)
    # An ending decided as an expiry before the expiry, or on another meeting, is refused
    with pytest.raises(Conflict):
        s.end(again, Ending(SessionState.EXPIRED, EndReason.EXPIRED), NOW, line(EventType.LINK_EXPIRED))
    with pytest.raises(Conflict):
        s.end(joined, Ending(SessionState.OVER, EndReason.HANG_UP), NOW, line(EventType.SESSION_ENDED))
    at_expiry = EXPIRES
    ended = s.end(again, Ending(SessionState.EXPIRED, EndReason.EXPIRED), at_expiry, line(EventType.LINK_EXPIRED))
    assert (ended.state, ended.meeting_to_delete, ended.sweep_at) == (SessionState.EXPIRED, "m2", at_expiry)
    assert s.set_presence(ended, "employee", True, NOW, line(EventType.EMPLOYEE_JOINED)) is None
    s.schedule_sweep(ended, NOW)  # not open: not moved
    assert s.get("ag1", "v1").sweep_at == at_expiry


def test_the_sweep_index_holds_what_is_due_as_projected_until_its_meeting_is_deleted(stores):
    s = stores.sessions
    due = s.attach_meeting(a_session(stores, a_visit(stores)), {"MeetingId": "m1"}, None)
    a_session(stores, a_visit(stores, "v2", START + timedelta(hours=5)))
    assert list(s.due_for_sweep(EXPIRES - timedelta(seconds=1), 10)) == []
    [read] = list(s.due_for_sweep(EXPIRES, 10))
    # As the index projects it: what the sweep needs, and defaults for the rest
    assert (read.visit_id, read.state, read.meeting_id, read.expires_at) == ("v1", SessionState.ACTIVE, "m1", EXPIRES)
    assert (read.meeting, read.link_nonce, read.invite_count) == (None, "", 0)
    ended = s.end(read, Ending(SessionState.EXPIRED, EndReason.EXPIRED), EXPIRES, line(EventType.LINK_EXPIRED))
    assert [x.meeting_to_delete for x in s.due_for_sweep(EXPIRES, 10)] == ["m1"]
    s.meeting_deleted(ended, "m9")  # not its meeting: stays
    assert len(list(s.due_for_sweep(EXPIRES, 10))) == 1
    s.meeting_deleted(ended, "m1")
    assert [x.visit_id for x in s.due_for_sweep(EXPIRES + timedelta(days=1), 10)] == ["v2"]
    assert s.get("ag1", "v1").meeting_to_delete is None and due.visit_id == "v1"


def test_clients_contact_details_consent_and_the_text_services_marks(stores):
    d = stores.directory
    d.add_agency(Agency("ag1", "Sunrise", "America/New_York", "v@sunrise.test", reminder_minutes=30))
    consent = SmsConsent(NOW, "coord1")
    d.add_client("ag1", Client("c1", "Ann", None, "es", mobile_phone="+15550100123", sms_consent=consent))
    assert d.lookup("ag1", agency=True).agency.reminder_minutes == 30
    client = d.client("ag1", "c1")
    assert (client.mobile_phone, client.sms_consent, client.preferred_language, client.sms_status) == (
        "+15550100123", consent, "es", None)
    # The text service's marks: failing, then opted out; a failure never hides an opt-out; None clears only failing
    assert d.set_sms_status("ag1", "c1", SmsStatus.FAILING)
    assert d.set_sms_status("ag1", "c1", None) and d.client("ag1", "c1").sms_status is None
    assert not d.set_sms_status("ag1", "c1", None)
    assert not d.set_sms_status("ag1", "c1", SmsStatus.OPTED_OUT, phone="+15550100999")
    assert d.set_sms_status("ag1", "c1", SmsStatus.OPTED_OUT, phone="+15550100123")
    assert not d.set_sms_status("ag1", "c1", SmsStatus.FAILING) and not d.set_sms_status("ag1", "c1", None)
    assert d.client("ag1", "c1").sms_status == "opted_out" and not d.set_sms_status("ag1", "c9", "opted_out")
    # A change writes what it is given: a consent, or None to remove one
    later = SmsConsent(NOW + timedelta(minutes=5), "coord2")
    changed = d.update_client("ag1", "c1", {"sms_consent": later, "sms_status": None, "mobile_phone": "+15550100124"})
    assert (changed.sms_consent, changed.sms_status, changed.mobile_phone) == (later, None, "+15550100124")
    assert d.update_client("ag1", "c1", {"sms_consent": None}).sms_consent is None
    assert d.client("ag1", "c1").sms_consent is None


def test_invites_by_channel_and_the_undeliverable_mark(stores):
    s = stores.sessions
    session = a_session(stores, a_visit(stores))
    texted = s.record_invite(session, NOW, "sms", line(EventType.INVITE_SENT))
    assert (texted.last_invite_channel, texted.last_sent_channel, texted.last_invite_sent_at) == ("sms", "sms", NOW)
    copied = s.record_invite(texted, NOW + timedelta(minutes=1), "link", line(EventType.LINK_COPIED, 1))
    stored = s.get("ag1", "v1")
    assert (stored.last_invite_channel, stored.last_sent_channel, stored.last_invite_sent_at) == ("link", "sms", NOW)
    assert (copied.last_invite_channel, copied.invite_count) == ("link", 2) and stored.invite_count == 2
    # A report about an older send (1 of 2) is dropped; one about the last marks the session with its line
    undeliverable = line(EventType.INVITE_UNDELIVERABLE, 2, "system")
    assert not s.mark_invite_undeliverable("ag1", "v1", undeliverable, sends=1)
    assert s.mark_invite_undeliverable("ag1", "v1", undeliverable, sends=2)
    assert not s.mark_invite_undeliverable("ag1", "v9", undeliverable)
    assert s.get("ag1", "v1").invite_undeliverable
    events = [str(e.type) for e in stores.visits.bundle("ag1", "v1", with_timeline=True).events]
    assert events == ["invite_sent", "link_copied", "invite_undeliverable"]
    # The next sent invite clears it
    assert not s.record_invite(copied, NOW, "email", line(EventType.INVITE_SENT, 3)).invite_undeliverable
    assert not s.get("ag1", "v1").invite_undeliverable


def test_reminders_wait_in_the_sweep_index_and_are_taken_once_per_link_generation(stores):
    s = stores.sessions
    visit = a_visit(stores, start=NOW + timedelta(hours=2))
    session = a_session(stores, visit)
    due_at = visit.start - timedelta(minutes=15)
    reminder = Reminder("ag1", "v1", due_at)
    invited = s.record_invite(session, NOW, "email", line(EventType.INVITE_SENT), reminder)
    # It waits in the sweep index until it is due, as the index projects it
    assert list(s.due_for_sweep(due_at - timedelta(seconds=1), 10)) == []
    assert list(s.due_for_sweep(due_at, 10)) == [reminder]
    # Taken once per generation: a second take of the same generation, or of another one, is refused
    taken = s.claim_reminder(invited, 1)
    assert taken.reminded_generation == 1 and s.get("ag1", "v1").reminded_generation == 1
    with pytest.raises(Conflict):
        s.claim_reminder(invited, 1)
    # Given back after a failed send, due again a minute later; taken again
    retry = Reminder("ag1", "v1", due_at + timedelta(minutes=1))
    s.release_reminder(taken, 1, retry)
    assert s.get("ag1", "v1").reminded_generation is None
    assert list(s.due_for_sweep(due_at + timedelta(minutes=1), 10)) == [retry]
    s.claim_reminder(invited, 1)
    # Dropping an older one leaves a newer one that replaced it; dropping the current one empties the index
    s.drop_reminder(reminder)
    assert list(s.due_for_sweep(due_at + timedelta(minutes=1), 10)) == [retry]
    s.drop_reminder(retry)
    assert [(type(x).__name__, x.visit_id) for x in s.due_for_sweep(due_at + timedelta(days=1), 10)] == [
        ("Session", "v1")]  # only the session's own expiry is left
    # An ended session's reminder cannot be taken
    fresh = a_session(stores, a_visit(stores, "v2", START + timedelta(hours=3)))
    s.record_invite(fresh, NOW, "sms", line(EventType.INVITE_SENT))
    ended = s.end(s.get("ag1", "v2"), Ending(SessionState.OVER, EndReason.HANG_UP), NOW,
                  line(EventType.SESSION_ENDED))
    with pytest.raises(Conflict):
        s.claim_reminder(ended, 1)


def test_sent_texts_are_found_by_message_id_until_carriers_are_done(stores):
    s = stores.sessions
    text = SentText("6b0d-11", "ag1", "c1", "v1", 2, "invite", NOW + timedelta(hours=72))
    s.remember_text(text)
    assert s.text("6b0d-11", NOW) == text and s.text("6b0d-99", NOW) is None
    assert s.text("6b0d-11", NOW + timedelta(hours=72)) is None  # past its time, whatever TTL has not deleted yet


def test_settings_staff_and_service_codes_change_in_place_and_absent_records_are_not_found(stores):
    d = stores.directory
    d.add_agency(Agency("ag1", "Sunrise", "America/New_York", "v@sunrise.test"))
    assert (d.lookup("ag1", agency=True).agency.locale, d.lookup("ag1", agency=True).agency.reminder_minutes) == (
        "en-US", 15)
    changed = d.update_agency("ag1", {"time_zone": "America/Chicago", "reminder_minutes": 0, "locale": "es-US"})
    assert (changed.time_zone, changed.reminder_minutes, changed.locale, changed.name) == (
        "America/Chicago", 0, "es-US", "Sunrise")
    assert d.lookup("ag1", agency=True).agency == changed
    with pytest.raises(NotFound):
        d.update_agency("ag9", {"locale": "en-GB"})
    # An employee is deactivated and comes back; the record reads back as written
    d.add_employee("ag1", Employee("e1", "Maria", "maria@sunrise.test", "employee"))
    assert d.employee("ag1", "e1").active
    off = d.update_employee("ag1", "e1", {"active": False, "deactivated_at": NOW, "to_reassign": True})
    assert (off.active, off.deactivated_at, off.to_reassign, off.role) == (False, NOW, True, "employee")
    assert d.employee("ag1", "e1") == off and d.list_employees("ag1") == [off]
    back = d.update_employee("ag1", "e1", {"active": None, "deactivated_at": None, "to_reassign": None,
                                           "role": "coordinator"})
    assert (back.active, back.deactivated_at, back.to_reassign, back.role) == (True, None, False, "coordinator")
    with pytest.raises(NotFound):
        d.update_employee("ag2", "e1", {"role": "employee"})
    d.add_service_code("ag1", ServiceCode("PC", "Personal care", False))
    renamed = d.update_service_code("ag1", "PC", {"name": "Personal care (video)", "allows_virtual_visits": True})
    assert renamed == ServiceCode("PC", "Personal care (video)", True) == d.list_service_codes("ag1")[0]
    with pytest.raises(NotFound):
        d.update_service_code("ag2", "PC", {"name": "x"})


def test_a_cancel_ends_the_open_session_in_the_same_write_or_neither(stores):
    v, s = stores.visits, stores.sessions
    visit = v.clock_in(a_visit(stores), NOW, line(EventType.CLOCKED_IN))
    session = s.attach_meeting(a_session(stores, visit), {"MeetingId": "m1"}, None)
    ending = Ending(SessionState.OVER, EndReason.CANCELLED)
    with pytest.raises(Conflict):  # decided on another meeting: nothing is written
        v.cancel(visit, NOW, line(EventType.VISIT_CANCELLED), (replace(session, meeting_id="m0"), ending,
                                                               line(EventType.SESSION_ENDED)))
    assert not v.bundle("ag1", "v1").visit.cancelled and s.get("ag1", "v1").is_open
    cancelled, ended = v.cancel(visit, NOW, line(EventType.VISIT_CANCELLED),
                                (session, ending, line(EventType.SESSION_ENDED)))
    assert (cancelled.cancelled_at, ended.state, ended.ended_reason, ended.meeting_to_delete) == (
        NOW, SessionState.OVER, "cancelled", "m1")
    assert v.bundle("ag1", "v1").visit.cancelled_at == NOW
    with pytest.raises(Conflict):  # once
        v.cancel(visit, NOW, line(EventType.VISIT_CANCELLED))
    events = [str(e.type) for e in v.bundle("ag1", "v1", with_timeline=True).events]
    assert events == ["clocked_in", "visit_cancelled", "session_ended"]
    # A visit clocked out took place, and one cancelled takes no clock-in
    done = v.clock_out(v.clock_in(a_visit(stores, "v2"), NOW, line(EventType.CLOCKED_IN)), NOW,
                       line(EventType.CLOCKED_OUT))[0]
    with pytest.raises(Conflict):
        v.cancel(done, NOW, line(EventType.VISIT_CANCELLED))
    off, _ = v.cancel(a_visit(stores, "v3"), NOW, line(EventType.VISIT_CANCELLED))
    with pytest.raises(Conflict):
        v.clock_in(off, NOW, line(EventType.CLOCKED_IN))


def test_the_client_page_marks_waiting_and_the_first_open_once_a_generation(stores):
    s = stores.sessions
    session = a_session(stores, a_visit(stores))
    until = NOW + timedelta(seconds=30)
    opened = s.client_page(session, until, (1, line(EventType.LINK_OPENED, actor="client")))
    assert (opened.client_page_until, opened.opened_generation) == (until, 1)
    assert s.client_page(session, until, (1, line(EventType.LINK_OPENED, actor="client"))) is None  # once
    renewed = s.client_page(opened, until + timedelta(seconds=20))
    assert s.get("ag1", "v1").client_page_until == renewed.client_page_until == until + timedelta(seconds=20)
    assert s.client_page(renewed, None).client_page_until is None
    assert s.client_page(renewed, until, (2, line(EventType.LINK_OPENED, actor="client"))).opened_generation == 2
    # A client who leaves the call is not waiting, and "left" lasts until they are back
    here = s.set_presence(s.get("ag1", "v1"), "client", True, NOW, line(EventType.CLIENT_JOINED, actor="client"))
    assert here.client_left_at is None and here.client_page_until == until
    left = s.set_presence(here, "client", False, NOW + timedelta(seconds=1),
                          line(EventType.CLIENT_LEFT, 1 / 60, "client"))
    assert (left.client_left_at, left.client_page_until) == (NOW + timedelta(seconds=1), None)
    assert s.get("ag1", "v1") == left
    back = s.set_presence(left, "client", True, NOW + timedelta(seconds=2),
                          line(EventType.CLIENT_JOINED, 2 / 60, "client"))
    assert s.get("ag1", "v1").client_left_at is None and back.client_left_at is None
    # Ended: nothing is marked
    ended = s.end(back, Ending(SessionState.OVER, EndReason.HANG_UP), NOW, line(EventType.SESSION_ENDED))
    assert s.client_page(ended, until) is None
    events = [str(e.type) for e in stores.visits.bundle("ag1", "v1", with_timeline=True).events]
    assert events.count("link_opened") == 2


def test_sessions_of_several_visits_in_one_read(stores):
    s = stores.sessions
    for vid in ("v1", "v2"):
        a_session(stores, a_visit(stores, vid))
    a_visit(stores, "v3")
    found = s.of_visits("ag1", ["v1", "v2", "v3", "v9"])
    assert sorted(found) == ["v1", "v2"] and found["v2"] == s.get("ag1", "v2")
    assert s.of_visits("ag2", ["v1"]) == {}
    many = [f"w{i}" for i in range(130)]  # more than one batch
    for vid in many:
        a_session(stores, a_visit(stores, vid))
    assert len(s.of_visits("ag1", many)) == 130
