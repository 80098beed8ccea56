"""SES delivery events: bounces and complaints mark the client's address; suppressed addresses are refused."""

from __future__ import annotations

from tests.conftest import sent_emails

WARNING = "The last invite could not be delivered. Check the client's contact details."  # R29, for email too


def ses_event(api, kind, tags, bounce_type="Permanent"):
    detail = {"eventType": kind, "mail": {"messageId": "m1", "tags": tags}}
    if kind == "Bounce":
        detail["bounce"] = {"bounceType": bounce_type, "bounceSubType": "General",
                            "bouncedRecipients": [{"emailAddress": "x@y.z"}]}
    else:
        detail["complaint"] = {"complainedRecipients": [{"emailAddress": "x@y.z"}]}
    detail_type = "Email Bounced" if kind == "Bounce" else "Email Complaint Received"
    return api.client.lambda_.invoke("on_email_event", api.client.events.generate_cw_event(
        source="aws.ses", detail_type=detail_type, detail=detail, resources=[])).payload


def _tags(vid):
    return {"agency": ["ag1"], "client": ["cli1"], "visit": [vid]}


def test_bounce_marks_the_address_and_the_dialog_says_so(api, tokens, make_visit, flow):
    vid = make_visit()
    flow.invite(vid)
    sent = sent_emails()[0]
    assert sent["To"] == "eleanor.rigby@mail.example.test"
    assert ses_event(api, "Bounce", _tags(vid)) == "applied"
    status = flow.session(vid)
    assert status["invite_bounced"] is True and status["invite_warning"] == WARNING
    visit = api.call("GET", f"/api/visits/{vid}", token=tokens["emp1"]).json_body
    assert visit["session"]["invite_warning"] == WARNING and visit["client"]["email_failing"] is True


def test_complaint_marks_the_address(api, make_visit, flow):
    vid = make_visit()
    flow.invite(vid)
    assert ses_event(api, "Complaint", _tags(vid)) == "applied"
    assert flow.session(vid)["invite_bounced"] is True


def test_transient_bounces_and_foreign_tags_change_nothing(api, make_visit, flow):
    vid = make_visit()
    flow.invite(vid)
    assert ses_event(api, "Bounce", _tags(vid), bounce_type="Transient") == "transient"
    assert ses_event(api, "Bounce", {"agency": ["ag2"], "client": ["cli1"], "visit": [vid]}) == "unknown client"
    assert ses_event(api, "Bounce", {"agency": ["ag1#x"], "client": ["cli1"]}) == "untagged"
    assert flow.session(vid)["invite_bounced"] is False


def test_sending_to_a_suppressed_address_is_refused_with_422_until_it_changes(api, tokens, make_visit, flow):
    vid = make_visit()
    flow.invite(vid)
    ses_event(api, "Bounce", _tags(vid))
    refused = flow.invite(vid)
    assert refused.status_code == 422 and refused.json_body["Code"] == "EMAIL_SUPPRESSED"
    assert "suppression list" in refused.json_body["Message"]
    assert len(sent_emails()) == 1
    assert flow.invite(vid, "link").status_code == 200  # copying the link still works
    fixed = api.call("PATCH", "/api/clients/cli1", {"email": "eleanor@fixed.example.test"}, tokens["coord"])
    assert fixed.status_code == 200 and fixed.json_body["email_failing"] is False
    again = flow.invite(vid)
    assert again.status_code == 200 and again.json_body["session"]["invite_bounced"] is False
    assert sent_emails()[-1]["To"] == "eleanor@fixed.example.test"
