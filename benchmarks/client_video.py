"""Client time to video and the join page's weight (section 4), on top of benchmarks/frontend_metrics.py.

- Headless Chromium on the local stack, median of 5, each run a fresh browser context (nothing cached, as
  when a client opens the emailed link): open the link -> the device-check button; its click -> camera
  preview with "Join"; "Join" click -> first remote video frame.
- The join page's transfer size, gzipped, with the local and the Chime provider (frontend/dist).
- The Chime SDK alone: `import * as ChimeSDK from "amazon-chime-sdk-js"` bundled and minified with the
  project's own Vite (same `global` define and main fields as frontend/vite.config.ts) in a temp dir.
- Code splitting: a sourcemapped build in a temp dir lists the modules the join page loads.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.report import Section

ROOT = Path(__file__).resolve().parent.parent
FRONTEND = ROOT / "frontend"
VITE = FRONTEND / "node_modules" / "vite" / "bin" / "vite.js"
TARGET = 1.1
BEFORE_JOIN_KIB = 16  # issue 12: what a client downloads before pressing Join

SDK_CONFIG = """
import { defineConfig } from 'vite';
const here = new URL('.', import.meta.url).pathname;
export default defineConfig({
  root: here, logLevel: 'warn',
  define: { global: 'globalThis' },
  resolve: { mainFields: ['browser', 'module', 'main'] },
  build: { outDir: here + 'dist', emptyOutDir: true, manifest: true, chunkSizeWarningLimit: 5000,
           rolldownOptions: { input: here + 'entry.js' } },
});
"""


def _node(args: list[str], cwd: Path) -> None:
    subprocess.run(["node", str(VITE), *args], cwd=cwd, check=True, capture_output=True, text=True)  # noqa: S603, S607


def sdk_alone() -> dict[str, int]:
    """The whole SDK, minified: its entry chunk with what it statically imports, gzipped (and raw)."""
    from benchmarks.frontend_metrics import _closure, gz

    with tempfile.TemporaryDirectory() as tmp:
        here = Path(tmp)
        (here / "node_modules").symlink_to(FRONTEND / "node_modules")
        (here / "entry.js").write_text("import * as ChimeSDK from 'amazon-chime-sdk-js';\n"
                                       "globalThis.ChimeSDK = ChimeSDK;\n")
        (here / "vite.config.mjs").write_text(SDK_CONFIG)
        _node(["build", "--config", "vite.config.mjs"], here)
        dist = here / "dist"
        manifest = json.loads((dist / ".vite" / "manifest.json").read_text())
        files = _closure(manifest, "entry.js", set())
        return {"gzip_bytes": sum(gz(dist / f) for f in files),
                "raw_bytes": sum((dist / f).stat().st_size for f in files)}


def join_page_modules() -> dict[str, Any]:
    """Which source modules the join page loads before "Join", from a sourcemapped build in a temp dir."""
    from benchmarks.frontend_metrics import _closure

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dist"
        _node(["build", "--outDir", str(out), "--emptyOutDir", "--sourcemap", "--logLevel", "warn"], FRONTEND)
        manifest = json.loads((out / ".vite" / "manifest.json").read_text())
        sources: set[str] = set()
        for name in _closure(manifest, "join.html", set()):
            mapped = out / f"{name}.map"
            if mapped.is_file():
                sources |= {s.split("frontend/", 1)[-1].lstrip("./") for s in json.loads(mapped.read_text())["sources"]}
    own = sorted(s for s in sources if "node_modules" not in s)
    return {"modules": own, "staff_or_call_modules": [s for s in own if s.startswith(("src/staff/", "src/call/"))],
            "packages": sorted({s.split("node_modules/", 1)[1].split("/")[0] for s in sources if "node_modules" in s})}


def run(runs: int = 5) -> Section:
    from benchmarks.frontend_metrics import time_to_video, transfer_sizes
    from tests.browser.netns import enter_loopback_only_network

    section = Section(4, "Client time to video (headless Chromium, local stack) and join page weight")
    sizes = transfer_sizes()
    sdk = sdk_alone()
    split = join_page_modules()
    leave = enter_loopback_only_network()
    try:
        times = time_to_video(runs)
    finally:
        leave()
    med = {name: statistics.median(values) for name, values in times.items()}
    section.add(f"open link -> device check shown, median of {runs}", f"{med['open_to_device_check_ms']:.0f} ms")
    section.add("device check click -> camera preview and Join", f"{med['device_check_to_preview_ms']:.0f} ms")
    section.add(f"Join click -> first remote frame, median of {runs}", f"{med['join_to_first_frame_ms']:.0f} ms")
    kib = {k: v / 1024 for k, v in sizes.items()}
    before = kib["join_page_before_join_gzip_bytes"]
    section.add("join page before Join, gzip", f"{before:.1f} KiB", f"<= {BEFORE_JOIN_KIB} KiB",
                before <= BEFORE_JOIN_KIB)
    call_part = kib["join_page_call_part_gzip_bytes"]
    section.add("its call part (runner, stage), loaded on Join, gzip", f"{call_part:.1f} KiB")
    section.add("join page, local build, gzip", f"{kib['join_page_local_gzip_bytes']:.1f} KiB")
    section.add("join page, Chime build, gzip", f"{kib['join_page_chime_gzip_bytes']:.1f} KiB")
    section.add("Chime SDK alone, minified, gzip", f"{sdk['gzip_bytes'] / 1024:.1f} KiB")
    ratio = sizes["join_page_chime_gzip_bytes"] / sdk["gzip_bytes"]
    section.add("ratio Chime build / SDK alone", f"{ratio:.3f}", f"<= {TARGET}", ratio <= TARGET)
    leaked = split["staff_or_call_modules"]
    section.add("staff or call-window modules in the join page", str(len(leaked)), "0", not leaked)
    section.add("staff app (for comparison), gzip", f"{kib['staff_app_gzip_bytes']:.1f} KiB")
    section.notes.append("runs (ms): " + "; ".join(f"{k} " + ", ".join(f"{v:.0f}" for v in vs)
                                                 for k, vs in times.items()))
    section.notes.append("join page modules: " + ", ".join(split["modules"]) + "; packages before Join: "
                         + (", ".join(split["packages"]) or "none"))
    section.data = {"sizes": sizes, "sdk_alone": sdk, "ratio": ratio, "code_split": split, "times_ms": times,
                    "medians_ms": med}
    return section


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not (FRONTEND / "dist" / ".vite" / "manifest.json").is_file():
        sys.exit("frontend/dist is missing: make frontend")
    section = run(args.runs)
    print(section.render())
    if args.json:
        args.json.write_text(json.dumps(section.data, indent=2))


if __name__ == "__main__":
    main()
