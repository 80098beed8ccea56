"""R39: live captions, as far as Chime runs with no AWS account.

The page is given a Chime join response (as in test_chime_path.py); the real amazon-chime-sdk-js then runs. Captions
are fed the way Chime delivers them: a transcript frame encoded with the SDK's own protobuf classes
(`SdkTranscriptFrame`), wrapped in the SDK's `DataMessage` of topic `aws:chime:transcription`, handed to the SDK's
realtime controller exactly as its signaling task does when the frame arrives. From there the SDK's own
TranscriptionController and TranscriptEventConverter turn it into TranscriptionStatus and Transcript events, which
the page shows. People arrive the same way (the realtime controller's attendee presence, as the SDK's audio
metadata sets it). What cannot run here: Chime's real signaling and Amazon Transcribe itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.browser.helpers import axe_serious, shot
from tests.browser.test_chime_path import chime_join_response

pytestmark = pytest.mark.browser

CAREGIVER_ID, GUEST_ID = "att-caregiver-0001", "att-guest-0001"
TEST_HOOKS = "window.__VV_TEST_HOOKS__ = true;"

FEED = """
([events]) => {
  const { meetingSession, DataMessage, SdkTranscriptFrame } = window.__vvChime;
  const data = SdkTranscriptFrame.encode({ events }).finish();
  const realtime = meetingSession.audioVideo.realtimeController;
  const topic = 'aws:chime:transcription';
  realtime.realtimeReceiveDataMessage(new DataMessage(Date.now(), topic, data, topic, topic));
}
"""
ARRIVE = """
([id, external]) => window.__vvChime.meetingSession.audioVideo.realtimeController
  .realtimeSetAttendeeIdPresence(id, true, external, false, null)
"""


def joined(page: Page) -> None:
    """Waits until the page's Chime session runs: it listens for presence and transcripts, and opened the camera."""
    page.wait_for_function("() => window.__vvChime && window.vvCallDiagnostics?.()?.provider === 'chime'")
    page.wait_for_function("() => window.__vvTracks.some(t => t.kind === 'video' && t.readyState === 'live')")


def status(page: Page, kind: str) -> None:
    """A TranscriptionStatus event, as Chime sends it when transcription starts or stops."""
    code = page.evaluate(f"() => window.__vvChime.SdkTranscriptionStatus.Type.{kind}")
    page.evaluate(FEED, [[{"status": {"type": code, "eventTime": 1, "transcriptionRegion": "us-east-1",
                                      "transcriptionConfiguration": "{}"}}]])


def say(page: Page, result_id: str, text: str, speaker: str, external: str, partial: bool) -> None:
    """A Transcript event with one result, its words attributed to `speaker`."""
    pronunciation = page.evaluate("() => window.__vvChime.SdkTranscriptItem.Type.PRONUNCIATION")
    items = [{"content": word, "speakerAttendeeId": speaker, "speakerExternalUserId": external,
              "type": pronunciation, "startTime": 1, "endTime": 2} for word in text.split()]
    page.evaluate(FEED, [[{"transcript": {"results": [{
        "resultId": result_id, "channelId": "ch_0", "isPartial": partial, "startTime": 1, "endTime": 2,
        "alternatives": [{"transcript": text, "items": items}],
    }]}}]])


def serve(page: Page, join: dict[str, Any]) -> list[dict[str, Any]]:
    """The client API as the Chime stage answers it; returns the captions requests the page made."""
    asked: list[dict[str, Any]] = []

    def answer(route: Route) -> None:
        path = route.request.url.split("/api", 1)[1]
        body: Any = {"state": "active"}
        if path == "/join":
            body = {"agency_name": "Sunrise Home Care", "caregiver_first_name": "James",
                    "start": "2026-11-25T15:00:00Z", "end": "2026-11-25T16:00:00Z",
                    "time_zone": "America/New_York", "state": "active", "caregiver_present": True,
                    "guest_first_name": "Ann", "role": "client", "language": "en",
                    "zone_names": {"en": "Eastern Time", "es": "hora del Este"}}
        elif path == "/join/attendee":
            body = join
        elif path == "/join/captions":
            request = json.loads(route.request.post_data or "{}")
            asked.append(request)
            body = {"captions_on": request["on"], "state": "active"}
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route("**/api/join**", answer)
    return asked


def luminance(css: str) -> float:
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", css)[:3])
    channel = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * channel[0] + 0.7152 * channel[1] + 0.0722 * channel[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_r39_captions_in_the_call_are_large_high_contrast_and_turn_on_and_off(
    new_context: Callable[..., BrowserContext],
) -> None:
    # Given a client on a phone, in a Chime call with their caregiver and a guest
    context = new_context(phone=True)
    context.add_init_script(TEST_HOOKS)
    page = context.new_page()
    join = chime_join_response("UNAVAILABLE")
    asked = serve(page, join)
    page.goto("/join#captions-test-token")
    page.get_by_role("button", name="Check camera and microphone").click()
    page.get_by_role("button", name="Join", exact=True).click()
    joined(page)
    page.evaluate(ARRIVE, [CAREGIVER_ID, "employee-sunrise-james"])
    page.evaluate(ARRIVE, [GUEST_ID, "guest-v-0123456789"])
    expect(page.get_by_test_id("tile-employee")).to_contain_text("James")

    # When the client presses Captions
    button = page.get_by_role("button", name="Captions", exact=True)
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()

    # Then the page asked the API to start them, and once Chime says transcription started, the band is there
    expect(button).to_have_attribute("aria-pressed", "true")
    assert asked == [{"token": "captions-test-token", "on": True}]
    status(page, "STARTED")
    band = page.get_by_test_id("captions")
    expect(band).to_be_visible()

    # And what the caregiver says shows as it is said, the partial line replaced by the final one, with their name
    say(page, "r-1", "Good morning", CAREGIVER_ID, "employee-sunrise-james", partial=True)
    expect(band).to_have_text("James: Good morning")
    say(page, "r-1", "Good morning, how did you sleep?", CAREGIVER_ID, "employee-sunrise-james", partial=False)
    expect(band).to_have_text("James: Good morning, how did you sleep?")
    say(page, "r-2", "She slept well.", GUEST_ID, "guest-v-0123456789", partial=False)
    expect(band.locator(".caption-line")).to_have_count(2)
    expect(band.locator(".caption-line").nth(1)).to_have_text("Ann: She slept well.")

    # ... large and high-contrast: at least 24 px, bold, and 7:1 or better (WCAG AAA) against the band
    line = band.locator(".caption-line").first
    style = line.evaluate("""el => { const s = getComputedStyle(el), b = getComputedStyle(el.parentElement);
        return { size: parseFloat(s.fontSize), weight: Number(s.fontWeight), color: s.color,
                 background: b.backgroundColor,
                 speaker: getComputedStyle(el.querySelector('.caption-speaker')).color }; }""")
    assert style["size"] >= 24 and style["weight"] >= 700, style
    assert contrast(style["color"], style["background"]) >= 7, style
    assert contrast(style["speaker"], style["background"]) >= 7, style
    # ... and the page, with three people's tiles and captions on, has no serious accessibility issue
    assert page.locator(".tile").count() == 2 and page.locator(".self-box").count() == 1
    shot(page, "r39-captions-on-phone")
    assert axe_serious(page) == []

    # When the client turns them off
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    assert asked[-1] == {"token": "captions-test-token", "on": False}
    status(page, "STOPPED")

    # Then the band goes, and it stays gone when Chime confirms the stop
    expect(page.get_by_test_id("captions")).to_have_count(0)


def test_r39_captions_started_by_the_caregiver_reach_the_client_page(
    new_context: Callable[..., BrowserContext],
) -> None:
    # Given a client in a Chime call who never pressed Captions
    context = new_context(phone=True)
    context.add_init_script(TEST_HOOKS)
    page = context.new_page()
    serve(page, chime_join_response("UNAVAILABLE"))
    page.goto("/join#captions-test-token")
    page.get_by_role("button", name="Check camera and microphone").click()
    page.get_by_role("button", name="Join", exact=True).click()
    joined(page)
    page.evaluate(ARRIVE, [CAREGIVER_ID, "employee-sunrise-james"])
    expect(page.get_by_test_id("tile-employee")).to_contain_text("James")

    # When the caregiver turns captions on (Chime tells every attendee) and speaks
    status(page, "STARTED")
    say(page, "r-9", "Let us check your medication list.", CAREGIVER_ID, "employee-sunrise-james", partial=False)

    # Then the client sees them, and their button shows them on
    expect(page.get_by_test_id("captions")).to_have_text("James: Let us check your medication list.")
    expect(page.get_by_role("button", name="Captions", exact=True)).to_have_attribute("aria-pressed", "true")

    # And when the transcription fails or stops, the captions go
    status(page, "FAILED")
    expect(page.get_by_test_id("captions")).to_have_count(0)
