"""Inviting the client, over in-memory stores (R04-R10, R13)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.errors import (
    ClientHasNoEmail,
    EmailFailed,
    EmailSuppressed,
    InvalidLink,
    LinkExpired,
    NotAssigned,
    VisitNotVirtual,
)
from tests.unit.conftest import COLLEAGUE, COORDINATOR


def test_r04_sending_the_invite_emails_the_clients_address_with_a_join_link_and_creates_the_session(agency):
    # Given a virtual visit of a client with an email address
    vid = agency.visit()
    # When the assigned caregiver sends the invite
    answer = agency.invite(vid)
    # Then one email went to the client's address, with the link in its text, tagged with ids only
    [(email, tags)] = agency.mailer.sent
    assert email.to == "eleanor.rigby@mail.example.test" and "https://visits.example.test/join#" in email.text
    assert tags == {"agency": "ag1", "client": "cli1", "visit": vid, "send": "1"}
    assert "Eleanor" not in email.subject
    # And the session exists, invited, with the time it was sent; the link opens the client's page
    assert answer["session"]["state"] == "invited"
    assert answer["session"]["last_invite_sent_at"] == "2026-11-25T15:00:00Z"
    assert agency.client_page(agency.emailed_token())["agency_name"] == "Sunrise Home Care"


def test_r05_only_the_assigned_employee_can_send_or_copy_an_invite(agency):
    vid = agency.visit()
    for caller in (COLLEAGUE, COORDINATOR):
        for delivery in ("email", "link"):
            with pytest.raises(NotAssigned) as refused:
                agency.invite(vid, delivery, caller)
            assert refused.value.status == 403 and refused.value.code == "NOT_ASSIGNED"
            assert refused.value.message == ("You need to be assigned to the visit to be able to send an "
                                             "invitation to the client.")
    assert agency.mailer.sent == [] and agency.tables.sessions == {}


def test_r06_a_client_without_email_gets_422_but_the_link_can_still_be_copied(agency):
    # Given a visit of a client with no email address
    vid = agency.visit(client="cli2")
    # When the caregiver sends the invite; Then 422 CLIENT_HAS_NO_EMAIL and nothing was made
    with pytest.raises(ClientHasNoEmail) as refused:
        agency.invite(vid)
    assert (refused.value.status, refused.value.message) == (422, "The client does not have an email address.")
    assert agency.tables.sessions == {} and agency.mailer.sent == []
    # And copying the link works
    assert "join_url" in agency.invite(vid, "link")


def test_r07_copying_the_link_returns_it_and_creates_the_session_without_an_email(agency):
    vid = agency.visit()
    answer = agency.invite(vid, "link")
    token = answer["join_url"].split("#", 1)[1]
    assert answer["join_url"].startswith("https://visits.example.test/join#") and len(token) == 43
    assert answer["session"]["state"] == "invited" and answer["session"]["last_invite_sent_at"] is None
    assert agency.mailer.sent == [] and agency.timeline(vid) == ["link_copied"]


def test_r08_the_invite_can_be_sent_before_or_after_clocking_in(agency):
    before, after = agency.visit(), agency.visit()
    agency.invite(before)
    agency.clock_in(before)
    agency.clock_in(after)
    agency.invite(after)
    assert agency.timeline(before) == ["invite_sent", "clocked_in"]
    assert agency.timeline(after) == ["clocked_in", "invite_sent"]


def test_r09_resend_sends_the_same_link_and_records_the_new_sent_time(agency):
    # Given an invite sent at 15:00
    vid = agency.visit()
    agency.invite(vid)
    first = agency.emailed_token()
    # When the caregiver resends it five minutes later
    agency.advance(5)
    answer = agency.invite(vid)
    # Then the same link went out again, and the last sent time moved
    assert agency.emailed_token() == first and len(agency.mailer.sent) == 2
    assert answer["session"]["last_invite_sent_at"] == "2026-11-25T15:05:00Z"


def test_r10_after_a_time_change_old_links_die_and_the_resend_issues_a_fresh_one(agency):
    # Given a client holding the link of the visit's first time
    vid = agency.visit()
    old = agency.link(vid)
    # When the coordinator moves the visit, and the caregiver resends
    agency.reschedule(vid, end=agency.now() + timedelta(minutes=90))
    with pytest.raises(InvalidLink) as refused:
        agency.client_page(old)
    agency.invite(vid)
    # Then the old link is an invalid link with SPEC's text, and the new one works until 15 min after the new end
    assert refused.value.status == 404 and refused.value.message == (
        "This link is no longer valid. Please ask your care provider for a new invitation.")
    fresh = agency.emailed_token()
    assert fresh != old and agency.client_page(fresh)["end"] == "2026-11-25T16:30:00Z"
    assert agency.session(vid)["invite_stale"] is False
    assert agency.session(vid)["link_expires_at"] == "2026-11-25T16:45:00Z"


def test_r10_a_failed_resend_after_a_time_change_still_asks_for_a_resend(agency):
    # Given a sent invite, then a time change
    vid = agency.visit()
    agency.invite(vid)
    agency.reschedule(vid, end=agency.now() + timedelta(minutes=90))
    # When the resend fails at the mail service
    agency.mailer.failing = EmailFailed()
    with pytest.raises(EmailFailed):
        agency.invite(vid)
    # Then nothing says "sent", and the dialog still asks for a resend (the client never got the new link)
    assert agency.session(vid)["invite_stale"] is True and agency.timeline(vid).count("invite_sent") == 1


def test_r13_no_invite_once_the_link_expired_15_minutes_after_the_scheduled_end(agency):
    # Given a visit that ended 15 minutes ago
    vid = agency.visit(start=agency.now() - timedelta(minutes=75))
    # When the caregiver invites; Then 410 with SPEC's text, and nothing was made
    for delivery in ("email", "link"):
        with pytest.raises(LinkExpired) as refused:
            agency.invite(vid, delivery)
        assert refused.value.status == 410 and refused.value.message == (
            "The link to the virtual session has expired. Create a new visit and send a new invite to the client.")
    assert agency.tables.sessions == {} and agency.mailer.sent == []
    # And one minute before that moment, it still could
    earlier = agency.visit(start=agency.now() - timedelta(minutes=74))
    assert agency.invite(earlier, "link")["session"]["state"] == "invited"


def test_an_in_person_visit_has_no_invite(agency):
    vid = agency.visit(virtual=False, service="PC")
    with pytest.raises(VisitNotVirtual):
        agency.invite(vid, "link")


def test_a_bounced_address_is_refused_until_the_coordinator_changes_it(agency):
    # Given a client whose address bounced
    from chalicelib.logic.agency_admin import update_client
    from chalicelib.logic.email_events import on_email_event

    vid = agency.visit()
    agency.invite(vid)
    event = {"eventType": "Bounce", "bounce": {"bounceType": "Permanent"},
             "mail": {"tags": {"agency": ["ag1"], "client": ["cli1"], "visit": [vid]}}}
    assert on_email_event(agency.services, event, agency.now()) == "applied"
    # When the caregiver resends; Then 422 EMAIL_SUPPRESSED, and the dialog warns
    with pytest.raises(EmailSuppressed):
        agency.invite(vid)
    assert agency.session(vid)["invite_bounced"] is True
    # When the coordinator corrects the address, the resend goes out
    update_client(agency.services, COORDINATOR, "cli1", {"email": "eleanor@mail.example.test"}, agency.now())
    agency.invite(vid)
    assert agency.mailer.sent[-1][0].to == "eleanor@mail.example.test"
