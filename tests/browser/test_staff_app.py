"""The staff app beyond the main flow: a coordinator's schedules, and sign-in through the Cognito hosted UI."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from playwright.sync_api import BrowserContext, Route, expect

from tests.browser.helpers import CAREGIVER, CAREGIVER_NAME, Api, axe_serious, sign_in, visit_day

pytestmark = pytest.mark.browser

COGNITO = "https://vv-test.auth.us-east-1.amazoncognito.com"


def test_r02_coordinator_sees_any_employee_and_client_schedule(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    stack: Any,
) -> None:
    # Given a virtual visit for a new client with the caregiver
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=10, minutes=30)
    page = new_context().new_page()

    # When the coordinator picks the caregiver's schedule
    sign_in(page, stack.url, "Dana Whitfield", visit_day(visit))
    page.get_by_label("Schedule for").select_option(label=CAREGIVER_NAME)

    # Then the visit is there with the virtual-care icon
    card = page.locator(".visit-card", has_text=client_info["name"])
    expect(card.get_by_role("img", name="Virtual visit")).to_have_count(1)

    # ... and in the client's schedule too, naming the caregiver (R02)
    page.get_by_label("Schedule for").select_option(label=client_info["name"])
    card = page.locator(".visit-card", has_text=CAREGIVER_NAME)
    expect(card.get_by_role("img", name="Virtual visit")).to_have_count(1)
    page.get_by_role("button", name="Week").click()
    expect(page.locator(".visit-card", has_text=CAREGIVER_NAME)).to_have_count(1)
    assert axe_serious(page) == []


def test_cognito_hosted_ui_code_flow_with_pkce_keeps_the_token_out_of_urls(
    new_context: Callable[..., BrowserContext],
    api: Api,
    stack: Any,
) -> None:
    # Given the deployment's runtime config names a Cognito hosted UI (answered here by the test).
    # The local stack's CSP allows only its own origin for fetch; a deployment's CSP lists the Cognito domain.
    context = new_context(bypass_csp=True)
    page = context.new_page()
    seen: dict[str, Any] = {}
    id_token = api.token(CAREGIVER)  # stands in for Cognito's ID token: the local stack verifies it

    page.route(
        "**/config.json",
        lambda route: route.fulfill(
            content_type="application/json",
            body=json.dumps({"auth": "cognito", "cognito": {"domain": COGNITO, "client_id": "web-client"}}),
        ),
    )

    def hosted_ui(route: Route) -> None:
        query = parse_qs(urlparse(route.request.url).query)
        seen["authorize"] = query
        back = urlencode({"code": "auth-code-123", "state": query["state"][0]})
        route.fulfill(status=302, headers={"Location": f"{query['redirect_uri'][0]}?{back}"})

    def token_endpoint(route: Route) -> None:
        form = parse_qs(route.request.post_data or "")
        seen["token"] = form
        route.fulfill(
            content_type="application/json",
            headers={"Access-Control-Allow-Origin": stack.url},
            body=json.dumps({"id_token": id_token, "token_type": "Bearer"}),
        )

    page.route(f"{COGNITO}/oauth2/authorize**", hosted_ui)
    page.route(f"{COGNITO}/oauth2/token", token_endpoint)

    # When the caregiver signs in
    page.goto("/")
    page.get_by_role("button", name="Sign in").click()

    # Then the app completes the code flow and shows the schedule
    expect(page.get_by_role("heading", name="Schedule")).to_be_visible()
    authorize, token = seen["authorize"], seen["token"]
    assert authorize["response_type"] == ["code"] and authorize["code_challenge_method"] == ["S256"]
    assert authorize["client_id"] == ["web-client"] and authorize["redirect_uri"] == [stack.url + "/"]
    assert token["grant_type"] == ["authorization_code"] and token["code"] == ["auth-code-123"]
    verifier = token["code_verifier"][0]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert authorize["code_challenge"] == [challenge]
    # ... the code left the address bar, and the token never was in it
    assert page.url == stack.url + "/"
    assert id_token not in page.url
    assert page.evaluate("() => sessionStorage.getItem('vv.token')") == id_token
