"""The join path against a throttling Chime: calls counted, waits recorded, nothing slept (issue 16).

Chime is `FakeChime` behind a real `chime-sdk-meetings` client (every request checked against the service model, as
`Stubber` checks it), with the service's per-operation rate limits. `ChimeMeetings` gets its sleep function as an
argument: here it moves the test's clock instead of sleeping, so Chime's token buckets refill exactly as the waits
say, and no test waits. The draw is fixed at its ceiling, so every wait is the
largest the policy allows: the counts below are exact, not a matter of timing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from chalicelib.clock import ShiftedClock
from chalicelib.errors import VideoBusy, VideoUnavailable
from chalicelib.integrations.meetings import JOIN_PATIENCE, QUICK, ChimeMeetings
from tests.conftest import NOW, seed_world
from tests.memory import memory_services
from tests.reliability.fake_chime import FakeAttendee, FakeChime, FakeMeeting, Rate, chime_rates
from tests.unit.conftest import Agency

CEILING = 1.0  # the draw: each wait is min(cap, first * 2**n), the longest the policy allows


@dataclass
class Burst:
    agency: Agency
    chime: FakeChime
    waits: list[float]

    def calls(self, operation: str, ok: bool | None = None) -> int:
        return sum(1 for c in self.chime.calls if c.operation == operation and (ok is None or c.ok == ok))


@pytest.fixture
def burst() -> Iterator[Burst]:
    clock = ShiftedClock(base=lambda: NOW)
    chime = FakeChime(clock, rates=chime_rates(10))
    waits: list[float] = []

    def sleep(seconds: float) -> None:  # time passes for Chime's buckets; the test does not wait
        waits.append(seconds)
        clock.advance(timedelta(seconds=seconds))

    meetings = ChimeMeetings(chime.client, "us-east-1", sleep=sleep, draw=lambda: CEILING)
    services, tables, mailer = memory_services(clock, meetings=meetings)
    yield Burst(Agency(services, tables, mailer, clock, seed_world(services)), chime, waits)


class EmptyFor(Rate):
    """A bucket that has no token for the first `seconds` after its first call, then always has one."""

    def __init__(self, seconds: float) -> None:
        super().__init__(per_second=1, burst=1)
        self.seconds = seconds
        self.first: float | None = None

    def take(self, now: float) -> bool:
        if self.first is None:
            self.first = now
        return now - self.first >= self.seconds


def ready_visit(agency: Agency) -> tuple[str, str]:
    vid = agency.visit()
    token = agency.link(vid)
    agency.clock_in(vid)
    return vid, token


def test_the_first_join_makes_the_meeting_and_its_attendee_in_one_call(burst: Burst) -> None:
    vid, token = ready_visit(burst.agency)
    # When the caregiver joins, then the client
    joined = burst.agency.join(vid)
    client = burst.agency.client_join(token)
    # Then one CreateMeetingWithAttendees for the caregiver, one CreateAttendee for the client, and nothing else
    assert [c.operation for c in burst.chime.calls] == ["CreateMeetingWithAttendees", "CreateAttendee"]
    assert joined["attendee"]["external_user_id"] == "employee-emp1"
    assert client["meeting"]["MeetingId"] == joined["meeting"]["MeetingId"]
    assert burst.waits == []


def test_a_lone_throttle_is_retried_once_after_a_jittered_wait_and_gets_in(burst: Burst) -> None:
    # Given Chime's CreateMeetingWithAttendees bucket is empty for a tenth of a second (another visit took it)
    vid, _ = ready_visit(burst.agency)
    burst.chime.rates["CreateMeetingWithAttendees"] = EmptyFor(seconds=0.1)
    # When the caregiver joins
    joined = burst.agency.join(vid)
    # Then the join waited (at most) 0.2 s and tried again: two attempts, no round trip to the page
    assert burst.calls("CreateMeetingWithAttendees", ok=False) == 1
    assert burst.calls("CreateMeetingWithAttendees", ok=True) == 1
    assert burst.waits == [0.2]
    assert joined["attendee"]["external_user_id"] == "employee-emp1"
    assert len(burst.chime.meetings) == 1


def test_a_join_throttled_through_its_patience_answers_video_busy_and_records_nothing(burst: Burst) -> None:
    # Given Chime throttles every attempt for longer than the join's patience
    vid, _ = ready_visit(burst.agency)
    burst.chime.rates["CreateMeetingWithAttendees"] = EmptyFor(seconds=3600)
    # When the caregiver joins
    with pytest.raises(VideoBusy):
        burst.agency.join(vid)
    # Then one retry after 0.2 s (the join's patience: two attempts, half a second of waiting at most), then 503
    # VIDEO_BUSY for the page to show "connecting" and ask again: no Lambda function waits out the burst
    assert burst.waits == [0.2]
    assert sum(burst.waits) <= JOIN_PATIENCE.budget
    assert burst.calls("CreateMeetingWithAttendees") == JOIN_PATIENCE.attempts == 2 and len(burst.chime.meetings) == 0
    assert burst.agency.session(vid)["state"] == "invited" and "employee_joined" not in burst.agency.timeline(vid)
    # When the page asks again after Chime's bucket refilled, the caregiver gets in: one meeting
    burst.chime.rates["CreateMeetingWithAttendees"] = Rate(10, 10)
    assert burst.agency.join(vid)["attendee"]["external_user_id"] == "employee-emp1"
    assert len(burst.chime.meetings) == 1


def test_a_client_join_throttled_by_chime_is_retried_like_the_caregivers(burst: Burst) -> None:
    vid, token = ready_visit(burst.agency)
    burst.agency.join(vid)
    # Given CreateAttendee's bucket is empty for a tenth of a second
    burst.chime.rates["CreateAttendee"] = EmptyFor(seconds=0.1)
    # When the client joins
    joined = burst.agency.client_join(token)
    # Then 0.2 s of waiting, two attempts, and the client is in
    assert burst.waits == [0.2]
    assert burst.calls("CreateAttendee") == 2 and burst.calls("CreateAttendee", ok=True) == 1
    assert joined["attendee"]["external_user_id"] == f"client-{vid}"


def test_a_refusal_from_chime_is_not_retried(burst: Burst) -> None:
    vid, _ = ready_visit(burst.agency)
    burst.chime.fail_next = [("CreateMeetingWithAttendees", "BadRequestException", 400)]
    with pytest.raises(VideoUnavailable) as refused:
        burst.agency.join(vid)
    assert not isinstance(refused.value, VideoBusy)
    assert burst.calls("CreateMeetingWithAttendees") == 1 and burst.waits == []


def test_ending_calls_keep_three_quick_attempts(burst: Burst) -> None:
    # Given a call, and Chime throttling DeleteMeeting
    vid, _ = ready_visit(burst.agency)
    burst.agency.join(vid)
    burst.chime.rates["DeleteMeeting"] = EmptyFor(seconds=3600)
    # When the caregiver hangs up
    ended = burst.agency.hang_up(vid)
    # Then the end stands after three attempts (0.1 + 0.2 s of waiting); the sweep deletes the meeting later
    assert ended["state"] == "over"
    assert burst.calls("DeleteMeeting") == QUICK.attempts == 3 and burst.waits == [0.1, 0.2]


def test_racing_first_joins_make_one_meeting_and_nobody_gets_anothers_attendee(burst: Burst) -> None:
    # Given the client's join recreates the meeting while the caregiver's join is making it with the same token
    # (the session's next meeting): Chime answers the second request with the first request's attendees
    vid, token = ready_visit(burst.agency)
    burst.agency.join(vid)
    first = next(iter(burst.chime.meetings.values()))
    first.live = False  # Chime ended it (idle); the next join makes meeting 2 of the session
    burst.chime.by_token[f"{vid}-2"] = "taken"
    burst.chime.meetings["taken"] = FakeMeeting("taken", f"visit-{vid}", f"{vid}-2", idle_since=None,
                                                first_attendees=["employee-emp1"])
    burst.chime.meetings["taken"].attendees["employee-emp1"] = FakeAttendee("a-emp", "employee-emp1", "jt-emp")
    # When the client joins
    joined = burst.agency.client_join(token)
    # Then the client joins meeting 2 with an attendee of its own (made by CreateAttendee), not the caregiver's
    assert joined["meeting"]["MeetingId"] == "taken"
    assert joined["attendee"]["external_user_id"] == f"client-{vid}" and joined["attendee"]["join_token"] != "jt-emp"
    assert burst.calls("CreateAttendee", ok=True) >= 1



def test_the_concurrent_meeting_quota_is_not_retried_here_and_the_page_keeps_asking(burst: Burst) -> None:
    # Given the account's concurrent meetings are all in use (the quota, 250 by default)
    vid, _ = ready_visit(burst.agency)
    burst.chime.max_meetings = 0
    # When the caregiver joins
    with pytest.raises(VideoBusy):
        burst.agency.join(vid)
    # Then one attempt (seconds of retrying free no meeting) and VIDEO_BUSY: the window keeps asking by itself
    assert burst.calls("CreateMeetingWithAttendees") == 1 and burst.waits == []
    # When a meeting of the last hour ends, the next ask gets in
    burst.chime.max_meetings = 1
    assert burst.agency.join(vid)["attendee"]["external_user_id"] == "employee-emp1"
