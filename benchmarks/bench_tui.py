"""The TUI's response side under a flood, measured headless (`App.run_test`), not part of the test suite.

    python benchmarks/bench_tui.py [--events 200000] [--rss-events 1000000]

1. ingest: time for the Timeline to show all N flood events (request start → last row in the view),
   against the headless path on the same stream: `sluice run --jsonl` (a process, start-up included)
   and, stricter, `stream_http` alone publishing into a bus with a draining subscriber (in process).
2. key latency during the flood: a key pressed every ~5 ms, timed from the press to its action running;
   as the app runs it (`RequestRun` in a Textual thread worker, `tune_for_streaming`), and, for
   comparison, with the run as a task on the UI loop and Python's defaults. Then typing during the flood:
   bursts of 30 letters written at once into an `Input`, timed until the field holds them all, with keys
   taken in order (`OrderedKeysApp`, as `SluiceApp`) and, for comparison, as bare Textual takes them.
3. a 10 MB JSON body: time to its first screen in Body/Raw and to full formatting, keys meanwhile.
4. peak RSS after 1,000,000 small events fed through a bus into the pane (a fresh process).
Targets: ingest ≤ 2× headless, key p95 ≤ 100 ms, body first screen ≤ 1 s, RSS ≤ 400 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from measure import demo_server_process, measure  # noqa: E402
from textual import events  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.binding import Binding  # noqa: E402
from textual.widgets import Input  # noqa: E402

from app.bus import EventBus  # noqa: E402
from app.connections.http_worker import stream_http  # noqa: E402
from app.events import BodyReceived, ResponseOpened, SseMessage, TimelineEvent  # noqa: E402
from app.model.http_request import HttpRequest  # noqa: E402
from app.run import RequestRun  # noqa: E402
from app.ui.app import tune_for_streaming  # noqa: E402
from app.ui.key_order import OrderedKeysApp  # noqa: E402
from app.ui.response import ResponsePane, ResponseSession  # noqa: E402


class BenchHost(App[None]):
    """The pane alone, with a key whose handling time is recorded."""

    BINDINGS = [Binding("x", "mark", "mark")]

    def __init__(self) -> None:
        super().__init__()
        self.marked_at: float | None = None

    def compose(self) -> ComposeResult:
        yield ResponsePane()

    def action_mark(self) -> None:
        self.marked_at = time.perf_counter()


class OrderedBenchHost(OrderedKeysApp[None], BenchHost):
    """The same, taking keys one at a time in order as `SluiceApp` does (app/ui/key_order.py)."""


class TypingHost(App[None]):
    """The pane and a text field (as the URL field or a filter beside a flood)."""

    def compose(self) -> ComposeResult:
        yield Input(id="field")
        yield ResponsePane()


class OrderedTypingHost(OrderedKeysApp[None]):
    """The same, keys taken in order as `SluiceApp` takes them."""

    def compose(self) -> ComposeResult:
        yield Input(id="field")
        yield ResponsePane()


BURST = "abcdefghijklmnopqrstuvwxyzabcd"


async def typing_during_flood(url: str, ordered: bool) -> list[float]:
    """Seconds from writing `BURST` (all keys at once, as a fast typist's terminal does) until the field holds it."""
    app = OrderedTypingHost() if ordered else TypingHost()
    bursts: list[float] = []
    async with app.run_test(size=(160, 50)):
        tune_for_streaming()
        pane = app.query_one(ResponsePane)
        field = app.query_one(Input)
        field.focus()
        session = ResponseSession(None, url)
        run = RequestRun(HttpRequest(url), [session])

        async def run_and_end() -> None:
            try:
                await run.run()
            finally:
                session.end_feed()

        worker = app.run_worker(run_and_end, thread=True, exit_on_error=False)
        pane.show(session)
        while not worker.is_finished:
            field.value = ""
            pressed = time.perf_counter()
            for character in BURST:
                key = events.Key(character, character)
                key.set_sender(app)
                app._driver.send_message(key)
            while field.value != BURST:
                await asyncio.sleep(0.001)
            if not worker.is_finished:
                bursts.append(time.perf_counter() - pressed)
            await asyncio.sleep(0.05)
        await worker.wait()
    gc.set_threshold(700, 10, 10)
    gc.unfreeze()
    return bursts


async def press_and_time(app: BenchHost | OrderedBenchHost) -> float:
    """Seconds from a key press to its action running. The key is sent the way the terminal driver
    sends it; Pilot.press would wait for the whole process to go idle, which it never does in a flood."""
    app.marked_at = None
    key = events.Key("x", "x")
    key.set_sender(app)
    pressed = time.perf_counter()
    app._driver.send_message(key)
    while app.marked_at is None:
        await asyncio.sleep(0.001)
    return app.marked_at - pressed


async def headless_in_process(url: str) -> tuple[float, int]:
    bus = EventBus()
    subscription = bus.subscribe()
    count = 0

    async def consume() -> None:
        nonlocal count
        async for batch in subscription.batches():
            count += len(batch)

    start = time.perf_counter()
    consumer = asyncio.create_task(consume())
    await stream_http(HttpRequest(url), bus)
    await consumer
    return time.perf_counter() - start, count


async def tui_flood(url: str, expected: int, threaded: bool, gc_tuned: bool = False,
                    ordered: bool = False) -> tuple[float, list[float]]:
    app = OrderedBenchHost() if ordered else BenchHost()
    latencies: list[float] = []
    thresholds = gc.get_threshold()
    switch_interval = sys.getswitchinterval()
    async with app.run_test(size=(160, 50)):
        if gc_tuned:
            gc.collect()
            tune_for_streaming()
        pane = app.query_one(ResponsePane)
        timeline = pane.timeline
        timeline.focus()
        # As the TUI does it (app/ui/screens/sending.py): the session is the run's consumer.
        session = ResponseSession(None, url)
        run = RequestRun(HttpRequest(url), [session])

        async def run_and_end() -> None:
            try:
                await run.run()
            finally:
                session.end_feed()

        start = time.perf_counter()
        if threaded:
            # As the TUI does it (app/ui/screens/send.py): a Textual thread worker awaiting the run.
            worker = app.run_worker(run_and_end, thread=True, exit_on_error=False)
        else:
            task = asyncio.create_task(run_and_end())
        pane.show(session)
        while not (session.received_all and timeline.row_count == len(session.store)):
            latency = await press_and_time(app)
            if not (worker.is_finished if threaded else task.done()):
                latencies.append(latency)
            await asyncio.sleep(0.005)
        shown = time.perf_counter() - start
        assert len(session.store) >= expected, (len(session.store), expected)
        if threaded:
            await worker.wait()
        else:
            await task
    gc.set_threshold(*thresholds)
    gc.unfreeze()
    sys.setswitchinterval(switch_interval)
    return shown, latencies


async def feed_for_rss(events: int) -> int:
    app = BenchHost()
    async with app.run_test(size=(160, 50)) as pilot:
        pane = app.query_one(ResponsePane)
        bus = EventBus()
        session = ResponseSession(bus, "rss")
        pane.show(session)
        batch_size = 2000
        for first in range(0, events, batch_size):
            bus.publish_nowait(
                [
                    TimelineEvent(seq, seq * 1e-5, SseMessage("message", f'{{"i": {seq}}}'), 12)
                    for seq in range(first, min(first + batch_size, events))
                ]
            )
            if first % 50_000 == 0:
                await pilot.pause()
        bus.close()
        while not session.finished or pane.timeline.row_count < events:
            await pilot.pause(0.05)
        return len(session.store)


async def big_body(megabytes: int) -> tuple[float, float, list[float]]:
    """Seconds until a JSON body's first screen shows, until it is fully formatted, and key latencies."""
    app = BenchHost()
    items = [{"id": i, "name": f"item {i}", "tags": ["a", "b"], "score": i / 7} for i in range(megabytes * 12_000)]
    body = json.dumps(items).encode()
    async with app.run_test(size=(160, 50)) as pilot:
        pane = app.query_one(ResponsePane)
        bus = EventBus()
        session = ResponseSession(bus, "big body")
        pane.show(session)
        opened = ResponseOpened(200, "HTTP/1.1", (("content-type", "application/json"),))
        chunks = [BodyReceived(body[at : at + 65536]) for at in range(0, len(body), 65536)]
        bus.publish_nowait([TimelineEvent(i, 0.0, payload, 0) for i, payload in enumerate([opened, *chunks])])
        bus.close()
        while not session.finished:
            await pilot.pause(0.01)
        body_view = pane.body_view
        start = time.perf_counter()
        pane.action_show_tab("tab-body")
        while not (len(body_view.rows) > 1 and body_view.rows[1] in screen_text(app)):
            await asyncio.sleep(0.005)
        first_screen = time.perf_counter() - start
        body_view.focus()
        latencies: list[float] = []
        while not body_view.formatting_complete:
            latencies.append(await press_and_time(app))
            await asyncio.sleep(0.02)
        formatted = time.perf_counter() - start
        print(f"  body: {len(body) / 1e6:.1f} MB JSON, {len(body_view.rows):,} pretty lines")
    return first_screen, formatted, latencies


def screen_text(app: App) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--rss-events", type=int, default=1_000_000)
    parser.add_argument("--rss-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.rss_only:
        stored = asyncio.run(feed_for_rss(options.rss_events))
        print(stored, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return

    with demo_server_process() as base_url:
        url = f"{base_url}/sse/flood?n={options.events}"
        run = measure([sys.executable, "-m", "app", "run", url, "--jsonl"])
        in_process, count = asyncio.run(headless_in_process(url))
        typing = {
            "keys taken in order (as SluiceApp)": asyncio.run(typing_during_flood(url, ordered=True)),
            "bare Textual (no ordering; loses keys after Backspace)": asyncio.run(typing_during_flood(url, ordered=False)),
        }
        floods = {
            "as the app runs it (worker thread, tuned GC and GIL switching)": asyncio.run(
                tui_flood(url, options.events, threaded=True, gc_tuned=True)
            ),
            "the same with keys taken in order (as SluiceApp)": asyncio.run(
                tui_flood(url, options.events, threaded=True, gc_tuned=True, ordered=True)
            ),
            "for comparison, worker on the UI loop, default GC": asyncio.run(
                tui_flood(url, options.events, threaded=False)
            ),
        }
    print(f"flood of {options.events:,} SSE events ({count:,} events with request/open/close)")
    print(f"  sluice run --jsonl (process)     {run.seconds:6.2f} s")
    print(f"  stream_http + drain (in process) {in_process:6.2f} s")
    for where, (shown, latencies) in floods.items():
        print(f"  {where}: Timeline shows all in {shown:.2f} s"
              f" = {shown / run.seconds:.2f}× run --jsonl, {shown / in_process:.2f}× in-process   (target ≤ 2×)")
        if latencies:
            print(f"    key latency during flood: n={len(latencies)}  p50 {statistics.median(latencies) * 1000:.1f} ms"
                  f"  p95 {percentile(latencies, 0.95) * 1000:.1f} ms  max {max(latencies) * 1000:.1f} ms"
                  "   (target p95 ≤ 100 ms)")
    for where, bursts in typing.items():
        if bursts:
            print(f"  typing {len(BURST)} letters at once into an Input during the flood, {where}: n={len(bursts)}"
                  f"  p50 {statistics.median(bursts) * 1000:.0f} ms  max {max(bursts) * 1000:.0f} ms")
    first_screen, formatted, body_latencies = asyncio.run(big_body(10))
    print(f"    first screen {first_screen * 1000:.0f} ms (target ≤ 1 s), fully formatted {formatted:.2f} s;"
          f" keys meanwhile p50 {statistics.median(body_latencies) * 1000:.1f} ms"
          f" p95 {percentile(body_latencies, 0.95) * 1000:.1f} ms")
    child = subprocess.run(
        [sys.executable, __file__, "--rss-only", "--rss-events", str(options.rss_events)],
        capture_output=True, text=True, check=True,
    )
    stored, peak = child.stdout.split()
    print(f"  peak RSS after {int(stored):,} small events in the pane: {float(peak):.0f} MB   (target ≤ 400 MB)")


if __name__ == "__main__":
    main()
