"""Draws the installable staff app's icons (public/icons/*.png) from the app's own icon (public/favicon.svg).

Run once when the icon changes (`.venv/bin/python frontend/scripts/make_icons.py`); the PNGs are committed, so a
build needs no browser. Chromium renders the SVG: "any" icons fill the square, "maskable" ones keep the picture
inside the middle 80% (the safe zone a phone's mask never cuts), on the brand colour.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

PUBLIC = Path(__file__).resolve().parents[1] / "public"
BRAND = "#0b5cad"
SIZES = {"icon-192.png": (192, 1.0), "icon-512.png": (512, 1.0), "maskable-512.png": (512, 0.8)}


def main() -> None:
    svg = (PUBLIC / "favicon.svg").read_text().replace("<svg ", '<svg width="100%" height="100%" ', 1)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for name, (size, inner) in SIZES.items():
            page = browser.new_page(viewport={"width": size, "height": size})
            picture = round(size * inner)
            page.set_content(
                f"<html><body style='margin:0;background:{BRAND if inner < 1 else 'transparent'};"
                f"display:grid;place-items:center;width:{size}px;height:{size}px'>"
                f"<div style='width:{picture}px;height:{picture}px'>{svg}</div>"
                "</body></html>"
            )
            page.screenshot(path=str(PUBLIC / "icons" / name), omit_background=inner == 1.0)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
