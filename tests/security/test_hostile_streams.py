"""Server bytes that are valid SSE but absurd: a `retry:` of hundreds of digits (a float cannot hold it)."""

from __future__ import annotations

import asyncio

from app.bus import EventBus
from app.events import Reconnecting
from app.model.http_request import HttpRequest
from app.run.reconnect import MAX_RETRY_MS, ReconnectPolicy, stream_http_resumable


async def test_a_retry_of_hundreds_of_digits_waits_at_most_a_day_instead_of_crashing(hostile) -> None:
    bus = EventBus()
    subscription = bus.subscribe()
    waits: list[float] = []

    async def recorded(seconds: float) -> None:
        waits.append(seconds)

    request = HttpRequest(url=f"{hostile.base_url}/retry-huge")
    run = stream_http_resumable(request, bus, ReconnectPolicy(max_reconnects=1), sleep=recorded)
    task = asyncio.create_task(run)
    events = [event async for batch in subscription.batches() for event in batch]
    await task
    reconnects = [event.payload for event in events if isinstance(event.payload, Reconnecting)]
    assert waits == [MAX_RETRY_MS / 1000] and [payload.delay for payload in reconnects] == [86400.0]
    assert [event.payload.retry for event in events if event.kind == "sse"][0] == int("9" * 400)  # type: ignore[union-attr]
