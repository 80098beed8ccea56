"""Inviting the client (R04-R10) and the invite email."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import NOW, email_parts, iso, link_token_in, sent_emails


def test_r04_send_invite_emails_the_client_and_creates_the_session(api, tokens, make_visit, flow):
    # Given a virtual visit with no session
    vid = make_visit()
    assert flow.session(vid)["state"] == "none"
    # When the assigned caregiver sends the invite
    response = flow.invite(vid)
    # Then the client's address gets one email and the session exists
    assert response.status_code == 200, response.body
    assert response.json_body["session"]["state"] == "invited"
    mails = sent_emails()
    assert [m["To"] for m in mails] == ["eleanor.rigby@mail.example.test"]
    assert flow.session(vid)["state"] == "invited"


def test_r04_email_is_multipart_with_everything_the_client_needs(api, tokens, make_visit, flow):
    # Given an invite for a visit at 14:50 UTC (09:50 in New York)
    vid = make_visit()
    flow.invite(vid)
    # When the client reads it
    [mail] = sent_emails()
    text, html = email_parts(mail)
    # Then text and HTML both carry agency, caregiver first name, local time, link, expiry and three tips; the
    # calendar entry rides beside them (R31)
    assert mail.get_content_type() == "multipart/mixed"
    assert mail["From"].addresses[0].addr_spec == "visits@sunrise.example.test"
    for part in (text, html):
        assert "Sunrise Home Care" in part
        assert "Maria" in part and "Lopez" not in part
        assert "9:50 AM Eastern Time" in part  # 14:50 UTC in America/New_York, as an en-US reader reads it (R44)
        assert "11:05 AM Eastern Time" in part  # expiry: end 15:50 UTC + 15 min, in New York
        assert "https://visits.example.test/join#" in part
    assert text.count("\n  1. ") == 1 and "  3. " in text
    assert html.count("<li>") == 3
    # And the link in the email works for the client
    assert api.call("POST", "/api/join", {"token": link_token_in(text)}).status_code == 200


def test_r04_subject_carries_no_personal_data(make_visit, flow):
    vid = make_visit()
    flow.invite(vid)
    subject = sent_emails()[0]["Subject"]
    for personal in ("Eleanor", "Rigby", "Maria", "Lopez", "eleanor", "Sunrise", "Telehealth"):
        assert personal not in subject


def test_r05_only_assigned_employee_can_invite(api, tokens, make_visit, flow):
    # Given a visit assigned to emp1
    vid = make_visit()
    # When another caregiver and the coordinator try to invite or copy
    for token in (tokens["emp2"], tokens["coord"]):
        for delivery in ("email", "link"):
            response = flow.invite(vid, delivery, token)
            # Then both get 403 NOT_ASSIGNED with the SPEC text, and nothing is created
            assert response.status_code == 403
            assert response.json_body == {
                "Code": "NOT_ASSIGNED",
                "Message": "You need to be assigned to the visit to be able to send an invitation to the client.",
            }
    assert flow.session(vid)["state"] == "none"
    assert sent_emails() == []


def test_r06_client_without_email_cannot_be_emailed_but_link_works(make_visit, flow):
    vid = make_visit(client="cli2")
    response = flow.invite(vid, "email")
    assert response.status_code == 422
    assert response.json_body == {
        "Code": "CLIENT_HAS_NO_EMAIL", "Message": "The client does not have an email address.",
    }
    assert flow.session(vid)["state"] == "none"
    copied = flow.invite(vid, "link")
    assert copied.status_code == 200
    assert copied.json_body["join_url"].startswith("https://visits.example.test/join#")
    assert flow.session(vid)["state"] == "invited"


def test_r07_copy_link_returns_a_fragment_link_and_creates_the_session(api, make_visit, flow):
    vid = make_visit()
    response = flow.invite(vid, "link")
    assert response.status_code == 200
    url = response.json_body["join_url"]
    base, token = url.split("#")
    assert base == "https://visits.example.test/join" and "?" not in url
    assert len(token) == 43
    assert response.json_body["session"]["state"] == "invited"
    assert response.json_body["session"]["last_invite_sent_at"] is None  # nothing was emailed
    assert sent_emails() == []
    assert flow.timeline(vid) == ["link_copied"]


def test_r08_invite_before_or_after_clock_in(make_visit, flow):
    before, after = make_visit(), make_visit()
    assert flow.invite(before).status_code == 200
    assert flow.post(after, "clock-in").status_code == 200
    assert flow.invite(after).status_code == 200


def test_r09_resend_sends_the_same_link_and_records_the_time(api, tokens, make_visit, flow, clock):
    # Given an invite sent at 15:00
    vid = make_visit()
    flow.invite(vid)
    # When the caregiver resends at 15:07
    clock.advance(timedelta(minutes=7))
    response = flow.invite(vid)
    # Then the same link goes out again, and the last-sent time moves
    first, second = (link_token_in(email_parts(m)[0]) for m in sent_emails())
    assert first == second
    assert response.json_body["session"]["last_invite_sent_at"] == iso(NOW + timedelta(minutes=7))
    assert flow.link(vid) == first
    assert flow.timeline(vid) == ["invite_sent", "invite_sent", "link_copied"]


def test_r10_time_change_stops_old_links_and_resend_issues_a_fresh_one(api, tokens, make_visit, flow):
    # Given a link sent for the original time
    vid = make_visit(minutes=60)
    old = flow.link(vid)
    # When the coordinator moves the visit an hour later
    moved = api.call("PATCH", f"/api/visits/{vid}", {
        "start": iso(NOW + timedelta(minutes=50)), "end": iso(NOW + timedelta(minutes=110)),
    }, tokens["coord"])
    assert moved.status_code == 200, moved.body
    # Then the dialog says the invite is stale and the old link is refused with the SPEC text
    assert moved.json_body["session"]["invite_stale"] is True
    refused = flow.client("view", old)
    assert refused.status_code == 404
    assert refused.json_body == {
        "Code": "INVALID_LINK",
        "Message": "This link is no longer valid. Please ask your care provider for a new invitation.",
    }
    # And resending issues a fresh link whose expiry follows the new end time
    resent = flow.invite(vid)
    assert resent.json_body["session"]["invite_stale"] is False
    assert resent.json_body["session"]["link_expires_at"] == iso(NOW + timedelta(minutes=125))
    fresh = link_token_in(email_parts(sent_emails()[-1])[0])
    assert fresh != old
    assert flow.client("view", fresh).status_code == 200
    assert flow.client("view", old).status_code == 404


def test_r10_reassign_alone_keeps_the_link(api, tokens, make_visit, flow):
    vid = make_visit()
    link = flow.link(vid)
    moved = api.call("PATCH", f"/api/visits/{vid}", {"employee_id": "emp2"}, tokens["coord"])
    assert moved.status_code == 200
    assert moved.json_body["session"]["invite_stale"] is False
    view = flow.client("view", link)
    assert view.status_code == 200 and view.json_body["caregiver_first_name"] == "James"
    assert flow.invite(vid, token=tokens["emp1"]).status_code == 403
    assert flow.invite(vid, "link", tokens["emp2"]).status_code == 200


def test_invite_on_in_person_visit_is_refused(make_visit, flow):
    vid = make_visit(virtual=False, service="PC")
    response = flow.invite(vid)
    assert response.status_code == 422 and response.json_body["Code"] == "VISIT_NOT_VIRTUAL"
