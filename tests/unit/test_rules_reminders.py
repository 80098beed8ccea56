"""The reminder before the visit, over in-memory stores, by moving the clock (R32)."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.errors import TextFailed
from chalicelib.logic import schedule
from chalicelib.logic.expiry import sweep_expired_sessions
from chalicelib.logic.reminders import send_due_reminder
from chalicelib.records import Reminder
from tests.conftest import NOW
from tests.unit.conftest import COORDINATOR

START = NOW + timedelta(hours=2)  # 12:00 PM Eastern: the reminder is due at 11:45 AM


def upcoming(agency, client="cli1"):
    return agency.visit(client=client, start=START, minutes=45)


def lines(agency, vid):
    return [(line["type"], line.get("detail"), line["at"]) for line in schedule.timeline(agency.services,
                                                                                       COORDINATOR, vid)]


def until(agency, moment):
    agency.clock.advance(moment - agency.now())


def test_r32_one_reminder_by_text_at_reminder_minutes_before_the_start_and_on_the_timeline(agency):
    # Given a Spanish client invited by text two hours ahead
    agency.texting_client(language="es")
    vid = upcoming(agency, "cli2")
    agency.invite(vid, "sms")
    # When the sweep runs one second before the reminder is due; Then nothing goes out
    until(agency, START - timedelta(minutes=15, seconds=1))
    assert agency.sweep().reminded == 0 and len(agency.texter.sent) == 1
    # When it runs at the time; Then one reminder text, in Spanish, with the same link, recorded on the timeline
    agency.advance(1 / 60)
    assert agency.sweep().reminded == 1
    invite, reminder = (text for text, _ in agency.texter.sent)
    assert reminder.body.startswith("Sunrise Home Care: su visita por video empieza a las 12:00 p.m. "
                                    "(hora del Este). Enlace para entrar: ")
    assert reminder.body.rsplit(" ", 1)[1] == invite.body.rsplit(" ", 1)[1]
    assert agency.texter.sent[1][1]["kind"] == "reminder"
    assert lines(agency, vid)[-1] == ("reminder_sent", "sms", "2026-11-25T16:45:00Z")
    # And never again, however often the sweep runs
    agency.advance(5)
    assert agency.sweep().reminded == 0 and len(agency.texter.sent) == 2


def test_r32_a_client_last_invited_by_email_is_reminded_by_email(agency):
    vid = upcoming(agency)
    agency.invite(vid, "email")
    until(agency, START - timedelta(minutes=15))
    agency.sweep()
    invite, reminder = (email for email, _ in agency.mailer.sent)
    assert reminder.subject == "Your video visit starts soon" and reminder.calendar is None
    assert "A reminder from Sunrise Home Care: your video visit with your caregiver Maria starts soon." in reminder.text
    assert invite.text.split("/join#")[1].split()[0] == reminder.text.split("/join#")[1].split()[0]


def test_r32_the_agencys_reminder_minutes_decide_the_time_and_0_turns_reminders_off(agency):
    agency.reminder_minutes(30)
    vid = upcoming(agency)
    agency.invite(vid)
    until(agency, START - timedelta(minutes=30))
    assert agency.sweep().reminded == 1
    agency.reminder_minutes(0)
    other = upcoming(agency)
    agency.invite(other)
    until(agency, START - timedelta(minutes=1))
    assert agency.sweep().reminded == 0 and len(agency.mailer.sent) == 3
    assert "reminder_sent" not in [kind for kind, _, _ in lines(agency, other)]


def test_r32_none_after_the_start(agency):
    # Given an invite sent 10 minutes before the start: its reminder time has passed, so none is planned
    vid = upcoming(agency)
    until(agency, START - timedelta(minutes=10))
    agency.invite(vid)
    assert agency.tables.reminders == {}
    # And a reminder the sweep reaches only after the start is dropped
    late = upcoming(agency)
    agency.clock.advance(-agency.clock.offset)
    agency.invite(late)
    until(agency, START)
    assert agency.sweep().reminded == 0 and agency.tables.reminders == {}
    assert len(agency.mailer.sent) == 2


def test_r32_none_for_a_session_that_is_over_or_expired(agency):
    # Given an invited client whose session the caregiver ended before the reminder time
    vid = upcoming(agency)
    agency.invite(vid)
    agency.clock_in(vid)
    agency.clock_out(vid)
    until(agency, START - timedelta(minutes=15))
    assert agency.sweep().reminded == 0 and len(agency.mailer.sent) == 1
    # And a session that expired before the reminder was reached
    expired = upcoming(agency)
    agency.clock.advance(-agency.clock.offset)
    agency.invite(expired)
    session = agency.tables.sessions[("ag1", expired)]
    from dataclasses import replace

    agency.tables.sessions[("ag1", expired)] = replace(session, expires_at=START - timedelta(minutes=20))
    until(agency, START - timedelta(minutes=15))
    assert send_due_reminder(agency.services, Reminder("ag1", expired, START - timedelta(minutes=15)),
                             agency.now()) is False


def test_r32_at_most_one_per_link_generation_under_overlapping_sweeps_and_resends(agency):
    # Given an invite, resent before the reminder time
    vid = upcoming(agency)
    agency.invite(vid)
    agency.advance(10)
    agency.invite(vid, "resend")
    # When two sweeps overlap: the first has read the due reminder, the second runs whole, then the first goes on
    until(agency, START - timedelta(minutes=15))
    first = agency.services.sessions.due_for_sweep(agency.now(), 200)
    [due] = list(first)
    assert agency.sweep().reminded == 1
    assert send_due_reminder(agency.services, due, agency.now()) is False
    # Then one reminder went out
    assert len(agency.mailer.sent) == 3
    # And a resend of the same link later plans no second one
    agency.advance(1)
    agency.invite(vid, "resend")
    until(agency, START - timedelta(minutes=1))
    assert agency.sweep().reminded == 0 and len(agency.mailer.sent) == 4
    assert [kind for kind, _, _ in lines(agency, vid)].count("reminder_sent") == 1


def test_r32_a_time_change_drops_the_old_reminder_and_the_resend_plans_one_for_the_new_time(agency):
    vid = upcoming(agency)
    agency.invite(vid)
    # When the visit moves an hour later (R10): the old reminder is stale, the client's link dead
    agency.reschedule(vid, start=START + timedelta(hours=1), end=START + timedelta(hours=1, minutes=45))
    until(agency, START - timedelta(minutes=15))
    assert agency.sweep().reminded == 0 and agency.tables.reminders == {}
    # When the caregiver resends, the new link's reminder comes at the new time
    agency.invite(vid, "resend")
    until(agency, START + timedelta(minutes=45))
    assert agency.sweep().reminded == 1
    assert lines(agency, vid)[-1][:2] == ("reminder_sent", "email")


def test_r32_a_reminder_the_service_could_not_take_is_tried_again_until_the_start(agency):
    agency.texting_client()
    vid = upcoming(agency, "cli2")
    agency.invite(vid, "sms")
    until(agency, START - timedelta(minutes=15))
    agency.texter.failing = TextFailed()
    assert agency.sweep().reminded == 0
    agency.texter.failing = None
    agency.advance(1)
    assert agency.sweep().reminded == 1 and len(agency.texter.sent) == 2


def test_r32_a_client_who_opted_out_meanwhile_is_marked_and_the_dialog_says_so(agency):
    agency.texting_client()
    vid = upcoming(agency, "cli2")
    agency.invite(vid, "sms")
    agency.texter.opted_out.add("+15550100123")
    until(agency, START - timedelta(minutes=15))
    assert agency.sweep().reminded == 0
    assert agency.details(vid)["client"]["sms_status"] == "opted_out"
    assert agency.session(vid)["invite_undeliverable"] is True
    assert lines(agency, vid)[-1][:2] == ("invite_undeliverable", "sms:opted_out")


def test_r32_a_copied_link_alone_asks_for_no_reminder(agency):
    vid = upcoming(agency)
    agency.invite(vid, "link")
    until(agency, START - timedelta(minutes=15))
    assert agency.tables.reminders == {} and sweep_expired_sessions(agency.services, agency.now(), 10).reminded == 0
