"""Request input: JSON bodies, query strings and path ids, each refusal naming its field (R25, R45).

Whatever arrives, the answer is a 4xx that says what is wrong, before anything is read or written: JSON nested
deeper than any route needs, NaN and Infinity, numbers too long to read, unpaired surrogates (text no storage can
hold), control characters where a person's text has none, and values with a trailing newline (every pattern must
match the whole value).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from chalicelib.clock import parse_iso
from chalicelib.errors import BadRequest, BodyNotJson, BodyNotObject, BodyTooDeep, PayloadTooLarge

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
FIELD_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")
# A mail service delivers to nothing else: no spaces, quotes, brackets or control characters in the local part;
# a domain of letters, digits and inner hyphens, with a top-level domain of letters.
EMAIL_PATTERN = re.compile(
    r"[^@\s<>\"',;\x00-\x1f\x7f-\x9f]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")
# E.164: a plus, a country code that does not start with 0, and at most 15 digits in all (R28).
PHONE_PATTERN = re.compile(r"\+[1-9][0-9]{6,14}")
PHONE_FORMAT = "must be a mobile phone number in E.164 form, like +15551234567"
DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A BCP 47 tag of a language, an optional script and an optional region: en-US, es-419, zh-Hant-TW.
LOCALE_PATTERN = re.compile(r"[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?")
# An IANA time zone as people pick one: an area and a location (America/Argentina/Buenos_Aires), or UTC.
ZONE_PATTERN = re.compile(r"UTC|(?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)"
                          r"(?:/[A-Za-z0-9_+-]{1,30}){1,2}")
ZONE_FORMAT = "must be a time zone name, like America/New_York"
LOCALE_FORMAT = "must be a language tag, like en-US or es-US"
# Unpaired surrogates (no storage or mail service can encode them) and control characters: none in a line of text,
# and only tab and line breaks in a longer text.
NOT_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
NOT_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
UNPAIRED_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_DEPTH = 16  # of a free-form JSON value (local signaling's SDP); no route's input comes near it
# Times the API accepts at all; each use narrows them further (a visit's own window, a report's range).
EARLIEST_TIME = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_TIME = datetime(2100, 1, 1, tzinfo=UTC)
TIME_FORMAT = "must be an ISO-8601 time with a zone, like 2026-11-25T14:00:00Z, between the years 2000 and 2099"
RANGE_FORMAT = ("must be an ISO-8601 time with a zone, like 2026-11-25T14:00:00Z, or a date, like 2026-11-25, "
                "between the years 2000 and 2099")


@dataclass(frozen=True)
class Field:
    """One accepted body field."""

    kind: str  # str (one line), text (lines), bool, int, time, email, phone, id, choice, json, zone, locale
    required: bool = True
    max_len: int = 200  # characters (code points), whatever the script
    choices: tuple[str, ...] = ()
    nullable: bool = False
    minimum: int = 0
    maximum: int = 2**31


def is_id(value: str) -> bool:
    return ID_PATTERN.fullmatch(value) is not None


def path_id(value: str, name: str = "id") -> str:
    """Ids in paths are opaque tokens; anything else is malformed, never a key fragment."""
    if not isinstance(value, str) or not is_id(value):
        raise BadRequest.field(name, "must be 1-64 letters, digits, '-' or '_'")
    return value


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("a number too large for JSON")
    return value


def parse_json(raw: bytes | None, max_bytes: int) -> dict[str, Any]:
    """The body as a JSON object, or the 4xx that says why not."""
    if raw is not None and len(raw) > max_bytes:
        raise PayloadTooLarge()
    if not raw:
        raise BodyNotObject()
    try:
        data = json.loads(raw, parse_constant=_no_constants, parse_float=_finite)
    except RecursionError:
        raise BodyTooDeep() from None
    except ValueError:  # also bytes that are not UTF-8, and integers longer than Python reads
        raise BodyNotJson() from None
    if not isinstance(data, dict):
        raise BodyNotObject()
    return data


def _free_json(name: str, value: Any) -> Any:
    """A free-form JSON value: not deeper than MAX_DEPTH, and no unpaired surrogate in any key or string."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise BadRequest.field(name, f"must be nested at most {MAX_DEPTH} deep")
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
        elif isinstance(item, str) and UNPAIRED_SURROGATE.search(item):
            raise BadRequest.field(name, "must be valid text")
    return value


def _text(name: str, spec: Field, value: str) -> str:
    if spec.kind == "phone":  # the pattern bounds its length: one message for every wrong form
        if not PHONE_PATTERN.fullmatch(value):
            raise BadRequest.field(name, PHONE_FORMAT)
        return value
    if len(value) > spec.max_len:
        raise BadRequest.field(name, f"must be at most {spec.max_len} characters")
    if UNPAIRED_SURROGATE.search(value):
        raise BadRequest.field(name, "must be valid text (it holds an unpaired surrogate)")
    if spec.kind == "email":
        if NOT_IN_LINE.search(value) or not EMAIL_PATTERN.fullmatch(value):
            raise BadRequest.field(name, "must be an email address")
    elif spec.kind == "text":
        if NOT_IN_TEXT.search(value):
            raise BadRequest.field(name, "must not hold control characters other than tabs and line breaks")
    elif NOT_IN_LINE.search(value):
        raise BadRequest.field(name, "must be one line of text, with no control characters")
    elif spec.required and not value.strip():
        raise BadRequest.field(name, "must not be empty")
    return value


def _convert(name: str, spec: Field, value: Any) -> Any:
    if spec.kind == "json":
        return _free_json(name, value)
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
    if spec.kind == "zone":
        if not is_time_zone(value):
            raise BadRequest.field(name, ZONE_FORMAT)
        return value
    if spec.kind == "locale":
        if not LOCALE_PATTERN.fullmatch(value):
            raise BadRequest.field(name, LOCALE_FORMAT)
        return value
    return _text(name, spec, value)


@cache
def _known_zones() -> frozenset[str]:
    from zoneinfo import available_timezones  # only agency settings need the list: read once, on first use

    return frozenset(available_timezones())


def is_time_zone(value: str) -> bool:
    """An IANA time zone the runtime knows, named as people name one (no `localtime`, `posixrules` or paths)."""
    return ZONE_PATTERN.fullmatch(value) is not None and value in _known_zones()


def parse_time(name: str, value: str) -> datetime:
    """An ISO-8601 time with a zone, in UTC, between EARLIEST_TIME and LATEST_TIME."""
    try:
        parsed = parse_iso(value) if len(value) <= 40 else None
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None or not EARLIEST_TIME <= parsed < LATEST_TIME:
        raise BadRequest.field(name, TIME_FORMAT)
    return parsed


def validate(data: dict[str, Any], fields: dict[str, Field]) -> dict[str, Any]:
    """Check fields against their specs; unknown and missing fields are named."""
    for name in data:
        if name not in fields:
            if FIELD_NAME.fullmatch(name):
                raise BadRequest.field(name, "is not accepted here")
            raise BadRequest("The request body has a field that is not accepted here.")
    out: dict[str, Any] = {}
    for name, spec in fields.items():
        if name not in data:
            if spec.required:
                raise BadRequest.field(name, "is required")
            continue
        out[name] = _convert(name, spec, data[name])
    return out


def query_bound(params: Any, name: str) -> datetime | date:
    """A range bound (R37): an instant with a zone, or a date of the agency's calendar."""
    value = (params or {}).get(name)
    if value is None:
        raise BadRequest.field(name, "is required")
    if not DATE_PATTERN.fullmatch(value):
        try:
            return parse_time(name, value)
        except BadRequest:
            raise BadRequest.field(name, RANGE_FORMAT) from None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadRequest.field(name, RANGE_FORMAT) from None
    if not EARLIEST_TIME.year <= day.year < LATEST_TIME.year:
        raise BadRequest.field(name, RANGE_FORMAT)
    return day


def query_date(params: Any, name: str) -> date | None:
    """An optional date of the agency's calendar (`2026-11-25`)."""
    value = (params or {}).get(name)
    if value is None:
        return None
    try:
        day = date.fromisoformat(value) if DATE_PATTERN.fullmatch(value) else None
    except ValueError:
        day = None
    if day is None or not EARLIEST_TIME.year <= day.year < LATEST_TIME.year:
        raise BadRequest.field(name, "must be a date, like 2026-11-25, between the years 2000 and 2099")
    return day


MAX_SEARCH = 100


def query_text(params: Any, name: str) -> str:
    """An optional search text: one line of at most MAX_SEARCH characters ("" when absent)."""
    value = (params or {}).get(name)
    if value is None:
        return ""
    return _text(name, Field("str", required=False, max_len=MAX_SEARCH), value).strip()


def query_id(params: Any, name: str) -> str | None:
    """An optional id in the query string."""
    value = (params or {}).get(name)
    return None if value is None else path_id(value, name)
