"""How faithfully `sluice mock` replays a recording's timing at speed 1 (issue 14: gaps within 20 ms).

    python benchmarks/bench_replay.py [--events 50] [--interval 0.05] [--runs 3]

Records the demo's `/sse/drip` (one event every `interval` seconds) with the same capture
`sluice run --record` uses, serves the recording with the mock at speed 1, reads it again, and compares
the gaps between consecutive events (both sides timed by the same client worker). Prints the largest and
the 95th-percentile difference per run. Tests check that the events are the same; timing lives here.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.bus import EventBus
from app.connections.http_worker import stream_http
from app.demo.server import DemoServer
from app.model.http_request import HttpRequest
from app.recording.capture import Capture
from app.recording.format import load_recording, save_recording
from app.recording.mock import create_mock_app


async def _read(url: str) -> tuple[Capture, list[float]]:
    bus = EventBus()
    subscription = bus.subscribe()
    capture = Capture()
    task = asyncio.create_task(stream_http(HttpRequest(url=url), bus, capture.on_chunk))
    times: list[float] = []
    async for batch in subscription.batches():
        capture.feed(batch)
        times.extend(event.t for event in batch if event.kind == "sse")
    await task
    return capture, times


def _gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in zip(times, times[1:], strict=False)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--interval", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with DemoServer() as demo, tempfile.TemporaryDirectory() as scratch:
        for run in range(1, options.runs + 1):
            capture, original = asyncio.run(_read(f"{demo.base_url}/sse/drip?n={options.events}&interval={options.interval}"))
            path = Path(scratch) / f"drip-{run}.jsonl"
            save_recording(capture, path)
            with DemoServer(app=create_mock_app([load_recording(path)], speed=1.0)) as mock:
                _, replayed = asyncio.run(_read(f"{mock.base_url}/sse/drip"))
            differences = sorted(abs(a - b) * 1000 for a, b in zip(_gaps(original), _gaps(replayed), strict=True))
            p95 = differences[int(0.95 * (len(differences) - 1))]
            print(f"run {run}: {len(original)} events, gap difference max {differences[-1]:.2f} ms, p95 {p95:.2f} ms")


if __name__ == "__main__":
    main()
