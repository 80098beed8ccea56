"""Joining and leaving: R11-R16, R19, R24."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import NOW, iso


def _ready(make_visit, flow, **kw):
    vid = make_visit(**kw)
    token = flow.link(vid)
    assert flow.post(vid, "clock-in").status_code == 200
    return vid, token


def test_r11_join_needs_clock_in(make_visit, flow):
    vid = make_visit()
    flow.invite(vid)
    response = flow.post(vid, "session/join")
    assert response.status_code == 409
    assert response.json_body == {
        "Code": "NOT_CLOCKED_IN",
        "Message": "You must clock in to the visit before you can join the video session.",
    }
    assert flow.session(vid)["state"] == "invited"


def test_r12_join_needs_a_session(make_visit, flow):
    vid = make_visit()
    flow.post(vid, "clock-in")
    response = flow.post(vid, "session/join")
    assert response.status_code == 409
    assert response.json_body == {
        "Code": "NO_SESSION", "Message": "Send the invite to the client before joining the video session.",
    }


def test_r12_only_the_assigned_employee_joins(make_visit, flow, tokens):
    vid, _ = _ready(make_visit, flow)
    response = flow.post(vid, "session/join", tokens["emp2"])
    assert response.status_code == 403 and response.json_body["Code"] == "NOT_ASSIGNED"


def test_r13_link_expires_15_minutes_after_scheduled_end(make_visit, flow, clock):
    # Given a visit 14:50-15:50 with a link and the caregiver clocked in
    vid, token = _ready(make_visit, flow)
    # When the clock reads 14:59 after the end, both sides still join
    clock.advance(timedelta(minutes=50 + 14, seconds=59))
    assert flow.post(vid, "session/join").status_code == 200
    assert flow.client("attendee", token).status_code == 200
    # When it reads 15:01 after the end
    clock.advance(timedelta(minutes=1, seconds=2))
    employee = flow.post(vid, "session/join")
    client = flow.client("view", token)
    # Then the caregiver and the client each get their own 410 text
    assert employee.status_code == 410
    assert employee.json_body == {
        "Code": "LINK_EXPIRED",
        "Message": "The link to the virtual session has expired. Create a new visit and send a new invite to the "
                   "client.",
    }
    assert client.status_code == 410
    assert {k: client.json_body[k] for k in ("Code", "Message")} == {
        "Code": "LINK_EXPIRED",
        "Message": "This link has expired. Please contact your care provider for a new invitation.",
    }
    # And no invite, copy or resend is possible any more
    for delivery in ("email", "link"):
        assert flow.invite(vid, delivery).json_body["Code"] == "LINK_EXPIRED"
    assert flow.client("attendee", token).status_code == 410
    assert flow.session(vid)["state"] == "expired"


def test_r44_an_expired_link_still_shows_the_agency_caregiver_first_name_and_time(api, tokens, make_visit, flow, clock):
    # Given a visit 14:50-15:50 whose session the caregiver ended, and whose link then expired (15:50 + 15 min);
    # and another visit's link, replaced when the visit was moved
    moved = make_visit(start=NOW + timedelta(minutes=60))
    old_link = flow.link(moved)
    start = NOW + timedelta(minutes=90)
    assert api.call("PATCH", f"/api/visits/{moved}", {"start": iso(start), "end": iso(start + timedelta(minutes=60))},
                    tokens["coord"]).status_code == 200
    vid, token = _ready(make_visit, flow)
    flow.post(vid, "session/join")
    assert flow.post(vid, "session/end").status_code == 200
    ended = flow.client("view", token).json_body
    clock.advance(timedelta(minutes=50 + 16))
    # When the client reloads the link
    response = flow.client("view", token)
    # Then the refusal is R13's, and carries what the ended page showed: the agency, the caregiver's first name,
    # the time and its zone, and nothing else about the visit
    assert response.status_code == 410
    assert response.json_body == {
        "Code": "LINK_EXPIRED",
        "Message": "This link has expired. Please contact your care provider for a new invitation.",
        "Visit": {"agency_name": "Sunrise Home Care", "caregiver_first_name": "Maria",
                  "start": iso(NOW - timedelta(minutes=10)), "end": iso(NOW + timedelta(minutes=50)),
                  "time_zone": "America/New_York", "zone_names": {"en": "Eastern Time", "es": "hora del Este"}},
    }
    assert response.json_body["Visit"] == {k: ended[k] for k in response.json_body["Visit"]}
    flat = str(response.json_body)
    for private in ("Eleanor", "Rigby", "Lopez", "Telehealth", "cli1", "emp1", vid):
        assert private not in flat
    # And a link that is not (or no longer) the visit's tells nothing: an unknown token, a link replaced by a
    # reschedule, and something that is not a token at all
    for other in ("A" * 43, old_link, "not a token"):
        refused = flow.client("view", other)
        assert refused.status_code in (400, 404) and set(refused.json_body) == {"Code", "Message"}, other
    # ... and the join itself, once expired, stays a bare refusal (the page already shows the visit)
    assert flow.client("attendee", token).json_body.keys() == {"Code", "Message"}


def test_r13_no_first_invite_after_expiry(make_visit, flow):
    vid = make_visit(start=NOW - timedelta(hours=3))
    response = flow.invite(vid, "link")
    assert response.status_code == 410 and response.json_body["Code"] == "LINK_EXPIRED"
    assert flow.session(vid)["state"] == "none"


def test_r15_status_tells_the_call_window_the_client_is_missing_and_when_invited(make_visit, flow, clock):
    # Given an invite at 15:00 and the caregiver in the call
    vid = make_visit()
    flow.invite(vid)
    flow.post(vid, "clock-in")
    clock.advance(timedelta(minutes=3))
    joined = flow.post(vid, "session/join")
    # Then the join and the status both say the client is not there, with the last invite time (UTC)
    assert joined.json_body["client_present"] is False
    status = flow.session(vid)
    assert status["client_present"] is False
    assert status["last_invite_sent_at"] == iso(NOW)


def test_r16_client_page_shows_agency_caregiver_first_name_and_time_only(make_visit, flow):
    vid, token = _ready(make_visit, flow)
    response = flow.client("view", token)
    assert response.status_code == 200
    body = response.json_body
    assert set(body) == {"agency_name", "caregiver_first_name", "start", "end", "time_zone", "zone_names", "state",
                         "caregiver_present", "language", "provider"}
    assert body["zone_names"] == {"en": "Eastern Time", "es": "hora del Este"}  # R44: as the email names it
    assert body["language"] == "en"  # R30: the client's language, nothing else about the client
    assert body["provider"] == "local"  # the page loads this provider's code during the device check
    assert body["agency_name"] == "Sunrise Home Care"
    assert body["caregiver_first_name"] == "Maria"
    assert body["start"] == iso(NOW - timedelta(minutes=10))
    assert body["state"] == "invited" and body["caregiver_present"] is False
    flat = str(body)
    for private in ("Eleanor", "Rigby", "Lopez", "Telehealth", "cli1", "emp1", vid):
        assert private not in flat


def test_r16_client_waits_for_the_caregiver_then_both_are_in(make_visit, flow):
    vid, token = _ready(make_visit, flow)
    waiting = flow.client("attendee", token)
    assert waiting.status_code == 409
    assert waiting.json_body == {"Code": "WAITING_FOR_CAREGIVER", "Message": "Your caregiver will join shortly."}
    employee = flow.post(vid, "session/join").json_body
    client = flow.client("attendee", token).json_body
    assert employee["meeting"]["MeetingId"] == client["meeting"]["MeetingId"]
    assert employee["attendee"]["attendee_id"] != client["attendee"]["attendee_id"]
    assert flow.client("view", token).json_body["caregiver_present"] is True
    assert flow.session(vid)["client_present"] is True


def test_r19_client_leave_keeps_the_session_and_the_link_rejoins(make_visit, flow):
    vid, token = _ready(make_visit, flow)
    flow.post(vid, "session/join")
    first = flow.client("attendee", token).json_body["attendee"]["attendee_id"]
    left = flow.client("leave", token)
    assert left.status_code == 200 and left.json_body == {"state": "active"}
    status = flow.session(vid)
    assert status["state"] == "active" and status["client_present"] is False
    again = flow.client("attendee", token)
    assert again.status_code == 200 and again.json_body["attendee"]["attendee_id"] == first
    assert flow.timeline(vid)[-3:] == ["client_joined", "client_left", "client_joined"]


def test_r24_closing_the_window_ends_nothing_and_rejoin_gets_the_same_attendee(make_visit, flow):
    vid, _ = _ready(make_visit, flow)
    first = flow.post(vid, "session/join").json_body
    left = flow.post(vid, "session/leave")
    assert left.status_code == 200 and left.json_body["state"] == "active"
    again = flow.post(vid, "session/join").json_body
    assert again["attendee"]["attendee_id"] == first["attendee"]["attendee_id"]
    assert again["meeting"]["MeetingId"] == first["meeting"]["MeetingId"]
    assert flow.timeline(vid)[-3:] == ["employee_joined", "employee_left", "employee_joined"]


def test_meeting_gone_is_recreated_for_the_same_session(make_visit, flow, services):
    # Given a live call whose meeting the provider ended (Chime ends idle meetings)
    vid, token = _ready(make_visit, flow)
    first = flow.post(vid, "session/join").json_body["meeting"]["MeetingId"]
    services.meetings.delete_meeting(first)
    # When the caregiver joins again, a new meeting serves the same session, and the client follows it
    second = flow.post(vid, "session/join").json_body["meeting"]["MeetingId"]
    assert second != first
    assert flow.client("attendee", token).json_body["meeting"]["MeetingId"] == second
    assert flow.session(vid)["state"] == "active"
