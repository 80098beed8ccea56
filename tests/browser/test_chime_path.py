"""The Chime provider, as far as it runs with no AWS account.

The join page is given a join response shaped like Chime's CreateMeeting and CreateAttendee output
(`provider: "chime"`); the real amazon-chime-sdk-js then builds its DefaultMeetingSession, lists the
fake devices, opens them, and each control calls the SDK. The media URLs point at a closed loopback
port, so the SDK's signaling connection cannot open: no remote attendee, presence event, remote video
or reconnection to a real meeting can happen here.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.browser.helpers import R20_CLIENT_ENDED

pytestmark = pytest.mark.browser

DEAD = "127.0.0.1:9"  # discard port: nothing answers


def chime_join_response(echo_reduction: str) -> dict[str, Any]:
    meeting_id = str(uuid.uuid4())
    return {
        "provider": "chime",
        "meeting": {
            "MeetingId": meeting_id,
            "ExternalMeetingId": "visit-0123456789abcdef",
            "MediaRegion": "us-east-1",
            "MeetingArn": f"arn:aws:chime:us-east-1:111122223333:meeting/{meeting_id}",
            "MediaPlacement": {
                "AudioHostUrl": f"{DEAD}/{uuid.uuid4().hex}",
                "AudioFallbackUrl": f"wss://{DEAD}/calls/{meeting_id}",
                "SignalingUrl": f"wss://{DEAD}/control/{meeting_id}",
                "TurnControlUrl": f"https://{DEAD}/v2/turn_sessions",
                "ScreenDataUrl": f"wss://{DEAD}/v2/screen/{meeting_id}",
                "ScreenViewingUrl": f"wss://{DEAD}/ws/connect?passcode=null&viewer_uuid=null&X-BitHub-Call-Id={meeting_id}",
                "ScreenSharingUrl": f"wss://{DEAD}/v2/screen/{meeting_id}",
                "EventIngestionUrl": f"https://{DEAD}/v2/client-events",
            },
            "MeetingFeatures": {"Audio": {"EchoReduction": echo_reduction}},
            "TenantIds": [],
        },
        "attendee": {
            "attendee_id": str(uuid.uuid4()),
            "external_user_id": "client-0123456789abcdef",
            "join_token": "dGVzdC1qb2luLXRva2VuLW5vdC1yZWFs",
        },
    }


def serve_chime(page: Page, echo_reduction: str) -> list[str]:
    """Routes the client API to answers as the Chime stage gives them; returns the paths called."""
    calls: list[str] = []

    def answer(route: Route) -> None:
        path = route.request.url.split("/api", 1)[1]
        calls.append(path)
        body: Any = {"state": "active"}
        if path == "/join":
            body = {
                "agency_name": "Sunrise Home Care",
                "caregiver_first_name": "James",
                "start": "2026-11-25T15:00:00Z",
                "end": "2026-11-25T16:00:00Z",
                "time_zone": "America/New_York",
                "zone_names": {"en": "Eastern Time", "es": "hora del Este"},
                "state": "active",
                "caregiver_present": True,
                "provider": "chime",
            }
        elif path == "/join/attendee":
            body = chime_join_response(echo_reduction)
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route("**/api/join**", answer)
    return calls


def diagnostics(page: Page) -> dict[str, Any]:
    return dict(page.evaluate("() => window.vvCallDiagnostics()"))


def live_tracks(page: Page, kind: str) -> int:
    return int(
        page.evaluate("k => window.__vvTracks.filter(t => t.kind === k && t.readyState === 'live').length", kind)
    )


def test_r18_chime_sdk_session_devices_and_controls(new_context: Callable[..., BrowserContext]) -> None:
    # Given a join response from the Chime provider that offers echo reduction
    page = new_context().new_page()
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    calls = serve_chime(page, "AVAILABLE")

    # When the client checks devices and joins
    page.goto("/join#chime-path-token")
    page.get_by_role("button", name="Check camera and microphone").click()
    page.get_by_role("button", name="Join", exact=True).click()

    # Then the Chime chunk (and not the local one) ran the real SDK's DefaultMeetingSession
    page.wait_for_function("() => window.vvCallDiagnostics?.()?.provider === 'chime'")
    assert any("/assets/chime-" in url for url in scripts)
    assert not any("/assets/session-" in url for url in scripts)  # the local provider's chunk
    assert calls[:2] == ["/join", "/join/attendee"]
    # ... which listed the fake devices (two cameras, microphones) and opened them
    page.wait_for_function("() => window.__vvTracks.some(t => t.kind === 'video' && t.readyState === 'live')")
    page.wait_for_function("() => window.__vvTracks.some(t => t.kind === 'audio' && t.readyState === 'live')")
    state = diagnostics(page)
    assert state["videoDevices"] == 2 and state["audioDevices"] >= 1, state
    assert state["videoEnabled"] is True and state["videoDeviceId"], state
    # ... and tried Amazon Voice Focus with echo reduction, which needs assets from AWS: here it falls back
    assert state["echoReduction"] in ("on", "unsupported"), state
    # ... and started connecting to the meeting's signaling URL, which nothing answers here
    assert state["connection"] == "connecting", state

    # Mute and unmute go through the SDK's realtime controller
    page.get_by_role("button", name="Mute", exact=True).click()
    assert diagnostics(page)["muted"] is True
    page.get_by_role("button", name="Unmute", exact=True).click()
    assert diagnostics(page)["muted"] is False

    # Switching the camera moves the SDK's video input to the other camera
    first_camera = diagnostics(page)["videoDeviceId"]
    page.get_by_role("button", name="Switch camera", exact=True).click()
    page.wait_for_function("id => window.vvCallDiagnostics().videoDeviceId !== id", arg=first_camera)

    # Camera off releases the camera; camera on opens it again
    page.get_by_role("button", name="Turn camera off", exact=True).click()
    page.get_by_role("button", name="Turn camera on", exact=True).wait_for()
    assert diagnostics(page)["videoEnabled"] is False
    page.wait_for_function("() => !window.__vvTracks.some(t => t.kind === 'video' && t.readyState === 'live')")
    page.get_by_role("button", name="Turn camera on", exact=True).click()
    page.get_by_role("button", name="Turn camera off", exact=True).wait_for()
    page.wait_for_function("() => window.__vvTracks.some(t => t.kind === 'video' && t.readyState === 'live')")

    # Hang up stops the SDK session and every camera and microphone track, and tells the API
    page.get_by_role("button", name="Hang up", exact=True).click()
    expect(page.get_by_role("button", name="Rejoin")).to_be_visible()
    page.wait_for_function("() => window.__vvTracks.every(t => t.readyState === 'ended')")
    assert "/join/leave" in calls
    assert diagnostics(page)["connection"] == "stopped"


def test_chime_without_echo_reduction_and_meeting_end(new_context: Callable[..., BrowserContext]) -> None:
    # Given a Chime meeting that does not offer echo reduction
    page = new_context(phone=True).new_page()
    serve_chime(page, "UNAVAILABLE")
    page.goto("/join#chime-path-token")
    page.get_by_role("button", name="Check camera and microphone").click()
    page.get_by_role("button", name="Join", exact=True).click()
    page.wait_for_function("() => window.vvCallDiagnostics?.()?.provider === 'chime'")

    # Then Voice Focus is not used
    assert diagnostics(page)["echoReduction"] == "not-offered"

    # When the API says the session is over (the caregiver hung up), the page shows the ended text
    page.unroute("**/api/join**")
    page.route(
        "**/api/join",
        lambda route: route.fulfill(
            status=200,
            content_type="application/json",
            body=json.dumps(
                {
                    "agency_name": "Sunrise Home Care",
                    "caregiver_first_name": "James",
                    "start": "2026-11-25T15:00:00Z",
                    "end": "2026-11-25T16:00:00Z",
                    "state": "over",
                    "caregiver_present": False,
                    "provider": "chime",
                }
            ),
        ),
    )
    expect(page.get_by_test_id("ended")).to_have_text(R20_CLIENT_ENDED, timeout=10000)
    page.wait_for_function("() => window.__vvTracks.every(t => t.readyState === 'ended')")
