"""Streams for tests and benchmarks: floods, slow drips, drops and deliberately broken framing.

Floods build their bytes in ~64 KiB batches so that the server is never the bottleneck of a client
benchmark; the broken streams are written byte by byte on purpose, because their point is the exact
bytes a careless server puts on the wire.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from http import HTTPStatus

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from app.demo.framing import (
    NDJSON_MEDIA_TYPE,
    SSE_MEDIA_TYPE,
    float_param,
    int_param,
    paced,
    stream_response,
    then_drop,
)

MAX_FLOOD_EVENTS = 10_000_000
MAX_BIG_JSON_MB = 256
EVENTS_PER_BATCH = 4096
OPENAI_CHUNKS_PER_BATCH = 256

FLOOD_WORDS = ("The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", ".")
"""`/sse/openai-flood` token k is `FLOOD_WORDS[k % len(FLOOD_WORDS)]`, so a merged result is checkable."""

_OPENAI_CHUNK_HEAD = (
    'data: {"id":"chatcmpl-flood","object":"chat.completion.chunk","created":1700000000,'
    '"model":"gpt-4o-mini","system_fingerprint":"fp_demo","choices":[{"index":0,"delta":'
)
_OPENAI_CHUNK_TAIL = ',"logprobs":null,"finish_reason":null}]}\n\n'


def _batched(parts: Iterator[str], per_batch: int) -> Iterator[bytes]:
    batch: list[str] = []
    for part in parts:
        batch.append(part)
        if len(batch) == per_batch:
            yield "".join(batch).encode("utf-8")
            batch.clear()
    if batch:
        yield "".join(batch).encode("utf-8")


def _counter_events(count: int, template: str) -> Iterator[bytes]:
    for start in range(0, count, EVENTS_PER_BATCH):
        stop = min(start + EVENTS_PER_BATCH, count)
        yield "".join([template % k for k in range(start, stop)]).encode("ascii")


async def sse_flood(request: Request) -> StreamingResponse:
    count = int_param(request, "n", 1000, 0, MAX_FLOOD_EVENTS)
    return stream_response(_counter_events(count, 'data: {"i": %d}\n\n'), SSE_MEDIA_TYPE)


async def ndjson_flood(request: Request) -> StreamingResponse:
    count = int_param(request, "n", 1000, 0, MAX_FLOOD_EVENTS)
    return stream_response(_counter_events(count, '{"i": %d}\n'), NDJSON_MEDIA_TYPE)


def _openai_flood_parts(count: int) -> Iterator[str]:
    words = FLOOD_WORDS
    yield _OPENAI_CHUNK_HEAD + '{"role":"assistant","content":""}' + _OPENAI_CHUNK_TAIL
    for k in range(count):
        yield f'{_OPENAI_CHUNK_HEAD}{{"content":"{words[k % len(words)]}"}}{_OPENAI_CHUNK_TAIL}'
    yield _OPENAI_CHUNK_HEAD + '{},"logprobs":null,"finish_reason":"stop"}]}\n\n'
    yield "data: [DONE]\n\n"


async def sse_openai_flood(request: Request) -> StreamingResponse:
    count = int_param(request, "n", 1000, 0, MAX_FLOOD_EVENTS)
    chunks = _batched(_openai_flood_parts(count), OPENAI_CHUNKS_PER_BATCH)
    return stream_response(chunks, SSE_MEDIA_TYPE)


async def sse_heartbeat(request: Request) -> StreamingResponse:
    count = int_param(request, "n", 5, 0, 100_000)
    interval = float_param(request, "interval", 0.0, 0.0, 60.0)
    chunks = (f': keep-alive\n\ndata: {{"i": {k}}}\n\n'.encode() for k in range(count))
    return stream_response(chunks, SSE_MEDIA_TYPE, delay=interval)


async def sse_drip(request: Request) -> StreamingResponse:
    count = int_param(request, "n", 10, 0, 100_000)
    interval = float_param(request, "interval", 0.2, 0.0, 60.0)
    return stream_response(_drip(count, interval), SSE_MEDIA_TYPE)


async def _drip(count: int, interval: float) -> AsyncIterator[bytes]:
    # The pause comes before each event, not after, so the last event is not followed by dead air.
    for k in range(count):
        if k:
            await asyncio.sleep(interval)
        yield f'data: {{"i": {k}}}\n\n'.encode()


async def sse_drop(request: Request) -> StreamingResponse:
    after = int_param(request, "after", 3, 0, 100_000)
    chunks = (f'data: {{"i": {k}}}\n\n'.encode() for k in range(after))
    return stream_response(then_drop(paced(chunks, 0.0)), SSE_MEDIA_TYPE)


async def ndjson_drop(request: Request) -> StreamingResponse:
    after = int_param(request, "after", 3, 0, 100_000)
    chunks = (f'{{"i": {k}}}\n'.encode() for k in range(after))
    return stream_response(then_drop(paced(chunks, 0.0)), NDJSON_MEDIA_TYPE)


MALFORMED_SSE_BLOCKS = (
    b'event: malformed\ndata: {"broken": json\n\n',
    b'this line has no colon\ndata: {"i": 1}\n\n',
    b'id: abc\x00def\ndata: {"i": 2}\n\n',
    b'retry: soon\ndata: {"i": 3}\n\n',
    b": just a comment\n\n",
    b'data: {"i": 4}\n\n',
    b'data: {"i": 5}\n\n',
)
"""Not JSON, a field without a colon, an id with NUL (ignored by the spec), a bad retry, a comment, then good."""

MALFORMED_NDJSON_LINES = (
    b'{"i": 0}\n',
    b"{bad json}\n",
    b'{"i": NaN}\n',
    b"\n",
    b'{"i": 3}\n',
    b'{"i": 4, "text": "trunc',
)
"""Good, not JSON, non-standard NaN, a blank line, good, and a final line cut off without a newline."""

IDS_SSE_BLOCKS = (
    b'id: 1\ndata: {"i": 1}\n\n',
    b'id: 2\nretry: 3000\ndata: {"i": 2}\n\n',
    b'data: {"i": 3, "note": "inherits id 2"}\n\n',
    b'id:\ndata: {"i": 4, "note": "empty id resets the last event id"}\n\n',
    b'id: 10\nevent: update\ndata: {"i": 5}\n\n',
)


async def sse_malformed(request: Request) -> StreamingResponse:
    return stream_response(MALFORMED_SSE_BLOCKS, SSE_MEDIA_TYPE)


async def ndjson_malformed(request: Request) -> StreamingResponse:
    return stream_response(MALFORMED_NDJSON_LINES, NDJSON_MEDIA_TYPE)


async def sse_no_blank_lines(request: Request) -> StreamingResponse:
    count = int_param(request, "n", 5, 0, 100_000)
    return stream_response((f'data: {{"i": {k}}}\n'.encode() for k in range(count)), SSE_MEDIA_TYPE)


async def sse_wrong_type(request: Request) -> StreamingResponse:
    count = int_param(request, "n", 5, 0, 100_000)
    return stream_response((f'data: {{"i": {k}}}\n\n'.encode() for k in range(count)), "text/plain")


async def sse_ids(request: Request) -> StreamingResponse:
    return stream_response(IDS_SSE_BLOCKS, SSE_MEDIA_TYPE)


async def sse_resumable(request: Request) -> Response:
    """`n` events in connections of `per`: each answers after the `Last-Event-ID` it is sent, with `retry`
    set, and ends normally; once all are delivered it answers 204, EventSource's "do not reconnect"."""
    count = int_param(request, "n", 6, 0, 100_000)
    per = int_param(request, "per", 2, 1, 100_000)
    retry = int_param(request, "retry", 50, 0, 600_000)
    last = request.headers.get("last-event-id", "")
    start = int(last) + 1 if last.isdigit() else 0
    if start >= count:
        return Response(status_code=204)
    blocks = []
    for k in range(start, min(start + per, count)):
        retry_line = f"retry: {retry}\n" if k == start else ""
        blocks.append(f'id: {k}\n{retry_line}data: {{"i": {k}}}\n\n'.encode())
    return stream_response(blocks, SSE_MEDIA_TYPE)


def _big_json_parts(target_bytes: int) -> Iterator[str]:
    yield '{"items":['
    written = 0
    k = 0
    while written < target_bytes:
        item = f'{{"i":{k},"name":"item-{k}","tags":["alpha","beta"],"value":{k * 0.5}}}'
        yield item if k == 0 else "," + item
        written += len(item) + 1
        k += 1
    yield "]}"


async def json_big(request: Request) -> StreamingResponse:
    megabytes = float_param(request, "mb", 1.0, 0.0, MAX_BIG_JSON_MB)
    chunks = _batched(_big_json_parts(int(megabytes * 1024 * 1024)), 1024)
    return stream_response(chunks, "application/json")


async def status(request: Request) -> Response:
    raw = request.path_params["code"]
    if not raw.isdigit() or not 200 <= int(raw) <= 599:
        return JSONResponse({"error": f"status code must be 200-599, got {raw!r}"}, status_code=400)
    code = int(raw)
    if code in (204, 205, 304):
        return Response(status_code=code)
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = "Unknown status"
    return JSONResponse({"status": code, "error": phrase}, status_code=code)


routes = [
    Route("/sse/flood", sse_flood),
    Route("/ndjson/flood", ndjson_flood),
    Route("/sse/openai-flood", sse_openai_flood),
    Route("/sse/heartbeat", sse_heartbeat),
    Route("/sse/drip", sse_drip),
    Route("/sse/drop", sse_drop),
    Route("/ndjson/drop", ndjson_drop),
    Route("/sse/malformed", sse_malformed),
    Route("/ndjson/malformed", ndjson_malformed),
    Route("/sse/no-blank-lines", sse_no_blank_lines),
    Route("/sse/wrong-type", sse_wrong_type),
    Route("/sse/ids", sse_ids),
    Route("/sse/resumable", sse_resumable),
    Route("/json/big", json_big),
    Route("/status/{code}", status, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
]
