"""Staff identity: bearer JWTs from Cognito (JWKS, cached) in AWS, or locally signed ones on a laptop."""

from __future__ import annotations

import time
from functools import cache
from typing import Any

from chalicelib.config import Settings
from chalicelib.errors import Unauthorized

ROLES = ("employee", "coordinator")
LOCAL_ISSUER = "virtual-visits-local"
LOCAL_TOKEN_SECONDS = 12 * 3600


@cache
def _jwks_client(url: str) -> Any:
    from jwt import PyJWKClient

    return PyJWKClient(url, cache_keys=True, lifespan=3600)


def verify(token: str, cfg: Settings) -> dict[str, str]:
    """The caller's agency, employee id and role, or Unauthorized."""
    import jwt

    try:
        if cfg.auth_mode == "local":
            if not cfg.local_jwt_secret:
                raise Unauthorized()
            claims = jwt.decode(token, cfg.local_jwt_secret, algorithms=["HS256"], issuer=LOCAL_ISSUER,
                                audience=LOCAL_ISSUER, options={"require": ["exp", "iss", "aud"]})
        else:
            key = _jwks_client(f"{cfg.cognito_issuer}/.well-known/jwks.json").get_signing_key_from_jwt(token)
            claims = jwt.decode(token, key.key, algorithms=["RS256"], issuer=cfg.cognito_issuer,
                                audience=cfg.cognito_audience, options={"require": ["exp", "iss", "aud"]})
            if claims.get("token_use") != "id":
                raise Unauthorized()
    except jwt.PyJWTError:
        raise Unauthorized() from None
    identity = {
        "agency_id": claims.get("custom:agency_id"),
        "employee_id": claims.get("custom:employee_id"),
        "role": claims.get("custom:role"),
    }
    if not all(isinstance(v, str) and v for v in identity.values()) or identity["role"] not in ROLES:
        raise Unauthorized()
    return {k: str(v) for k, v in identity.items()}


def bearer(header: str | None) -> str:
    if not header or not header.startswith("Bearer ") or len(header) > 8192:
        raise Unauthorized()
    return header[len("Bearer "):].strip()


def issue_local_token(cfg: Settings, agency_id: str, employee_id: str, role: str, now: float | None = None) -> str:
    """A token the local stage accepts (the dev login route only)."""
    import jwt

    issued = int(now if now is not None else time.time())
    claims = {
        "iss": LOCAL_ISSUER, "aud": LOCAL_ISSUER, "sub": employee_id, "iat": issued,
        "exp": issued + LOCAL_TOKEN_SECONDS, "token_use": "id",
        "custom:agency_id": agency_id, "custom:employee_id": employee_id, "custom:role": role,
    }
    return jwt.encode(claims, cfg.local_jwt_secret, algorithm="HS256")
