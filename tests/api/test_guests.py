"""R38: a guest (a family member or an interpreter), one per visit, with a link of their own that follows every rule
of the client's: it needs the session, waits for the caregiver, expires with the session (R13), dies with a time
change (R10) and with the end (R23), and a guest leaving ends nothing. Through the routes, on moto."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import boto3

from tests.conftest import NOW, email_parts, iso, sent_emails

GUEST_EMAIL = "daughter.ann@mail.example.test"
CLIENT_TEXTS = {
    "over": "Your caregiver has ended the session. You can now close this page.",
    "expired": "This link has expired. Please contact your care provider for a new invitation.",
    "invalid": "This link is no longer valid. Please ask your care provider for a new invitation.",
}


def invite_guest(api: Any, tokens: dict[str, str], vid: str, delivery: str = "link", name: str = "Ann",
                 who: str = "emp1", **extra: Any) -> Any:
    return api.call("POST", f"/api/visits/{vid}/guests", {"first_name": name, "delivery": delivery, **extra},
                    tokens[who])


def guest_link(api: Any, tokens: dict[str, str], vid: str, name: str = "Ann") -> str:
    response = invite_guest(api, tokens, vid, name=name)
    assert response.status_code == 200, response.json_body
    return str(response.json_body["join_url"]).split("#", 1)[1]


def test_r38_the_caregiver_emails_one_guest_their_own_link(api, tokens, make_visit, flow):
    # Given a visit whose client was invited
    vid = make_visit()
    client_token = flow.link(vid)

    # When the caregiver invites the client's daughter by email
    response = invite_guest(api, tokens, vid, "email", "  Ann  ", email=GUEST_EMAIL)

    # Then she gets an email with a link of her own (not the client's), which names neither the client nor her care
    assert response.status_code == 200, response.json_body
    guest = response.json_body["session"]["guest"]
    assert guest == {"first_name": "Ann", "present": False, "last_invite_sent_at": iso(NOW), "invite_stale": False}
    [mail] = [m for m in sent_emails() if GUEST_EMAIL in str(m["To"])]
    text, html = email_parts(mail)
    assert "Hello Ann" in text and "Maria from Sunrise Home Care invites you" in text
    assert "Eleanor" not in text + html + str(mail["Subject"]) and "Ann" not in str(mail["Subject"])
    token = text.split("/join#", 1)[1].split()[0]
    assert token != client_token and len(token) == 43
    # ... the timeline records it, with how it went (R26)
    assert flow.timeline(vid)[-1] == "guest_invited"
    # ... and nothing keeps her address
    from chalicelib.persistence.models import Item

    assert all(GUEST_EMAIL not in str(item.attribute_values) for item in Item.scan())


def test_r38_a_copied_link_and_a_resend_are_the_same_link(api, tokens, make_visit, flow):
    vid = make_visit()
    flow.link(vid)
    first = guest_link(api, tokens, vid)
    again = guest_link(api, tokens, vid, name="ann")  # the same guest, whatever the case
    assert first == again
    assert flow.timeline(vid).count("guest_invited") == 2
    assert flow.session(vid)["guest"]["first_name"] == "Ann"


def test_r38_one_guest_per_visit(api, tokens, make_visit, flow):
    vid = make_visit()
    flow.link(vid)
    guest_link(api, tokens, vid)
    response = invite_guest(api, tokens, vid, name="Rosa")
    assert response.status_code == 409
    assert response.json_body == {"Code": "GUEST_EXISTS",
                                  "Message": "This visit already has a guest. A visit can have one guest."}


def test_r38_a_guest_needs_the_session_and_the_assigned_caregiver(api, tokens, make_visit, flow):
    vid = make_visit()
    # Before the client's invite there is no session to join
    response = invite_guest(api, tokens, vid)
    assert response.status_code == 409
    assert response.json_body == {"Code": "NO_SESSION",
                                  "Message": "Send the invite to the client before inviting a guest."}
    flow.link(vid)
    # Only the assigned caregiver invites (R05); another agency's visit is not found (R25)
    assert invite_guest(api, tokens, vid, who="emp2").json_body["Code"] == "NOT_ASSIGNED"
    assert invite_guest(api, tokens, vid, who="other").status_code == 404
    # An email invite needs an address; a name needs a letter (R25: the message names the field)
    missing = invite_guest(api, tokens, vid, "email")
    assert missing.status_code == 400 and "'email'" in missing.json_body["Message"]
    assert "'first_name'" in invite_guest(api, tokens, vid, name="   ").json_body["Message"]
    assert invite_guest(api, tokens, vid, name="A" * 51).status_code == 400
    assert "guest_invited" not in flow.timeline(vid)


def test_r38_the_guest_link_follows_the_clients_rules(api, tokens, make_visit, flow):
    # Given a visit with a client link and a guest link
    vid = make_visit()
    client_token = flow.link(vid)
    token = guest_link(api, tokens, vid)

    # The guest's page: the agency, the caregiver, the time, and the names of the others in the call (R16, R38)
    view = flow.client("view", token).json_body
    assert view["role"] == "guest" and view["caregiver_first_name"] == "Maria"
    assert view["client_first_name"] == "Eleanor" and view["guest_first_name"] is None
    assert flow.client("view", client_token).json_body["guest_first_name"] == "Ann"

    # It waits for the caregiver (R16)
    early = flow.client("attendee", token)
    assert early.status_code == 409 and early.json_body["Code"] == "WAITING_FOR_CAREGIVER"

    # Once the caregiver is in, the guest joins with an attendee of their own, and the timeline says so
    flow.post(vid, "clock-in")
    flow.post(vid, "session/join")
    joined = flow.client("attendee", token).json_body
    assert joined["attendee"]["external_user_id"] == f"guest-{vid}"
    assert flow.session(vid)["guest"]["present"] is True
    assert flow.timeline(vid)[-1] == "guest_joined"

    # A guest leaving ends nothing (R38), and the same link rejoins as the same attendee (R24)
    assert flow.client("leave", token).json_body == {"state": "active"}
    assert flow.session(vid)["state"] == "active" and flow.session(vid)["guest"]["present"] is False
    assert flow.timeline(vid)[-1] == "guest_left"
    assert flow.client("attendee", token).json_body["attendee"]["attendee_id"] == joined["attendee"]["attendee_id"]
    assert flow.client("attendee", client_token).status_code == 200

    # The caregiver's hang-up ends it for the guest too (R23), with the client's words
    flow.post(vid, "session/end")
    over = flow.client("attendee", token)
    assert over.status_code == 409 and over.json_body["Message"] == CLIENT_TEXTS["over"]
    assert flow.client("view", token).json_body["state"] == "over"
    assert flow.session(vid)["guest"]["present"] is False
    assert invite_guest(api, tokens, vid).json_body["Code"] == "SESSION_OVER"


def test_r38_r13_the_guest_link_expires_with_the_session(api, tokens, make_visit, flow, clock):
    vid = make_visit()
    flow.link(vid)
    token = guest_link(api, tokens, vid)
    clock.advance(timedelta(minutes=65))
    for action in ("view", "attendee", "leave"):
        response = flow.client(action, token)
        assert response.status_code == 410 and response.json_body["Message"] == CLIENT_TEXTS["expired"]
    assert invite_guest(api, tokens, vid).json_body["Code"] == "LINK_EXPIRED"


def test_r38_r10_a_time_change_retires_the_guest_link_and_a_new_invite_issues_a_fresh_one(api, tokens, make_visit,
                                                                                         flow):
    vid = make_visit()
    flow.link(vid)
    old = guest_link(api, tokens, vid)
    moved = api.call("PATCH", f"/api/visits/{vid}", {"start": iso(NOW), "end": iso(NOW + timedelta(hours=1))},
                     tokens["coord"])
    assert moved.status_code == 200
    assert flow.session(vid)["guest"]["invite_stale"] is True
    response = flow.client("view", old)
    assert response.status_code == 404 and response.json_body["Message"] == CLIENT_TEXTS["invalid"]
    fresh = guest_link(api, tokens, vid)
    assert fresh != old and flow.client("view", fresh).status_code == 200
    assert flow.session(vid)["guest"]["invite_stale"] is False


def test_r38_the_guests_chime_attendee_carries_no_name(services, clock, make_visit, flow, api, tokens):
    from botocore.stub import Stubber

    from chalicelib.integrations.meetings import ChimeMeetings
    from chalicelib.services import Services, use_services
    from tests.api.test_chime import attendee, expect_meeting

    # Given a visit with a guest, on Chime
    vid = make_visit()
    flow.link(vid)
    token = guest_link(api, tokens, vid)
    flow.post(vid, "clock-in")
    client = boto3.client("chime-sdk-meetings", region_name="us-east-1")
    chime = Stubber(client)
    chime.activate()
    use_services(Services(clock=clock, meetings=ChimeMeetings(client, "us-east-1", sleep=lambda _: None)))
    try:
        mid = str(uuid.uuid4())
        expect_meeting(chime, vid, mid)
        chime.add_response("create_attendee", attendee(f"guest-{vid}", str(uuid.uuid4())),
                           {"MeetingId": mid, "ExternalUserId": f"guest-{vid}"})
        flow.post(vid, "session/join")
        # When the guest joins, Chime is asked for the attendee `guest-<visit>`: no name, no address
        assert flow.client("attendee", token).status_code == 200
        chime.assert_no_pending_responses()
    finally:
        chime.deactivate()
        use_services(services)


def test_r38_the_caregiver_texts_the_guest_their_link_through_end_user_messaging(api, tokens, make_visit, flow, sms):
    # Given a visit whose client was invited, and End User Messaging that accepts one text, then refuses a number
    # that replied STOP
    vid = make_visit()
    flow.link(vid)
    sms.accepts()
    sms.refuses("ConflictException", "DESTINATION_PHONE_NUMBER_OPTED_OUT")

    # When the caregiver texts the guest's link, in Spanish
    response = invite_guest(api, tokens, vid, "sms", mobile_phone="+15550100777", language="es")

    # Then one transactional text went to that number, tagged with ids and its kind (no client), carrying the guest's
    # own link in Spanish and no name, for no longer than the link lives
    assert response.status_code == 200, response.json_body
    [request] = sms.requests
    assert request["DestinationPhoneNumber"] == "+15550100777" and request["MessageType"] == "TRANSACTIONAL"
    assert request["Context"] == {"agency": "ag1", "visit": vid, "kind": "guest"}
    assert request["MessageBody"].startswith("Sunrise Home Care: le invitan a una visita por video el ")
    assert not [name for name in ("Eleanor", "Rigby", "Maria", "Ann") if name in request["MessageBody"]]
    token = request["MessageBody"].rsplit("#", 1)[1]
    assert flow.client("view", token).json_body["role"] == "guest"
    assert 0 < request["TimeToLive"] <= 259_200
    assert flow.timeline(vid)[-1] == "guest_invited"

    # When a number that replied STOP is given
    refused = invite_guest(api, tokens, vid, "sms", mobile_phone="+15550100888")

    # Then the caregiver is told plainly, nothing is recorded, and the number is kept nowhere
    assert refused.status_code == 422 and refused.json_body["Code"] == "GUEST_OPTED_OUT", refused.json_body
    assert flow.timeline(vid).count("guest_invited") == 1
    from chalicelib.persistence.models import Item

    assert all("+1555010" not in str(item.attribute_values) for item in Item.scan())
    sms.done()
