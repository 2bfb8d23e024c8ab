"""A 1,000,000-event SSE flood in the TUI, beside `sluice run --jsonl` on the same stream in the same run.

    python benchmarks/bench_flood.py [--events 1000000]

Measured (issue 11, deliver 10), all against the headless baseline taken in the same run:
1. time until the Timeline shows every event (request start → last row in the view); target ≤ 2× the
   `sluice run --jsonl` process on the same URL;
2. key latency during the flood, for the keys a person presses while watching: tab switches (`2` Merged,
   `5` Metrics, `1` Timeline …) and `j`/`k` in the Timeline, each timed from the key press to the first
   screen paint after its action ran; target p95 ≤ 100 ms;
3. the status line's longest freeze while the stream is live: the longest time between two paints of a
   changed status line (it changes every tick, the elapsed time is on it); target ≤ 250 ms.
Run on a shared machine, the figures move with the load: compare the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from measure import demo_server_process, measure  # noqa: E402
from textual import events  # noqa: E402
from textual.app import ComposeResult  # noqa: E402
from textual.widgets import Static  # noqa: E402

from app.model.http_request import HttpRequest  # noqa: E402
from app.run import RequestRun  # noqa: E402
from app.ui.app import tune_for_streaming  # noqa: E402
from app.ui.focus_paint import QuietFocusScreen  # noqa: E402
from app.ui.key_order import OrderedKeysApp  # noqa: E402
from app.ui.response import ResponsePane, ResponseSession  # noqa: E402

KEYS = ("2", "j", "5", "k", "1", "k", "3", "j", "4", "1")
"""Tab switches and cursor moves, cycled through during the flood."""


class FloodHost(OrderedKeysApp[None]):
    """The pane alone, recording when the screen is painted and when the status line changed; keys are
    taken as `SluiceApp` takes them (in order, `app/ui/key_order.py`), on the main screen's kind of
    screen (a focus change repaints only what it restyles, `app/ui/focus_paint.py`)."""

    def __init__(self) -> None:
        super().__init__()
        self.painted_at = 0.0
        self.painted = asyncio.Event()
        """Set at each paint (a key's waiter clears it first)."""
        self.status_painted: list[float] = []
        self._last_status = ""

    def get_default_screen(self) -> QuietFocusScreen[None]:
        return QuietFocusScreen(id="_default")

    def compose(self) -> ComposeResult:
        yield ResponsePane()

    def _display(self, screen, renderable) -> None:  # type: ignore[no-untyped-def, override]
        super()._display(screen, renderable)
        now = time.perf_counter()
        self.painted_at = now
        self.painted.set()
        status = str(self.query_one("#response-status", Static).render())
        if status != self._last_status:
            self._last_status = status
            self.status_painted.append(now)


async def press_and_time(app: FloodHost, key: str) -> float:
    """Seconds from a key press (sent as the terminal driver sends it) to the next paint after it.

    Woken by the paint itself: polling for it every millisecond woke the UI thread a thousand times a
    second, each wake taking the interpreter lock from the run's thread (load the TUI itself never has)."""
    app.painted.clear()
    pressed = time.perf_counter()
    message = events.Key(key, key)
    message.set_sender(app)
    app._driver.send_message(message)
    while app.painted_at <= pressed:
        app.painted.clear()
        await app.painted.wait()
    return app.painted_at - pressed


class GcPauses:
    """The garbage collector's pauses on any thread, as `gc.callbacks` reports them."""

    def __init__(self) -> None:
        self.pauses: list[tuple[int, float]] = []
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses.append((info["generation"], time.perf_counter() - self._started))


async def tui_flood(url: str, expected: int) -> tuple[float, list[float], float, GcPauses]:
    app = FloodHost()
    latencies: list[float] = []
    pauses = GcPauses()
    async with app.run_test(size=(160, 45)) as pilot:
        # Start-up (mount, first layouts, about 0.5 s) is not the flood: let the screen settle first, as a
        # person does before sending a request.
        await pilot.pause(0.5)
        tune_for_streaming()
        gc.callbacks.append(pauses)
        pane = app.query_one(ResponsePane)
        timeline = pane.timeline
        timeline.focus()
        # As the TUI does it (app/ui/screens/sending.py, send.py): the session is the run's consumer,
        # fed on the run's own thread, and told when the run returned.
        session = ResponseSession(None, url)
        run = RequestRun(HttpRequest(url), [session])

        def run_and_end() -> None:
            try:
                asyncio.run(run.run())
            finally:
                session.end_feed()

        start = time.perf_counter()
        worker = threading.Thread(target=run_and_end, daemon=True)
        worker.start()
        pane.show(session)
        presses = 0
        while not (session.received_all and timeline.row_count == len(session.store)):
            latency = await press_and_time(app, KEYS[presses % len(KEYS)])
            presses += 1
            if worker.is_alive():
                latencies.append(latency)
            await asyncio.sleep(0.02)
        shown = time.perf_counter() - start
        gc.callbacks.remove(pauses)
        await asyncio.to_thread(worker.join)
        assert len(session.store) >= expected, (len(session.store), expected)
        live = [t for t in app.status_painted if t >= start]
        freeze = max((b - a for a, b in zip(live, live[1:])), default=0.0)
    return shown, latencies, freeze, pauses


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    options = parser.parse_args()
    with demo_server_process() as base_url:
        url = f"{base_url}/sse/flood?n={options.events}"
        run = measure([sys.executable, "-m", "app", "run", url, "--jsonl"])
        shown, latencies, freeze, pauses = asyncio.run(tui_flood(url, options.events))
    print(f"flood of {options.events:,} SSE events")
    print(f"  sluice run --jsonl (process, same run)  {run.seconds:6.2f} s")
    print(f"  TUI Timeline shows all                  {shown:6.2f} s = {shown / run.seconds:.2f}× headless (target ≤ 2×)")
    if latencies:
        print(
            f"  keys during the flood (tab switches, j/k; press → paint): n={len(latencies)}"
            f"  p50 {statistics.median(latencies) * 1000:.0f} ms  p95 {percentile(latencies, 0.95) * 1000:.0f} ms"
            f"  max {max(latencies) * 1000:.0f} ms (target p95 ≤ 100 ms)"
        )
    print(f"  status line longest freeze while live   {freeze * 1000:6.0f} ms (target ≤ 250 ms)")
    for generation in (0, 1, 2):
        times = [pause for gen, pause in pauses.pauses if gen == generation]
        if times:
            print(f"  GC generation {generation}: {len(times)} collections, longest {max(times) * 1000:.0f} ms,"
                  f" {sum(times):.2f} s in all")


if __name__ == "__main__":
    main()
