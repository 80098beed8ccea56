"""Helpers for the browser tests: a small API client for setup, and checks on real video elements."""

from __future__ import annotations

import json
import re
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
AXE_JS = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"

CAREGIVER = "sunrise-james"  # demo caregiver of the first agency
CAREGIVER_NAME = "James Okafor"
COORDINATOR = "sunrise-coord"
AGENCY_NAME = "Sunrise Home Care"
TIME_ZONE = "America/New_York"

# SPEC.md texts the tests look for (the front end shows them exactly).
R10_STALE = "The visit time changed. Resend the invite to the client."
R10_INVALID = "This link is no longer valid. Please ask your care provider for a new invitation."
R13_CLIENT_EXPIRED = "This link has expired. Please contact your care provider for a new invitation."
R15_PREFIX = "The client has not joined the session yet. The last invite was sent at "
R16_WAITING = "Your caregiver will join shortly."
R19_LEFT = "The client has left the session. They can rejoin with the same link."
R20_CONFIRM = "Hang up and end the virtual session? You will not be able to start another video session for this visit."
R20_OVER = "Your session with the client is over. You can now close the page."
R20_CLIENT_ENDED = "Your caregiver has ended the session. You can now close this page."
R22_WARNING = "The virtual session is still active. Remember to hang up the video call."
R23_OVER = "The virtual session for this visit is over. Create a new visit to start another virtual session."

JOIN_LINK = re.compile(r"https?://[^\s\"'<>]+/join#[A-Za-z0-9_\-]+")


@dataclass
class Api:
    """Calls the local stack's API directly, for test setup and for reading the outbox."""

    base: str

    def call(self, method: str, path: str, token: str | None = None, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.base}/api{path}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as err:
            raw = err.read()
            return err.code, json.loads(raw) if raw else None

    def ok(self, method: str, path: str, token: str | None = None, body: Any = None) -> Any:
        status, data = self.call(method, path, token, body)
        assert 200 <= status < 300, f"{method} {path} -> {status} {data}"
        return data

    def token(self, employee_id: str) -> str:
        return str(self.ok("POST", "/dev/login", body={"employee_id": employee_id})["token"])

    def now(self) -> datetime:
        """The app's clock (tests may have moved it forward with /api/dev/clock)."""
        return parse_time(self.ok("POST", "/dev/clock", body={"advance_minutes": 0})["now"])

    def advance_clock(self, minutes: int) -> datetime:
        return parse_time(self.ok("POST", "/dev/clock", body={"advance_minutes": minutes})["now"])

    def new_client(self, coordinator_token: str, with_email: bool = True) -> dict[str, Any]:
        """A client with a unique name (and email), so the schedule and the outbox are unambiguous."""
        tag = secrets.token_hex(3)
        body: dict[str, Any] = {"name": f"Test Client {tag}"}
        if with_email:
            body["email"] = f"client-{tag}@client.example.test"
        client = self.ok("POST", "/clients", coordinator_token, body)
        return {**client, **body}

    def new_visit(
        self,
        coordinator_token: str,
        client_id: str,
        start_offset_min: int,
        minutes: int,
        virtual: bool = True,
        employee_id: str = CAREGIVER,
    ) -> dict[str, Any]:
        start = self.now().replace(second=0, microsecond=0) + timedelta(minutes=start_offset_min)
        return dict(
            self.ok(
                "POST",
                "/visits",
                coordinator_token,
                {
                    "client_id": client_id,
                    "employee_id": employee_id,
                    "service_code": "TELE" if virtual else "PC",
                    "start": iso(start),
                    "end": iso(start + timedelta(minutes=minutes)),
                    "virtual": virtual,
                },
            )
        )

    def join_link_from_outbox(self, email: str, after: int = 0) -> str:
        """The join link of the newest email sent to `email` (waits briefly for delivery)."""
        deadline = time.monotonic() + 10
        while True:
            mails = [m for m in self.ok("GET", "/dev/outbox") if email in str(m.get("to"))]
            if len(mails) > after:
                match = JOIN_LINK.search(str(mails[-1].get("text") or "")) or JOIN_LINK.search(
                    str(mails[-1].get("html") or "")
                )
                assert match, f"no join link in the email: {mails[-1]}"
                return match.group(0)
            assert time.monotonic() < deadline, f"no email to {email}"
            time.sleep(0.2)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def agency_time(text: str) -> str:
    """An instant as an en-US reader sees it in the agency's zone, "2:30 PM" (R44; Chromium's locale here is en-US)."""
    local = parse_time(text).astimezone(ZoneInfo(TIME_ZONE))
    return f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"


def video_frames(page: Page, selector: str) -> dict[str, Any]:
    """Size, playback position and decoded frame count of a <video>."""
    return dict(
        page.eval_on_selector(
            selector,
            """v => ({
        width: v.videoWidth, height: v.videoHeight, time: v.currentTime,
        frames: v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality().totalVideoFrames : 0,
        hasStream: !!v.srcObject })""",
        )
    )


def assert_video_flowing(page: Page, selector: str = "video.remote-video", timeout_s: float = 15) -> None:
    """The video shows real frames: a size, and frames that keep advancing."""
    page.wait_for_function(
        """sel => { const v = document.querySelector(sel); return v && v.videoWidth > 0 && v.currentTime > 0; }""",
        arg=selector,
        timeout=timeout_s * 1000,
    )
    first = video_frames(page, selector)
    page.wait_for_timeout(700)
    second = video_frames(page, selector)
    assert first["width"] > 0 and first["height"] > 0, first
    assert second["frames"] > first["frames"], (first, second)
    assert second["time"] > first["time"], (first, second)


def assert_loopback_media(page: Page) -> str:
    """The selected ICE candidate pair uses loopback addresses only.

    A side may see the other's address as peer-reflexive, which Chromium reports without its address;
    every address that is reported must be 127.0.0.0/8 or ::1, and at least one must be.
    """
    page.wait_for_function("() => window.vvCallDiagnostics?.()?.mediaPath", timeout=10000)
    path = str(page.evaluate("() => window.vvCallDiagnostics().mediaPath"))
    addresses = [a for a in re.findall(r"\w+ ([0-9a-fA-F.:\[\]]*):\d+", path) if a]
    assert addresses, path
    assert all(a.startswith("127.") or a in ("::1", "[::1]") for a in addresses), path
    return path


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def visit_day(visit: dict[str, Any]) -> str:
    """The agency-time date of a visit's start: the schedule day that lists it."""
    return parse_time(visit["start"]).astimezone(ZoneInfo(TIME_ZONE)).strftime("%Y-%m-%d")


def sign_in(page: Page, base: str, user_name: str, day: str | None = None) -> None:
    """Signs in as a demo user; the schedule opens on `day` (YYYY-MM-DD), else today."""
    page.goto(base + (f"/?day={day}" if day else "/"))
    page.get_by_role("button", name=re_exact(f"Sign in as {user_name}")).click()
    page.get_by_role("heading", name="Schedule").wait_for()


def re_exact(prefix: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(prefix))


def axe_serious(page: Page, context: str | None = None) -> list[dict[str, Any]]:
    """Runs axe-core on the page; returns violations of impact serious or critical."""
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        """async ctx => {
            const r = await axe.run(ctx || document, { resultTypes: ['violations'] });
            return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                                             nodes: v.nodes.map(n => n.target.join(' ')) }));
        }""",
        context,
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]
