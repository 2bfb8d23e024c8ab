"""`sluice run --merged` vs a hand-written merge on the same 200,000 OpenAI chunks, in one run.

    python benchmarks/bench_merged.py [--events 200000] [--runs 3]

Baseline: httpx + httpx-sse + json.loads + join of `choices[0].delta.content`. Target: Sluice ≤ 0.5×.
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
    with demo_server_process() as base_url:
        url = f"{base_url}/sse/openai-flood?n={options.events}"
        report(
            f"Merged reply of {options.events} OpenAI chunks: sluice run --merged vs httpx-sse + json.loads + join",
            best_of(options.runs, [sys.executable, "-m", "app", "run", url, "--merged", "--color", "never"]),
            best_of(options.runs, [sys.executable, str(HERE / "baseline_merge.py"), url]),
            target=0.5,
        )


if __name__ == "__main__":
    main()
