"""Writes the API's OpenAPI document, as the local stage serves it at /api/openapi.json, for the front end's types.

`make frontend` runs it with the project's venv before `npm run build`; openapi-typescript then turns the file
into `generated/api.d.ts`, so the front end's API types are the document's and cannot drift from it.
The local stage with the local media provider is the document with every operation the front end calls
(the staff and client routes, the demo sign-in, and the local provider's signaling).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from chalicelib.openapi import build

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "frontend" / "generated" / "openapi.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(build("local", "local"), indent=1, sort_keys=True) + "\n"
    if not out.is_file() or out.read_text() != text:  # unchanged: keep the file's time, so make stays quiet
        out.write_text(text)


if __name__ == "__main__":
    main()
