"""R40 for real: a caregiver and a client in a call (the local provider, peer to peer on loopback), then the loopback
link of the tests' own network namespace is throttled with `tc tbf` (throttle.py) while the call runs.

The test asserts behaviour: each page says R40's text with its one-tap "Turn off my video", the other side's video
pauses, the sound keeps flowing through the throttling (packets keep arriving and the audio keeps playing), and the
tap turns the camera off. How long the warning took, and how much sound arrived, is written to
test-output/weak-connection.json for `python -m benchmarks.weak_link` and docs/PERFORMANCE.md; nothing here asserts
a time.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import CAREGIVER_NAME, ROOT, Api, assert_video_flowing, shot, sign_in, visit_day
from tests.browser.test_main_flow import client_joins, join_call, open_visit_dialog
from tests.browser.throttle import loopback_qdisc, throttled_loopback

pytestmark = pytest.mark.browser

R40_TEXT = "Your connection is weak. Turning off video can keep the sound clear."
FIGURES = ROOT / "test-output" / "weak-connection.json"
# Every peer connection a page makes, so the test can read what arrives (a test-only init script).
PEER_RECORDER = """
(() => {
  const Original = window.RTCPeerConnection;
  window.__vvPeers = [];
  window.RTCPeerConnection = function (...args) {
    const pc = new Original(...args);
    window.__vvPeers.push(pc);
    return pc;
  };
  window.RTCPeerConnection.prototype = Original.prototype;
})();
"""
INBOUND = """
async () => {
  const totals = { audio: 0, video: 0, audioLevel: 0 };
  for (const pc of window.__vvPeers.filter(p => p.connectionState !== 'closed')) {
    (await pc.getStats()).forEach(r => {
      if (r.type !== 'inbound-rtp') return;
      totals[r.kind] += r.packetsReceived || 0;
      if (r.kind === 'audio') totals.audioLevel = Math.max(totals.audioLevel, r.totalAudioEnergy || 0);
    });
  }
  return totals;
}
"""


def inbound(page: Page) -> dict[str, float]:
    return dict(page.evaluate(INBOUND))


def flowing(page: Page, seconds: float) -> dict[str, float]:
    """What arrived over `seconds`: audio and video packets, and whether the remote sound kept playing."""
    first = inbound(page)
    page.wait_for_timeout(seconds * 1000)
    second = inbound(page)
    playing = page.evaluate("() => [...document.querySelectorAll('audio')].some(a => a.srcObject && !a.paused)")
    return {"audio_packets_per_s": (second["audio"] - first["audio"]) / seconds,
            "video_packets_per_s": (second["video"] - first["video"]) / seconds, "audio_playing": playing}


def test_r40_a_throttled_link_warns_pauses_the_other_video_and_keeps_the_sound(
    new_context: Callable[..., BrowserContext],
    api: Api,
    coordinator_token: str,
    stack: Any,
    loopback_network: bool,
) -> None:
    if not loopback_network:
        pytest.fail("R40's test throttles the loopback of a private network namespace, which this kernel refused")
    # Given a caregiver and a client on a phone in a call, video and sound flowing both ways
    client_info = api.new_client(coordinator_token)
    visit = api.new_visit(coordinator_token, client_info["id"], start_offset_min=-5, minutes=60)
    caregiver_ctx, client_ctx = new_context(), new_context(phone=True, width=360)
    for context in (caregiver_ctx, client_ctx):
        context.add_init_script(PEER_RECORDER)
    main = caregiver_ctx.new_page()
    sign_in(main, stack.url, CAREGIVER_NAME, visit_day(visit))
    open_visit_dialog(main, client_info["name"])
    dialog = main.get_by_test_id("visit-dialog")
    dialog.get_by_role("button", name="Send invite to client").click()
    token = api.join_link_from_outbox(client_info["email"]).split("#", 1)[1]
    dialog.get_by_role("button", name="Clock in").click()
    expect(dialog.get_by_test_id("clock-state")).to_contain_text("Clocked in at")
    call = join_call(main)
    client = client_ctx.new_page()
    client.goto(f"/join#{token}")
    client_joins(client)
    assert_video_flowing(call)
    assert_video_flowing(client)
    before = {"caregiver": flowing(call, 2), "client": flowing(client, 2)}
    for page in (call, client):
        expect(page.get_by_test_id("weak-connection")).to_have_count(0)

    # When the link gets weak: everything on loopback shares 300 kbit/s
    figures: dict[str, Any] = {"rate": "300kbit", "before": before}
    with throttled_loopback("300kbit"):
        throttled_at = time.monotonic()
        assert "tbf" in loopback_qdisc()

        # Then each page says so, with its one-tap "Turn off my video" (R40)
        for name, page in (("client", client), ("caregiver", call)):
            warning = page.get_by_test_id("weak-connection")
            expect(warning).to_be_visible(timeout=45_000)
            figures[f"{name}_warning_s"] = round(time.monotonic() - throttled_at, 2)
            expect(warning).to_contain_text(R40_TEXT)
            expect(warning.get_by_role("button", name="Turn off my video")).to_be_visible()
        shot(client, "r40-weak-connection-phone")

        # And the other side's video pauses, while its sound keeps flowing
        expect(client.get_by_test_id("tile-employee").get_by_test_id("video-paused")).to_be_visible(timeout=20_000)
        figures["client_video_paused_s"] = round(time.monotonic() - throttled_at, 2)
        during = {"caregiver": flowing(call, 4), "client": flowing(client, 4)}
        figures["during"] = during
        for side in during.values():
            assert side["audio_playing"], during
            assert side["audio_packets_per_s"] > 0, during

        # When the client taps "Turn off my video"
        client.get_by_test_id("weak-connection").get_by_role("button", name="Turn off my video").click()

        # Then their camera is off, the warning stays, and the sound still flows
        client.wait_for_function("() => window.vvCallDiagnostics()?.videoEnabled === false")
        expect(client.get_by_role("button", name="Turn camera on", exact=True)).to_be_visible()
        expect(client.get_by_test_id("weak-connection")).to_contain_text(R40_TEXT)
        after_tap = flowing(call, 3)
        figures["caregiver_after_client_video_off"] = after_tap
        assert after_tap["audio_playing"] and after_tap["audio_packets_per_s"] > 0, after_tap
    figures["throttled_s"] = round(time.monotonic() - throttled_at, 2)
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps(figures, indent=2, sort_keys=True))

    # And with the limit lifted the call carries on (the video comes back after a quiet spell, unit-tested)
    assert "tbf" not in loopback_qdisc()
    client.get_by_role("button", name="Turn camera on", exact=True).click()
    client.wait_for_function("() => window.vvCallDiagnostics()?.videoEnabled === true")
    assert flowing(client, 2)["audio_packets_per_s"] > 0
