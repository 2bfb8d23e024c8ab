"""The pane fed by the real HTTP worker against the demo server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json

import pytest
from helpers_ui_response import PaneHost, screen_text, wait_until
from textual.worker import WorkerState

from app.bus import EventBus
from app.connections.http_worker import stream_http
from app.demo.server import DemoServer
from app.events import SseMessage
from app.model.http_request import HttpRequest
from app.run import RequestRun
from app.ui.response import ResponseSession, SessionState
from app.ui.response.merged_view import MergedView
from app.vocabulary import ParseMode


@pytest.fixture
def demo(demo_server: DemoServer) -> DemoServer:
    return demo_server


def _send(pane_host: PaneHost, request: HttpRequest) -> tuple[ResponseSession, asyncio.Task[None]]:
    bus = EventBus()
    session = ResponseSession(bus, request.url)  # subscribes before the worker starts
    task = asyncio.create_task(stream_http(request, bus))
    pane_host.pane.show(session)
    return session, task


async def test_flood_every_event_reaches_the_timeline(demo, pane_host):
    async with pane_host.run_test(size=(110, 24)) as pilot:
        session, task = _send(pane_host, HttpRequest(f"{demo.base_url}/sse/flood?n=20000"))
        await task
        await wait_until(pilot, lambda: session.finished and pane_host.pane.timeline.row_count == len(session.store))
        store = session.store
        data = [store.payload(i) for i in range(len(store)) if isinstance(store.payload(i), SseMessage)]
        assert [json.loads(message.data)["i"] for message in data] == list(range(20000))
        assert session.state is SessionState.CLOSED
        # The last rows are drawn on a later refresh than the one that counted them (a loaded CI machine
        # once read a blank Timeline after one pause): wait for them, which still fails if they never come.
        await wait_until(pilot, lambda: '{"i": 19999}' in screen_text(pane_host))
        assert "closed  200" in screen_text(pane_host)


async def test_openai_stream_merged_tab_shows_the_full_text(demo, pane_host):
    body = json.dumps({"model": "gpt-4o-mini", "stream": True, "messages": [{"role": "user", "content": "hi"}]})
    request = HttpRequest(
        f"{demo.base_url}/v1/chat/completions",
        method="POST",
        headers=(("content-type", "application/json"),),
        body=body.encode(),
    )
    async with pane_host.run_test(size=(110, 40)) as pilot:
        session, task = _send(pane_host, request)
        await pilot.press("2")
        await task
        await wait_until(pilot, lambda: session.finished)
        store = session.store
        expected = "".join(
            json.loads(payload.data)["choices"][0]["delta"].get("content") or ""
            for payload in (store.payload(i) for i in range(len(store)))
            if isinstance(payload, SseMessage) and payload.data.startswith("{")
        )
        assert expected and session.reply.text == expected and session.reply.complete
        await pilot.pause()
        assert pane_host.query_one(MergedView).is_on_screen
        shown = screen_text(pane_host)
        assert "[complete]" in shown
        assert "".join(expected.split()) in "".join(shown.split())


async def test_ten_megabyte_json_body_shows_at_once_and_keys_work(demo, pane_host):
    async with pane_host.run_test(size=(110, 30)) as pilot:
        session, task = _send(pane_host, HttpRequest(f"{demo.base_url}/json/big?mb=10", parse_mode=ParseMode.RAW))
        await task
        await wait_until(pilot, lambda: session.finished)
        assert len(session.body()) >= 10 * 1024 * 1024
        await pilot.press("4")
        body_view = pane_host.pane.body_view
        await wait_until(pilot, lambda: len(body_view.rows) > 0)
        assert body_view.showing_pretty
        assert body_view.rows[0] in ("{", "[")
        body_view.focus()
        await pilot.press("j", "j", "pagedown")
        assert body_view.scroll_y > 0
        assert not body_view.formatting_complete or len(body_view.rows) > 100_000
        await wait_until(pilot, lambda: body_view.formatting_complete, attempts=2000)
        await pilot.press("G")
        await pilot.pause()
        assert body_view.scroll_y >= len(body_view.rows) - body_view.size.height - 1
        await pilot.press("p")
        await wait_until(pilot, lambda: not body_view.showing_pretty)
        assert "raw" in screen_text(pane_host)


async def test_worker_on_its_own_thread_fills_the_pane_and_cancels(demo, pane_host):
    async with pane_host.run_test(size=(110, 24)) as pilot:
        url = f"{demo.base_url}/sse/flood?n=5000"
        run = RequestRun(HttpRequest(url))
        session = ResponseSession(run.bus, "threaded flood")
        # As the TUI runs it: a Textual thread worker awaiting the run on the worker's own loop.
        worker = pane_host.run_worker(run.run, thread=True, exit_on_error=False)
        pane_host.pane.show(session)
        await worker.wait()
        await wait_until(pilot, lambda: session.finished)
        assert session.state is SessionState.CLOSED and worker.state is WorkerState.SUCCESS
        assert session.data_events == 5000
        assert pane_host.pane.timeline.row_count == len(session.store)

        endless = RequestRun(HttpRequest(f"{demo.base_url}/sse/flood?n=10000000"))
        cancelled = ResponseSession(endless.bus, "cancelled drip")
        worker = pane_host.run_worker(endless.run, thread=True, exit_on_error=False)
        pane_host.pane.show(cancelled)
        await wait_until(pilot, lambda: cancelled.event_count > 100)
        endless.cancel()
        await worker.wait()
        await wait_until(pilot, lambda: cancelled.finished)
        assert cancelled.state is SessionState.CANCELLED
        assert cancelled.closed is not None and cancelled.closed.reason == "cancelled"
        await pilot.pause()
        assert "● cancelled" in screen_text(pane_host)
