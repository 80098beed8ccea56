"""Text message invites, opt-outs and delivery events, over in-memory stores (R28, R29)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.errors import (
    INVITE_UNDELIVERABLE,
    ClientHasNoMobile,
    ClientNoSmsConsent,
    ClientOptedOut,
    TextFailed,
)
from chalicelib.logic import schedule
from tests.conftest import NOW
from tests.unit.conftest import COORDINATOR

PHONE = "+15550100123"
R28_TEXT = ("Sunrise Home Care: your video visit is on Wednesday, November 25 at 9:50 AM (Eastern Time). "
            "Join here: https://visits.example.test/join#")


def sms_visit(agency, language="en", **visit):
    agency.texting_client(language=language)
    return agency.visit(client="cli2", **visit)


def test_r28_a_text_invite_carries_the_agency_the_words_video_visit_the_time_and_the_link_and_nothing_else(agency):
    # Given a client with a mobile number who agreed to texts
    vid = sms_visit(agency)
    # When the caregiver sends the invite by text message
    answer = agency.invite(vid, "sms")
    # Then one text went to the number: the agency, "video visit", the start with its time zone, the link; no more
    [(text, context)] = agency.texter.sent
    assert text.to == PHONE
    assert text.body.startswith(R28_TEXT) and len(text.body) == len(R28_TEXT) + 43
    for personal in ("Walter", "Nobody", "Maria", "Telehealth", "TELE", "care plan"):
        assert personal not in text.body
    # And it is found again in delivery events by ids only; it is worth delivering while the link lives
    assert context == {"agency": "ag1", "client": "cli2", "visit": vid, "send": "1", "kind": "invite"}
    assert text.ttl_seconds == int((NOW + timedelta(minutes=65) - NOW).total_seconds())
    # And it counts as an invite (R09, R15): invited, with its time, by text, on the timeline
    session = answer["session"]
    assert (session["state"], session["last_invite_sent_at"], session["last_invite_channel"]) == (
        "invited", "2026-11-25T15:00:00Z", "sms")
    lines = schedule.timeline(agency.services, COORDINATOR, vid)
    assert [(line["type"], line.get("detail")) for line in lines] == [("invite_sent", "sms")]
    assert agency.mailer.sent == []


def test_r28_a_client_without_a_mobile_number_gets_422_and_nothing_is_sent(agency):
    vid = agency.visit()  # Eleanor: an email address, no mobile number
    with pytest.raises(ClientHasNoMobile) as refused:
        agency.invite(vid, "sms")
    assert (refused.value.status, refused.value.code, refused.value.message) == (
        422, "CLIENT_HAS_NO_MOBILE", "The client does not have a mobile phone number.")
    assert agency.texter.sent == [] and agency.session(vid)["state"] == "none"


def test_r28_without_a_recorded_consent_text_invites_are_refused(agency):
    # Given a mobile number but no consent
    agency.update_client("cli2", mobile_phone=PHONE)
    vid = agency.visit(client="cli2")
    # When the caregiver texts the invite; Then 422 CLIENT_NO_SMS_CONSENT, nothing sent, nothing recorded
    with pytest.raises(ClientNoSmsConsent) as refused:
        agency.invite(vid, "sms")
    assert (refused.value.status, refused.value.code, refused.value.message) == (
        422, "CLIENT_NO_SMS_CONSENT", "The client has not agreed to receive text messages.")
    assert agency.texter.sent == [] and agency.timeline(vid) == []
    # And copying the link still works
    assert "join_url" in agency.invite(vid, "link")


def test_r28_consent_is_recorded_with_its_time_and_coordinator_and_belongs_to_the_number(agency):
    # When the coordinator records the client's consent
    agency.advance(3)
    client = agency.update_client("cli2", mobile_phone=PHONE, sms_consent=True)
    # Then it holds when and who
    assert client["sms_consent"] == {"at": "2026-11-25T15:03:00Z", "by": "coord1"}
    # And saving it again keeps the first record; a new number needs a new consent
    agency.advance(1)
    assert agency.update_client("cli2", sms_consent=True)["sms_consent"]["at"] == "2026-11-25T15:03:00Z"
    assert agency.update_client("cli2", mobile_phone="+15550100124")["sms_consent"] is None
    # And withdrawing it removes it
    agency.update_client("cli2", sms_consent=True)
    assert agency.update_client("cli2", sms_consent=False)["sms_consent"] is None


def test_r28_resend_goes_by_the_channel_of_the_last_sent_invite(agency):
    # Given a text invite, then a copied link
    vid = sms_visit(agency)
    agency.invite(vid, "sms")
    agency.invite(vid, "link")
    agency.advance(2)
    # When the caregiver presses "Resend invite to client"
    answer = agency.invite(vid, "resend")
    # Then the same link goes again by text, and its time is recorded (R09)
    first, again = (text.body for text, _ in agency.texter.sent)
    assert first == again and agency.mailer.sent == []
    assert answer["session"]["last_invite_sent_at"] == "2026-11-25T15:02:00Z"
    assert answer["session"]["last_invite_channel"] == "sms"
    # And a client invited by email is resent by email
    other = agency.visit()
    agency.invite(other, "email")
    agency.invite(other, "resend")
    assert len(agency.mailer.sent) == 2 and len(agency.texter.sent) == 2


def test_r28_a_failed_text_records_nothing_and_a_retry_sends_the_same_link(agency):
    # Given the text service failing
    vid = sms_visit(agency)
    agency.texter.failing = TextFailed()
    # When the caregiver texts the invite; Then 503, and nothing says "invite sent"
    with pytest.raises(TextFailed):
        agency.invite(vid, "sms")
    assert agency.session(vid)["state"] == "none" and agency.timeline(vid) == []
    # When the service is back and the caregiver tries again, the text goes out, once
    agency.texter.failing = None
    agency.invite(vid, "sms")
    assert len(agency.texter.sent) == 1 and agency.timeline(vid) == ["invite_sent"]


def test_r29_a_client_who_replied_stop_is_marked_and_text_invites_answer_422(agency):
    # Given a client who replied STOP to an earlier text (the service now refuses the number)
    vid = sms_visit(agency)
    agency.invite(vid, "sms")
    agency.texter.opted_out.add(PHONE)
    # When the caregiver texts again; Then 422 CLIENT_OPTED_OUT with R29's text, and nothing is recorded
    with pytest.raises(ClientOptedOut) as refused:
        agency.invite(vid, "resend")
    assert (refused.value.status, refused.value.code, refused.value.message) == (422, "CLIENT_OPTED_OUT", (
        "The client has opted out of text messages. Send the invite by email or copy the link."))
    assert agency.timeline(vid) == ["invite_sent"]
    # And the client is marked: the dialog knows, and the next try is refused without asking the service
    assert agency.details(vid)["client"]["sms_status"] == "opted_out"
    agency.texter.opted_out.clear()
    with pytest.raises(ClientOptedOut):
        agency.invite(vid, "sms")
    assert len(agency.texter.sent) == 1
    # And copying the link still works; a fresh consent (the client texted START) clears the mark
    assert "join_url" in agency.invite(vid, "link")
    assert agency.update_client("cli2", sms_consent=True)["sms_status"] is None
    agency.invite(vid, "sms")
    assert len(agency.texter.sent) == 2


def test_r29_a_carrier_opt_out_marks_the_client_and_the_dialog_and_the_timeline_say_so(agency):
    # Given a text invite
    vid = sms_visit(agency)
    agency.invite(vid, "sms")
    _, context = agency.texter.sent[0]
    # When the carrier reports the number blocked (opted out there)
    agency.advance(1)
    assert agency.text_event("TEXT_BLOCKED", context, destinationPhoneNumber=PHONE) == "applied"
    # Then the client is opted out, and the dialog shows R29's text
    details = agency.details(vid)
    assert details["client"]["sms_status"] == "opted_out"
    assert details["session"]["invite_undeliverable"] is True
    assert details["session"]["invite_warning"] == INVITE_UNDELIVERABLE
    assert INVITE_UNDELIVERABLE == "The last invite could not be delivered. Check the client's contact details."
    # And the timeline says when
    lines = schedule.timeline(agency.services, COORDINATOR, vid)
    assert (lines[-1]["type"], lines[-1]["actor"], lines[-1]["at"], lines[-1]["detail"]) == (
        "invite_undeliverable", "system", "2026-11-25T15:01:00Z", "sms:opted_out")
    with pytest.raises(ClientOptedOut):
        agency.invite(vid, "sms")


def test_r29_a_text_that_could_not_be_delivered_shows_in_the_dialog_until_the_next_invite(agency):
    vid = sms_visit(agency)
    agency.invite(vid, "sms")
    _, context = agency.texter.sent[0]
    # When the carrier reports the number unreachable
    assert agency.text_event("TEXT_UNREACHABLE", context) == "applied"
    # Then the dialog says so, and the client's number is marked failing (not opted out: a resend is allowed)
    session = agency.session(vid)
    assert session["invite_undeliverable"] is True and session["invite_warning"] == INVITE_UNDELIVERABLE
    assert agency.details(vid)["client"]["sms_status"] == "failing"
    # When the caregiver resends and the text arrives, the warning and the mark go
    answer = agency.invite(vid, "resend")
    assert answer["session"]["invite_undeliverable"] is False and "invite_warning" not in answer["session"]
    assert agency.text_event("TEXT_DELIVERED", agency.texter.sent[-1][1]) == "delivered"
    assert agency.details(vid)["client"]["sms_status"] is None


def test_r29_a_late_report_about_an_older_text_changes_nothing(agency):
    # Given two texts sent; the first one's failure is reported after the second went out
    vid = sms_visit(agency)
    agency.invite(vid, "sms")
    agency.invite(vid, "resend")
    first_context = agency.texter.sent[0][1]
    agency.text_event("TEXT_TTL_EXPIRED", first_context)
    # Then the dialog does not warn about the last invite
    assert agency.session(vid)["invite_undeliverable"] is False


def test_r29_a_delivered_text_never_clears_an_opt_out_and_events_with_foreign_ids_mark_nothing(agency):
    vid = sms_visit(agency)
    agency.invite(vid, "sms")
    context = agency.texter.sent[0][1]
    agency.text_event("TEXT_BLOCKED", context)
    agency.text_event("TEXT_DELIVERED", context)
    assert agency.details(vid)["client"]["sms_status"] == "opted_out"
    assert agency.text_event("TEXT_UNREACHABLE", {**context, "agency": "ag1#x"}) == "untagged"
    assert agency.text_event("TEXT_UNREACHABLE", {"agency": "ag2", "client": "cli2"}) == "unknown client"
    assert agency.text_event("TEXT_PENDING", context) == "ignored"
    # A report about a number the client no longer has marks nothing on the client
    agency.update_client("cli2", mobile_phone="+15550100999", sms_consent=True)
    agency.text_event("TEXT_UNREACHABLE", context, destinationPhoneNumber=PHONE)
    assert agency.details(vid)["client"]["sms_status"] is None


def test_r29_an_email_bounce_shows_the_same_text_and_reaches_the_timeline(agency):
    from chalicelib.logic.email_events import on_email_event

    vid = agency.visit()
    agency.invite(vid)
    _, tags = agency.mailer.sent[0]
    event = {"eventType": "Bounce", "bounce": {"bounceType": "Permanent"},
             "mail": {"tags": {name: [value] for name, value in tags.items()}}}
    assert on_email_event(agency.services, event, agency.now()) == "applied"
    assert agency.session(vid)["invite_warning"] == INVITE_UNDELIVERABLE
    lines = schedule.timeline(agency.services, COORDINATOR, vid)
    assert (lines[-1]["type"], lines[-1]["detail"]) == ("invite_undeliverable", "email:bounced")


def test_r29_an_event_without_its_context_is_matched_by_the_texts_message_id(agency):
    # Given a text invite (the service answered with message id "text-1")
    vid = sms_visit(agency)
    agency.invite(vid, "sms")
    # When a delivery event names only the message id (no context), within the 72 hours carriers report
    agency.advance(60)
    assert agency.text_event("TEXT_UNREACHABLE", {}, messageId="text-1") == "applied"
    # Then it marks the client and the dialog as the context would have
    assert agency.details(vid)["client"]["sms_status"] == "failing"
    assert agency.session(vid)["invite_undeliverable"] is True
    # And a message id nobody remembers, or one past its 72 hours, changes nothing
    assert agency.text_event("TEXT_UNREACHABLE", {}, messageId="text-9") == "untagged"
    agency.advance(72 * 60)
    assert agency.text_event("TEXT_BLOCKED", {}, messageId="text-1") == "untagged"


def test_r28_a_resend_with_nothing_sent_yet_texts_a_client_who_has_no_email(agency):
    # Given a client with only a mobile phone, whose link was only copied so far
    vid = sms_visit(agency)
    agency.invite(vid, "link")
    # When the caregiver presses "Resend invite" in the call window (nothing was sent before)
    answer = agency.invite(vid, "resend")
    # Then it goes by text, the one channel that reaches them
    assert answer["session"]["last_invite_channel"] == "sms" and len(agency.texter.sent) == 1
    # And for a client with an email address it goes by email
    other = agency.visit()
    agency.invite(other, "resend")
    assert len(agency.mailer.sent) == 1
