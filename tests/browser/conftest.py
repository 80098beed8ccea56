"""Browser-test fixtures: the local stack in a child process, Debian's Chromium with fake camera and
microphone, and browser contexts for the caregiver and the client.

All traffic stays on this machine, three ways over:
- the stack and Chromium run in a private network namespace whose only interface is loopback
  (see netns.py), so WebRTC can only gather 127.0.0.1 candidates;
- Chromium is allowed loopback ICE candidates, and the pages are told (`__VV_LOOPBACK_ONLY__`) to
  send and accept 127.0.0.1/::1 candidates only;
- requests to any origin other than the stack's are aborted.
A missing browser or front-end build fails the suite; nothing here skips.
"""

from __future__ import annotations

import shutil
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Route,
    ViewportSize,
    sync_playwright,
)

from tests.browser.helpers import ROOT, Api
from tests.browser.netns import enter_loopback_only_network, interfaces

CHROMIUM = "/usr/bin/chromium"
DIST = ROOT / "frontend" / "dist"

BASE_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
    "--use-fake-device-for-media-stream=device-count=2",  # two fake cameras: switching has somewhere to go
    "--allow-loopback-in-peer-connection",
]
LOOPBACK_ONLY = "window.__VV_LOOPBACK_ONLY__ = true;"
# Records every track the page opens, so tests can check that leaving stops all of them.
TRACK_RECORDER = """
(() => {
  const md = navigator.mediaDevices;
  if (!md || !md.getUserMedia) return;
  const original = md.getUserMedia.bind(md);
  window.__vvTracks = [];
  md.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    window.__vvTracks.push(...stream.getTracks());
    return stream;
  };
})();
"""

pytestmark = pytest.mark.browser


@pytest.fixture(scope="package")
def loopback_network() -> Iterator[bool]:
    """Enters a loopback-only network namespace for the browser tests (True), when the kernel allows it.

    Package-scoped: pytest's main thread leaves the namespace when the browser tests end, so the tests
    after them (infra's synth downloads the Lambda wheels from PyPI) have the network again.
    """
    try:
        leave = enter_loopback_only_network()
    except OSError as err:
        warnings.warn(f"no private network namespace ({err}); relying on loopback-only ICE candidates", stacklevel=1)
        yield False
        return
    assert interfaces() == ["lo"], interfaces()
    try:
        yield True
    finally:
        leave()


@pytest.fixture(scope="package")
def stack(loopback_network: bool) -> Iterator[Any]:
    if not (DIST / "index.html").is_file() or not (DIST / "join.html").is_file():
        pytest.fail("frontend/dist is missing: run `cd frontend && npm ci && npm run build` (make test does)")
    from devstack.stack import start_stack

    running = start_stack(port=0)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="package")
def api(stack: Any) -> Api:
    return Api(stack.url)


@pytest.fixture(scope="package")
def playwright(loopback_network: bool) -> Iterator[Playwright]:
    if not Path(CHROMIUM).is_file() and not shutil.which("chromium"):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: `apt-get install -y chromium` (make test does)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright: Playwright, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Chromium with fake devices; camera and microphone are granted per context."""
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=BASE_ARGS)
    yield launched
    launched.close()


def _loopback_only(base_url: str) -> Callable[[Route], None]:
    allowed = urlparse(base_url).netloc

    def handle(route: Route) -> None:
        url = urlparse(route.request.url)
        if url.scheme in ("data", "blob") or url.netloc == allowed:
            route.fallback()
        else:
            route.abort()

    return handle


CONSOLE_LOGS = ROOT / "test-output" / "browser-console"


@pytest.fixture
def new_context(
    browser: Browser, stack: Any, request: pytest.FixtureRequest
) -> Iterator[Callable[..., BrowserContext]]:
    """Makes browser contexts (caregiver, client, ...); all are closed after the test.

    Every page's console (the local provider's signaling trace included) goes to
    test-output/browser-console/<test>.log, so a failure can be read after the fact.
    """
    made: list[BrowserContext] = []
    CONSOLE_LOGS.mkdir(parents=True, exist_ok=True)
    log = (CONSOLE_LOGS / f"{request.node.name}.log").open("w")
    started = time.monotonic()

    def record(name: str, page: Page) -> None:
        def line(message: ConsoleMessage) -> None:
            log.write(f"{time.monotonic() - started:8.3f} {name} {page.url.split('?')[0].split('#')[0]} "
                      f"{message.type}: {message.text}\n")

        page.on("console", line)

    def make(phone: bool = False, media: bool = True, width: int | None = None, **options: Any) -> BrowserContext:
        viewport: ViewportSize = {"width": 375, "height": 667} if phone else {"width": 1280, "height": 860}
        if width is not None:  # the narrowest phones the app supports are 360 px wide
            viewport = {"width": width, "height": viewport["height"]}
        context = browser.new_context(viewport=viewport, has_touch=phone, base_url=stack.url, **options)
        if media:
            context.grant_permissions(["camera", "microphone"], origin=stack.url)
        context.add_init_script(LOOPBACK_ONLY)
        context.add_init_script(TRACK_RECORDER)
        context.route("**/*", _loopback_only(stack.url))
        context.set_default_timeout(15000)
        name = f"context{len(made) + 1}{'-phone' if phone else ''}"
        context.on("page", lambda page: record(name, page))
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()
    log.close()


@pytest.fixture(scope="package")
def coordinator_token(api: Api) -> str:
    from tests.browser.helpers import COORDINATOR

    return api.token(COORDINATOR)


@pytest.fixture(scope="package")
def caregiver_token(api: Api) -> str:
    from tests.browser.helpers import CAREGIVER

    return api.token(CAREGIVER)
