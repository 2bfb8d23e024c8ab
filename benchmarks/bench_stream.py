"""Sluice's headless path vs a plain consumer on the same loopback stream, measured in the same run.

    python benchmarks/bench_stream.py [--events 200000] [--runs 3]

Serves 200,000 OpenAI-style SSE chunks and 200,000 NDJSON lines from the demo server (in its own
process) and times `sluice run --jsonl > /dev/null` against httpx + httpx-sse + json.loads (SSE) and
httpx `aiter_lines` + json.loads (NDJSON). Target: Sluice ≤ 0.5× the baseline, with flat memory.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from measure import best_of, demo_server_process, report

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    sluice = [sys.executable, "-m", "app", "run"]
    with demo_server_process() as base_url:
        sse_url = f"{base_url}/sse/openai-flood?n={options.events}"
        ndjson_url = f"{base_url}/ndjson/flood?n={options.events}"
        report(
            f"SSE, {options.events} OpenAI chunks: sluice run --jsonl vs httpx-sse + json.loads",
            best_of(options.runs, [*sluice, sse_url, "--jsonl"]),
            best_of(options.runs, [sys.executable, str(HERE / "baseline_sse.py"), sse_url]),
            target=0.5,
        )
        report(
            f"NDJSON, {options.events} lines: sluice run --jsonl vs httpx aiter_lines + json.loads",
            best_of(options.runs, [*sluice, ndjson_url, "--jsonl"]),
            best_of(options.runs, [sys.executable, str(HERE / "baseline_ndjson.py"), ndjson_url]),
            target=0.5,
        )


if __name__ == "__main__":
    main()
