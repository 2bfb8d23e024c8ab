"""Wire framing and request helpers shared by every demo endpoint.

Endpoints describe a stream as a list of frames (or an async generator of raw bytes) and hand it to one
of the response builders here, so that SSE and NDJSON encoding, pacing, deliberate connection drops and
query-parameter validation are written once.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse

T = TypeVar("T", int, float)

DEMO_BEARER_TOKEN = "demo-token"
DEMO_API_KEY = "demo-key"

SSE_MEDIA_TYPE = "text/event-stream"
NDJSON_MEDIA_TYPE = "application/x-ndjson"
STREAM_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
MAX_DELAY_SECONDS = 5.0
_TOKEN_PATTERN = re.compile(r"\s*\S+|\s+")


class DeliberateDrop(Exception):
    """Raised inside a body generator to make the server cut the connection mid-body.

    uvicorn closes the transport without the terminating chunk when an app fails after the response
    started, which is exactly the "server closed mid-stream" failure clients must recognise. The server
    filters this exception out of its error log (see `server.py`): it is the endpoint's purpose, not a bug.
    """


class BadRequestParameter(ValueError):
    """A query parameter or body field the endpoint cannot use; answered with a 400 JSON error."""


def dumps(payload: Any) -> str:
    """Compact JSON, as the real providers put it on the wire."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class SseFrame:
    """One block of an SSE stream: an event (with optional name and id) or a lone comment line."""

    data: str | None = None
    event: str | None = None
    id: str | None = None
    comment: str | None = None

    def encode(self) -> bytes:
        lines: list[str] = []
        if self.comment is not None:
            lines.append(f": {self.comment}" if self.comment else ":")
        if self.event is not None:
            lines.append(f"event: {self.event}")
        if self.id is not None:
            lines.append(f"id: {self.id}")
        if self.data is not None:
            lines.extend(f"data: {line}" for line in self.data.split("\n"))
        return ("\n".join(lines) + "\n\n").encode("utf-8")


def sse_json(payload: Any, event: str | None = None) -> SseFrame:
    """An SSE event whose data is `payload` as compact JSON."""
    return SseFrame(data=dumps(payload), event=event)


def ndjson_line(payload: Any) -> bytes:
    return (dumps(payload) + "\n").encode("utf-8")


async def paced(chunks: Iterable[bytes], delay: float) -> AsyncIterator[bytes]:
    """Yield each chunk as its own write, pausing `delay` seconds between them.

    Even with no delay the loop yields to the event loop so every chunk leaves as a separate write:
    the point of the demo is that clients see a stream, not one buffered body.
    """
    for chunk in chunks:
        yield chunk
        await asyncio.sleep(delay)


async def then_drop(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """Pass `chunks` through, then cut the connection instead of ending the body."""
    async for chunk in chunks:
        yield chunk
    raise DeliberateDrop("demo endpoint drops the connection on purpose")


def sse_response(frames: Iterable[SseFrame], delay: float = 0.0, status_code: int = 200) -> StreamingResponse:
    return stream_response((frame.encode() for frame in frames), SSE_MEDIA_TYPE, delay, status_code)


def ndjson_response(lines: Iterable[Any], delay: float = 0.0, status_code: int = 200) -> StreamingResponse:
    return stream_response((ndjson_line(line) for line in lines), NDJSON_MEDIA_TYPE, delay, status_code)


def stream_response(
    chunks: Iterable[bytes] | AsyncIterator[bytes],
    media_type: str,
    delay: float = 0.0,
    status_code: int = 200,
) -> StreamingResponse:
    body = chunks if isinstance(chunks, AsyncIterator) else paced(chunks, delay)
    return StreamingResponse(body, status_code=status_code, media_type=media_type, headers=STREAM_HEADERS)


def json_error(status_code: int, error: Any) -> JSONResponse:
    return JSONResponse({"error": error}, status_code=status_code)


def _number_param(request: Request, name: str, default: T, low: T, high: T, convert: Callable[[str], T], kind: str) -> T:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = convert(raw)
    except ValueError:
        raise BadRequestParameter(f"query parameter {name!r} must be {kind}, got {raw!r}") from None
    if not low <= value <= high:
        raise BadRequestParameter(f"query parameter {name!r} must be between {low} and {high}, got {value}")
    return value


def int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    return _number_param(request, name, default, low, high, int, "an integer")


def float_param(request: Request, name: str, default: float, low: float, high: float) -> float:
    return _number_param(request, name, default, low, high, float, "a number")


def flag_param(request: Request, name: str) -> bool:
    """True for `?name=1`, `?name=true`, `?name=yes` or a bare `?name`."""
    raw = request.query_params.get(name)
    return raw is not None and raw.lower() in {"", "1", "true", "yes", "on"}


def delay_param(request: Request) -> float:
    """Optional `?delay=S` pause between frames, so a demo can show tokens arriving at a readable pace."""
    return float_param(request, "delay", 0.0, 0.0, MAX_DELAY_SECONDS)


async def json_body(request: Request) -> dict[str, Any]:
    """The request body as a JSON object, or `BadRequestParameter` saying why it is not one."""
    raw = await request.body()
    try:
        body = json.loads(raw) if raw.strip() else None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BadRequestParameter(f"request body is not valid JSON: {error}") from None
    if not isinstance(body, dict):
        raise BadRequestParameter("request body must be a JSON object")
    return body


def wants_stream(body: dict[str, Any], default: bool = False) -> bool:
    """The request's `"stream"` flag, with the provider's own default when it is absent (Ollama streams
    by default, the others answer one JSON body unless asked to stream)."""
    value = body.get("stream", default)
    return value if isinstance(value, bool) else default


async def bad_request_handler(request: Request, exc: Exception) -> JSONResponse:
    return json_error(400, str(exc))


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def split_tokens(text: str) -> list[str]:
    """Split text the way LLMs stream it: word-sized pieces that keep their leading spaces.

    `"".join(split_tokens(text)) == text` always holds, so a merged stream can be checked exactly.
    """
    return _TOKEN_PATTERN.findall(text)
