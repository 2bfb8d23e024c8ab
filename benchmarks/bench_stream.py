"""Sluice's headless HTTP path vs the ten-line script a user would write, on the same loopback stream.

    python benchmarks/bench_stream.py [--events 200000] [--runs 3]

A raw loopback server (`raw_server.py`, its own process) writes pre-built bytes; each command runs in
its own child with stdout to /dev/null, best of `--runs`, Sluice and its baseline in the same run:

- 200,000 OpenAI SSE chunks: `sluice run --jsonl` vs sync httpx + httpx-sse + `json.loads`
- 200,000 Ollama NDJSON lines: `sluice run --jsonl` vs sync httpx `iter_lines` + `json.loads`
- 200,000 OpenAI SSE chunks: `sluice run --merged` vs sync httpx-sse + `json.loads` + a string join
- 200,000 Anthropic, Gemini and OpenAI Responses events: `sluice run --jsonl` vs the same httpx-sse script
  (`--only anthropic`, …): the other providers' shapes (named events, CRLF line ends, numbered events),
  which take other paths through the parser and the merge than OpenAI's chat chunks

Target: Sluice ≤ 0.5× the baseline's wall time on each (and never slower than it).

`--instructions` counts processor instructions instead (valgrind's callgrind, for one event and for
`--sample` events, scaled to `--events`): slower, but a count a busy machine does not move.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from measure import InstructionCount, best_of, instructions, raw_server_process, report, report_instructions

HERE = Path(__file__).resolve().parent
CASES = ("sse", "ndjson", "merged", "anthropic", "gemini", "responses")
PROVIDERS = {"anthropic": "Anthropic events", "gemini": "Gemini chunks", "responses": "Responses API events"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=CASES, action="append", help="run only these")
    parser.add_argument("--instructions", action="store_true", help="count instructions with callgrind instead of timing")
    parser.add_argument("--sample", type=int, default=20_000, help="with --instructions: events counted (default 20,000)")
    options = parser.parse_args()
    with raw_server_process() as base_url:
        for name in CASES:
            if options.only and name not in options.only:
                continue
            title, command, baseline = _case(name, base_url, options.events)
            if not options.instructions:
                report(title, best_of(options.runs, command), best_of(options.runs, baseline), target=0.5)
                continue
            counts = []
            for which in (1, 2):
                one, sampled = (_case(name, base_url, events)[which] for events in (1, options.sample))
                counts.append(InstructionCount(instructions(one), instructions(sampled), options.sample))
            report_instructions(title, counts[0], counts[1], options.events, target=0.5)


def _case(name: str, base_url: str, n: int) -> tuple[str, list[str], list[str]]:
    """The title, Sluice's command and the baseline's command of benchmark `name` on `n` events."""
    sluice = [sys.executable, "-m", "app", "run"]
    python = sys.executable
    sse_url = f"{base_url}/sse/openai?n={n}"
    ndjson_url = f"{base_url}/ndjson/ollama?n={n}"
    if name in PROVIDERS:
        url = f"{base_url}/sse/{name}?n={n}"
        return (
            f"SSE, {n:,} {PROVIDERS[name]}: sluice run --jsonl vs sync httpx-sse + json.loads",
            [*sluice, url, "--jsonl"],
            [python, str(HERE / "baseline_sse.py"), url],
        )
    return {
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
    }[name]

if __name__ == "__main__":
    main()
