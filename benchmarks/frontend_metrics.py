"""Front-end measurements (a script, not a timed test).

1. Transfer size of the client join page, gzipped, with the local provider and with the Chime provider:
   join.html + its entry chunk + static imports + CSS, plus what the page loads on "Join" (its call part,
   src/join/call.ts, and the provider chunk).
2. Time from the client's click on "Join" to the first remote video frame, in the local stack
   (peer to peer on loopback), median of 5.

Run after `cd frontend && npm ci && npm run build`:
    .venv/bin/python benchmarks/frontend_metrics.py [--runs 5] [--json out.json]
It starts its own local stack and Chromium inside a loopback-only network namespace (as the browser
tests do), so nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DIST = ROOT / "frontend" / "dist"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
]


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def _closure(manifest: dict[str, Any], key: str, seen: set[str]) -> set[str]:
    """Files a chunk needs before it runs: itself, its static imports and their CSS (not dynamic imports)."""
    if key in seen:
        return set()
    seen.add(key)
    entry = manifest[key]
    files = {entry["file"], *entry.get("css", [])}
    for child in entry.get("imports", []):
        files |= _closure(manifest, child, seen)
    return files


# The chunks the join page loads on "Join": its call part (the runner and the stage), then the provider's.
CALL_PART = "src/join/call.ts"
PROVIDERS = {"local": "src/media/local/session.ts", "chime": "src/media/chime.ts"}


def transfer_sizes() -> dict[str, Any]:
    manifest = json.loads((DIST / ".vite" / "manifest.json").read_text())
    page = _closure(manifest, "join.html", set()) | {"join.html"}
    base = sum(gz(DIST / f) for f in page)
    result: dict[str, Any] = {"join_page_before_join_gzip_bytes": base}
    call_part = _closure(manifest, CALL_PART, set()) - page
    result["join_page_call_part_gzip_bytes"] = sum(gz(DIST / f) for f in call_part)
    for provider, key in PROVIDERS.items():
        extra = (_closure(manifest, key, set()) | call_part) - page
        result[f"join_page_{provider}_gzip_bytes"] = base + sum(gz(DIST / f) for f in extra)
    result["staff_app_gzip_bytes"] = sum(gz(DIST / f) for f in _closure(manifest, "index.html", set())) + gz(
        DIST / "index.html"
    )
    return result


FIRST_FRAME_PROBE = """
() => {
  window.__t0 = null; window.__t1 = null;
  const button = document.querySelector('[data-testid="join-button"]');
  button.addEventListener('click', () => {
    window.__t0 = performance.now();
    const tick = () => {
      const v = document.querySelector('video.remote-video');
      if (v && v.videoWidth > 0 && v.currentTime > 0) { window.__t1 = performance.now(); return; }
      requestAnimationFrame(tick);
    };
    tick();
  }, { capture: true });
}
"""


# When the join page first shows the device-check button, and then the camera preview with "Join", in ms
# since the page's navigation started (performance.now()'s origin): so "open the link" includes the HTML.
STEP_PROBE = """
window.__vvShown = {};
new MutationObserver(() => {
  for (const id of ['check-devices', 'join-button']) {
    if (!(id in window.__vvShown) && document.querySelector(`[data-testid="${id}"]`)) {
      window.__vvShown[id] = performance.now();
    }
  }
}).observe(document, { subtree: true, childList: true });
"""


def join_to_first_frame(runs: int) -> list[float]:
    return time_to_video(runs)["join_to_first_frame_ms"]


def time_to_video(runs: int) -> dict[str, list[float]]:
    """Per run: open the link -> device check shown; its click -> preview; Join click -> first remote frame."""
    from playwright.sync_api import sync_playwright

    from devstack.stack import start_stack
    from tests.browser.helpers import CAREGIVER, COORDINATOR, Api

    stack = start_stack(port=0)
    try:
        api = Api(stack.url)
        coordinator = api.token(COORDINATOR)
        caregiver = api.token(CAREGIVER)
        client = api.new_client(coordinator)
        visit = api.new_visit(coordinator, client["id"], start_offset_min=-5, minutes=60)
        api.ok("POST", f"/visits/{visit['id']}/invite", caregiver, {"delivery": "email"})
        api.ok("POST", f"/visits/{visit['id']}/clock-in", caregiver)
        token = api.join_link_from_outbox(client["email"]).split("#", 1)[1]
        times: list[float] = []
        opened: list[float] = []
        previewed: list[float] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            staff = browser.new_context(base_url=stack.url)
            staff.grant_permissions(["camera", "microphone"], origin=stack.url)
            staff.add_init_script(
                f"window.__VV_LOOPBACK_ONLY__ = true; if (location.origin === {json.dumps(stack.url)}) "
                f"sessionStorage.setItem('vv.token', {json.dumps(caregiver)});"
            )
            call = staff.new_page()
            call.goto(f"/call?visit={visit['id']}")
            call.get_by_test_id("waiting-text").wait_for()
            for _ in range(runs):
                # A fresh context per run: the client opens the emailed link with nothing cached.
                phone = browser.new_context(base_url=stack.url, viewport={"width": 375, "height": 667})
                phone.grant_permissions(["camera", "microphone"], origin=stack.url)
                phone.add_init_script("window.__VV_LOOPBACK_ONLY__ = true;")
                phone.add_init_script(STEP_PROBE)
                page = phone.new_page()
                page.goto(f"/join#{token}")
                check = page.get_by_role("button", name="Check camera and microphone")
                check.wait_for()
                opened.append(float(page.evaluate("() => window.__vvShown['check-devices']")))
                clicked = float(page.evaluate("() => performance.now()"))
                check.click()
                page.get_by_test_id("join-button").wait_for()
                previewed.append(float(page.evaluate("() => window.__vvShown['join-button']")) - clicked)
                page.evaluate(FIRST_FRAME_PROBE)
                page.get_by_test_id("join-button").click()
                page.wait_for_function("() => window.__t1 !== null", timeout=20000)
                times.append(float(page.evaluate("() => window.__t1 - window.__t0")))
                page.get_by_role("button", name="Hang up", exact=True).click()
                page.get_by_role("button", name="Rejoin").wait_for()
                phone.close()
                call.get_by_test_id("client-left").wait_for()
            browser.close()
        return {"open_to_device_check_ms": opened, "device_check_to_preview_ms": previewed,
                "join_to_first_frame_ms": times}
    finally:
        stack.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not (DIST / ".vite" / "manifest.json").is_file():
        sys.exit("frontend/dist is missing: cd frontend && npm ci && npm run build")

    sizes = transfer_sizes()
    kib = {name: f"{value / 1024:.1f} KiB" for name, value in sizes.items()}
    print("Join page transfer size, gzip (level 6):")
    print(f"  before Join (page, entry, shared chunks, CSS): {kib['join_page_before_join_gzip_bytes']}")
    print(f"  the call part, loaded on Join:                  {kib['join_page_call_part_gzip_bytes']}")
    print(f"  with the local provider:                       {kib['join_page_local_gzip_bytes']}")
    print(f"  with the Chime provider (amazon-chime-sdk-js): {kib['join_page_chime_gzip_bytes']}")
    print(f"  (staff app, for comparison:                    {kib['staff_app_gzip_bytes']})")

    from tests.browser.netns import enter_loopback_only_network

    try:
        leave = enter_loopback_only_network()
    except OSError as err:
        sys.exit(f"cannot create a loopback-only network namespace ({err}); run as root")
    try:
        times = join_to_first_frame(args.runs)
    finally:
        leave()
    median = statistics.median(times)
    print(f"Client 'Join' click to first remote frame, local stack, {len(times)} runs:")
    print(f"  median {median:.0f} ms  (runs: {', '.join(f'{t:.0f}' for t in times)} ms)")
    if args.json:
        args.json.write_text(
            json.dumps({**sizes, "join_to_first_frame_ms": times, "join_to_first_frame_median_ms": median}, indent=2)
        )


if __name__ == "__main__":
    main()
