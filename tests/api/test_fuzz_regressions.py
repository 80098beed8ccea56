"""Regressions found by the API fuzzing (tests/reliability/test_fuzz_api.py), each pinned here in the normal suite."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.local_server import local_server


@pytest.fixture
def dev_server(world: Any) -> Iterator[str]:
    """`make dev`'s HTTP server in front of Chalice's local gateway, on a free port (moto in this process)."""
    with local_server(ROOT / "frontend" / "dist") as (host, port):
        yield f"http://{host}:{port}"


def _send(url: str, method: str) -> tuple[int, dict[str, str], Any]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"null")


@pytest.mark.parametrize("method", ["TRACE", "QUERY", "DELETE", "CONNECT"])
def test_dev_server_refuses_a_method_the_route_lacks_with_a_json_405(dev_server, method):
    """Found by the coverage phase: TRACE and QUERY got http.server's HTML 501 (a server error)."""
    # Given the local stack's server
    # When an API route is called with a method it does not have
    status, headers, body = _send(f"{dev_server}/api/me", method)
    # Then the answer is a 405 in the API's own error shape, not a 5xx
    assert status == 405
    assert headers["Content-Type"] == "application/json"
    assert body == {"Code": "METHOD_NOT_ALLOWED", "Message": "This method is not allowed here."}


def test_dev_server_still_serves_the_routes_methods(dev_server):
    # Given the same server / When a route is called with its own method / Then the route answers (here: 401)
    status, _, body = _send(f"{dev_server}/api/me", "GET")
    assert status == 401 and body["Code"] == "UNAUTHORIZED"


def test_openapi_document_gives_an_example_for_every_request_body(api):
    """The fuzzer's example phase had nothing to run: the document carried no examples."""
    # Given the served document
    doc = api.call("GET", "/api/openapi.json").json_body
    # Then every request body has an example that its own schema accepts, and path parameters have examples
    from jsonschema import Draft202012Validator

    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            if "requestBody" in op:
                media = op["requestBody"]["content"]["application/json"]
                assert "example" in media, (method, path)
                Draft202012Validator(media["schema"]).validate(media["example"])
            for param in op.get("parameters", []):
                assert "example" in param, (method, path, param["name"])


def test_openapi_links_lead_from_new_ids_to_the_operations_that_take_them(api):
    """The stateful phase could not reach invite, clock or join: no link led there from where visit ids appear."""
    # Given the served document
    doc = api.call("GET", "/api/openapi.json").json_body
    links = doc["paths"]["/api/visits"]["post"]["responses"]["201"]["links"]
    # Then creating a visit links to every visit operation, and each link names a real operation and its parameter
    targets = {link["operationRef"] for link in links.values()}
    assert "#/paths/~1api~1visits~1{visit_id}~1invite/post" in targets
    assert "#/paths/~1api~1visits~1{visit_id}~1session~1join/post" in targets
    for path, methods in doc["paths"].items():
        for op in methods.values():
            for response in op["responses"].values():
                for link in response.get("links", {}).values():
                    target_path, target_method = link["operationRef"][len("#/paths/"):].rsplit("/", 1)
                    target = doc["paths"][target_path.replace("~1", "/").replace("~0", "~")][target_method]
                    names = {p["name"] for p in target.get("parameters", [])}
                    assert set(link["parameters"]) <= names, (path, link)


@pytest.mark.parametrize("route", ["/api/media/local/signal", "/api/media/local/poll"])
def test_local_signaling_refuses_a_non_ascii_join_token_with_404(api, make_visit, flow, route):
    """Found by fuzzing: hmac.compare_digest raised TypeError on a non-ASCII token, so a stranger got a 500."""
    # Given a live meeting the caregiver joined
    vid = make_visit()
    flow.link(vid)
    assert flow.post(vid, "clock-in").status_code == 200
    joined = flow.post(vid, "session/join").json_body
    body = {"meeting_id": joined["meeting"]["MeetingId"], "attendee_id": joined["attendee"]["attendee_id"],
            "join_token": "\u00e9t\u00e9-\u2603"}
    if route.endswith("signal"):
        body["type"] = "hello"
    # When someone signals with that attendee id and a non-ASCII join token
    response = api.call("POST", route, body)
    # Then the answer is the usual 404 for an unknown attendee, never a 500
    assert response.status_code == 404, response.body
    assert response.json_body["Code"] == "NOT_FOUND"
