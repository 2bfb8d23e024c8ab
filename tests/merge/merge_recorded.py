"""Recorded streams for the merge tests: a tiny SSE splitter (independent of the real parser) and
helpers that wrap payloads in `TimelineEvent`s with evenly spaced times."""

from __future__ import annotations

import json
from typing import Any

from app.events import (
    EventPayload,
    NdjsonValue,
    ResponseOpened,
    SseComment,
    SseMessage,
    SseUnknownField,
    StreamClosed,
    TimelineEvent,
)
from app.streams.merge import MergedReply, MergeEngine
from app.vocabulary import MergeRule

SSE_FIELDS = {"event", "data", "id", "retry"}


def split_sse(raw: str) -> list[EventPayload]:
    """Enough of the SSE algorithm for hand-written fixtures: blocks, fields, comments, unknown fields."""
    payloads: list[EventPayload] = []
    for block in raw.strip("\n").split("\n\n"):
        event, data = "message", []
        for line in block.split("\n"):
            if not line:
                continue
            if line.startswith(":"):
                payloads.append(SseComment(line[1:].lstrip()))
                continue
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "event":
                event = value
            elif name == "data":
                data.append(value)
            elif name not in SSE_FIELDS:
                payloads.append(SseUnknownField(name, value))
        if data:
            payloads.append(SseMessage(event, "\n".join(data)))
    return payloads


def sse_lines(*chunks: Any, event: str | None = None) -> str:
    """`data:` blocks from JSON-able values (strings are sent as they are, e.g. `[DONE]`)."""
    blocks = []
    for chunk in chunks:
        data = chunk if isinstance(chunk, str) else json.dumps(chunk)
        blocks.append((f"event: {event}\n" if event else "") + f"data: {data}\n")
    return "\n".join(blocks)


def timeline(
    payloads: list[EventPayload],
    content_type: str = "text/event-stream",
    step: float = 0.01,
    closed: bool = True,
) -> list[TimelineEvent]:
    """Opened at t=0.1, one payload every `step` seconds, then a normal close."""
    events = [TimelineEvent(0, 0.1, ResponseOpened(200, "HTTP/1.1", (("content-type", content_type),)))]
    t = 0.1
    for payload in payloads:
        t += step
        events.append(TimelineEvent(len(events), round(t, 6), payload))
    if closed:
        events.append(TimelineEvent(len(events), round(t, 6), StreamClosed(0, len(payloads), t, 0.1, None, None)))
    return events


def sse_timeline(raw: str, **kwargs: Any) -> list[TimelineEvent]:
    return timeline(split_sse(raw), **kwargs)


def ndjson_timeline(values: list[Any], **kwargs: Any) -> list[TimelineEvent]:
    kwargs.setdefault("content_type", "application/x-ndjson")
    return timeline([NdjsonValue(json.dumps(value)) for value in values], **kwargs)


def merge(
    events: list[TimelineEvent], profile: str | None = None, rule: MergeRule | None = None, **kwargs: Any
) -> MergedReply:
    engine = MergeEngine(profile, rule, **kwargs)
    engine.feed(events)
    return engine.finish()
