"""Record a response from a real loopback server into a `Capture`, as `sluice run --record` does."""

from __future__ import annotations

import asyncio

from app.bus import EventBus
from app.connections.http_worker import stream_http
from app.events import BodyReceived, TimelineEvent
from app.model.http_request import HttpRequest
from app.recording.capture import Capture


async def capture_http(request: HttpRequest) -> tuple[Capture, list[TimelineEvent]]:
    """Run `request`, keeping its events and a capture of it."""
    bus = EventBus()
    subscription = bus.subscribe()
    capture = Capture(request.body)
    events: list[TimelineEvent] = []
    task = asyncio.create_task(stream_http(request, bus, capture.on_chunk))
    async for batch in subscription.batches():
        capture.feed(batch)
        events.extend(batch)
    await task
    return capture, events


def replayable(events: list[TimelineEvent]) -> list[tuple[str, object]]:
    """What a replay must reproduce: every event but the request line (its URL is the mock's) and the
    closing totals (their timing is the replay's own). A plain body's `body` events are one per network
    read, so they are compared as the bytes they carry: the mock writes the recorded chunks back to
    back and TCP may join them."""
    kept: list[tuple[str, object]] = []
    for event in events:
        if event.kind in ("request", "close"):
            continue
        if isinstance(event.payload, BodyReceived):
            if kept and kept[-1][0] == "body" and isinstance(kept[-1][1], bytes):
                kept[-1] = ("body", kept[-1][1] + event.payload.data)
            else:
                kept.append(("body", event.payload.data))
            continue
        kept.append((event.kind, event.payload.to_json()))
    return kept
