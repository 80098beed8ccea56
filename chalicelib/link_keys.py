"""The link key: the secret client links are derived with, kept fresh in warm functions, safe to rotate.

A link is verified without the key: the join routes look the token up by its SHA-256. The key is needed
only to derive a link (the first invite, a new time) and to derive it again (a resend or a copied link
sends the same link, R09). So a rotation of the key never invalidates a link already sent.

What a rotation changes, and how a resend stays right (docs/DEPLOY.md, "Rotating the link key"):
- New links are derived with the current key (Secrets Manager's `AWSCURRENT`). A warm function reads the
  secret again once its copy is `REFRESH_SECONDS` old, so it takes up a rotation within minutes.
- A resend derives the link with each key it knows, current first, then the previous one (`AWSPREVIOUS`),
  and sends the one whose hash is stored. If none is (the key rotated twice since, or this function had
  not seen the rotation yet), it reads the secret again and retries; if still none, the link is issued
  again under the current key: the same link generation under a second hash. The client's earlier link
  keeps working, and the resend never sends a link that does not open.
- A key given in the environment (`LINK_KEY`, local stack and tests) never rotates, so nothing is checked.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chalicelib.config import Settings

REFRESH_SECONDS = 300.0  # how long a warm function uses its copy of the key before reading the secret again
RETRY_SECONDS = 10.0  # after a failed read, how long the old copy is used before the next attempt
MIN_KEY_BYTES = 32
CURRENT, PREVIOUS = "AWSCURRENT", "AWSPREVIOUS"


def decode(raw: str) -> bytes:
    """The key bytes of a secret string (base64url, padding optional); at least 256 bits."""
    key = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)) if raw else b""
    if len(key) < MIN_KEY_BYTES:
        raise RuntimeError("LINK_KEY (or LINK_KEY_SECRET_ID) must hold at least 32 random bytes")
    return key


@dataclass(frozen=True)
class _Version:
    version_id: str
    key: bytes


class LinkKeys:
    """The current key and, when the key comes from Secrets Manager, the previous one."""

    def __init__(self, *, static: bytes | None = None, client: Any = None, secret_id: str = "",
                 refresh_seconds: float = REFRESH_SECONDS, monotonic: Callable[[], float] = time.monotonic) -> None:
        if static is None and not (client is not None and secret_id):
            raise ValueError("a static key, or a Secrets Manager client and secret id")
        self._static = static
        self._client = client
        self._secret_id = secret_id
        self._refresh_seconds = refresh_seconds
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._current: _Version | None = None
        self._previous: _Version | None = None
        self._previous_of: str | None = None  # the current version the previous one was read for
        self._due = 0.0

    @property
    def rotatable(self) -> bool:
        """True for a key in Secrets Manager (it can rotate under a running function)."""
        return self._static is None

    @property
    def current(self) -> bytes:
        """The key new links are derived with."""
        if self._static is not None:
            return self._static
        with self._lock:
            return self._fresh_current().key

    def known(self) -> tuple[bytes, ...]:
        """The keys a link already sent may have been derived with: current first, then previous."""
        if self._static is not None:
            return (self._static,)
        with self._lock:
            current = self._fresh_current()
            if self._previous_of != current.version_id:
                self._previous = self._read(PREVIOUS)
                self._previous_of = current.version_id
            previous = self._previous
        return (current.key,) if previous is None or previous.key == current.key else (current.key, previous.key)

    def refresh(self) -> None:
        """Read the secret again now (a resend found no stored link for any known key)."""
        if self._static is None:
            with self._lock:
                self._due = 0.0
                self._fresh_current()

    def _fresh_current(self) -> _Version:
        now = self._monotonic()
        if self._current is not None and now < self._due:
            return self._current
        try:
            version = self._read(CURRENT)
        except Exception:
            if self._current is None:
                raise
            self._due = now + RETRY_SECONDS  # keep working with the copy; Secrets Manager may be throttling
            return self._current
        if version is None:
            raise RuntimeError("the link key secret has no current version")
        self._current, self._due = version, now + self._refresh_seconds
        return version

    def _read(self, stage: str) -> _Version | None:
        try:
            answer = self._client.get_secret_value(SecretId=self._secret_id, VersionStage=stage)
        except self._client.exceptions.ResourceNotFoundException:
            if stage == CURRENT:
                raise
            return None  # never rotated: there is no previous version
        return _Version(str(answer["VersionId"]), decode(str(answer["SecretString"])))


def from_settings(cfg: Settings, make_client: Callable[[str], Any]) -> LinkKeys:
    """The keys of this process: `LINK_KEY_SECRET_ID` in AWS, else the `LINK_KEY` setting (local, tests)."""
    if cfg.link_key_secret_id:
        return LinkKeys(client=make_client("secretsmanager"), secret_id=cfg.link_key_secret_id)
    return LinkKeys(static=decode(cfg.link_key))


def resend_token(keys: LinkKeys, derive: Callable[[bytes], str], is_stored: Callable[[str], bool],
                 issue_again: Callable[[str], None]) -> str:
    """The token of a link already issued, as the client received it, or issued again under the current key.

    `derive` makes the link's token with a key, `is_stored` says whether a token's link is stored (and is
    this link's), `issue_again` stores the link under a new token.
    """
    if not keys.rotatable:
        return derive(keys.current)
    for attempt in range(2):
        if attempt:
            keys.refresh()
        for key in keys.known():
            token = derive(key)
            if is_stored(token):
                return token
    token = derive(keys.current)
    issue_again(token)
    return token
