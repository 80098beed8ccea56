"""Video meetings: the interface the logic uses, and the Amazon Chime SDK implementation."""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.errors import VideoUnavailable

if TYPE_CHECKING:
    from mypy_boto3_chime_sdk_meetings import ChimeSDKMeetingsClient

T = TypeVar("T")
RETRYABLE = {"ThrottlingException", "ServiceUnavailableException", "ServiceFailureException",
             "LimitExceededException", "InternalServerError", "TooManyRequestsException"}


class MeetingGone(Exception):
    """The meeting no longer exists (Chime ends meetings nobody uses)."""


class Meetings(Protocol):
    """What the rules need from a video provider."""

    provider: str

    def create_meeting(self, external_meeting_id: str, request_token: str) -> dict[str, Any]: ...

    def create_attendee(self, meeting_id: str, external_user_id: str) -> dict[str, Any]: ...

    def delete_meeting(self, meeting_id: str) -> None: ...

    def get_meeting(self, meeting_id: str) -> dict[str, Any]: ...

    def list_attendees(self, meeting_id: str) -> set[str]: ...

    # R39: live captions. `captions` says whether this provider can caption at all (the local one cannot).
    captions: bool

    def start_transcription(self, meeting_id: str, language_code: str) -> None: ...

    def stop_transcription(self, meeting_id: str) -> None: ...


def meeting_external_id(visit_id: str) -> str:
    """A meeting's ExternalMeetingId: the visit's opaque id, nothing personal."""
    return f"visit-{visit_id}"


class ChimeMeetings:
    """Amazon Chime SDK Meetings, with retries on throttling and server errors."""

    provider = "chime"
    captions = True

    def __init__(self, client: ChimeSDKMeetingsClient | Any, media_region: str, attempts: int = 3,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._client = client
        self._media_region = media_region
        self._attempts = attempts
        self._sleep = sleep

    def _call(self, fn: Callable[[], T]) -> T:
        for attempt in range(self._attempts):
            try:
                return fn()
            except ClientError as exc:
                error = exc.response.get("Error", {})
                status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
                if error.get("Code") in ("NotFoundException", "NotFound"):
                    raise MeetingGone() from exc
                if error.get("Code") not in RETRYABLE and status < 500:
                    raise VideoUnavailable() from exc
                last: Exception = exc
            except BotoCoreError as exc:
                last = exc
            if attempt + 1 < self._attempts:
                self._sleep(min(2.0, 0.1 * 2**attempt) * (0.5 + random.random() / 2))  # noqa: S311
        raise VideoUnavailable() from last

    def create_meeting(self, external_meeting_id: str, request_token: str) -> dict[str, Any]:
        """Create a meeting with echo reduction available; the request token makes a retry return the same one."""
        response = self._call(lambda: self._client.create_meeting(
            ClientRequestToken=request_token,
            MediaRegion=self._media_region,
            ExternalMeetingId=external_meeting_id,
            MeetingFeatures={"Audio": {"EchoReduction": "AVAILABLE"}},
        ))
        return dict(response["Meeting"])

    def create_attendee(self, meeting_id: str, external_user_id: str) -> dict[str, Any]:
        """Create the attendee, or get the same one back for the same external user id (R24)."""
        response = self._call(lambda: self._client.create_attendee(
            MeetingId=meeting_id, ExternalUserId=external_user_id,
        ))
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

    def start_transcription(self, meeting_id: str, language_code: str) -> None:
        """Start live transcription (Amazon Transcribe, in a Region near the meeting's) into the attendees' data
        channel (R39); partial results are stabilised, so captions do not flicker as much for slow readers."""
        self._call(lambda: self._client.start_meeting_transcription(
            MeetingId=meeting_id,
            TranscriptionConfiguration={"EngineTranscribeSettings": {
                "LanguageCode": language_code, "Region": "auto",  # type: ignore[typeddict-item]
                "EnablePartialResultsStabilization": True, "PartialResultsStability": "high",
            }},
        ))

    def stop_transcription(self, meeting_id: str) -> None:
        """Stop live transcription; a meeting already gone has none (its end stopped it)."""
        try:
            self._call(lambda: self._client.stop_meeting_transcription(MeetingId=meeting_id))
        except MeetingGone:
            return
