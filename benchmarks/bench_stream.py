"""Sluice's headless HTTP path vs the ten-line script a user would write, on the same loopback stream.

    python benchmarks/bench_stream.py [--events 200000] [--runs 3]

A raw loopback server (`raw_server.py`, its own process) writes pre-built bytes; each command runs in
its own child with stdout to /dev/null, best of `--runs`, Sluice and its baseline in the same run:

- 200,000 OpenAI SSE chunks: `sluice run --jsonl` vs sync httpx + httpx-sse + `json.loads`
- 200,000 Ollama NDJSON lines: `sluice run --jsonl` vs sync httpx `iter_lines` + `json.loads`
- 200,000 OpenAI SSE chunks: `sluice run --merged` vs sync httpx-sse + `json.loads` + a string join

Target: Sluice ≤ 0.5× the baseline's wall time on each (and never slower than it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from measure import best_of, raw_server_process, report

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=["sse", "ndjson", "merged"], action="append", help="run only these")
    options = parser.parse_args()
    sluice = [sys.executable, "-m", "app", "run"]
    python = sys.executable
    n = options.events
    with raw_server_process() as base_url:
        sse_url = f"{base_url}/sse/openai?n={n}"
        ndjson_url = f"{base_url}/ndjson/ollama?n={n}"
        cases = {
            "sse": (
                f"SSE, {n:,} OpenAI chunks: sluice run --jsonl vs sync httpx-sse + json.loads",
                [*sluice, sse_url, "--jsonl"],
                [python, str(HERE / "baseline_sse.py"), sse_url],
            ),
            "ndjson": (
                f"NDJSON, {n:,} Ollama lines: sluice run --jsonl vs sync httpx iter_lines + json.loads",
                [*sluice, ndjson_url, "--jsonl"],
                [python, str(HERE / "baseline_ndjson.py"), ndjson_url],
            ),
            "merged": (
                f"Merged, {n:,} OpenAI chunks: sluice run --merged vs sync httpx-sse + json.loads + join",
                [*sluice, sse_url, "--merged", "--color", "never"],
                [python, str(HERE / "baseline_merge.py"), sse_url],
            ),
        }
        for name, (title, command, baseline) in cases.items():
            if options.only and name not in options.only:
                continue
            report(title, best_of(options.runs, command), best_of(options.runs, baseline), target=0.5)


if __name__ == "__main__":
    main()
