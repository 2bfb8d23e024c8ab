"""Peak memory of `sluice run` on hostile and huge streams, each in a fresh process (not part of the tests).

    python benchmarks/bench_memory.py [--megabytes 512] [--events 2000000]

Served by `raw_server.py` (its own process, pre-built bytes written in bulk):

- a 512 MB SSE body that is one `data:` line with no line end: the decoder must drop the event at the
  maximum event size (64 MiB by default) and count the rest, not keep it. Target: peak RSS < 200 MB.
- a gzip bomb nobody asked for: about 2 MB on the wire inflating to 2 GiB of one SSE data line. The
  body is inflated in bounded pieces (256 KiB), the ratio is reported, the event dropped at the maximum
  event size. Target: peak RSS < 200 MB.
- 2,000,000 OpenAI chunks through `--jsonl` (every event parsed, merged and printed). Target: < 60 MB,
  i.e. flat: the same as for a short stream.
"""

from __future__ import annotations

import argparse
import sys

from measure import measure, raw_server_process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=int, default=512)
    parser.add_argument("--events", type=int, default=2_000_000)
    options = parser.parse_args()
    sluice = [sys.executable, "-m", "app", "run"]
    with raw_server_process() as base_url:
        cases = [
            (f"{options.megabytes} MB SSE body with no line end, --jsonl", 200,
             [*sluice, f"{base_url}/sse/no-line-end?mb={options.megabytes}", "--jsonl"]),
            ("gzip bomb: 2 GiB inflated from about 2 MB, --jsonl", 200,
             [*sluice, f"{base_url}/sse/gzip-bomb?mb=2048", "--jsonl"]),
            (f"{options.events:,} OpenAI SSE chunks, --jsonl", 60,
             [*sluice, f"{base_url}/sse/openai?n={options.events}", "--jsonl"]),
            ("1,000 OpenAI SSE chunks, --jsonl (a short stream, for comparison)", 60,
             [*sluice, f"{base_url}/sse/openai?n=1000", "--jsonl"]),
        ]
        for title, target, command in cases:
            result = measure(command)
            verdict = "meets" if result.peak_rss_mb < target else "misses"
            print(f"{title}\n  peak RSS {result.peak_rss_mb:7.1f} MB   wall {result.seconds:6.2f} s   "
                  f"exit {result.exit_code}   ({verdict} the target of < {target} MB)")


if __name__ == "__main__":
    main()
