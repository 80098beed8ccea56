"""The outside world the rules use, built lazily once per process and replaceable in tests."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from chalicelib.clock import Clock, ShiftedClock
from chalicelib.config import Settings, settings

if TYPE_CHECKING:
    from chalicelib.integrations.email import SesMailer
    from chalicelib.integrations.meetings import Meetings
    from chalicelib.link_keys import LinkKeys


def aws_client(service: str, **config: Any) -> Any:
    """A client from the process's one botocore session (the DynamoDB connection's too)."""
    from chalicelib.aws import make_client

    return make_client(service, settings().region, **config)


# The local stack serves requests on threads; each lazy member is made once even if several ask at once
# (two local providers would each hold half the meetings).
_FIRST_USE = threading.RLock()


class Services:
    """Clock, mailer, meetings and the link key; each made on first use."""

    def __init__(self, cfg: Settings | None = None, *, clock: Clock | None = None,
                 mailer: SesMailer | None = None, meetings: Meetings | None = None,
                 link_key: bytes | None = None) -> None:
        self._cfg = cfg
        self.clock: Clock = clock or ShiftedClock()
        self._mailer = mailer
        self._meetings = meetings
        self._link_key = link_key
        self._link_keys: LinkKeys | None = None

    @property
    def cfg(self) -> Settings:
        return self._cfg or settings()

    @property
    def mailer(self) -> SesMailer:
        with _FIRST_USE:
            if self._mailer is None:
                from chalicelib.integrations.email import SesMailer

                client = aws_client("sesv2", retries={"mode": "standard", "max_attempts": 3})
                self._mailer = SesMailer(client, self.cfg.email_configuration_set)
            return self._mailer

    @property
    def meetings(self) -> Meetings:
        with _FIRST_USE:
            if self._meetings is None:
                self._meetings = self._make_meetings()
            return self._meetings

    def _make_meetings(self) -> Meetings:
        if self.cfg.meeting_provider == "local":
            from chalicelib.integrations.local_meetings import LocalMeetings

            return LocalMeetings()
        from chalicelib.integrations.meetings import ChimeMeetings

        # Retries happen in ChimeMeetings, where they are visible and testable; botocore makes one attempt
        # (its `max_attempts` counts retries, so `max_attempts: 1` doubled every Chime call and its backoff).
        client = aws_client("chime-sdk-meetings", retries={"mode": "standard", "total_max_attempts": 1})
        return ChimeMeetings(client, self.cfg.media_region)

    @property
    def link_keys(self) -> LinkKeys:
        """The link key, current and previous, refreshed in a warm function (chalicelib/link_keys.py)."""
        with _FIRST_USE:
            if self._link_keys is None:
                from chalicelib.link_keys import LinkKeys, from_environment

                given = self._link_key
                self._link_keys = LinkKeys(static=given) if given else from_environment(self.cfg.link_key, aws_client)
            return self._link_keys

    @property
    def link_key(self) -> bytes:
        """The key new links are derived with."""
        return self.link_keys.current


def _load_link_key(cfg: Settings) -> bytes:
    """The key links are derived with: from the environment locally, from Secrets Manager in AWS."""
    from chalicelib.link_keys import from_environment

    return from_environment(cfg.link_key, aws_client).current


_current: Services | None = None


def services() -> Services:
    """This process's services."""
    global _current
    with _FIRST_USE:
        if _current is None:
            _current = Services()
        return _current


def use_services(replacement: Services | None) -> None:
    """Swap the services (tests and the local stack)."""
    global _current
    _current = replacement
