"""Server text through the headless printers: valid SSE but absurd (a `retry:` of hundreds of digits, which a
float cannot hold), and any text in any field, which on a terminal must never be a control."""

from __future__ import annotations

import asyncio
import io
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from app.bus import EventBus
from app.cli.merged_printer import MergedPrinter
from app.cli.printers import HumanPrinter
from app.events import (
    BodyReceived,
    ConnectionFailed,
    ErrorType,
    JsonArrayError,
    JsonArrayItem,
    NdjsonError,
    NdjsonValue,
    Reconnecting,
    RequestSent,
    ResponseOpened,
    SseComment,
    SseId,
    SseIgnoredField,
    SseMessage,
    SseUnknownField,
    StreamDiagnostic,
    TimelineEvent,
)
from app.model.http_request import HttpRequest
from app.run.reconnect import MAX_RETRY_MS, ReconnectPolicy, stream_http_resumable
from app.streams.merge import MergeEngine
from app.ws_events import WsClosed, WsConnecting, WsControl, WsMessage, WsOpened


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


_ANY = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=12)
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_PAINT = re.compile("\x1b\\[[0-9;]*m")


def _payloads(text: str, data: bytes) -> list[object]:
    return [
        SseMessage(text, text, text, 7), SseId(text), SseComment(text), SseUnknownField(text, text),
        SseIgnoredField(text, text, text), NdjsonValue(json.dumps({text: [text]})), NdjsonError(text, text),
        JsonArrayItem(text), JsonArrayError(text, text), BodyReceived(data), StreamDiagnostic(text, text),
        RequestSent(text, f"http://a/{text}"), ResponseOpened(200, text, (("content-type", text),), reason=text),
        ConnectionFailed(ErrorType.STREAM_FAILED, text), Reconnecting(1, 0.5, text), WsConnecting(f"ws://a/{text}"),
        WsOpened(101, (), text), WsMessage("recv", text), WsMessage("recv", data), WsControl("ws_ping", data, "server"),
        WsClosed(4000, text, "server"),
    ]


@settings(max_examples=200, deadline=None)
@given(_ANY, st.binary(max_size=12), st.booleans())
def test_human_lines_on_a_terminal_hold_no_control_whatever_the_server_sent(text: str, data: bytes, color: bool) -> None:
    stream = io.BytesIO()
    printer = HumanPrinter(stream, color=color)
    printer.feed([TimelineEvent(seq, 0.5, payload, 0) for seq, payload in enumerate(_payloads(text, data))])  # type: ignore[arg-type]
    lines = stream.getvalue().decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == len(_payloads(text, data)) + 1  # one line each, no line break inside
    for line in lines:
        assert not _UNSAFE.search(_PAINT.sub("", line)), line


@settings(max_examples=200, deadline=None)
@given(st.lists(_ANY, min_size=1, max_size=4))
def test_merged_text_on_a_terminal_holds_no_control(deltas: list[str]) -> None:
    out, err = io.BytesIO(), io.BytesIO()
    printer = MergedPrinter(out, err, color=True, engine=MergeEngine("openai"), terminal=True)
    chunks = [json.dumps({"choices": [{"index": 0, "delta": {"content": delta, "reasoning_content": delta}}]})
              for delta in deltas]
    printer.feed([TimelineEvent(seq, 0.1 * seq, SseMessage("message", chunk), 0) for seq, chunk in enumerate(chunks)])
    printer.finish()
    for stream in (out, err):
        shown = _PAINT.sub("", stream.getvalue().decode("utf-8")).replace("\r\n", "\n")
        assert not _UNSAFE.search(shown), shown
