"""The guest (R38) over in-memory stores and the local video provider: a link of their own that follows the client's
rules, one guest per visit, and a leave that ends nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from chalicelib.errors import (
    BadRequest,
    ClientLinkExpired,
    ClientSessionOver,
    GuestExists,
    GuestNeedsSession,
    GuestOptedOut,
    InvalidLink,
    NotAssignedToInviteGuest,
    WaitingForCaregiver,
)
from tests.unit.conftest import CAREGIVER, COLLEAGUE, Agency


def invite_guest(agency: Agency, vid: str, name: str = "Ann", delivery: str = "link", **extra: Any) -> dict[str, Any]:
    from chalicelib.logic.guests import invite_guest as invite

    return invite(agency.services, extra.pop("caller", CAREGIVER), vid,
                  {"first_name": name, "delivery": delivery, **extra}, agency.now())


def guest_token(agency: Agency, vid: str, name: str = "Ann") -> str:
    return str(invite_guest(agency, vid, name)["join_url"]).split("#", 1)[1]


def test_r38_the_guest_needs_the_clients_session_and_the_assigned_caregiver(agency):
    vid = agency.visit()
    with pytest.raises(GuestNeedsSession) as refused:
        invite_guest(agency, vid)
    assert (refused.value.status, refused.value.message) == (
        409, "Send the invite to the client before inviting a guest.")
    agency.link(vid)
    with pytest.raises(NotAssignedToInviteGuest):
        invite_guest(agency, vid, caller=COLLEAGUE)


def test_r38_one_guest_per_visit_and_the_same_name_gets_the_same_link(agency):
    vid = agency.visit()
    client = agency.link(vid)
    first = guest_token(agency, vid, "Ann")
    assert first != client
    assert guest_token(agency, vid, "ann") == first  # R09: a resend is the same link
    with pytest.raises(GuestExists):
        invite_guest(agency, vid, "Ben")
    assert agency.session(vid)["guest"]["first_name"] == "Ann"


def test_r38_the_guest_waits_for_the_caregiver_and_leaving_ends_nothing(agency):
    # Given a guest's link, before the caregiver is in
    vid = agency.visit()
    client = agency.link(vid)
    token = guest_token(agency, vid)
    page = agency.client_page(token)
    assert (page["role"], page["client_first_name"], page["guest_first_name"]) == ("guest", "Eleanor", None)
    assert agency.client_page(client)["guest_first_name"] == "Ann"  # the client's page can name the guest's tile
    with pytest.raises(WaitingForCaregiver):
        agency.client_join(token)
    # When the caregiver and the client are in, the guest joins and then leaves
    agency.clock_in(vid)
    agency.join(vid)
    agency.client_join(client)
    joined = agency.client_join(token)
    assert joined["attendee"]["external_user_id"] == f"guest-{vid}"
    assert agency.session(vid)["guest"]["present"] is True
    assert agency.client_leave(token)["state"] == "active"
    # Then the session and the client's presence are as they were, and the timeline has the guest's lines
    status = agency.session(vid)
    assert (status["state"], status["client_present"], status["guest"]["present"]) == ("active", True, False)
    assert [t for t in agency.timeline(vid) if t.startswith("guest_")] == ["guest_invited", "guest_joined",
                                                                            "guest_left"]


def test_r38_the_guests_link_dies_with_a_time_change_the_end_and_the_expiry(agency):
    # R10: a time change retires it
    vid = agency.visit()
    agency.link(vid)
    old = guest_token(agency, vid)
    agency.reschedule(vid, end=agency.now() + timedelta(minutes=30))
    with pytest.raises(InvalidLink):
        agency.client_page(old)
    assert agency.session(vid)["guest"]["invite_stale"] is True
    fresh = guest_token(agency, vid)
    assert fresh != old and agency.client_page(fresh)["role"] == "guest"
    # R23: the caregiver's hang-up ends it
    agency.clock_in(vid)
    agency.join(vid)
    agency.hang_up(vid)
    with pytest.raises(ClientSessionOver):
        agency.client_join(fresh)
    # R13: and another visit's guest link expires with its session
    other = agency.visit(client="cli2")
    agency.link(other)
    token = guest_token(agency, other)
    agency.advance(24 * 60)
    with pytest.raises(ClientLinkExpired):
        agency.client_page(token)


def test_r38_the_guests_link_by_text_names_the_agency_the_time_and_the_link_and_nothing_else(agency):
    # Given an invited client (Eleanor) and their caregiver (Maria)
    vid = agency.visit()
    agency.link(vid)
    # When the caregiver texts the guest's link
    result = invite_guest(agency, vid, "Ann", "sms", mobile_phone="+15550100777")
    # Then one text went to that number, tagged with ids and its kind only (no client: a delivery report about the
    # guest's number never marks the client's), carrying the guest's own link and no name
    ((message, context),) = agency.texter.sent
    assert message.to == "+15550100777" and context == {"agency": "ag1", "visit": vid, "kind": "guest"}
    assert message.body.startswith("Sunrise Home Care: you are invited to a video visit on ")
    token = message.body.rsplit("#", 1)[1]
    assert agency.client_page(token)["role"] == "guest"
    assert not [name for name in ("Eleanor", "Rigby", "Maria", "Ann") if name in message.body]
    assert result["session"]["guest"]["last_invite_sent_at"] is not None
    assert agency.timeline(vid)[-1] == "guest_invited"
    # And the number is not kept anywhere
    assert "+15550100777" not in repr(agency.tables.sessions)


def test_r38_r30_the_guests_email_and_text_are_in_the_guests_language_or_the_clients(agency):
    # Given a Spanish-speaking client
    agency.update_client("cli1", preferred_language="es")
    vid = agency.visit()
    agency.link(vid)
    # When the guest is invited with no language given: the client's (Spanish)
    invite_guest(agency, vid, "Ana", "email", email="ana@family.example.test")
    email = agency.mailer.sent[-1][0]
    assert email.to == "ana@family.example.test" and email.subject == "El enlace de su visita por video"
    assert "Hola, Ana:" in email.text and "le invita a participar en una visita por video" in email.text
    # And with English asked for, the text is in English
    invite_guest(agency, vid, "Ana", "sms", mobile_phone="+15550100778", language="en")
    assert agency.texter.sent[-1][0].body.startswith("Sunrise Home Care: you are invited to a video visit")
    # And in Spanish when asked for
    invite_guest(agency, vid, "Ana", "sms", mobile_phone="+15550100778", language="es")
    assert agency.texter.sent[-1][0].body.startswith("Sunrise Home Care: le invitan a una visita por video el ")


def test_r38_a_number_that_opted_out_or_a_missing_number_is_refused_and_records_nothing(agency):
    vid = agency.visit()
    agency.link(vid)
    with pytest.raises(BadRequest) as missing:
        invite_guest(agency, vid, "Ann", "sms")
    assert "mobile_phone" in missing.value.message
    agency.texter.opted_out.add("+15550100779")
    with pytest.raises(GuestOptedOut) as refused:
        invite_guest(agency, vid, "Ann", "sms", mobile_phone="+15550100779")
    assert refused.value.status == 422 and "opted out" in refused.value.message
    assert "guest_invited" not in agency.timeline(vid)
    assert agency.session(vid)["guest"]["last_invite_sent_at"] is None  # the link exists, nothing was delivered
