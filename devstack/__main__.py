"""`make dev`: run the whole product locally until Ctrl-C."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from devstack.stack import READY, start


def main() -> int:
    parser = argparse.ArgumentParser(prog="devstack", description="Run virtual visits locally.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--sweep-seconds", type=float, default=60.0)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    stack = start(args.port, args.host, args.sweep_seconds)
    if args.quiet:
        print(f"{READY} {stack.url}", flush=True)  # what start_stack() waits for
    else:
        from devstack.banner import banner

        print(banner(stack.url), flush=True)
    done = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: done.set())
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    done.wait()
    stack.stop()
    if not args.quiet:
        print("Stopped. The local data is gone with the process.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
