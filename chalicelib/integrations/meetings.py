"""Video meetings: the interface the logic uses, and the Amazon Chime SDK implementation."""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.errors import VideoBusy, VideoUnavailable

if TYPE_CHECKING:
    from mypy_boto3_chime_sdk_meetings import ChimeSDKMeetingsClient

T = TypeVar("T")
RETRYABLE = {"ThrottlingException", "ServiceUnavailableException", "ServiceFailureException",
             "InternalServerError", "TooManyRequestsException"}


@dataclass(frozen=True)
class Patience:
    """How long a Chime call keeps trying through throttling and server errors.

    At most `attempts` attempts; before each retry a wait drawn uniformly from [0, min(cap, first * 2**n)) ("full
    jitter", so callers throttled together do not come back together), and no more than `budget` seconds of
    waiting in all. Then the caller gets `VideoBusy` (503 VIDEO_BUSY, Retry-After), which the pages answer by
    showing "connecting" and asking again (docs/PERFORMANCE.md §6).
    """

    attempts: int
    budget: float
    first: float = 0.1
    cap: float = 1.0

    def wait(self, retry: int, draw: float) -> float:
        """The wait before retry number `retry` (0 for the first), for a uniform draw in [0, 1)."""
        return draw * min(self.cap, self.first * 2.0**retry)


# Getting someone into a call (CreateMeetingWithAttendees, CreateAttendee): one quick retry (within 0.2 s), so a
# lone throttle costs no round trip to the page; any longer wait is the page's (it shows "connecting" and asks
# again every 2-4 s), so a burst never holds Lambda functions waiting: under sustained throttling every strategy
# drains at Chime's rate, and waiting in Lambda only adds duration and concurrency (1 s of patience held ~170 of
# the API handler's 200 reserved functions, 3 s all of them). Chosen with the burst benchmark (benchmarks/burst.py,
# docs/PERFORMANCE.md §6).
JOIN_PATIENCE = Patience(attempts=2, budget=0.5, first=0.2, cap=1.0)
# Everything else (delete, get, list: hang-ups, ends and the sweep): three quick attempts; the sweep retries later.
QUICK = Patience(attempts=3, budget=1.0, first=0.1, cap=1.0)


class MeetingGone(Exception):
    """The meeting no longer exists (Chime ends meetings nobody uses)."""


class Meetings(Protocol):
    """What the rules need from a video provider."""

    provider: str

    def create_meeting(self, external_meeting_id: str, request_token: str) -> dict[str, Any]: ...

    def create_meeting_with_attendee(self, external_meeting_id: str, request_token: str,
                                     external_user_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The meeting and the first attendee in it, in one call to the provider where it can."""
        ...

    def create_attendee(self, meeting_id: str, external_user_id: str) -> dict[str, Any]: ...

    def delete_meeting(self, meeting_id: str) -> None: ...

    def get_meeting(self, meeting_id: str) -> dict[str, Any]: ...

    def list_attendees(self, meeting_id: str) -> set[str]: ...


def meeting_external_id(visit_id: str) -> str:
    """A meeting's ExternalMeetingId: the visit's opaque id, nothing personal."""
    return f"visit-{visit_id}"


class ChimeMeetings:
    """Amazon Chime SDK Meetings, with retries on throttling and server errors (time and randomness injected)."""

    provider = "chime"

    def __init__(self, client: ChimeSDKMeetingsClient | Any, media_region: str, *,
                 sleep: Callable[[float], None] = time.sleep, draw: Callable[[], float] = random.random,
                 join_patience: Patience = JOIN_PATIENCE, patience: Patience = QUICK) -> None:
        self._client = client
        self._media_region = media_region
        self._sleep = sleep
        self._draw = draw
        self._join = join_patience
        self._other = patience

    def _call(self, fn: Callable[[], T], patience: Patience | None = None) -> T:
        policy = patience or self._other
        waited = 0.0
        for attempt in range(policy.attempts):
            try:
                return fn()
            except ClientError as exc:
                error = exc.response.get("Error", {})
                status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
                if error.get("Code") in ("NotFoundException", "NotFound"):
                    raise MeetingGone() from exc
                if error.get("Code") == "LimitExceededException":
                    # The account's concurrent meetings are all in use: seconds of retrying will not free one, but
                    # visits ending (at the top of the hour, many) will: the page keeps asking (VIDEO_BUSY).
                    raise VideoBusy() from exc
                if error.get("Code") not in RETRYABLE and status < 500:
                    raise VideoUnavailable() from exc
                last: Exception = exc
            except BotoCoreError as exc:
                last = exc
            delay = policy.wait(attempt, self._draw())
            if attempt + 1 >= policy.attempts or waited + delay > policy.budget:
                break
            self._sleep(delay)
            waited += delay
        raise VideoBusy() from last

    def _meeting_request(self, external_meeting_id: str, request_token: str) -> dict[str, Any]:
        return {"ClientRequestToken": request_token, "MediaRegion": self._media_region,
                "ExternalMeetingId": external_meeting_id, "MeetingFeatures": {"Audio": {"EchoReduction": "AVAILABLE"}}}

    def create_meeting(self, external_meeting_id: str, request_token: str) -> dict[str, Any]:
        """Create a meeting with echo reduction available; the request token makes a retry return the same one."""
        request = self._meeting_request(external_meeting_id, request_token)
        response = self._call(lambda: self._client.create_meeting(**request), self._join)
        return dict(response["Meeting"])

    def create_meeting_with_attendee(self, external_meeting_id: str, request_token: str,
                                     external_user_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The meeting and the caller's attendee in one CreateMeetingWithAttendees (a rate of its own at Chime).

        The request token makes a repeat return the same meeting; a repeat may answer with the first request's
        attendees (another caller's), and an attendee can fail on its own (`Errors`): the caller's attendee is
        then made with CreateAttendee, so no one ever receives someone else's join token.
        """
        request = self._meeting_request(external_meeting_id, request_token)
        response = self._call(lambda: self._client.create_meeting_with_attendees(
            **request, Attendees=[{"ExternalUserId": external_user_id}]), self._join)
        meeting = dict(response["Meeting"])
        mine = [a for a in response.get("Attendees", []) if a.get("ExternalUserId") == external_user_id]
        if mine and mine[0].get("JoinToken"):
            return meeting, dict(mine[0])
        return meeting, self.create_attendee(meeting["MeetingId"], external_user_id)

    def create_attendee(self, meeting_id: str, external_user_id: str) -> dict[str, Any]:
        """Create the attendee, or get the same one back for the same external user id (R24)."""
        response = self._call(lambda: self._client.create_attendee(
            MeetingId=meeting_id, ExternalUserId=external_user_id,
        ), self._join)
        return dict(response["Attendee"])

    def get_meeting(self, meeting_id: str) -> dict[str, Any]:
        """The meeting, or MeetingGone once Chime ended it."""
        return dict(self._call(lambda: self._client.get_meeting(MeetingId=meeting_id))["Meeting"])

    def list_attendees(self, meeting_id: str) -> set[str]:
        """The external user ids of the meeting's attendees (all pages)."""
        ids: set[str] = set()
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"MeetingId": meeting_id, "MaxResults": 100}
            if token:
                kwargs["NextToken"] = token
            page = self._call(functools.partial(self._client.list_attendees, **kwargs))
            ids.update(a["ExternalUserId"] for a in page.get("Attendees", []))
            token = page.get("NextToken")
            if not token:
                return ids

    def delete_meeting(self, meeting_id: str) -> None:
        """End the meeting for everyone; a meeting already gone counts as deleted."""
        try:
            self._call(lambda: self._client.delete_meeting(MeetingId=meeting_id))
        except MeetingGone:
            return
