"""`sluice mock`'s server: recordings served again on 127.0.0.1, with their status, headers and timing.

An HTTP recording answers at its method and path: it waits the recorded time to first byte, sends the
recorded status and headers, then each chunk as its own write after the recorded gap (all times divided
by `speed`; 0 sends at once). Several recordings of one method and path answer in turn. A recording that
ended with the server dropping the connection drops it again at the same point.

A WebSocket recording is a WebSocket endpoint at its path. The replay takes turns like the recorded
conversation: the server messages recorded before the client's first send go out after the handshake,
those recorded after the client's n-th send go out once the client has sent its n-th message (what the
client sends is read, never compared), each after its recorded gap. When the recording ends with the
server closing, the mock closes with the same code and reason; otherwise it waits for the client to close.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from app.demo.framing import DeliberateDrop
from app.recording.format import Recording

_NOT_REPLAYED_HEADERS = frozenset({"transfer-encoding", "content-encoding", "connection", "keep-alive"})
"""Framing is the mock's own: the chunks were recorded decoded (so `content-length` is kept only when
the body was not encoded and arrived whole)."""


class _Clock:
    """Waits until a recorded time offset, scaled by `speed` (2 plays twice as fast, 0 does not wait).

    Each wait aims at `origin + t / speed` rather than sleeping the gap since the last write, so the
    time a write takes never accumulates into drift over a long stream.
    """

    def __init__(self, speed: float) -> None:
        self.speed = speed
        self.origin = asyncio.get_running_loop().time()

    async def until(self, t: float) -> None:
        if self.speed > 0:
            delay = self.origin + t / self.speed - asyncio.get_running_loop().time()
            if delay > 0:
                await asyncio.sleep(delay)
                return
        await asyncio.sleep(0)  # still one write per chunk


def _http_endpoint(recordings: list[Recording], speed: float) -> Callable[[Request], Any]:
    turns = itertools.cycle(recordings)

    async def endpoint(request: Request) -> Response:
        recording = next(turns)
        clock = _Clock(speed)
        await clock.until(recording.opened_t)
        headers = _replayed_headers(recording)
        response = StreamingResponse(_body(recording, clock), status_code=recording.status)
        response.raw_headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]
        return response

    return endpoint


def _replayed_headers(recording: Recording) -> list[tuple[str, str]]:
    names = {name.lower() for name, _ in recording.headers}
    exact = "content-encoding" not in names and recording.end.get("reason") == "complete" and not recording.end.get("truncated")
    return [
        (name, value)
        for name, value in recording.headers
        if name.lower() not in _NOT_REPLAYED_HEADERS and (exact or name.lower() != "content-length")
    ]


async def _body(recording: Recording, clock: _Clock) -> AsyncIterator[bytes]:
    for t, data in recording.chunks:
        await clock.until(t)
        yield data
    if recording.end.get("reason") == "error":
        raise DeliberateDrop("the recorded server dropped the connection here")


def _ws_endpoint(recording: Recording, speed: float) -> Callable[[WebSocket], Any]:
    async def endpoint(websocket: WebSocket) -> None:
        offered = websocket.scope.get("subprotocols", [])
        subprotocol = recording.subprotocol if recording.subprotocol in offered else None
        await websocket.accept(subprotocol=subprotocol)
        counter = _SendCounter()
        reader = asyncio.create_task(_count_sends(websocket, counter))
        try:
            await _replay(websocket, recording, _Clock(speed), counter, reader)
        except WebSocketDisconnect:
            return
        finally:
            reader.cancel()

    return endpoint


class _SendCounter:
    """How many messages the client has sent so far, and whether it has gone."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = asyncio.Event()
        self.gone = False


async def _count_sends(websocket: WebSocket, counter: _SendCounter) -> None:
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            counter.count += 1
            counter.changed.set()
    finally:
        counter.gone = True
        counter.changed.set()


async def _replay(
    websocket: WebSocket, recording: Recording, clock: _Clock, counter: _SendCounter, reader: asyncio.Task[None]
) -> None:
    sends_seen = 0
    for message in recording.messages:
        if message.direction == "send":
            sends_seen += 1
            while counter.count < sends_seen and not counter.gone:
                counter.changed.clear()
                await counter.changed.wait()
            if counter.gone:
                return
            # The client took its own time to send: later messages keep their gaps from this send.
            if clock.speed > 0:
                clock.origin = asyncio.get_running_loop().time() - message.t / clock.speed
            continue
        await clock.until(message.t)
        if isinstance(message.data, str):
            await websocket.send_text(message.data)
        else:
            await websocket.send_bytes(message.data)
    end = recording.end
    if end.get("reason") == "close" and end.get("by") == "server":
        await clock.until(float(end.get("t", 0.0)))
        await websocket.close(code=int(end.get("code") or 1000), reason=str(end.get("close_reason") or ""))
    else:
        await reader


def mock_routes(recordings: Iterable[Recording], speed: float) -> list[BaseRoute]:
    """One route per method and path (HTTP), one WebSocket route per path (the first recording wins)."""
    http: dict[str, dict[str, list[Recording]]] = defaultdict(lambda: defaultdict(list))
    websockets: dict[str, Recording] = {}
    for recording in recordings:
        if recording.protocol == "websocket":
            websockets.setdefault(recording.path, recording)
        else:
            http[recording.path][recording.method].append(recording)
    routes: list[BaseRoute] = []
    for path, by_method in http.items():
        for method, same in by_method.items():
            routes.append(Route(path, _http_endpoint(same, speed), methods=[method]))
    for path, recording in websockets.items():
        routes.append(WebSocketRoute(path, _ws_endpoint(recording, speed)))
    return routes


def create_mock_app(recordings: list[Recording], speed: float = 1.0) -> Starlette:
    """The ASGI app serving `recordings`; anything else is a 404 naming what is served."""
    served = "\n".join(sorted({f"{r.method if r.protocol == 'http' else 'WS'} {r.path}" for r in recordings}))

    async def not_recorded(request: Request, exc: Exception) -> Response:
        return PlainTextResponse(f"no recording for {request.method} {request.url.path}; this mock serves:\n{served}\n", 404)

    return Starlette(routes=mock_routes(recordings, speed), exception_handlers={404: not_recorded})
