"""Requests run on Textual's workers: start, end and failure arrive as messages; nothing outlives quit."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from helpers_ui_app import open_named, wait_until
from textual.message import Message
from textual.worker import Worker, WorkerState

from app.run import RequestRun
from app.ui.app import SluiceApp
from app.ui.response.pane import ResponsePane
from app.ui.screens.send import RUN_GROUP

SIZE = (120, 40)



async def test_start_and_end_are_worker_messages_and_no_timer_polls(demo_collection: Path) -> None:
    seen: list[Message] = []
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        screen = app.main_screen
        timers_before = {id(timer) for timer in screen._timers}
        open_named(app, "OpenAI chat")
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: screen.live is not None and not screen.running and screen.live.session.finished)
        states = [m.state for m in seen if isinstance(m, Worker.StateChanged) and m.worker.group == RUN_GROUP]
        assert states[0] in (WorkerState.PENDING, WorkerState.RUNNING) and states[-1] is WorkerState.SUCCESS
        # The run can end before the pane's next tick reports it (under load): waited for, not assumed.
        await wait_until(pilot, lambda: any(isinstance(m, ResponsePane.SessionChanged) for m in seen))
        assert {id(timer) for timer in screen._timers} == timers_before, "sending started a timer on the screen"
        await wait_until(pilot, lambda: "closed" in screen.query_one("#history").get_option_at_index(0).prompt.plain)


async def test_a_crashing_run_is_reported(demo_collection: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def crash(self: RequestRun) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(RequestRun, "run", crash)
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        open_named(app, "OpenAI chat")
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: any("boom" in str(n.message) for n in app._notifications))
        assert not app.main_screen.running


async def test_quitting_stops_a_running_stream(demo_collection: Path) -> None:
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        open_named(app, "Drip")
        await pilot.press("ctrl+j")
        screen = app.main_screen
        await wait_until(pilot, lambda: screen.running and screen.live.session.event_count > 2)
        live = screen.live
        await pilot.press("ctrl+q")
    for _ in range(250):  # the worker's thread publishes `cancelled` and closes its bus
        if live.run.bus.closed:
            break
        await asyncio.sleep(0.02)
    assert live.run.bus.closed
