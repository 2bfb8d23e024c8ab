"""`RequestRun` and `RequestChain` against the real demo server: consumers, cancellation from another
thread, a run on its own thread driven from outside (the TUI's way), extraction shared along a chain."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future
from pathlib import Path

import pytest

from app.bus import EventBus
from app.demo.server import DemoServer
from app.event_runs import BusItem, EventRun, expand_runs
from app.events import StreamClosed, TimelineEvent
from app.model.collection import BrokenFile, load_request_file
from app.model.http_request import HttpRequest
from app.model.request_definition import SavedMessage
from app.model.scopes import RunScopes
from app.model.variables import UnresolvedVariable
from app.model.ws_request import WsRequest
from app.run import ExitCode, InvalidRun, RequestChain, RequestRun, RunOutcome, StepProblem, WsScript, resolve_step
from app.ws_events import WsMessage

SEEDS = Path(__file__).resolve().parents[2] / "sample_collections" / "seed-apis"


class Collector:
    """A consumer keeping every event it is fed."""

    def __init__(self) -> None:
        self.events: list[TimelineEvent] = []

    def feed(self, events: list[TimelineEvent]) -> None:
        self.events.extend(events)


async def test_http_run_feeds_every_event_and_ends_clean(demo_server: DemoServer) -> None:
    collector = Collector()
    outcome = await RequestRun(HttpRequest(f"{demo_server.base_url}/sse/flood?n=500"), [collector]).run()
    assert outcome.exit_code == ExitCode.OK and outcome.problem is None
    assert isinstance(outcome.end, StreamClosed) and outcome.end.events == 500
    assert [event.seq for event in collector.events] == list(range(len(collector.events)))
    assert collector.events[-1].payload == outcome.end


class ItemCollector(Collector):
    """A consumer that takes the bus's items as published (runs of a chunk's events included)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[BusItem] = []

    def feed_items(self, items: list[BusItem]) -> None:
        self.items.extend(items)


async def test_a_consumer_that_takes_items_gets_runs_that_stand_for_the_same_events(demo_server: DemoServer) -> None:
    by_events, by_items = Collector(), ItemCollector()
    outcome = await RequestRun(HttpRequest(f"{demo_server.base_url}/sse/flood?n=2000"), [by_events, by_items]).run()
    assert isinstance(outcome.end, StreamClosed) and outcome.end.events == 2000
    assert by_items.events == []  # fed through feed_items only
    assert any(type(item) is EventRun for item in by_items.items)  # a flood's chunks carry many events each
    assert expand_runs(by_items.items) == by_events.events


async def test_cancel_before_run_returns_at_once() -> None:
    run = RequestRun(HttpRequest("http://127.0.0.1:9/never"))
    run.cancel()
    outcome = await run.run()
    assert outcome == RunOutcome(None, cancelled=True)
    assert outcome.exit_code == ExitCode.INTERRUPTED


async def test_cancel_from_another_thread_ends_the_stream_cancelled(demo_server: DemoServer) -> None:
    run: RequestRun

    class CancelOnFirstBatch(Collector):
        def feed(self, events: list[TimelineEvent]) -> None:
            if not self.events:
                threading.Thread(target=run.cancel).start()
            super().feed(events)

    collector = CancelOnFirstBatch()
    run = RequestRun(HttpRequest(f"{demo_server.base_url}/sse/flood?n=10000000"), [collector])
    outcome = await run.run()
    assert outcome.cancelled and outcome.exit_code == ExitCode.INTERRUPTED
    assert isinstance(outcome.end, StreamClosed) and outcome.end.reason == "cancelled"
    assert collector.events[-1].payload == outcome.end


def test_websocket_run_on_its_own_thread_is_driven_from_outside(demo_server: DemoServer) -> None:
    """What the TUI does: the run's loop lives on a worker thread; sends and close come from another."""
    opened, echoed = threading.Event(), threading.Event()

    class Signals:
        def feed(self, events: list[TimelineEvent]) -> None:
            for event in events:
                if event.kind == "ws_open":
                    opened.set()
                elif isinstance(event.payload, WsMessage) and event.payload.direction == "recv":
                    echoed.set()

    run = RequestRun(WsRequest(f"{demo_server.ws_url}/ws/echo"), [Signals()])
    subscription = run.bus.subscribe()  # unbounded, drained from this thread once the run is over
    result: Future[RunOutcome] = Future()
    worker = threading.Thread(target=lambda: result.set_result(asyncio.run(run.run())))
    worker.start()
    assert opened.wait(timeout=30)
    run.send(SavedMessage("hello")).result(timeout=30)
    assert echoed.wait(timeout=30)
    run.close(1000, "bye").result(timeout=30)
    worker.join(timeout=30)
    outcome = result.result(timeout=0)
    assert outcome.exit_code == ExitCode.OK and outcome.close_requested
    kinds = [event.kind for event in subscription.drain()]
    assert kinds == ["ws_connecting", "ws_open", "ws_send", "ws_recv", "ws_close"]


def test_send_with_a_bad_format_is_refused_at_once() -> None:
    run = RequestRun(WsRequest("ws://127.0.0.1:9/"))
    with pytest.raises(InvalidRun, match="not valid JSON"):
        run.send(SavedMessage("{bad", "json"))


def test_websocket_sends_on_http_are_refused() -> None:
    with pytest.raises(InvalidRun, match="sends"):
        RequestRun(HttpRequest("http://127.0.0.1:9/"), script=WsScript(sends=(SavedMessage("hi"),)))


def test_a_bad_stop_condition_on_http_is_refused_before_connecting() -> None:
    with pytest.raises(InvalidRun, match="at least 1"):
        RequestRun(HttpRequest("http://127.0.0.1:9/"), script=WsScript(until_count=0))


async def test_chain_shares_what_one_step_extracts_with_the_next(demo_server: DemoServer) -> None:
    chain = RequestChain(variables={"base_url": demo_server.base_url, "ws_url": demo_server.ws_url})
    first = chain.prepare(SEEDS / "job-1-start.toml")
    with pytest.raises(StepProblem, match="job_id"):
        chain.prepare(SEEDS / "job-2-stream.toml")
    outcome = await chain.start(first).run()
    assert outcome.exit_code == ExitCode.OK
    assert outcome.extraction is not None and outcome.extraction.values["job_id"].startswith("job_")
    assert chain.variables["job_id"] == outcome.extraction.values["job_id"]
    second = chain.prepare(SEEDS / "job-2-stream.toml")
    assert isinstance(second.request, HttpRequest)
    assert f"job_id={chain.variables['job_id']}" in second.request.url
    collector = Collector()
    assert (await chain.start(second, [collector]).run()).exit_code == ExitCode.OK
    assert any(event.kind == "sse" for event in collector.events)


def test_bus_is_there_before_the_run_starts() -> None:
    assert isinstance(RequestRun(HttpRequest("http://127.0.0.1:9/")).bus, EventBus)


def test_resolve_step_names_what_is_missing_before_any_io() -> None:
    loaded = load_request_file(SEEDS / "job-2-stream.toml")
    assert not isinstance(loaded, BrokenFile)
    with pytest.raises(StepProblem) as problem:
        resolve_step(loaded.definition, RunScopes(run={"base_url": "http://127.0.0.1:9"}))
    assert isinstance(problem.value.__cause__, UnresolvedVariable)


def test_saved_websocket_messages_are_sent_only_by_headless_runs() -> None:
    loaded = load_request_file(SEEDS.parent / "websocket" / "chat.toml")
    assert not isinstance(loaded, BrokenFile) and loaded.definition.websocket.messages
    scopes = RunScopes(run={"ws_url": "ws://127.0.0.1:9"})
    assert resolve_step(loaded.definition, scopes).script.sends == ()
    headless = resolve_step(loaded.definition, scopes, send_saved=True).script.sends
    assert [message.content for message in headless] == [m.content for m in loaded.definition.websocket.messages]
