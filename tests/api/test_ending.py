"""Ending the session: R20-R23."""

from __future__ import annotations

from tests.conftest import email_parts, sent_emails

OVER = {
    "Code": "SESSION_OVER",
    "Message": "The virtual session for this visit is over. Create a new visit to start another virtual session.",
}


def _in_call(make_visit, flow):
    vid = make_visit()
    token = flow.link(vid)
    flow.post(vid, "clock-in")
    flow.post(vid, "session/join")
    flow.client("attendee", token)
    return vid, token


def test_r20_hang_up_ends_the_session_and_the_client_sees_it(make_visit, flow, services):
    vid, token = _in_call(make_visit, flow)
    meeting = flow.session(vid)
    response = flow.post(vid, "session/end")
    assert response.status_code == 200
    assert response.json_body["state"] == "over" and response.json_body["ended_reason"] == "hang_up"
    assert meeting["state"] == "active"
    assert flow.client("view", token).json_body["state"] == "over"
    refused = flow.client("attendee", token)
    assert refused.status_code == 409
    assert refused.json_body["Message"] == "Your caregiver has ended the session. You can now close this page."
    assert flow.timeline(vid)[-1] == "session_ended"


def test_r20_hang_up_deletes_the_meeting(make_visit, flow, services):
    vid, _ = _in_call(make_visit, flow)
    meeting_id = flow.post(vid, "session/join").json_body["meeting"]["MeetingId"]
    flow.post(vid, "session/end")
    import pytest

    from chalicelib.integrations.meetings import MeetingGone

    with pytest.raises(MeetingGone):
        services.meetings.create_attendee(meeting_id, "employee-emp1")


def test_r21_hang_up_does_not_clock_out(api, tokens, make_visit, flow):
    vid, _ = _in_call(make_visit, flow)
    flow.post(vid, "session/end")
    visit = api.call("GET", f"/api/visits/{vid}", token=tokens["emp1"]).json_body
    assert visit["clock_in_at"] is not None and visit["clock_out_at"] is None
    out = flow.post(vid, "clock-out")
    assert out.status_code == 200 and "warning" not in out.json_body


def test_r22_clock_out_during_a_call_ends_it_with_a_warning(make_visit, flow):
    vid, token = _in_call(make_visit, flow)
    response = flow.post(vid, "clock-out")
    assert response.status_code == 200
    assert response.json_body["warning"] == {
        "Code": "SESSION_STILL_ACTIVE",
        "Message": "The virtual session is still active. Remember to hang up the video call.",
    }
    assert response.json_body["session"]["state"] == "over"
    assert response.json_body["session"]["ended_reason"] == "clock_out"
    assert flow.client("view", token).json_body["state"] == "over"
    assert flow.timeline(vid)[-2:] == ["clocked_out", "session_ended"] or flow.timeline(vid)[-2:] == [
        "session_ended", "clocked_out"]


def test_r23_after_the_end_invite_copy_and_join_are_refused(make_visit, flow):
    for ending in ("session/end", "clock-out"):
        vid, _ = _in_call(make_visit, flow)
        flow.post(vid, ending)
        for response in (flow.invite(vid, "email"), flow.invite(vid, "link"), flow.post(vid, "session/join")):
            assert response.status_code == 409
            assert response.json_body == OVER


def test_r23_client_hang_up_never_ends_the_session(make_visit, flow):
    vid, token = _in_call(make_visit, flow)
    for _ in range(3):
        flow.client("leave", token)
        flow.client("attendee", token)
    assert flow.session(vid)["state"] == "active"
    assert flow.invite(vid).status_code == 200
    assert len(sent_emails()) == 1 and email_parts(sent_emails()[0])[0]


def test_hang_up_twice_is_harmless(make_visit, flow):
    vid, _ = _in_call(make_visit, flow)
    first = flow.post(vid, "session/end").json_body
    second = flow.post(vid, "session/end")
    assert second.status_code == 200 and second.json_body == first
    assert flow.timeline(vid).count("session_ended") == 1
