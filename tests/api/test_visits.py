"""Scheduling and the dialog's data: R01-R03, R17, R26, R27."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import NOW, iso

WEEK = "?from=2026-11-22T00:00:00Z&to=2026-11-29T00:00:00Z"


def test_r01_virtual_visit_needs_an_allowing_service_code(api, tokens, make_visit):
    response = api.call("POST", "/api/visits", {
        "client_id": "cli1", "employee_id": "emp1", "service_code": "PC",
        "start": iso(NOW), "end": iso(NOW + timedelta(hours=1)), "virtual": True,
    }, tokens["coord"])
    assert response.status_code == 422
    assert response.json_body == {
        "Code": "SERVICE_NOT_VIRTUAL", "Message": "This service code does not allow virtual visits.",
    }
    assert api.call("GET", f"/api/schedule{WEEK}", token=tokens["emp1"]).json_body == []
    assert make_visit(service="PC", virtual=False)
    assert make_visit(service="TELE", virtual=True)


def test_r01_only_coordinators_schedule(api, tokens):
    response = api.call("POST", "/api/visits", {
        "client_id": "cli1", "employee_id": "emp1", "service_code": "TELE",
        "start": iso(NOW), "end": iso(NOW + timedelta(hours=1)), "virtual": True,
    }, tokens["emp1"])
    assert response.status_code == 403


def test_r02_schedules_mark_virtual_visits(api, tokens, make_visit):
    virtual = make_visit()
    in_person = make_visit(service="PC", virtual=False, start=NOW + timedelta(hours=2))
    mine = api.call("GET", f"/api/schedule{WEEK}", token=tokens["emp1"]).json_body
    assert [(v["id"], v["virtual"]) for v in mine] == [(virtual, True), (in_person, False)]
    clients = api.call("GET", f"/api/clients/cli1/schedule{WEEK}", token=tokens["coord"]).json_body
    assert {v["id"]: v["virtual"] for v in clients} == {virtual: True, in_person: False}
    employees = api.call("GET", f"/api/employees/emp1/schedule{WEEK}", token=tokens["coord"]).json_body
    assert {v["id"]: v["virtual"] for v in employees} == {virtual: True, in_person: False}


def test_r03_visit_details_say_virtual_with_client_summary(api, tokens, make_visit):
    vid = make_visit()
    body = api.call("GET", f"/api/visits/{vid}", token=tokens["emp1"]).json_body
    assert body["virtual"] is True
    assert body["client"] == {"id": "cli1", "name": "Eleanor Rigby", "has_email": True, "email_failing": False,
                                 "has_mobile": False, "sms_consent": False, "sms_status": None,
                                 "preferred_language": "en"}
    assert body["session"]["state"] == "none"
    assert body["start"] == iso(NOW - timedelta(minutes=10))


def test_r17_notes_save_while_a_call_runs(api, tokens, make_visit, flow):
    vid = make_visit()
    flow.link(vid)
    flow.post(vid, "clock-in")
    flow.post(vid, "session/join")
    saved = api.call("PUT", f"/api/visits/{vid}/notes", {"notes": "Took morning medication."}, tokens["emp1"])
    assert saved.status_code == 200
    assert api.call("GET", f"/api/visits/{vid}", token=tokens["emp1"]).json_body["notes"] == "Took morning medication."
    assert flow.session(vid)["state"] == "active"
    other = api.call("PUT", f"/api/visits/{vid}/notes", {"notes": "x"}, tokens["emp2"])
    assert other.status_code == 403


def test_r26_timeline_records_every_change_with_time_and_actor(api, tokens, make_visit, flow, clock):
    vid = make_visit()
    steps = [
        lambda: flow.invite(vid), lambda: flow.link(vid), lambda: flow.post(vid, "clock-in"),
        lambda: flow.post(vid, "session/join"), lambda: flow.client("attendee", token),
        lambda: flow.client("leave", token), lambda: flow.post(vid, "session/leave"),
        lambda: flow.post(vid, "session/end"), lambda: flow.post(vid, "clock-out"),
    ]
    token = ""
    for n, step in enumerate(steps):
        clock.advance(timedelta(minutes=1))
        result = step()
        if n == 1:
            token = result
    timeline = api.call("GET", f"/api/visits/{vid}/timeline", token=tokens["coord"]).json_body
    assert [e["type"] for e in timeline] == [
        "invite_sent", "link_copied", "clocked_in", "employee_joined", "client_joined", "client_left",
        "employee_left", "session_ended", "clocked_out",
    ]
    assert [e["at"] for e in timeline] == [iso(NOW + timedelta(minutes=n)) for n in range(1, 10)]
    assert {e["actor"] for e in timeline} == {"employee:emp1", "client"}
    assert timeline[7]["detail"] == "hang_up"


def test_r27_scheduled_sweep_expires_sessions_and_ends_their_meetings(api, tokens, make_visit, flow, clock, services):
    # Given one live call and one invited-only session, both past expiry, and one still in time
    live = make_visit()
    token = flow.link(live)
    flow.post(live, "clock-in")
    meeting_id = flow.post(live, "session/join").json_body["meeting"]["MeetingId"]
    invited = make_visit()
    flow.link(invited)
    later = make_visit(start=NOW + timedelta(hours=3))
    flow.link(later)
    clock.advance(timedelta(minutes=50 + 16))
    # When the scheduled sweep runs, with nobody opening the visits
    result = api.client.lambda_.invoke("sweep", api.client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]))
    # Then both due sessions are expired, the meeting is gone, and the timeline says so
    assert result.payload == {"expired": 2, "meetings_deleted": 1, "reconciled": 0, "examined": 2,
                              "reminded": 0}
    for vid in (live, invited):
        assert flow.session(vid)["state"] == "expired"
        assert flow.session(vid)["ended_reason"] == "expired"
        assert flow.timeline(vid)[-1] == "link_expired"
    assert flow.session(later)["state"] == "invited"
    import pytest

    from chalicelib.integrations.meetings import MeetingGone

    with pytest.raises(MeetingGone):
        services.meetings.create_attendee(meeting_id, "client-x")
    assert flow.client("view", token).status_code == 410
    # And a second run finds nothing more to do
    again = api.client.lambda_.invoke("sweep", api.client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]))
    assert again.payload == {"expired": 0, "meetings_deleted": 0, "reconciled": 0, "examined": 0,
                             "reminded": 0}


def test_r11_a_visit_in_progress_cannot_be_reassigned(api, tokens, make_visit, flow):
    # Given a visit its caregiver has clocked in to
    vid = make_visit()
    flow.link(vid)
    assert flow.post(vid, "clock-in").status_code == 200
    before = flow.timeline(vid)
    # When the coordinator assigns it to another caregiver
    response = api.call("PATCH", f"/api/visits/{vid}", {"employee_id": "emp2"}, tokens["coord"])
    # Then it is refused: the clock-in is the first caregiver's, and joining needs one's own (R11)
    assert response.status_code == 409
    assert response.json_body == {
        "Code": "VISIT_IN_PROGRESS",
        "Message": "This visit is in progress. The caregiver must clock out before it can be assigned to someone else.",
    }
    assert flow.timeline(vid) == before
    assert flow.post(vid, "session/join", tokens["emp2"]).status_code == 403
    # ... and once clocked out, it can be reassigned (to correct the record)
    assert flow.post(vid, "clock-out").status_code == 200
    assert api.call("PATCH", f"/api/visits/{vid}", {"employee_id": "emp2"}, tokens["coord"]).status_code == 200
