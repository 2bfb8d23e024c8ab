"""Sluice's headless WebSocket path vs a plain `websockets` loop on the same loopback flood, in one run.

    python benchmarks/bench_ws.py [--messages 100000] [--runs 3]

A raw loopback server (`raw_server.py`, its own process) writes N small text frames in bulk after the
handshake; timed, each in its own child with stdout to /dev/null: `sluice run ws://… --until-count N
--jsonl` against a `websockets` asyncio client that only counts N messages. Target: ≤ 1.5× its time.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from measure import best_of, raw_server_process, report

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    count = str(options.messages)
    with raw_server_process() as base_url:
        url = base_url.replace("http://", "ws://") + f"/ws/flood?n={count}"
        report(
            f"WebSocket flood, {options.messages:,} messages: sluice run --until-count --jsonl vs a websockets counting loop",
            best_of(options.runs, [sys.executable, "-m", "app", "run", url, "--until-count", count, "--jsonl"]),
            best_of(options.runs, [sys.executable, str(HERE / "baseline_ws.py"), url, count]),
            target=1.5,
        )


if __name__ == "__main__":
    main()
