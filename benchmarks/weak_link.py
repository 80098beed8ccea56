"""A weak link (R40): the time from throttling the loopback to the warning, and the sound through it.

    .venv/bin/python -m benchmarks.weak_link [--runs 3]

Runs the browser test tests/browser/test_weak_connection.py `--runs` times (a real call of two Chromium pages on the
local stack, inside the tests' private network namespace, whose loopback `tc tbf` throttles), and reads the figures
each run writes to test-output/weak-connection.json: seconds from the throttling to each page's warning and to the
client's paused video, and the audio and video packets per second that arrived before and during the throttling.
The test asserts only the behaviour; the figures are reported here and in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.report import Section

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "test-output" / "weak-connection.json"
TEST = "tests/browser/test_weak_connection.py"


def one_run() -> dict[str, Any]:
    FIGURES.unlink(missing_ok=True)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TEST]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)  # noqa: S603
    return dict(json.loads(FIGURES.read_text()))


def run(runs: int) -> Section:
    results = [one_run() for _ in range(runs)]
    section = Section(9, "A weak connection (R40): loopback throttled to 300 kbit/s with tc tbf")
    for key, label in (("client_warning_s", "throttling -> client's warning"),
                       ("caregiver_warning_s", "throttling -> caregiver's warning"),
                       ("client_video_paused_s", "throttling -> caregiver's video paused")):
        values = [r[key] for r in results]
        section.add(f"{label} (median, max)", f"{statistics.median(values):.1f} s, {max(values):.1f} s")
    for side in ("client", "caregiver"):
        before = statistics.median(r["before"][side]["audio_packets_per_s"] for r in results)
        during = statistics.median(r["during"][side]["audio_packets_per_s"] for r in results)
        video_before = statistics.median(r["before"][side]["video_packets_per_s"] for r in results)
        video_during = statistics.median(r["during"][side]["video_packets_per_s"] for r in results)
        section.add(f"{side}: audio packets/s before -> during", f"{before:.0f} -> {during:.0f}")
        section.add(f"{side}: video packets/s before -> during", f"{video_before:.0f} -> {video_during:.0f}")
    section.notes.append(f"{runs} runs; Opus sends 50 packets/s, so 50/s during the throttling is no sound lost")
    section.data = {"runs": results}
    return section


def main() -> None:
    parser = argparse.ArgumentParser(prog="benchmarks.weak_link", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(run(args.runs).render())


if __name__ == "__main__":
    main()
