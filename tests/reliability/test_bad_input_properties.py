"""R45 as properties: whatever JSON, query or path anyone sends to any route, and whatever bytes reach the local
server, the answer is never a 5xx; every refusal is `{"Code", "Message"}` with the JSON content type and the security
headers; and a refusal writes nothing (no DynamoDB write, no email).

Hypothesis generates the input: JSON nested thousands deep, unpaired surrogates, control characters, numbers too
large for any type, NaN and Infinity, extreme and malformed dates, values of the wrong type, unknown fields, and
real ids and tokens mixed in so that some requests get past validation to the rules. `make test` runs a small run;
`make reliability` (RELIABILITY_FULL=1) the large one, whose figures are in docs/RELIABILITY.md.
"""

from __future__ import annotations

import http.client
import json
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.http import SECURITY_HEADERS
from tests.aws_calls import counting_aws_calls
from tests.conftest import NOW, ROOT, iso
from tests.local_server import exchange, local_server
from tests.reliability.conftest import FULL

API_EXAMPLES = 10_000 if FULL else 150
SERVER_EXAMPLES = 5000 if FULL else 100
WRITES = ("dynamodb.PutItem", "dynamodb.UpdateItem", "dynamodb.TransactWriteItems", "dynamodb.DeleteItem",
          "dynamodb.BatchWriteItem", "sesv2.SendEmail")
FIGURES: Counter[str] = Counter()

# --- What is sent ------------------------------------------------------------------------------------------------

ANY_CHARACTER = st.characters(codec=None, exclude_categories=())  # surrogates and controls included
TEXT = st.one_of(st.text(ANY_CHARACTER, max_size=40), st.text(st.characters(max_codepoint=0x7F), max_size=40))
TIMES = st.one_of(
    st.sampled_from(["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "2026-02-30T10:00:00Z", "2026-11-25",
                     "2026-11-25T10:00:00", "2026-11-25T10:00:00Z\n", "2026-11-25T25:00:00Z", "-2026-11-25",
                     "2026-11-25T10:00:00+99:00", "1970-01-01T00:00:00Z", "2099-12-31T23:59:59Z", "2026-W48-3"]),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.dates().map(str),
    st.integers(-8 * 4, 12 * 4).map(lambda q: iso(NOW + timedelta(minutes=15 * q))),
)
NUMBERS = st.one_of(st.integers(), st.integers(min_value=10**18), st.floats(allow_nan=False, allow_infinity=False))
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT, TIMES)
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(TEXT, inner, max_size=4)), max_leaves=12)


def raw_bodies(fields: list[str], known: dict[str, list[Any]]) -> st.SearchStrategy[bytes]:
    """Bodies for a route taking `fields`: mostly objects with its fields (some with real values), some not JSON."""
    field_value = st.one_of(JSON_VALUES, *(st.sampled_from(v) for v in known.values()))
    objects = st.dictionaries(st.sampled_from(fields) if fields else TEXT, field_value, max_size=len(fields) + 1)
    with_extra = st.tuples(objects, st.dictionaries(TEXT, JSON_VALUES, max_size=2)).map(lambda t: {**t[1], **t[0]})
    as_json = st.one_of(objects, with_extra, JSON_VALUES).map(lambda v: json.dumps(v).encode())
    nested = st.integers(100, 60_000).flatmap(lambda n: st.sampled_from([b"[" * n + b"]" * n,
                                                                         b'{"a":' * n + b"1" + b"}" * n]))
    broken = st.sampled_from([b"", b"{", b'{"token": NaN}', b'{"token": Infinity}', b"\xff\xfe\x00",
                              b'{"token": 1' + b"0" * 5000 + b"}", b'{"token": 1e999}', b"null", b"[]",
                              b'{"notes": "\\ud800"}', b'{"name": "x\\u0000y"}'])
    return st.one_of(as_json, as_json, as_json, nested, broken, st.binary(max_size=64))


# --- The API, through the local server (API Gateway's part played as `make dev` plays it), on moto ---------------

@pytest.fixture
def server(world: Any, tmp_path: Path) -> Iterator[tuple[str, int]]:
    """The local server, with a built front end and a sibling folder that must never be served."""
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><title>staff</title>")
    (tmp_path / "dist-old").mkdir()
    (tmp_path / "dist-old" / "secret.txt").write_text("secret")
    with local_server(dist) as address:
        yield address


@pytest.fixture
def scene(tokens: dict[str, str], make_visit: Any, flow: Any) -> dict[str, Any]:
    """A visit in a call, a live link, and who may call."""
    vid = make_visit()
    token = flow.link(vid)
    flow.post(vid, "clock-in")
    joined = flow.post(vid, "session/join").json_body
    return {"vid": vid, "token": token, "meeting": joined["meeting"]["MeetingId"],
            "attendee": joined["attendee"]["attendee_id"], "join_token": joined["attendee"]["join_token"]}


def routes() -> list[tuple[str, str, list[str]]]:
    """Every route of the app (method, path, the body fields it takes)."""
    from app import app
    from chalicelib import openapi

    served = {(m.upper(), path): fields for m, path, _, _, fields, *_ in openapi.operations("test", "local")}
    return [(method, path, list(served.get((method, path)) or {}))
            for path, methods in sorted(app.routes.items()) for method in sorted(methods)]


def assert_answer(status: int, headers: dict[str, str], body: bytes, where: str) -> None:
    assert status < 500, (where, status, body[:300])
    if status >= 400:
        data = json.loads(body)
        assert isinstance(data, dict) and set(data) == {"Code", "Message"}, (where, data)
        for name, value in SECURITY_HEADERS.items():
            assert headers.get(name.lower()) == value, (where, name, headers)


def send(server: tuple[str, int], method: str, path: str, body: bytes | None,
         headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(*server, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_r45_no_input_to_any_route_gets_a_5xx_and_a_refusal_writes_nothing(server, tokens, scene):
    # Given every route, real ids and a live link to mix in, and every AWS write counted
    table = routes()
    known = {"ids": [scene["vid"], "cli1", "emp1", "TELE"], "token": [scene["token"]],
             "meeting": [scene["meeting"], scene["attendee"], scene["join_token"]],
             "choice": ["email", "link", "employee", "coordinator", "en", "hello", "offer"]}
    bodies = {(m, p): raw_bodies(fields, known) for m, p, fields in table}
    path_values = st.one_of(st.sampled_from(known["ids"]), TEXT, st.text(st.characters(max_codepoint=0x7F)))
    callers = st.sampled_from([None, "coord", "emp1", "emp2", "other"])

    @st.composite
    def requests(draw: Any) -> tuple[str, str, bytes | None, str | None, str]:
        method, route, _ = draw(st.sampled_from(table))
        path = route
        for name in [seg[1:-1] for seg in path.split("/") if seg.startswith("{")]:
            value = draw(path_values).encode("utf-8", "surrogatepass")
            path = path.replace("{" + name + "}", quote(value, safe="") or "x")
        if path.endswith("/schedule") or path.startswith("/api/reports/"):
            params = {name: draw(st.one_of(TIMES, TEXT)) for name in draw(st.sets(st.sampled_from(["from", "to"])))}
            path += "?" + "&".join(f"{k}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}"
                                   for k, v in params.items())
        body = draw(bodies[(method, route)]) if method in ("POST", "PUT", "PATCH") else None
        content_type = draw(st.sampled_from(["application/json"] * 6 + ["text/plain", "application/json; x=1",
                                                                         "*/*", "", "application/xml"]))
        return method, path, body, draw(callers), content_type

    with counting_aws_calls() as calls:

        @settings(max_examples=API_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(request=requests())
        def property_holds(request: tuple[str, str, bytes | None, str | None, str]) -> None:
            method, path, body, who, content_type = request
            calls.take()
            headers = {"Content-Type": content_type} if content_type else {}
            if who:
                headers["Authorization"] = f"Bearer {tokens[who]}"
            # When it is sent
            status, answer_headers, answer = send(server, method, path, body, headers)
            # Then never a 5xx; a refusal is in the API's shape with its headers, and it wrote nothing
            assert_answer(status, answer_headers, answer, f"{method} {path}")
            FIGURES[f"API {status // 100}xx"] += 1
            if status >= 400:  # a write refused by its condition stored nothing; one that went through did
                written = [op for op, _, parsed in calls.log if op in WRITES and "Error" not in parsed]
                assert not written, (method, path, status, written)

        property_holds()


# --- The local server, over a socket -----------------------------------------------------------------------------

HTTP_TOKEN = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters=":"), min_size=1,
                     max_size=12)
LATIN = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=40)


@st.composite
def raw_requests(draw: Any) -> bytes:
    method = draw(st.one_of(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE",
                                             "CONNECT", "QUERY"]), HTTP_TOKEN))
    path = draw(st.one_of(st.sampled_from(["/", "/join", "/call", "/api/me", "/api/join", "/api/visits/x",
                                           "/../dist-old/secret.txt", "/api/visits/x/invite", "/outbox?x=1"]),
                          LATIN.map(lambda p: "/" + p.replace(" ", "%20"))))
    version = draw(st.sampled_from(["HTTP/1.1"] * 5 + ["HTTP/1.0", "HTTP/2.0", "HTTP/x", ""]))
    headers = draw(st.lists(st.tuples(st.one_of(st.sampled_from(["Content-Length", "Content-Type", "Authorization",
                                                                 "Transfer-Encoding", "Host"]), HTTP_TOKEN),
                                      LATIN.map(lambda v: v.replace("\r", "").replace("\n", ""))), max_size=4))
    body = draw(st.binary(max_size=64))
    head = f"{method} {path} {version}".rstrip() + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return head.encode("latin-1") + body


def test_r45_no_bytes_reaching_the_local_server_get_a_5xx_or_no_answer(server):
    @settings(max_examples=SERVER_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=raw_requests())
    def property_holds(data: bytes) -> None:
        # When the bytes are sent
        received = exchange(server, data)
        # Then there is an answer, never a 5xx, and a refusal is in the API's shape with its headers
        head, _, body = received.partition(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        assert status_line.startswith("HTTP/1."), (data[:200], received[:200])
        headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}
        status = int(status_line.split()[1])
        if data.startswith(b"HEAD "):  # the answer to HEAD has no body, by definition
            assert status < 500 and headers["cache-control"], (data[:120], received[:200])
        else:
            assert_answer(status, headers, body[:int(headers.get("content-length", len(body)))], repr(data[:120]))
        FIGURES["local server requests"] += 1

    property_holds()


@pytest.fixture(scope="module", autouse=True)
def figures(request: pytest.FixtureRequest) -> Iterator[None]:
    """The run's figures, printed and written to test-output/reliability/bad_input_properties.json."""
    yield
    out = ROOT / "test-output" / "reliability"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bad_input_properties.json").write_text(json.dumps({"full": FULL, **FIGURES}, indent=1, sort_keys=True))
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nR45 properties: {dict(FIGURES)}")
