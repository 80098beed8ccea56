"""R45 at the local server (`make dev`'s one origin): its own refusals in the API's shape, with the security
headers, whatever arrives on the socket; and files served only from inside the built front end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib.http import SECURITY_HEADERS
from tests.local_server import exchange, local_server


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A built front end, with a sibling folder named like it that must never be served."""
    built = tmp_path / "dist"
    (built / "assets").mkdir(parents=True)
    (built / "index.html").write_text("<!doctype html><title>staff</title>")
    (built / "join.html").write_text("<!doctype html><title>join</title>")
    (built / "assets" / "app.js").write_text("console.log('app')")
    (tmp_path / "dist-old").mkdir()
    (tmp_path / "dist-old" / "secret.txt").write_text("an old build's secret")
    (tmp_path / "secret.txt").write_text("beside the build")
    return built


@pytest.fixture
def server(world: Any, dist: Path) -> Iterator[tuple[str, int]]:
    with local_server(dist) as address:
        yield address


def raw_request(server: tuple[str, int], data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are; read one answer."""
    head, _, body = exchange(server, data).partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in header_lines)}
    return int(status_line.split()[1]), headers, body[:int(headers.get("content-length", len(body)))]


def assert_refusal(answer: tuple[int, dict[str, str], bytes], status: int, code: str) -> None:
    got, headers, body = answer
    assert got == status, (got, body)
    assert json.loads(body).keys() == {"Code", "Message"} and json.loads(body)["Code"] == code, body
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name.lower()) == value, (name, headers)


@pytest.mark.parametrize("path", ["/api/me", "/", "/join"])
@pytest.mark.parametrize("method", ["TRACE", "QUERY", "BREW"])
def test_r45_a_method_the_server_does_not_know_is_a_json_405_not_an_html_501(server, method, path):
    answer = raw_request(server, f"{method} {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert_refusal(answer, 405, "METHOD_NOT_ALLOWED")


@pytest.mark.parametrize("length", ["abc", "-5", "1 2", "12abc", "99999999999999999999", "+4"])
def test_r45_a_malformed_content_length_gets_a_json_400_not_silence(server, length):
    answer = raw_request(server, f"POST /api/join HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n{{}}"
                         .encode())
    assert_refusal(answer, 400, "BAD_REQUEST")


def test_r45_a_chunked_body_or_two_lengths_get_a_json_411(server):
    chunked = b"POST /api/join HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
    assert_refusal(raw_request(server, chunked), 411, "LENGTH_REQUIRED")
    twice = b"POST /api/join HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"
    assert_refusal(raw_request(server, twice), 411, "LENGTH_REQUIRED")


def test_r45_a_body_over_the_servers_limit_is_a_json_413(server):
    answer = raw_request(server, b"POST /api/join HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n")
    assert_refusal(answer, 413, "PAYLOAD_TOO_LARGE")


@pytest.mark.parametrize("request_line", [b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                                          b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n"])
def test_r45_a_request_the_server_cannot_read_is_answered_in_the_apis_shape(server, request_line):
    status, headers, body = raw_request(server, request_line)
    assert 400 <= status < 500 and set(json.loads(body)) == {"Code", "Message"}
    assert headers["cache-control"] == "no-store" and headers["content-type"] == "application/json"


@pytest.mark.parametrize("path", ["/../dist-old/secret.txt", "/../secret.txt", "/assets/../../secret.txt",
                                  "/../dist/../dist-old/secret.txt", "/nothing-here.js", "/a%00b", "/\x00"])
def test_r45_the_static_server_serves_nothing_outside_the_built_front_end(server, path):
    # A prefix check without a separator served `dist-old` beside `dist`
    answer = raw_request(server, f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode("latin-1"))
    assert_refusal(answer, 404, "NOT_FOUND")
    assert b"secret" not in answer[2]


def test_the_static_server_still_serves_its_pages_and_assets(server):
    assert raw_request(server, b"GET /join HTTP/1.1\r\nHost: x\r\n\r\n")[2].endswith(b"<title>join</title>")
    status, headers, _ = raw_request(server, b"GET /assets/app.js HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == 200 and "immutable" in headers["cache-control"]


def test_r45_an_unknown_route_with_a_non_ascii_authorization_header_is_a_json_404(server):
    answer = raw_request(server, "GET /api/nowhere HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer é\r\n\r\n"
                         .encode("latin-1"))
    assert_refusal(answer, 404, "NOT_FOUND")


def test_r45_the_apps_own_refusals_pass_through_with_the_headers(server):
    body = b"[" * 5000 + b"]" * 5000
    answer = raw_request(server, b"POST /api/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    assert_refusal(answer, 400, "BAD_REQUEST")
