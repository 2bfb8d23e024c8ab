"""The demo server's WebSocket endpoints: one per behaviour the WebSocket worker must show plainly.

Mounted by the demo app with `from app.demo.ws_routes import routes`:

- `/ws/echo`        every text or binary message comes back exactly as received.
- `/ws/chat`        each message gets a reply streamed as `{"type":"token"}` messages, then `{"type":"done"}`.
- `/ws/subprotocol` requires the `sluice.v1` subprotocol; without it the socket closes with 1002.
- `/ws/auth`        the handshake is refused with HTTP 401 and a JSON body unless a token is given.
- `/ws/drop`        sends one message, then drops the TCP connection without a close frame.
- `/ws/flood?n=N`   sends N small text messages as fast as it can, then closes with 1000.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from starlette.responses import JSONResponse
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

DEMO_TOKEN = "demo-token"
SUBPROTOCOL = "sluice.v1"
FLOOD_DEFAULT = 1000
FLOOD_MAX = 10_000_000
CLOSE_PROTOCOL_ERROR = 1002
FLOOD_YIELD_EVERY = 256
"""Messages the flood sends between two chances for the server to read what the client sent."""


async def _incoming(websocket: WebSocket) -> AsyncIterator[str | bytes]:
    """Received messages as the client sent them (text as `str`, binary as `bytes`) until it leaves."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text")
        yield text if text is not None else message.get("bytes") or b""


async def _echo_until_gone(websocket: WebSocket) -> None:
    async for data in _incoming(websocket):
        if isinstance(data, str):
            await websocket.send_text(data)
        else:
            await websocket.send_bytes(data)


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    await _echo_until_gone(websocket)


def _chat_prompt(data: str | bytes) -> str:
    """The user's words: a JSON `{"message": …}` or plain text."""
    text = data if isinstance(data, str) else data.decode("utf-8", "replace")
    try:
        parsed = json.loads(text)
    except ValueError:
        return text
    if isinstance(parsed, dict) and isinstance(parsed.get("message"), str):
        return parsed["message"]
    return text


async def chat(websocket: WebSocket) -> None:
    await websocket.accept()
    async for data in _incoming(websocket):
        reply = f"You said: {_chat_prompt(data)}"
        # Split on spaces but keep them, so the tokens concatenate back to the reply exactly.
        words = reply.split(" ")
        tokens = [word + " " for word in words[:-1]] + [words[-1]]
        for token in tokens:
            await websocket.send_text(json.dumps({"type": "token", "token": token}))
        await websocket.send_text(json.dumps({"type": "done", "message": reply}))


async def subprotocol(websocket: WebSocket) -> None:
    if SUBPROTOCOL not in websocket.scope.get("subprotocols", []):
        # Accept first so the client sees a close code and a reason rather than a bare 403.
        await websocket.accept()
        await websocket.close(CLOSE_PROTOCOL_ERROR, f"subprotocol {SUBPROTOCOL} required")
        return
    await websocket.accept(subprotocol=SUBPROTOCOL)
    await _echo_until_gone(websocket)


def _has_demo_token(websocket: WebSocket) -> bool:
    if websocket.query_params.get("token") == DEMO_TOKEN:
        return True
    return websocket.headers.get("authorization", "") == f"Bearer {DEMO_TOKEN}"


async def auth(websocket: WebSocket) -> None:
    if not _has_demo_token(websocket):
        denial = JSONResponse(
            {
                "error": "unauthorized",
                "message": f"pass ?token={DEMO_TOKEN} or the header 'Authorization: Bearer {DEMO_TOKEN}'",
            },
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
        await websocket.send_denial_response(denial)
        return
    await websocket.accept()
    await websocket.send_text(json.dumps({"type": "welcome", "user": "demo"}))
    await _echo_until_gone(websocket)


async def drop(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text("goodbye without a close frame")
    # Returning without `close()` makes uvicorn close the transport: the client sees no close frame.


async def flood(websocket: WebSocket) -> None:
    raw_count = websocket.query_params.get("n", str(FLOOD_DEFAULT))
    if not raw_count.isdigit() or not 0 < int(raw_count) <= FLOOD_MAX:
        denial = JSONResponse(
            {"error": "bad_request", "message": f"n must be a whole number from 1 to {FLOOD_MAX}, got {raw_count!r}"},
            status_code=400,
        )
        await websocket.send_denial_response(denial)
        return
    count = int(raw_count)
    await websocket.accept()
    send = websocket.send
    try:
        for index in range(count):
            if index % FLOOD_YIELD_EVERY == 0:
                # A send only yields when the socket is full: without this the server never reads the
                # client's close frame (nor sees it leave), and floods on, alone, blocking every handshake.
                await asyncio.sleep(0)
            await send({"type": "websocket.send", "text": f'{{"i":{index}}}'})
    except WebSocketDisconnect:
        return  # the client closed or left: stop sending
    await websocket.close(1000, "flood complete")


routes: list[WebSocketRoute] = [
    WebSocketRoute("/ws/echo", echo),
    WebSocketRoute("/ws/chat", chat),
    WebSocketRoute("/ws/subprotocol", subprotocol),
    WebSocketRoute("/ws/auth", auth),
    WebSocketRoute("/ws/drop", drop),
    WebSocketRoute("/ws/flood", flood),
]
