"""Staff tokens: Cognito ID tokens through the pool's JWKS, and locally signed ones."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib import auth
from chalicelib.config import from_environ
from chalicelib.errors import Unauthorized

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TESTPOOL"


@pytest.fixture
def cognito(monkeypatch):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    class Jwks:
        def get_signing_key_from_jwt(self, token: str) -> Any:
            if jwt.get_unverified_header(token).get("kid") != "k1":
                raise jwt.PyJWKClientError("Unable to find a signing key that matches")
            return type("Key", (), {"key": key.public_key()})()

    monkeypatch.setattr(auth, "_jwks_client", lambda url: Jwks() if url == f"{ISSUER}/.well-known/jwks.json" else None)
    cfg = replace(from_environ(), auth_mode="cognito", cognito_issuer=ISSUER, cognito_audience="client123")

    def sign(**claims: Any) -> str:
        base = {"iss": ISSUER, "aud": "client123", "exp": int(time.time()) + 600, "token_use": "id",
                "custom:agency_id": "ag1", "custom:employee_id": "e1", "custom:role": "employee"}
        base.update(claims)
        return jwt.encode({k: v for k, v in base.items() if v is not None}, key, algorithm="RS256",
                          headers={"kid": "k1"})

    return cfg, sign


def test_cognito_id_token_verifies_into_identity(cognito):
    cfg, sign = cognito
    assert auth.verify(sign(), cfg) == {"agency_id": "ag1", "employee_id": "e1", "role": "employee"}


@pytest.mark.parametrize("claims", [
    {"aud": "someone-else"}, {"iss": "https://evil.example"}, {"exp": int(time.time()) - 10},
    {"token_use": "access"}, {"custom:role": "admin"}, {"custom:agency_id": None},
])
def test_cognito_tokens_with_wrong_claims_are_refused(cognito, claims):
    cfg, sign = cognito
    with pytest.raises(Unauthorized):
        auth.verify(sign(**claims), cfg)


def test_local_token_is_refused_by_cognito_mode_and_vice_versa(cognito):
    cfg, sign = cognito
    local_cfg = from_environ()
    local_token = auth.issue_local_token(local_cfg, "ag1", "e1", "employee")
    with pytest.raises(Unauthorized):
        auth.verify(local_token, cfg)
    with pytest.raises(Unauthorized):
        auth.verify(sign(), local_cfg)
    assert auth.verify(local_token, local_cfg)["employee_id"] == "e1"


@pytest.mark.parametrize("header", [None, "", "Token abc", "Bearer " + "x" * 9000])
def test_bearer_header_must_be_present_and_sane(header):
    with pytest.raises(Unauthorized):
        auth.bearer(header)
