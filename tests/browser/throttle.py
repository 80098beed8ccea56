"""A weak link for the browser tests (R40): the loopback interface of their private network namespace, rate-limited
with `tc`'s token bucket filter (`tbf`). The kernel here has no `netem`, so there is no emulated loss or delay: a low
rate makes the queueing delay, and the full queue makes the drops, as a weak home Wi-Fi does.

`tc` runs as a child of the test's thread, which is inside the namespace (netns.py), so only the browsers and the
stack of the tests are throttled, never the machine.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from tests.browser.netns import interfaces

TC = "/usr/sbin/tc"


def _tc(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([TC, *args], check=check, capture_output=True, text=True)


@contextmanager
def throttled_loopback(rate: str = "300kbit", burst: str = "16kbit", latency: str = "200ms") -> Iterator[None]:
    """Everything on `lo` shares `rate` while inside; the limit is lifted on the way out, whatever happened."""
    assert interfaces() == ["lo"], "only inside the browser tests' private network namespace"
    _tc("qdisc", "add", "dev", "lo", "root", "tbf", "rate", rate, "burst", burst, "latency", latency)
    try:
        yield
    finally:
        _tc("qdisc", "del", "dev", "lo", "root", check=False)


def loopback_qdisc() -> str:
    return _tc("qdisc", "show", "dev", "lo").stdout.strip()
