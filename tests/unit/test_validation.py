"""Bad input at its root, the validator: every class of input found to reach a 500 or storage is refused with a
4xx naming the field (R25, R45)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from chalicelib import payloads as p
from chalicelib.config import DEFAULT_MAX_BODY_BYTES
from chalicelib.errors import BadRequest, BodyNotJson, BodyNotObject, BodyTooDeep, PayloadTooLarge
from chalicelib.validation import parse_json, path_id, query_bound, validate

LIMIT = DEFAULT_MAX_BODY_BYTES


def refused(body: bytes, fields: dict) -> BadRequest:
    with pytest.raises(BadRequest) as error:
        validate(parse_json(body, LIMIT), fields)
    assert error.value.status == 400
    return error.value


@pytest.mark.parametrize("body", [b"[" * 5000 + b"]" * 5000, b'{"token": ' + b"[" * 100_000 + b"}",
                                  b'{"a":' * 3000 + b"1" + b"}" * 3000])
def test_r45_json_nested_deeper_than_python_reads_is_400_not_500(body):
    # The route never saw these: ~5 KB of `[[[[` made every body route, /api/join included, answer 500.
    with pytest.raises(BodyTooDeep) as error:
        parse_json(body, LIMIT)
    assert (error.value.status, error.value.message) == (400, "The request body is nested too deeply.")


@pytest.mark.parametrize("body", [b'{"token": NaN}', b'{"token": Infinity}', b'{"token": -Infinity}',
                                  b'{"token": 1e400}', b'{"token": ' + b"9" * 5000 + b"}", b"\xff\xfe{}",
                                  b'{"token": "x"'])
def test_r45_json_that_is_not_json_is_400(body):
    with pytest.raises(BodyNotJson):
        parse_json(body, LIMIT)


@pytest.mark.parametrize("body", [b"", b"[]", b"null", b'"text"', b"7"])
def test_r45_a_body_that_is_not_an_object_is_400(body):
    with pytest.raises(BodyNotObject):
        parse_json(body, LIMIT)


def test_r45_a_free_form_value_nested_too_deep_names_its_field():
    body = json.dumps({"meeting_id": "m", "attendee_id": "a", "join_token": "t", "type": "offer",
                       "payload": json.loads("[" * 40 + "]" * 40)}).encode()
    assert "'payload'" in refused(body, p.SIGNAL).message


@pytest.mark.parametrize(("body", "fields", "field"), [
    (b'{"token": "abc\\ud800def"}', p.TOKEN, "token"),
    (b'{"name": "Ann \\udfff"}', p.CLIENT_CREATE, "name"),
    (b'{"notes": "lone \\ud83d surrogate"}', p.NOTES, "notes"),
    (b'{"meeting_id": "m", "attendee_id": "a", "join_token": "t", "type": "offer", "payload": {"sdp": "\\ud800"}}',
     p.SIGNAL, "payload"),
])
def test_r45_unpaired_surrogates_are_refused_before_storage_sees_them(body, fields, field):
    # They were accepted, then failed at the storage layer after its retries: a 500.
    assert f"'{field}'" in refused(body, fields).message


def test_r45_an_unknown_field_whose_name_is_not_text_is_refused_without_echoing_it():
    error = refused(b'{"delivery": "email", "\\ud800\\n": 1}', p.INVITE)
    assert error.message == "The request body has a field that is not accepted here."


@pytest.mark.parametrize(("value", "fields", "field"), [
    ("CODE\n", p.SERVICE_CREATE, "code"),
    ("x@y.test\n", p.EMPLOYEE_CREATE, "email"),
    ("x\x00@y.test", p.EMPLOYEE_CREATE, "email"),
    ("x\x1b[31m@y.test", p.EMPLOYEE_CREATE, "email"),
    ("x@y.test\x00", p.EMPLOYEE_CREATE, "email"),
    ("x@-y.test", p.EMPLOYEE_CREATE, "email"),
    ("Ann\nLee", p.EMPLOYEE_CREATE, "name"),
    ("Ann\x1b[2J", p.EMPLOYEE_CREATE, "name"),
    ("Ann\u0085", p.EMPLOYEE_CREATE, "name"),
])
def test_r45_patterns_match_the_whole_value_and_text_has_no_control_characters(value, fields, field):
    # `$` accepted `x@y.test\n` and `CODE\n`: stored, then every email invite to that client answered 500.
    body = {"name": "Ann Lee", "email": "ann@agency.example.test", "role": "employee",
            "code": "TELE", "allows_virtual_visits": True}
    wanted = {name: body[name] for name in fields}
    error = refused(json.dumps({**wanted, field: value}).encode(), fields)
    assert f"'{field}'" in error.message


def test_r45_a_path_id_with_a_trailing_newline_is_malformed():
    with pytest.raises(BadRequest, match="'visit_id'"):
        path_id("abc\n", "visit_id")
    assert path_id("abc-DEF_123", "visit_id") == "abc-DEF_123"


def test_r45_notes_keep_their_line_breaks_and_tabs():
    notes = "BP 120/80\n\tpulse 72\r\nslept well"
    assert validate(parse_json(json.dumps({"notes": notes}).encode(), LIMIT), p.NOTES) == {"notes": notes}


@pytest.mark.parametrize("script", ["n", "é", "ж", "漢", "🙂", "𓀀"])
@pytest.mark.parametrize("escaped", [False, True])
def test_r45_notes_of_the_documented_20000_characters_are_accepted_in_any_script(script, escaped):
    # Given notes of exactly 20,000 characters in a script of 1 to 4 bytes a character, sent raw or \\u-escaped
    body = json.dumps({"notes": script * 20000}, ensure_ascii=escaped).encode()
    # Then the body fits the limit (the worst, 4-byte characters escaped as surrogate pairs, is 240,012 bytes)
    assert len(body) <= LIMIT, len(body)
    assert len(validate(parse_json(body, LIMIT), p.NOTES)["notes"]) == 20000
    # And one more character is refused, naming the field
    longer = json.dumps({"notes": script * 20001}, ensure_ascii=escaped).encode()
    assert "'notes'" in refused(longer, p.NOTES).message


def test_r45_the_body_limit_is_a_413():
    with pytest.raises(PayloadTooLarge):
        parse_json(b" " * (LIMIT + 1), LIMIT)


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "2026-11-25T10:00:00",
                                   "tomorrow", "2026-11-25T10:00:00Z\n", "1999-12-31T23:59:59Z", "x" * 41])
def test_r45_times_outside_what_the_api_takes_name_the_field(value):
    body = json.dumps({"start": value}).encode()
    assert "'start'" in refused(body, p.VISIT_PATCH).message


def test_r37_range_bounds_are_instants_with_a_zone_or_dates():
    assert query_bound({"from": "2026-11-01"}, "from") == date(2026, 11, 1)
    assert query_bound({"to": "2026-11-01T05:00:00+01:00"}, "to") == datetime(2026, 11, 1, 4, tzinfo=UTC)
    arabic_indic = "\u0662\u0660\u0662\u0666-\u0661\u0661-\u0662\u0665"  # 2026-11-25 in other digits
    for value in ("2026-13-01", "2026-11-1", arabic_indic, "9999-01-01", "2026-11-01T00:00:00", ""):
        with pytest.raises(BadRequest, match="'from'"):
            query_bound({"from": value}, "from")
    with pytest.raises(BadRequest, match="'to' is required"):
        query_bound({}, "to")
