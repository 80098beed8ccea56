"""Link and privacy hygiene (issue 6, item 6).

Extends tests/unit/test_links.py (token shape, fragment, hash key) and tests/api/test_privacy.py (one flow's
logs, one scan) to: the randomness source and key length, every stored item after a whole lifecycle with a
rescheduled link and a sweep, the link's fragment in copied and emailed links whatever the request's Host,
the security headers on every client answer (errors included, and on the local stack), the body limit on
every route that takes a body, the logs of a flow with coordinator work and failures, and the email
subject, tags, and the ids sent to Chime.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import io
import json
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.logic import links
from tests.conftest import NOW, Api, World, email_parts, iso, link_token_in, sent_emails, token_for
from tests.reliability.stored import all_stored_items

BASE_URL = "https://visits.example.test"
# Everything personal the fixtures seed, for both agencies.
SEEDED_PERSONAL = ("Dana", "Whitfield", "Maria", "Lopez", "James", "Okafor", "Eleanor", "Rigby", "Walter", "Nobody",
                   "Priya", "Shah", "Tom Hughes", "Agnes", "Moore", "dana@", "maria@", "james@", "eleanor.rigby@",
                   "priya@", "tom@", "agnes.moore@")
CHECKS: list[str] = []


def _token(url: str) -> str:
    return url.split("#", 1)[1]


@pytest.fixture(scope="module", autouse=True)
def report(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and CHECKS:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nprivacy checks passed: {len(CHECKS)}")


def checked(what: str) -> None:
    CHECKS.append(what)


# --- Tokens: 256 bits, from `secrets`, under a key of at least 256 bits -------------------------------------------

def test_link_nonces_come_from_secrets_with_256_bits(api: Api, make_visit: Any, flow: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.services import services

    # Given the randomness source links use, watched
    asked: list[int] = []
    real = links.secrets.token_urlsafe

    def watched(nbytes: int | None = None) -> str:
        asked.append(nbytes or 0)
        return real(nbytes)

    monkeypatch.setattr(links.secrets, "token_urlsafe", watched)
    # When two visits' links are copied
    vids = [make_visit(), make_visit()]
    tokens = [flow.link(vid) for vid in vids]
    # Then each link generation drew 32 bytes from `secrets`, and the session keeps that nonce (never the token)
    assert asked and all(n >= 32 for n in asked)
    for vid in vids:
        session = services().sessions.get("ag1", vid)
        assert session is not None and len(base64.urlsafe_b64decode(session.link_nonce + "=")) == 32
    # And the tokens are 256-bit values that differ per visit
    assert all(len(base64.urlsafe_b64decode(t + "=")) == 32 for t in tokens) and tokens[0] != tokens[1]
    checked("nonces from secrets, 256 bits")


@pytest.mark.parametrize(("raw_key", "accepted"), [
    (base64.urlsafe_b64encode(bytes(31)).decode(), False), ("", False),
    (base64.urlsafe_b64encode(bytes(range(32))).decode().rstrip("="), True),
    ("0123456789abcdef" * 4, True),  # the shape of the deployed secret: 64 hex characters
])
def test_the_link_key_must_hold_at_least_256_bits(raw_key: str, accepted: bool) -> None:
    from chalicelib.config import from_environ
    from chalicelib.services import Services

    # Given a link key of some length; When the app loads it; Then only keys of 32 bytes or more are used
    cfg = replace(from_environ(), link_key=raw_key, link_key_secret_id="")
    if accepted:
        assert len(Services(cfg).link_key) >= 32
    else:
        with pytest.raises(RuntimeError, match="at least 32 random bytes"):
            assert Services(cfg).link_key is None  # never reached: reading the key raises
    checked("link key length")


# --- Storage: only the hash of a token is stored -----------------------------------------------------------------

def test_after_a_whole_lifecycle_no_stored_item_holds_a_token_or_the_link_key(
        api: Api, tokens: dict[str, str], make_visit: Any, flow: Any, services: Any, clock: Any) -> None:
    from chalicelib.logic.expiry import sweep_expired_sessions

    # Given a visit taken through copy, email, a reschedule with a fresh link, the client's calls, the call and its end
    vid = make_visit()
    first = flow.link(vid)
    assert flow.invite(vid).status_code == 200
    moved = {"start": iso(NOW - timedelta(minutes=5)), "end": iso(NOW + timedelta(minutes=70))}
    assert api.call("PATCH", f"/api/visits/{vid}", moved, tokens["coord"]).status_code == 200
    second = flow.link(vid)
    assert second != first
    assert flow.client("view", first).status_code == 404  # R10: the old link is dead
    for action in ("view", "attendee", "leave"):
        flow.client(action, second)
    flow.post(vid, "clock-in")
    flow.post(vid, "session/join")
    flow.client("attendee", second)
    flow.post(vid, "session/end")
    flow.post(vid, "clock-out")
    # And a second visit whose link expires and is swept
    swept = make_visit()
    third = flow.link(swept)
    clock.advance(timedelta(hours=3))
    sweep_expired_sessions(services, clock(), 200)
    # When every stored item is read, attribute by attribute
    stored = "\n".join(all_stored_items())
    # Then no token is stored in any form, only the SHA-256 of each as its link's key
    for token in (first, second, third):
        assert token not in stored
        assert base64.urlsafe_b64decode(token + "=").hex() not in stored
        assert f"LINK#{hashlib.sha256(token.encode()).hexdigest()}" in stored
    # And neither is the key tokens are derived with
    key = services.link_key
    for form in (key.hex(), base64.b64encode(key).decode(), base64.urlsafe_b64encode(key).decode().rstrip("=")):
        assert form not in stored
    checked("no token or key stored, lifecycle with reschedule and sweep")


# --- The link: token in the fragment only -------------------------------------------------------------------------

@pytest.mark.parametrize("host_headers", [
    {}, {"Host": "evil.example"}, {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"},
    {"Forwarded": "host=evil.example;proto=http"},
])
def test_links_carry_the_token_in_the_fragment_only_whatever_the_host(
        api: Api, tokens: dict[str, str], make_visit: Any, host_headers: dict[str, str]) -> None:
    # Given a visit; When its caregiver copies and emails the link, with the request claiming another host
    vid = make_visit()
    copied = api.call("POST", f"/api/visits/{vid}/invite", {"delivery": "link"}, tokens["emp1"],
                      headers=host_headers).json_body["join_url"]
    api.call("POST", f"/api/visits/{vid}/invite", {"delivery": "email"}, tokens["emp1"], headers=host_headers)
    # Then the link is the configured base URL's /join, with the token as the fragment and nothing else
    parts = urlsplit(copied)
    assert f"{parts.scheme}://{parts.netloc}" == BASE_URL
    assert (parts.path, parts.query, len(parts.fragment)) == ("/join", "", 43)
    token = parts.fragment
    # And in both parts of the email, the token appears only right after "/join#"
    text, html = email_parts(sent_emails()[-1])
    for body in (text, html):
        assert body.count(token) >= 1
        assert body.count(token) == body.count(f"{BASE_URL}/join#{token}")
        assert "evil.example" not in body
    assert link_token_in(text) == token
    checked(f"fragment-only link, host headers {sorted(host_headers)}")


def test_the_join_api_takes_the_token_from_the_body_only(api: Api, make_visit: Any, flow: Any) -> None:
    # Given a valid link token
    token = flow.link(make_visit())
    # When it is sent in the query string or a header instead of the body
    in_query = api.call("POST", f"/api/join?token={token}", {})
    in_header = api.call("POST", "/api/join", {}, headers={"X-Token": token})
    # Then the API does not take it
    assert in_query.status_code == 400 and in_header.status_code == 400
    assert in_query.json_body["Message"] == "The field 'token' is required."
    checked("token only in the request body")


# --- Headers on the client's answers ------------------------------------------------------------------------------

def _assert_private_headers(headers: Any, what: str) -> None:
    lowered = {k.lower(): v for k, v in headers.items()}
    assert lowered.get("referrer-policy") == "no-referrer", (what, headers)
    assert "no-store" in lowered.get("cache-control", ""), (what, headers)
    csp = lowered.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp and ("default-src 'none'" in csp or "default-src 'self'" in csp), \
        (what, headers)


def test_every_client_answer_forbids_referrers_and_caching_and_carries_a_csp(
        api: Api, tokens: dict[str, str], make_visit: Any, flow: Any, clock: Any) -> None:
    # Given links in every state a client can meet
    live = flow.link(make_visit())
    ended_visit = make_visit()
    ended = flow.link(ended_visit)
    flow.post(ended_visit, "session/end")
    expired = flow.link(make_visit(start=NOW - timedelta(minutes=70), minutes=60))
    cases = {
        "ok": [{"token": live}], "waiting": [{"token": live}], "over": [{"token": ended}],
        "unknown": [{"token": "A" * 43}], "bad": [{"tok": 1}], "oversized": [{"token": "x" * 300_000}],
    }
    answers = []
    for route in ("/api/join", "/api/join/attendee", "/api/join/leave"):
        for name, (body,) in cases.items():
            answers.append((f"{route} {name}", api.call("POST", route, body)))
    clock.advance(timedelta(minutes=20))
    answers.append(("/api/join expired", api.call("POST", "/api/join", {"token": expired})))
    flow.post(ended_visit, "clock-in")
    answers.append(("staff join refused", api.call("POST", f"/api/visits/{ended_visit}/session/join",
                                                   token=tokens["emp1"])))
    # Then every answer, success or error, carries no-referrer, no-store and a CSP
    statuses = {a.status_code for _, a in answers}
    assert {200, 400, 404, 409, 410, 413} <= statuses, statuses
    for what, answer in answers:
        _assert_private_headers(answer.headers, what)
        checked(f"headers on {what}")


def _http(url: str, method: str = "GET", data: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _announce_body(url: str, length: int) -> tuple[int, dict[str, str], bytes]:
    """A POST that announces a body of `length` bytes, and waits for the answer before sending any of it."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=30)
    try:
        connection.putrequest("POST", parts.path)
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(length))
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.headers), response.read()
    finally:
        connection.close()


def test_the_local_stack_serves_the_join_page_and_its_api_with_the_same_headers(live_stack: Any) -> None:
    base = live_stack.url
    # When the join page, its API, and the server's own refusals (unknown route, a body over 1 MiB) are fetched
    fetched = {
        "join page": _http(f"{base}/join"),
        "join api": _http(f"{base}/api/join", "POST", b'{"token": "' + b"A" * 43 + b'"}'),
        "unknown api route": _http(f"{base}/api/join/nowhere", "POST", b"{}"),
        "body over the server's limit": _announce_body(f"{base}/api/join", (1 << 20) + 1),
    }
    # Then each carries the headers, and the API's refusals are {"Code", "Message"}
    assert [status for status, _, _ in fetched.values()] == [200, 404, 404, 413]
    for what, (status, headers, body) in fetched.items():
        _assert_private_headers(headers, what)
        if status >= 400:
            assert set(json.loads(body)) == {"Code", "Message"}, (what, body)
        checked(f"local stack headers on {what}")


# --- Body size ---------------------------------------------------------------------------------------------------

def _routes_with_bodies() -> list[tuple[str, str]]:
    from chalicelib.openapi import build

    doc = build("test", "local")
    return sorted((m.upper(), p) for p, ops in doc["paths"].items() for m, op in ops.items() if "requestBody" in op)


@pytest.mark.parametrize(("method", "path"), _routes_with_bodies())
def test_bodies_over_the_limit_get_a_clear_413_and_change_nothing(
        api: Api, tokens: dict[str, str], make_visit: Any, flow: Any, method: str, path: str) -> None:
    from chalicelib.config import settings

    # Given data the rightful caller could change
    vid = make_visit()
    flow.link(vid)
    url = path.format(visit_id=vid, client_id="cli1", employee_id="emp2", code="PC")
    coordinator_routes = ("/api/visits", "/api/clients", "/api/employees", "/api/service-codes", "/api/agency")
    caller = tokens["coord"] if path.startswith(coordinator_routes) and not path.endswith(
        ("/invite", "/notes")) else tokens["emp1"]
    limit = settings().max_body_bytes
    oversized = b'{"padding": "' + b"x" * limit + b'"}'
    before = all_stored_items()
    # When that caller sends a body one byte or more over the limit
    response = api.call(method, url, raw=oversized, token=caller)
    # Then it is refused with 413 and a clear {"Code", "Message"}, and nothing changed
    assert response.status_code == 413, (method, path, response.body)
    assert response.json_body == {"Code": "PAYLOAD_TOO_LARGE", "Message": "The request body is too large."}
    assert all_stored_items() == before
    checked(f"413 on {method} {path}")


def test_a_body_exactly_at_the_limit_is_accepted(api: Api, tokens: dict[str, str], make_visit: Any) -> None:
    from chalicelib.config import settings

    # Given the longest notes (20,000 characters), escaped in JSON, with whitespace making the body exactly the limit
    limit = settings().max_body_bytes
    notes = b'{"notes": "' + b"\\u00e9" * 20000 + b'"'
    body = notes + b" " * (limit - len(notes) - 1) + b"}"
    assert len(body) == limit
    # When the caregiver saves them; Then they are saved
    vid = make_visit()
    assert api.call("PUT", f"/api/visits/{vid}/notes", raw=body, token=tokens["emp1"]).status_code == 200
    checked("body at the limit accepted")


# --- Logs --------------------------------------------------------------------------------------------------------

@pytest.fixture
def every_log_line() -> Iterator[io.StringIO]:
    """Everything the app and its libraries log, at DEBUG, as CloudWatch would get it (JSON lines)."""
    from chalicelib.observability import log

    logger = log()  # also pins the AWS libraries' loggers to WARNING, as in Lambda
    sink = io.StringIO()
    structured = logging.StreamHandler(sink)
    structured.setFormatter(logger.registered_formatter)
    plain = logging.StreamHandler(sink)
    plain.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    service, root = logging.getLogger(logger.service), logging.getLogger()
    levels = (service.level, root.level)
    service.addHandler(structured)
    root.addHandler(plain)
    service.setLevel(logging.DEBUG)
    root.setLevel(logging.DEBUG)
    try:
        yield sink
    finally:
        service.removeHandler(structured)
        root.removeHandler(plain)
        service.setLevel(levels[0])
        root.setLevel(levels[1])


def test_logs_of_a_full_flow_with_failures_carry_no_personal_data(
        api: Api, tokens: dict[str, str], make_visit: Any, flow: Any, every_log_line: io.StringIO,
        capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, world: World) -> None:
    from chalicelib.logic import schedule

    notes = "Complained of chest pain; daughter Beatrice visiting"
    new_client = {"name": "Ophelia Zamboni", "email": "ophelia.zamboni@mail.example.test"}
    # Given coordinators' work in both agencies
    coord, other = tokens["coord"], tokens["other_coord"]
    created = api.call("POST", "/api/clients", new_client, coord).json_body["id"]
    api.call("PATCH", f"/api/clients/{created}", {"email": "ophelia.z@mail.example.test"}, coord)
    api.call("POST", "/api/employees", {"name": "Quentin Marsh", "email": "quentin@sunrise.example.test",
                                        "role": "employee"}, coord)
    api.call("POST", "/api/clients", {"name": "Harbor Person", "email": "hp@mail.example.test"}, other)
    # And a caregiver's whole visit, with email and copied link, a reschedule, the call and the client
    vid = make_visit()
    other_vid = make_visit(client=created)
    token = flow.link(vid)
    flow.invite(vid)
    flow.invite(other_vid)
    api.call("PATCH", f"/api/visits/{vid}", {"end": iso(NOW + timedelta(minutes=80))}, coord)
    token = flow.link(vid)
    flow.post(vid, "clock-in")
    flow.post(vid, "session/join")
    for action in ("view", "attendee", "leave", "attendee"):
        flow.client(action, token)
    api.call("PUT", f"/api/visits/{vid}/notes", {"notes": notes}, tokens["emp1"])
    # And failures: bad input that repeats personal data, another agency, a bad link, and an unexpected error
    api.call("PATCH", f"/api/clients/{created}", {"email": "Ophelia Zamboni <ophelia>"}, coord)
    api.call("POST", "/api/clients", raw=b'{"name": "Ophelia Zamboni", "email": ', token=coord)
    api.call("GET", f"/api/visits/{vid}", token=tokens["other"])
    flow.client("view", "B" * 43)

    def broken(*_: Any) -> None:
        raise RuntimeError("the table is unavailable")

    monkeypatch.setattr(schedule, "save_notes", broken)
    assert api.call("PUT", f"/api/visits/{vid}/notes", {"notes": notes}, tokens["emp1"]).status_code == 500
    monkeypatch.undo()
    flow.post(vid, "session/end")
    flow.post(vid, "clock-out")
    week = f"from={iso(NOW - timedelta(days=1))}&to={iso(NOW + timedelta(days=1))}"
    api.call("GET", f"/api/reports/virtual-visits?{week}", token=coord)
    # When everything logged and printed is read
    out, err = capfd.readouterr()
    logged = every_log_line.getvalue() + out + err
    assert "unhandled error" in logged  # the failure was logged, so the check below saw real log lines
    # Then no name, email, note or link token appears in it
    personal = (*SEEDED_PERSONAL, *new_client.values(), "ophelia", "Quentin", "Harbor Person", "hp@mail", notes,
                "chest pain", "Beatrice", token)
    found = [p for p in personal if p.lower() in logged.lower()]
    assert not found, found
    checked("logs of a full flow with failures")


# --- Email and Chime: no personal data in subjects, tags or ids ---------------------------------------------------

def test_email_subjects_and_tags_carry_no_personal_data(
        api: Api, tokens: dict[str, str], make_visit: Any, flow: Any, services: Any) -> None:
    from chalicelib.integrations.email import SesMailer

    # Given a mailer whose SES requests are recorded as sent
    client = boto3.client("sesv2", region_name="us-east-1")
    requests: list[dict[str, Any]] = []
    client.meta.events.register("provide-client-params.sesv2.SendEmail",
                                lambda params, **_: requests.append(params))
    services._mailer = SesMailer(client)
    # And clients of all kinds, one created with a distinctive name
    created = api.call("POST", "/api/clients", {"name": "Yolanda Xiques", "email": "yolanda@mail.example.test"},
                       tokens["coord"]).json_body["id"]
    # When invites are emailed to them
    for vid in (make_visit(), make_visit(client=created), make_visit(start=NOW + timedelta(days=2))):
        assert flow.invite(vid).status_code == 200
    # Then the subject is the fixed one and the tags are ids, with nothing personal in either
    assert len(requests) == 3
    personal = (*SEEDED_PERSONAL, "Yolanda", "Xiques", "yolanda@", "Sunrise", "Telehealth")
    for request in requests:
        mime = request["Content"]["Raw"]["Data"].decode()
        subject = re.search(r"^Subject: (.*)$", mime, re.M)
        assert subject and subject.group(1).strip() == "Your video visit link"
        tags = {t["Name"]: t["Value"] for t in request["EmailTags"]}
        assert set(tags) == {"agency", "client", "visit", "send"}
        assert all(re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value) for value in tags.values())
        for text in (subject.group(1), *tags.values()):
            assert not [p for p in personal if p.lower() in text.lower()], text
    checked("email subjects and tags")


def test_ids_sent_to_chime_carry_no_personal_data(api: Api, tokens: dict[str, str], world: World,
                                                 services: Any, clock: Any) -> None:
    from chalicelib.integrations.meetings import ChimeMeetings
    from chalicelib.services import Services, use_services

    # Given Chime, stubbed against its real service model, with every request recorded
    chime = boto3.client("chime-sdk-meetings", region_name="us-east-1")
    sent: list[tuple[str, dict[str, Any]]] = []
    chime.meta.events.register("provide-client-params.chime-sdk-meetings.*",
                               lambda params, model, **_: sent.append((model.name, dict(params))))
    stubber = Stubber(chime)
    meeting = {"MeetingId": "8c1a3e3e-5f2a-4f7e-9a55-1f0e2f0c1a01", "ExternalMeetingId": "visit-x",
               "MediaRegion": "us-east-1"}
    stubber.activate()
    use_services(Services(clock=clock, meetings=ChimeMeetings(chime, "us-east-1", sleep=lambda _: None)))
    try:
        # And a caregiver and a client added through the API, with names and emails
        coord = tokens["coord"]
        client_id = api.call("POST", "/api/clients", {"name": "Wilhelmina Crabtree",
                                                      "email": "wilhelmina@mail.example.test"}, coord).json_body["id"]
        employee_id = api.call("POST", "/api/employees", {"name": "Bartholomew Finch", "role": "employee",
                                                          "email": "bart@sunrise.example.test"}, coord).json_body["id"]
        start = NOW - timedelta(minutes=10)
        vid = api.call("POST", "/api/visits", {"client_id": client_id, "employee_id": employee_id,
                                               "service_code": "TELE", "start": iso(start),
                                               "end": iso(start + timedelta(hours=1)), "virtual": True},
                       coord).json_body["id"]
        caregiver = token_for("ag1", employee_id, "employee")
        stubber.add_response("create_meeting_with_attendees", {"Meeting": meeting, "Attendees": [
            {"AttendeeId": "a-employee", "ExternalUserId": f"employee-{employee_id}", "JoinToken": "jt-x"}]})
        stubber.add_response("create_attendee", {"Attendee": {"AttendeeId": "a-client", "ExternalUserId": "client-x",
                                                              "JoinToken": "jt-x"}})
        stubber.add_response("delete_meeting", {})
        # When the call is held and ended
        link = api.call("POST", f"/api/visits/{vid}/invite", {"delivery": "link"}, caregiver).json_body["join_url"]
        api.call("POST", f"/api/visits/{vid}/clock-in", token=caregiver)
        assert api.call("POST", f"/api/visits/{vid}/session/join", token=caregiver).status_code == 200
        assert api.call("POST", "/api/join/attendee", {"token": _token(link)}).status_code == 200
        assert api.call("POST", f"/api/visits/{vid}/session/end", token=caregiver).status_code == 200
        stubber.assert_no_pending_responses()
    finally:
        stubber.deactivate()
        use_services(services)
    # Then the ids Chime got are opaque ids, with no name, email, time or agency in them
    ids = {(op, name): value for op, params in sent for name, value in params.items()
           if name in ("ExternalMeetingId", "ExternalUserId", "ClientRequestToken")}
    hexid = r"[0-9a-f]{32}"
    assert re.fullmatch(f"visit-{hexid}", ids[("CreateMeetingWithAttendees", "ExternalMeetingId")])
    assert re.fullmatch(f"{hexid}-1", ids[("CreateMeetingWithAttendees", "ClientRequestToken")])
    users = sorted([params["ExternalUserId"] for op, params in sent if op == "CreateAttendee"]
                   + [a["ExternalUserId"] for op, params in sent if op == "CreateMeetingWithAttendees"
                      for a in params["Attendees"]])
    assert users == sorted([f"employee-{employee_id}", f"client-{vid}"]) and re.fullmatch(hexid, employee_id)
    personal = ("Wilhelmina", "Crabtree", "wilhelmina", "Bartholomew", "Finch", "bart@", "Sunrise", "2026")
    assert not [p for p in personal for value in ids.values() if p.lower() in str(value).lower()]
    assert not [p for p in personal for value in users if p.lower() in value.lower()]
    checked("Chime ids")
