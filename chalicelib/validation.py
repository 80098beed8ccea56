"""Request input: JSON bodies, query strings and path ids, each error naming its field (R25)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.clock import parse_iso
from chalicelib.errors import BadRequest, PayloadTooLarge

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
EMAIL_PATTERN = re.compile(r"^[^@\s<>\"',;]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$")


@dataclass(frozen=True)
class Field:
    """One accepted body field."""

    kind: str  # str, bool, int, time, email, id, choice, json
    required: bool = True
    max_len: int = 200
    choices: tuple[str, ...] = ()
    nullable: bool = False
    minimum: int = 0
    maximum: int = 2**31


def path_id(value: str, name: str = "id") -> str:
    """Ids in paths are opaque tokens; anything else is malformed, never a key fragment."""
    if not ID_PATTERN.match(value or ""):
        raise BadRequest.field(name, "must be 1-64 letters, digits, '-' or '_'")
    return value


def parse_json(raw: bytes | None, max_bytes: int) -> dict[str, Any]:
    if raw is not None and len(raw) > max_bytes:
        raise PayloadTooLarge()
    if not raw:
        raise BadRequest("The request body must be a JSON object.")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise BadRequest("The request body must be a JSON object.")
    return data


def _convert(name: str, spec: Field, value: Any) -> Any:
    if spec.kind == "json":
        return value
    if value is None:
        if spec.nullable:
            return None
        raise BadRequest.field(name, "must not be null")
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise BadRequest.field(name, "must be true or false")
        return value
    if spec.kind == "int":
        if not isinstance(value, int) or isinstance(value, bool) or not spec.minimum <= value <= spec.maximum:
            raise BadRequest.field(name, f"must be a whole number from {spec.minimum} to {spec.maximum}")
        return value
    if not isinstance(value, str):
        raise BadRequest.field(name, "must be a string")
    if spec.kind == "time":
        return parse_time(name, value)
    if spec.kind == "choice":
        if value not in spec.choices:
            raise BadRequest.field(name, "must be one of " + ", ".join(f"'{c}'" for c in spec.choices))
        return value
    if spec.kind == "id":
        return path_id(value, name)
    if len(value) > spec.max_len:
        raise BadRequest.field(name, f"must be at most {spec.max_len} characters")
    if spec.kind == "email" and not EMAIL_PATTERN.match(value):
        raise BadRequest.field(name, "must be an email address")
    if spec.kind == "str" and not value.strip() and spec.required:
        raise BadRequest.field(name, "must not be empty")
    return value


def parse_time(name: str, value: str) -> datetime:
    if len(value) > 40:
        raise BadRequest.field(name, "must be an ISO-8601 time with a zone, like 2026-11-25T14:00:00Z")
    try:
        return parse_iso(value)
    except (ValueError, OverflowError):
        raise BadRequest.field(name, "must be an ISO-8601 time with a zone, like 2026-11-25T14:00:00Z") from None


def validate(data: dict[str, Any], fields: dict[str, Field]) -> dict[str, Any]:
    """Check fields against their specs; unknown and missing fields are named."""
    for name in data:
        if name not in fields:
            raise BadRequest.field(str(name)[:64], "is not accepted here")
    out: dict[str, Any] = {}
    for name, spec in fields.items():
        if name not in data:
            if spec.required:
                raise BadRequest.field(name, "is required")
            continue
        out[name] = _convert(name, spec, data[name])
    return out


def query_time(params: Any, name: str) -> datetime:
    value = (params or {}).get(name)
    if value is None:
        raise BadRequest.field(name, "is required")
    return parse_time(name, value)
