"""Settings, read once from the environment into a typed object."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

# The largest body a documented limit allows, in its worst encoding: visit notes of 20,000 characters, each a
# character outside the Basic Multilingual Plane sent JSON-escaped as a surrogate pair ("\ud83d\ude00", 12 bytes):
# 240,012 bytes with the braces and the field's name. 256 KiB holds that (R45).
DEFAULT_MAX_BODY_BYTES = 256 * 1024


@dataclass(frozen=True)
class Settings:
    """What the app needs to know about where it runs."""

    stage: str
    table_name: str
    region: str
    public_base_url: str
    meeting_provider: str  # "chime" or "local"
    media_region: str
    auth_mode: str  # "cognito" or "local"
    local_jwt_secret: str
    cognito_issuer: str
    cognito_audience: str
    cognito_user_pool_id: str  # staff accounts are made, disabled and changed there (R36)
    link_key: str
    email_configuration_set: str
    sms_provider: str  # "aws" (End User Messaging SMS) or "local" (the local stack's outbox)
    sms_origination_identity: str  # the phone number, pool or sender id texts go from (its ARN or id)
    sms_configuration_set: str
    sweep_shards: int
    sweep_batch: int
    max_body_bytes: int
    dynamodb_endpoint: str | None
    aws_endpoint: str  # the local stack's moto (its outbox reads the sent mail there); empty in AWS
    link_key_secret_id: str
    dev_agency_ids: tuple[str, ...]  # the local stack's demo agencies (its sign-in page lists their staff)
    service_name: str
    metrics_namespace: str
    in_lambda: bool


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default) or default


def from_environ() -> Settings:
    """Build settings from the process environment."""
    return Settings(
        stage=_env("APP_STAGE", "prod"),
        table_name=_env("TABLE_NAME", "virtual-visits"),
        region=_env("AWS_REGION", _env("AWS_DEFAULT_REGION", "us-east-1")),
        public_base_url=_env("PUBLIC_BASE_URL").rstrip("/"),
        meeting_provider=_env("MEETING_PROVIDER", "chime"),
        media_region=_env("CHIME_MEDIA_REGION", "us-east-1"),
        auth_mode=_env("AUTH_MODE", "cognito"),
        local_jwt_secret=_env("LOCAL_JWT_SECRET"),
        cognito_issuer=_env("COGNITO_ISSUER"),
        cognito_audience=_env("COGNITO_AUDIENCE"),
        # The issuer's last segment is the pool's id (https://cognito-idp.<region>.amazonaws.com/<pool id>).
        cognito_user_pool_id=_env("COGNITO_USER_POOL_ID", _env("COGNITO_ISSUER").rstrip("/").rpartition("/")[2]),
        link_key=_env("LINK_KEY"),
        email_configuration_set=_env("EMAIL_CONFIGURATION_SET"),
        sms_provider=_env("SMS_PROVIDER", "aws"),
        sms_origination_identity=_env("SMS_ORIGINATION_IDENTITY"),
        sms_configuration_set=_env("SMS_CONFIGURATION_SET"),
        sweep_shards=int(_env("SWEEP_SHARDS", "4")),
        sweep_batch=int(_env("SWEEP_BATCH", "200")),
        max_body_bytes=int(_env("MAX_BODY_BYTES", str(DEFAULT_MAX_BODY_BYTES))),
        dynamodb_endpoint=os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") or os.environ.get("AWS_ENDPOINT_URL"),
        aws_endpoint=_env("AWS_ENDPOINT_URL"),
        link_key_secret_id=_env("LINK_KEY_SECRET_ID"),
        dev_agency_ids=tuple(a for a in _env("DEV_AGENCY_IDS").split(",") if a),
        service_name=_env("POWERTOOLS_SERVICE_NAME", "virtual-visits"),
        metrics_namespace=_env("POWERTOOLS_METRICS_NAMESPACE", "VirtualVisits"),
        in_lambda=bool(_env("AWS_LAMBDA_FUNCTION_NAME")),
    )


@cache
def settings() -> Settings:
    """The settings of this process, read on first use."""
    return from_environ()


def route_stage() -> str:
    """The stage, read when app.py decides which route groups exist."""
    return os.environ.get("APP_STAGE", "prod")


def route_meeting_provider() -> str:
    """The media provider, read when app.py decides whether local signaling routes exist."""
    return os.environ.get("MEETING_PROVIDER", "chime")
