"""The outside world the rules use, built lazily once per process and replaceable in tests.

`Services` carries the clock, the mailer, the texter, the video provider, the staff accounts, the link key and the
three stores (directory, visits, sessions). In AWS and the local stack they are SES, End User Messaging SMS or the local
outbox, Chime or the local provider, Cognito or the directory alone, and DynamoDB; a rule test passes in-memory stores
and recording senders instead.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from chalicelib.clock import Clock, ShiftedClock
from chalicelib.config import Settings, settings

T = TypeVar("T")

if TYPE_CHECKING:
    from chalicelib.integrations.email import Mailer
    from chalicelib.integrations.meetings import Meetings
    from chalicelib.integrations.sms import Texter
    from chalicelib.integrations.staff_accounts import StaffAccounts
    from chalicelib.link_keys import LinkKeys
    from chalicelib.stores import Directory, Sessions, Visits


def aws_client(service: str, **config: Any) -> Any:
    """A client from the process's one botocore session (the DynamoDB connection's too)."""
    from chalicelib.aws import make_client

    return make_client(service, settings().region, **config)


# The local stack serves requests on threads; each lazy member is made once even if several ask at once
# (two local providers would each hold half the meetings).
_FIRST_USE = threading.RLock()


class Services:
    """Clock, mailer, texter, meetings, the link key and the stores; each made on first use."""

    def __init__(self, cfg: Settings | None = None, *, clock: Clock | None = None, mailer: Mailer | None = None,
                 meetings: Meetings | None = None, link_key: bytes | None = None, directory: Directory | None = None,
                 visits: Visits | None = None, sessions: Sessions | None = None,
                 texter: Texter | None = None, staff_accounts: StaffAccounts | None = None) -> None:
        self._cfg = cfg
        self.clock: Clock = clock or ShiftedClock()
        self._mailer = mailer
        self._texter = texter
        self._meetings = meetings
        self._link_key = link_key
        self._link_keys: LinkKeys | None = None
        self._directory = directory
        self._visits = visits
        self._sessions = sessions
        self._staff_accounts = staff_accounts

    @property
    def cfg(self) -> Settings:
        return self._cfg or settings()

    def _made(self, name: str, make: Callable[[], T]) -> T:
        """The member `name`, made by `make` on first use."""
        with _FIRST_USE:
            value = getattr(self, name)
            if value is None:
                value = make()
                setattr(self, name, value)
            return cast(T, value)

    @property
    def mailer(self) -> Mailer:
        return self._made("_mailer", self._make_mailer)

    @property
    def texter(self) -> Texter:
        return self._made("_texter", self._make_texter)

    @property
    def meetings(self) -> Meetings:
        return self._made("_meetings", self._make_meetings)

    @property
    def meeting_provider(self) -> str:
        """The video provider's name, without making its client (the join page's first look names it)."""
        return self._meetings.provider if self._meetings is not None else self.cfg.meeting_provider

    @property
    def link_keys(self) -> LinkKeys:
        """The link key, current and previous, refreshed in a warm function (chalicelib/link_keys.py)."""
        return self._made("_link_keys", self._make_link_keys)

    @property
    def link_key(self) -> bytes:
        """The key new links are derived with."""
        return self.link_keys.current

    @property
    def directory(self) -> Directory:
        from chalicelib.persistence.directory import DynamoDirectory

        return self._made("_directory", DynamoDirectory)

    @property
    def visits(self) -> Visits:
        from chalicelib.persistence.visits import DynamoVisits

        return self._made("_visits", DynamoVisits)

    @property
    def sessions(self) -> Sessions:
        from chalicelib.persistence.sessions import DynamoSessions

        return self._made("_sessions", lambda: DynamoSessions(self.cfg.sweep_shards))

    @property
    def staff_accounts(self) -> StaffAccounts:
        return self._made("_staff_accounts", self._make_staff_accounts)

    def _make_staff_accounts(self) -> StaffAccounts:
        from chalicelib.integrations import staff_accounts

        if self.cfg.auth_mode != "cognito":
            return staff_accounts.DirectoryAccounts()
        client = aws_client("cognito-idp", retries={"mode": "standard", "max_attempts": 3})
        return staff_accounts.CognitoAccounts(client, self.cfg.cognito_user_pool_id)

    def _make_mailer(self) -> Mailer:
        from chalicelib.integrations.email import SesMailer

        client = aws_client("sesv2", retries={"mode": "standard", "max_attempts": 3})
        return SesMailer(client, self.cfg.email_configuration_set)

    def _make_texter(self) -> Texter:
        if self.cfg.sms_provider == "local":
            from chalicelib.integrations.local_texts import LocalTexter

            return LocalTexter()
        from chalicelib.integrations.sms import SmsTexter

        client = aws_client("pinpoint-sms-voice-v2", retries={"mode": "standard", "max_attempts": 3})
        return SmsTexter(client, self.cfg.sms_origination_identity, self.cfg.sms_configuration_set)

    def _make_meetings(self) -> Meetings:
        if self.cfg.meeting_provider == "local":
            from chalicelib.integrations.local_meetings import LocalMeetings

            return LocalMeetings()
        from chalicelib.integrations.meetings import ChimeMeetings

        # Retries happen in ChimeMeetings, where they are visible and testable; botocore makes one attempt
        # (its `max_attempts` counts retries, so `max_attempts: 1` doubled every Chime call and its backoff).
        client = aws_client("chime-sdk-meetings", retries={"mode": "standard", "total_max_attempts": 1})
        return ChimeMeetings(client, self.cfg.media_region)

    def _make_link_keys(self) -> LinkKeys:
        from chalicelib.link_keys import LinkKeys, from_settings

        return LinkKeys(static=self._link_key) if self._link_key else from_settings(self.cfg, aws_client)



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
