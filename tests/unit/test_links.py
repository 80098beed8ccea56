"""Link tokens: 256-bit, derived per generation, carried in the fragment, stored only as a hash."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

from chalicelib.logic import links
from chalicelib.persistence import keys

KEY = bytes(range(32))


def test_r13_link_expiry_is_15_minutes_after_scheduled_end():
    end = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)
    assert links.link_expiry(end) == end + timedelta(minutes=15)


def test_token_is_256_bits_and_url_safe():
    token = links.link_token(KEY, "ag", "v", 1, links.new_nonce())
    assert len(base64.urlsafe_b64decode(token + "=")) == 32
    assert links.looks_like_token(token)


def test_token_changes_with_generation_nonce_and_key():
    nonce = links.new_nonce()
    base = links.link_token(KEY, "ag", "v", 1, nonce)
    assert base == links.link_token(KEY, "ag", "v", 1, nonce)  # R09: resend sends the same link
    assert base != links.link_token(KEY, "ag", "v", 2, nonce)  # R10: a time change gives a new one
    assert base != links.link_token(KEY, "ag", "v", 1, links.new_nonce())
    assert base != links.link_token(bytes(32), "ag", "v", 1, nonce)
    assert base != links.link_token(KEY, "other", "v", 1, nonce)


def test_nonces_are_fresh_256_bit_values():
    nonces = {links.new_nonce() for _ in range(1000)}
    assert len(nonces) == 1000
    assert all(len(base64.urlsafe_b64decode(n + "=")) == 32 for n in nonces)


def test_link_puts_the_token_in_the_fragment_only():
    url = links.join_url("https://care.example", "TOKEN")
    assert url == "https://care.example/join#TOKEN"


def test_stored_key_is_the_sha256_not_the_token():
    token = links.link_token(KEY, "ag", "v", 1, links.new_nonce())
    stored = keys.link_pk(links.digest(token))
    assert token not in stored and stored.startswith("LINK#") and len(stored) == 5 + 64
