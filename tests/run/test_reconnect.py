"""Resumable SSE against the demo server: Last-Event-ID, one continuing timeline, and every stop rule."""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.bus import EventBus
from app.events import Reconnecting, TimelineEvent
from app.model.http_request import HttpRequest
from app.run import RequestRun
from app.run.reconnect import ReconnectPolicy, stream_http_resumable


async def _timeline(url: str, policy: ReconnectPolicy) -> list[TimelineEvent]:
    bus = EventBus()
    subscription = bus.subscribe()
    events: list[TimelineEvent] = []

    async def no_wait(seconds: float) -> None:
        return None

    task = asyncio.create_task(stream_http_resumable(HttpRequest(url=url), bus, policy, sleep=no_wait))
    async for batch in subscription.batches():
        events.extend(batch)
    await task
    return events


def _check_one_timeline(events: list[TimelineEvent]) -> None:
    assert [event.seq for event in events] == list(range(len(events)))
    assert all(a.t <= b.t for a, b in zip(events, events[1:], strict=False))


async def test_resumes_with_last_event_id_until_204(demo_server) -> None:
    events = await _timeline(f"{demo_server.base_url}/sse/resumable?n=5&per=2&retry=7", ReconnectPolicy())
    _check_one_timeline(events)
    data = [event.payload.data for event in events if event.kind == "sse"]  # type: ignore[union-attr]
    assert data == [f'{{"i": {k}}}' for k in range(5)], "no event lost, none repeated"
    reconnects = [event.payload for event in events if isinstance(event.payload, Reconnecting)]
    assert reconnects == [Reconnecting(1, 0.007, "1"), Reconnecting(2, 0.007, "3"), Reconnecting(3, 0.007, "4")]
    requests = [event.payload for event in events if event.kind == "request"]
    assert ("last-event-id", "3") in requests[2].headers  # type: ignore[union-attr]
    assert events[-2].payload.status == 204  # type: ignore[union-attr]


async def test_stops_after_max_reconnects(demo_server) -> None:
    events = await _timeline(f"{demo_server.base_url}/sse/resumable?n=100&per=1&retry=1", ReconnectPolicy(max_reconnects=2))
    _check_one_timeline(events)
    assert sum(event.kind == "reconnect" for event in events) == 2
    assert sum(event.kind == "open" for event in events) == 3


async def test_a_dropped_stream_is_resumed_and_the_last_end_decides(demo_server) -> None:
    events = await _timeline(f"{demo_server.base_url}/sse/drop?after=1", ReconnectPolicy(max_reconnects=1))
    assert [event.kind for event in events].count("error") == 2
    assert events[-1].kind == "error"


async def test_no_reconnect_on_non_2xx_or_other_content_types_or_a_refused_first_connection(demo_server) -> None:
    for url in (f"{demo_server.base_url}/status/500", f"{demo_server.base_url}/sse/wrong-type", "http://127.0.0.1:9/"):
        events = await _timeline(url, ReconnectPolicy())
        assert "reconnect" not in [event.kind for event in events], url


async def test_cancel_stops_the_waiting_run(demo_server) -> None:
    runs: list[RequestRun] = []

    class CancelOnReconnect:
        def feed(self, events: list[TimelineEvent]) -> None:
            if any(event.kind == "reconnect" for event in events):
                runs[0].cancel()

    url = f"{demo_server.base_url}/sse/resumable?n=9&per=1&retry=60000"
    run = RequestRun(HttpRequest(url=url), [CancelOnReconnect()], reconnect=ReconnectPolicy())
    runs.append(run)
    outcome = await asyncio.wait_for(run.run(), 30)
    assert outcome.cancelled


def test_sluice_run_reconnect_exit_0_on_204_and_flags(sluice, demo_server, tmp_path: Path) -> None:
    url = f"{demo_server.base_url}/sse/resumable?n=3&per=2&retry=1"
    result = sluice("run", url, "--reconnect", "--jsonl")
    assert result.code == 0, result.stderr
    assert [line["kind"] for line in result.lines].count("reconnect") == 2
    assert sluice("run", f"{demo_server.base_url}/sse/drop?after=1", "--max-reconnects", "1", "--jsonl").code == 1
    assert sluice("run", f"{demo_server.ws_url}/ws/echo", "--reconnect").code == 2
    request = tmp_path / "resumable.toml"
    request.write_text(f'url = "{url}"\n\n[stream]\nreconnect = true\n')
    from_file = sluice("run", str(request), "--jsonl")
    assert from_file.code == 0, from_file.stderr
    assert [line["kind"] for line in from_file.lines].count("reconnect") == 2
