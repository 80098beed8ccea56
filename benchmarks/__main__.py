"""`make bench`: the sections of issues 7 and 16, each with its targets beside the measured values.

    .venv/bin/python -m benchmarks [--only 1,2,...] [--visits 1000] [--burst-full] [--json bench.json]

1. cold start, 2. AWS calls per action, 3. load, 4. client time to video, 5. cost per visit (from 2-4),
6. the nine o'clock burst (and DynamoDB's partitions under it), 7. a client on a slow phone,
8. Lambda memory (from 1-3 and 6). The sweep benchmark of issue 4 stays separate: `make bench-sweep`.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from benchmarks.report import Section


def main() -> None:
    parser = argparse.ArgumentParser(prog="benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="1,2,3,4,5,6,7,8", help="sections to run, e.g. 1,2")
    parser.add_argument("--cold-runs", type=int, default=10)
    parser.add_argument("--visits", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--video-runs", type=int, default=5)
    parser.add_argument("--burst-visits", type=int, default=1000)
    parser.add_argument("--burst-full", action="store_true", help="section 6 with every strategy and quota")
    parser.add_argument("--slow-runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()
    wanted = {int(n) for n in args.only.split(",") if n.strip()}
    sections: dict[int, Section] = {}
    started = time.perf_counter()

    def show(section: Section) -> None:
        sections[section.number] = section
        print(section.render(), end="\n\n", flush=True)

    if 1 in wanted:
        from benchmarks import cold_start

        show(cold_start.run(args.cold_runs))
    if 2 in wanted or 5 in wanted or 8 in wanted:
        from benchmarks import aws_calls

        show(aws_calls.run())
    if 3 in wanted:
        from benchmarks import load

        show(load.run(args.visits, args.concurrency))
    if 4 in wanted:
        from benchmarks import client_video

        show(client_video.run(args.video_runs))
    if 5 in wanted:
        from benchmarks import cost

        data: dict[int, Any] = {n: s.data for n, s in sections.items()}
        show(cost.run(data[2], data.get(3), data.get(4)))
        from benchmarks import board

        show(board.run())
    if 6 in wanted:
        from benchmarks import burst

        show(burst.run(args.burst_full, args.burst_visits))
    if 7 in wanted:
        from benchmarks import slow_phone

        show(slow_phone.run(args.slow_runs))
    if 8 in wanted:
        from benchmarks import lambda_memory

        got: dict[int, Any] = {n: s.data for n, s in sections.items()}
        show(lambda_memory.run(got.get(3), got.get(2), got.get(6)))

    print("Targets")
    print("-------")
    for section in sections.values():
        for row in section.rows:
            if row.met is not None:
                print(f"  {section.number}. {row.name}: {row.measured}  [target {row.target}: "
                      f"{'MET' if row.met else 'MISSED'}]")
    print(f"\n(all sections in {time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps({n: {"title": s.title, "data": s.data} for n, s in sections.items()},
                                        indent=2, default=str))


if __name__ == "__main__":
    main()
