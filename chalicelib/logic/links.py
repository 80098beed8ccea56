"""Client join links: 256-bit tokens, carried in the URL fragment, stored only as their SHA-256."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

LINK_GRACE = timedelta(minutes=15)  # R13
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")  # 32 bytes, base64url without padding


def link_expiry(visit_end: datetime) -> datetime:
    """R13: a link dies 15 minutes after the visit's scheduled end."""
    return visit_end + LINK_GRACE


def new_nonce() -> str:
    """256 bits from `secrets`, fresh for every link generation."""
    return secrets.token_urlsafe(32)


def link_token(key: bytes, agency_id: str, visit_id: str, generation: int, nonce: str) -> str:
    """The token of one link generation.

    It is derived, not stored: HMAC-SHA256 under a key that lives outside the table, over the
    generation's random nonce. So "Resend" sends the same link again (R09), every caller racing to
    invite gets the same link, and a copy of the table alone reveals no working link.
    """
    message = f"v1|{agency_id}|{visit_id}|{generation}|{nonce}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def join_url(public_base_url: str, token: str) -> str:
    """The link a client opens; the token sits in the fragment, which browsers never send to servers."""
    return f"{public_base_url}/join#{token}"


def looks_like_token(value: str) -> bool:
    """43 characters of base64url: anything else was never a link of ours."""
    return TOKEN_PATTERN.fullmatch(value) is not None


def digest(token: str) -> str:
    """What the table keeps of a link: the SHA-256 of its token, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()
