"""Text message invites, consent, opt-outs and delivery events through the routes, with DynamoDB and SES on moto and
End User Messaging SMS behind botocore's Stubber (R28, R29)."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.errors import INVITE_UNDELIVERABLE
from chalicelib.http import SECURITY_HEADERS
from tests.conftest import NOW, iso, sent_emails
from tests.sms_stub import CONFIGURATION_SET, ORIGIN

PHONE = "+15550100123"
PHONE_REFUSAL = "The field 'mobile_phone' must be a mobile phone number in E.164 form, like +15551234567."


def texting_client(api, tokens, language="en"):
    body = {"mobile_phone": PHONE, "sms_consent": True, "preferred_language": language}
    response = api.call("PATCH", "/api/clients/cli2", body, tokens["coord"])
    assert response.status_code == 200, response.body
    return response.json_body


def text_event(api, event_type, context, **detail):
    body = {"eventType": event_type, "eventVersion": "1.0", "isFinal": True, "messageType": "TRANSACTIONAL",
            "messageStatus": event_type.removeprefix("TEXT_"), "messageId": "m-1", **detail}
    if context is not None:
        body["context"] = context
    return api.client.lambda_.invoke("on_text_event", api.client.events.generate_cw_event(
        source="aws.sms-voice", detail_type="Text Message Delivery Status Updated", detail=body,
        resources=[])).payload


def refused(response, status, code, message):
    assert (response.status_code, response.json_body) == (status, {"Code": code, "Message": message})
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


def test_r28_the_invite_goes_out_as_a_transactional_text_with_the_configuration_set(api, tokens, make_visit, flow,
                                                                                     sms):
    # Given a client with only a mobile number, who agreed to texts
    texting_client(api, tokens)
    vid = make_visit(client="cli2")
    sms.accepts()
    # When the caregiver sends the invite by text message
    response = flow.invite(vid, "sms")
    # Then SendTextMessage went to the number, TRANSACTIONAL, from the origination identity, under the configuration
    # set, with ids only in its context, living as long as the link
    assert response.status_code == 200, response.body
    [request] = sms.requests
    link = request["MessageBody"].rsplit(" ", 1)[1]
    assert request == {
        "DestinationPhoneNumber": PHONE, "OriginationIdentity": ORIGIN, "MessageType": "TRANSACTIONAL",
        "ConfigurationSetName": CONFIGURATION_SET, "TimeToLive": 65 * 60,
        "Context": {"agency": "ag1", "client": "cli2", "visit": vid, "send": "1", "kind": "invite"},
        "MessageBody": ("Sunrise Home Care: your video visit is on Wednesday, November 25 at 9:50 AM (Eastern Time). "
                        f"Join here: {link}"),
    }
    assert link.startswith("https://visits.example.test/join#")
    assert flow.client("view", link.split("#")[1]).status_code == 200
    # And it counts as an invite: the session is invited, sent now, by text; no email went out
    session = response.json_body["session"]
    assert (session["state"], session["last_invite_sent_at"], session["last_invite_channel"]) == (
        "invited", iso(NOW), "sms")
    assert sent_emails() == []


def test_r28_each_refusal_has_its_code_and_text(api, tokens, make_visit, flow, sms):
    # No mobile number
    vid = make_visit(client="cli2")
    refused(flow.invite(vid, "sms"), 422, "CLIENT_HAS_NO_MOBILE", "The client does not have a mobile phone number.")
    # A number, but no consent
    api.call("PATCH", "/api/clients/cli2", {"mobile_phone": PHONE}, tokens["coord"])
    refused(flow.invite(vid, "sms"), 422, "CLIENT_NO_SMS_CONSENT",
            "The client has not agreed to receive text messages.")
    # Nothing was sent or recorded
    assert sms.requests == [] and flow.session(vid)["state"] == "none" and flow.timeline(vid) == []


def test_r28_a_coordinator_records_the_number_and_the_consent(api, tokens, clock):
    # When a coordinator adds a client with a mobile number and a consent to texts
    clock.advance(timedelta(minutes=2))
    created = api.call("POST", "/api/clients", {"name": "Lucía Fernández", "mobile_phone": PHONE,
                                                "sms_consent": True, "preferred_language": "es"}, tokens["coord"])
    # Then the consent holds its time and its coordinator
    assert created.status_code == 201, created.body
    client = created.json_body
    assert (client["mobile_phone"], client["sms_consent"], client["sms_status"], client["email"]) == (
        PHONE, {"at": iso(NOW + timedelta(minutes=2)), "by": "coord1"}, None, None)
    # And a number not in E.164 form is refused, naming the field
    for bad in ("5550100123", "+0555", "+1 555 010 0123", "+1555010012345678", "+15550100123\n"):
        refused(api.call("POST", "/api/clients", {"name": "X", "mobile_phone": bad}, tokens["coord"]), 400,
                "BAD_REQUEST", PHONE_REFUSAL)
    # And a caregiver sees whether the client can be texted, never the number
    listed = api.call("GET", "/api/clients", token=tokens["coord"]).json_body
    assert [c["sms_consent"]["by"] for c in listed if c["id"] == client["id"]] == ["coord1"]
    assert api.call("GET", "/api/clients", token=tokens["emp1"]).status_code == 403


def test_r28_a_failed_send_records_nothing_and_a_retry_sends_the_same_link(api, tokens, make_visit, flow, sms):
    texting_client(api, tokens)
    vid = make_visit(client="cli2")
    sms.refuses("ThrottlingException", "", status=429)
    refused(flow.invite(vid, "sms"), 503, "TEXT_FAILED",
            "The text message could not be sent just now. Nothing was changed; please try again.")
    assert flow.session(vid)["state"] == "none" and flow.timeline(vid) == []
    sms.accepts(2)
    assert flow.invite(vid, "sms").status_code == 200 and flow.invite(vid, "resend").status_code == 200
    assert sms.requests[1]["MessageBody"] == sms.requests[2]["MessageBody"]
    assert flow.timeline(vid) == ["invite_sent", "invite_sent"]


def test_r28_a_number_the_service_cannot_text_is_refused_with_422(api, tokens, make_visit, flow, sms):
    texting_client(api, tokens)
    vid = make_visit(client="cli2")
    sms.refuses("ValidationException", "CANNOT_PARSE")
    response = flow.invite(vid, "sms")
    assert (response.status_code, response.json_body["Code"]) == (422, "TEXT_REFUSED")


def test_r29_a_client_who_replied_stop_is_marked_and_answers_422(api, tokens, make_visit, flow, sms):
    # Given a client whose number replied STOP: the service refuses it
    texting_client(api, tokens)
    vid = make_visit(client="cli2")
    sms.refuses("ConflictException", "DESTINATION_PHONE_NUMBER_OPTED_OUT")
    # When the caregiver texts the invite; Then 422 CLIENT_OPTED_OUT with R29's text
    refused(flow.invite(vid, "sms"), 422, "CLIENT_OPTED_OUT",
            "The client has opted out of text messages. Send the invite by email or copy the link.")
    # And the client is marked; the next try does not reach the service; copying the link works
    visit = api.call("GET", f"/api/visits/{vid}", token=tokens["emp1"]).json_body
    assert visit["client"]["sms_status"] == "opted_out" and visit["session"]["state"] == "none"
    assert flow.invite(vid, "sms").json_body["Code"] == "CLIENT_OPTED_OUT" and len(sms.requests) == 1
    assert flow.invite(vid, "link").status_code == 200


def test_r29_delivery_events_reach_the_client_the_dialog_and_the_timeline(api, tokens, make_visit, flow, sms):
    # Given a text invite
    texting_client(api, tokens)
    vid = make_visit(client="cli2")
    sms.accepts()
    flow.invite(vid, "sms")
    context = sms.requests[0]["Context"]
    # When End User Messaging reports it undeliverable
    assert text_event(api, "TEXT_UNREACHABLE", context, destinationPhoneNumber=PHONE) == "applied"
    # Then the visit dialog says R29's text, the client's number is marked failing, the timeline has it
    visit = api.call("GET", f"/api/visits/{vid}", token=tokens["emp1"]).json_body
    assert visit["session"]["invite_undeliverable"] is True and visit["session"]["invite_warning"] == (
        INVITE_UNDELIVERABLE)
    assert visit["client"]["sms_status"] == "failing"
    timeline = api.call("GET", f"/api/visits/{vid}/timeline", token=tokens["emp1"]).json_body
    assert (timeline[-1]["type"], timeline[-1]["detail"], timeline[-1]["actor"]) == (
        "invite_undeliverable", "sms:failing", "system")
    # And a carrier opt-out marks the client opted out
    assert text_event(api, "TEXT_BLOCKED", context) == "applied"
    assert api.call("GET", f"/api/visits/{vid}", token=tokens["emp1"]).json_body["client"]["sms_status"] == (
        "opted_out")
    # And events that are not ours, or not final, change nothing
    assert text_event(api, "TEXT_QUEUED", context) == "ignored"
    assert text_event(api, "TEXT_UNREACHABLE", {"note": "nothing of ours"}) == "untagged"


def test_r29_an_email_bounce_shows_the_same_text(api, tokens, make_visit, flow):
    vid = make_visit()
    flow.invite(vid)
    detail = {"eventType": "Bounce", "bounce": {"bounceType": "Permanent"},
              "mail": {"tags": {"agency": ["ag1"], "client": ["cli1"], "visit": [vid], "send": ["1"]}}}
    assert api.client.lambda_.invoke("on_email_event", api.client.events.generate_cw_event(
        source="aws.ses", detail_type="Email Bounced", detail=detail, resources=[])).payload == "applied"
    assert flow.session(vid)["invite_warning"] == INVITE_UNDELIVERABLE
    assert flow.timeline(vid)[-1] == "invite_undeliverable"


def test_r32_the_sweep_sends_the_reminder_by_text_once(api, tokens, make_visit, flow, sms, clock):
    # Given a text invite for a visit two hours ahead
    texting_client(api, tokens, "es")
    vid = make_visit(client="cli2", start=NOW + timedelta(hours=2), minutes=45)
    sms.accepts(2)
    flow.invite(vid, "sms")

    def sweep():
        return api.client.lambda_.invoke("sweep", api.client.events.generate_cw_event(
            source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])).payload

    # When the sweep runs before and at the reminder time, twice
    clock.advance(timedelta(minutes=104))
    assert sweep()["reminded"] == 0
    clock.advance(timedelta(minutes=1))
    assert sweep()["reminded"] == 1 and sweep()["reminded"] == 0
    # Then one reminder went out, in Spanish, and it is on the timeline
    reminder = sms.requests[1]
    assert reminder["MessageBody"].startswith("Sunrise Home Care: su visita por video empieza a las 12:00 p.m. "
                                              "(hora del Este). Enlace para entrar: https://visits.example.test/join#")
    assert reminder["Context"]["kind"] == "reminder" and reminder["TimeToLive"] == 60 * 60
    assert flow.timeline(vid)[-1] == "reminder_sent"


def test_r28_a_deployment_with_no_number_to_text_from_says_so(api, tokens, make_visit, flow, services):
    from chalicelib.integrations.sms import SmsTexter

    # Given the SMS client but no origination identity configured (docs/DEPLOY.md, "Text messages")
    texting_client(api, tokens)
    vid = make_visit(client="cli2")
    services._texter = SmsTexter(object(), "")
    # When the caregiver texts the invite; Then 422 with a text that says what to do instead, and nothing recorded
    refused(flow.invite(vid, "sms"), 422, "TEXTS_NOT_SET_UP",
            "Text messages are not set up for this agency yet. Send the invite by email or copy the link.")
    assert flow.session(vid)["state"] == "none"


def test_r29_a_delivery_event_without_context_is_matched_by_its_message_id(api, tokens, make_visit, flow, sms):
    # Given a text invite, and the message id End User Messaging answered with
    texting_client(api, tokens)
    vid = make_visit(client="cli2")
    sms.accepts()
    flow.invite(vid, "sms")
    [message_id] = sms.message_ids
    # When a delivery event names only that message id, as EventBridge's examples show
    assert text_event(api, "TEXT_CARRIER_UNREACHABLE", None, messageId=message_id) == "applied"
    # Then the dialog and the client are marked all the same
    visit = api.call("GET", f"/api/visits/{vid}", token=tokens["emp1"]).json_body
    assert visit["session"]["invite_undeliverable"] is True and visit["client"]["sms_status"] == "failing"


def test_r32_the_sweep_sends_an_email_reminder_through_ses(api, tokens, make_visit, flow, clock):
    # Given an emailed invite for a visit two hours ahead
    vid = make_visit(start=NOW + timedelta(hours=2), minutes=45)
    flow.invite(vid)
    # When the scheduled sweep runs at the reminder time
    clock.advance(timedelta(minutes=105))
    payload = api.client.lambda_.invoke("sweep", api.client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])).payload
    # Then a reminder email went out through SES, with the same link and no calendar entry
    assert payload["reminded"] == 1
    invite, reminder = sent_emails()
    assert reminder["Subject"] == "Your video visit starts soon"
    assert reminder.get_content_type() == "multipart/alternative"
    link = [line for line in reminder.get_body(("plain",)).get_content().splitlines() if "/join#" in line]
    assert link and link[0] in invite.get_body(("plain",)).get_content()
    assert flow.timeline(vid)[-1] == "reminder_sent"
