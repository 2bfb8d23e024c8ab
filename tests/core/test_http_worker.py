"""The HTTP worker against the real demo server: what it publishes, and cancelling it mid-stream."""

from __future__ import annotations

import asyncio

from app.bus import EventBus
from app.connections.http_worker import stream_http
from app.events import RequestSent, ResponseOpened, SseMessage, StreamClosed
from app.model.http_request import HttpRequest


async def test_worker_publishes_request_open_events_close_then_closes_the_bus(demo_server):
    bus = EventBus()
    subscription = bus.subscribe()
    await stream_http(HttpRequest(f"{demo_server.base_url}/sse/flood?n=50"), bus)
    events = subscription.drain()
    assert bus.closed
    assert isinstance(events[0].payload, RequestSent)
    assert isinstance(events[1].payload, ResponseOpened)
    assert events[1].payload.parse_mode == "sse"
    assert sum(isinstance(event.payload, SseMessage) for event in events) == 50
    assert isinstance(events[-1].payload, StreamClosed)
    assert [event.seq for event in events] == list(range(len(events)))
    times = [event.t for event in events]
    assert times == sorted(times)


async def test_cancel_mid_stream_closes_with_reason_cancelled(demo_server):
    bus = EventBus()
    subscription = bus.subscribe()
    worker = asyncio.create_task(stream_http(HttpRequest(f"{demo_server.base_url}/sse/drip?n=1000&interval=0.05"), bus))
    seen = []
    async for batch in subscription.batches():
        seen.extend(batch)
        if any(isinstance(event.payload, SseMessage) for event in seen):
            worker.cancel()
    last = seen[-1].payload
    assert isinstance(last, StreamClosed)
    assert last.reason == "cancelled"
    assert 1 <= last.events < 1000
    assert worker.cancelled()


async def test_params_go_after_the_urls_own_query_which_is_sent_as_written(demo_server):
    # `per=3` reaches the server only if the URL's own query survives the `[params]` table beside it
    # (httpx's `params=` replaced it: the server then used its default of 2 events a connection).
    bus = EventBus()
    subscription = bus.subscribe()
    url = f"{demo_server.base_url}/sse/resumable?n=3&per=3&note=a%20b"
    await stream_http(HttpRequest(url, params=(("after", "5"), ("per", "3"))), bus)
    events = subscription.drain()
    sent = events[0].payload
    assert isinstance(sent, RequestSent)
    assert sent.url == f"{url}&after=5&per=3"
    assert sum(isinstance(event.payload, SseMessage) for event in events) == 3
