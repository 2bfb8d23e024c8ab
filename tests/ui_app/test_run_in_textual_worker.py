"""The run layer's contract with Textual: a `RequestRun` awaited inside `@work(thread=True)` reports its end
through `Worker.StateChanged` (no polling), and `cancel()` from the UI thread ends it, so nothing keeps
running after quit. Against the real demo server on 127.0.0.1."""

from __future__ import annotations

import threading

from helpers_ui_app import wait_until
from textual import on, work
from textual.app import App
from textual.worker import Worker, WorkerState

from app.demo.server import DemoServer
from app.events import StreamClosed, TimelineEvent
from app.model.http_request import HttpRequest
from app.run import ExitCode, RequestRun, RunOutcome


class RunApp(App[None]):
    """Starts one run in a thread worker and keeps the outcome the worker returns."""

    def __init__(self, run: RequestRun) -> None:
        super().__init__()
        self.run_under_test = run
        self.outcome: RunOutcome | None = None
        self.states: list[WorkerState] = []

    def on_mount(self) -> None:
        self.send_request()

    @work(thread=True, exit_on_error=False, name="request")
    async def send_request(self) -> RunOutcome:
        return await self.run_under_test.run()

    @on(Worker.StateChanged)
    def remember(self, event: Worker.StateChanged) -> None:
        self.states.append(event.state)
        if event.state is WorkerState.SUCCESS:
            self.outcome = event.worker.result

    def on_unmount(self) -> None:
        self.run_under_test.cancel()


async def test_a_run_in_a_thread_worker_reports_its_end_by_message(demo_server: DemoServer) -> None:
    app = RunApp(RequestRun(HttpRequest(f"{demo_server.base_url}/sse/flood?n=2000")))
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.outcome is not None and app.outcome.exit_code == ExitCode.OK
        assert app.states[-1] is WorkerState.SUCCESS


async def test_quitting_cancels_a_run_that_is_still_streaming(demo_server: DemoServer) -> None:
    class Watcher:
        """Fed on the worker's thread: notes the first batch and the end of the stream."""

        def __init__(self) -> None:
            self.seen = False
            self.end: StreamClosed | None = None
            self.ended = threading.Event()

        def feed(self, events: list[TimelineEvent]) -> None:
            self.seen = True
            last = events[-1].payload
            if isinstance(last, StreamClosed):
                self.end = last
                self.ended.set()

    watcher = Watcher()
    app = RunApp(RequestRun(HttpRequest(f"{demo_server.base_url}/sse/flood?n=10000000"), [watcher]))
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: watcher.seen)
    # Leaving run_test() unmounts the app, whose on_unmount cancels the run from the UI thread.
    assert watcher.ended.wait(timeout=60)
    assert watcher.end is not None and watcher.end.reason == "cancelled"
