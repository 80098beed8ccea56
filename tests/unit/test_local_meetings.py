"""The local provider: Chime-like meetings and attendees, and the signaling mailbox."""

from __future__ import annotations

import threading

import pytest

from chalicelib.integrations.local_meetings import LocalMeetings
from chalicelib.integrations.meetings import MeetingGone


class Tick:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_same_request_token_gives_the_same_meeting_and_same_user_the_same_attendee():
    local = LocalMeetings()
    first = local.create_meeting("visit-1", "v1-1")
    assert local.create_meeting("visit-1", "v1-1") == first
    a = local.create_attendee(first["MeetingId"], "employee-e1")
    assert local.create_attendee(first["MeetingId"], "employee-e1") == a
    assert local.create_attendee(first["MeetingId"], "client-v1")["AttendeeId"] != a["AttendeeId"]


def test_deleted_meeting_is_gone_and_a_new_token_makes_a_new_one():
    local = LocalMeetings()
    meeting = local.create_meeting("visit-1", "v1-1")
    local.delete_meeting(meeting["MeetingId"])
    with pytest.raises(MeetingGone):
        local.create_attendee(meeting["MeetingId"], "employee-e1")
    assert local.create_meeting("visit-1", "v1-2")["MeetingId"] != meeting["MeetingId"]


def test_signals_reach_the_other_attendee_and_presence_follows_heartbeats():
    tick = Tick()
    local = LocalMeetings(monotonic=tick)
    mid = local.create_meeting("visit-1", "t")["MeetingId"]
    emp = local.create_attendee(mid, "employee-e1")
    cli = local.create_attendee(mid, "client-v1")
    local.signal(mid, emp["AttendeeId"], emp["JoinToken"], "offer", {"sdp": "x"})
    got = local.poll(mid, cli["AttendeeId"], cli["JoinToken"], after=0, wait_s=0)
    assert [m["type"] for m in got["messages"]] == ["offer"]
    assert set(got["present"]) == {emp["AttendeeId"], cli["AttendeeId"]}
    assert local.poll(mid, emp["AttendeeId"], emp["JoinToken"], after=0, wait_s=0)["messages"] == []
    tick.now += 6  # the employee went quiet
    later = local.poll(mid, cli["AttendeeId"], cli["JoinToken"], after=got["next"], wait_s=0)
    assert later["present"] == [cli["AttendeeId"]]
    local.poll(mid, emp["AttendeeId"], emp["JoinToken"], after=0, wait_s=0)  # the employee is back
    local.signal(mid, cli["AttendeeId"], cli["JoinToken"], "bye", None)
    after_bye = local.poll(mid, emp["AttendeeId"], emp["JoinToken"], after=0, wait_s=0)
    assert after_bye["present"] == [emp["AttendeeId"]]
    assert after_bye["messages"][-1]["type"] == "bye"


def test_wrong_token_is_refused():
    local = LocalMeetings()
    mid = local.create_meeting("visit-1", "t")["MeetingId"]
    emp = local.create_attendee(mid, "employee-e1")
    with pytest.raises(LookupError):
        local.poll(mid, emp["AttendeeId"], "wrong", 0, 0)
    with pytest.raises(LookupError):
        local.signal("nope", emp["AttendeeId"], emp["JoinToken"], "hello", None)


def test_long_poll_wakes_on_a_message_and_on_the_end():
    local = LocalMeetings()
    mid = local.create_meeting("visit-1", "t")["MeetingId"]
    emp = local.create_attendee(mid, "employee-e1")
    cli = local.create_attendee(mid, "client-v1")
    results: dict = {"next": 0}

    def wait() -> None:
        results["poll"] = local.poll(mid, cli["AttendeeId"], cli["JoinToken"], after=results["next"], wait_s=5)
        results["next"] = results["poll"]["next"]

    waiter = threading.Thread(target=wait)
    waiter.start()
    local.signal(mid, emp["AttendeeId"], emp["JoinToken"], "hello", None)
    waiter.join(timeout=5)
    assert results["poll"]["messages"][0]["type"] == "hello"
    waiter = threading.Thread(target=wait)
    waiter.start()
    local.delete_meeting(mid)
    waiter.join(timeout=5)
    assert results["poll"]["ended"] is True and results["poll"]["messages"] == []


def _meeting_with_two(local: LocalMeetings) -> tuple[str, dict, dict]:
    mid = local.create_meeting("visit-1", "t")["MeetingId"]
    return mid, local.create_attendee(mid, "employee-e1"), local.create_attendee(mid, "client-v1")


def test_a_page_waiting_in_a_long_poll_stays_present_however_long_it_waits():
    # Given a client page that is waiting in a long poll
    tick = Tick()
    local = LocalMeetings(monotonic=tick)
    mid, emp, cli = _meeting_with_two(local)
    attendee = local._meetings[mid].attendees[cli["AttendeeId"]]
    attendee.seen("page-1", tick.now)
    attendee.polling["page-1"] = 1
    # When more than the heartbeat window passes while it waits
    tick.now += 60
    # Then the caregiver still sees the client
    seen = local.poll(mid, emp["AttendeeId"], emp["JoinToken"], after=0, wait_s=0, page="p-emp")
    assert cli["AttendeeId"] in seen["present"]
    # ... and once the poll has returned and the page goes quiet, it is gone
    attendee.polling["page-1"] = 0
    tick.now += 6
    assert cli["AttendeeId"] not in local.poll(mid, emp["AttendeeId"], emp["JoinToken"], 0, 0, "p-emp")["present"]


def test_r24_a_reloaded_pages_late_poll_does_not_bring_it_back_but_the_new_page_counts():
    # Given a client page that said bye (reload), and an old poll of it that arrives afterwards
    tick = Tick()
    local = LocalMeetings(monotonic=tick)
    mid, emp, cli = _meeting_with_two(local)
    local.poll(mid, cli["AttendeeId"], cli["JoinToken"], 0, 0, page="old")
    local.signal(mid, cli["AttendeeId"], cli["JoinToken"], "bye", {"page": "old"}, page="old")
    local.poll(mid, cli["AttendeeId"], cli["JoinToken"], 0, 0, page="old")
    # Then the caregiver does not see the client
    assert local.poll(mid, emp["AttendeeId"], emp["JoinToken"], 0, 0, "p-emp")["present"] == [emp["AttendeeId"]]
    # When the reloaded page polls
    local.poll(mid, cli["AttendeeId"], cli["JoinToken"], 0, 0, page="new")
    # Then the client is present again, also for the reconciliation's attendee list
    assert cli["AttendeeId"] in local.poll(mid, emp["AttendeeId"], emp["JoinToken"], 0, 0, "p-emp")["present"]
    assert local.list_attendees(mid) == {"employee-e1", "client-v1"}
