"""The WebSocket worker against the real demo server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable

import pytest

from app.bus import EventBus
from app.connections.websocket import WsConnection, WsNotOpen
from app.connections.ws_handshake import handshake_headers, handshake_url
from app.demo.server import DemoServer
from app.events import BodyReceived, ConnectionFailed, ResponseOpened, TimelineEvent
from app.model.ws_request import WsRequest
from app.streams.ws_formats import encode_message
from app.ws_events import WsClosed, WsMessage, WsOpened


class LiveSession:
    """A running connection whose events are collected as they arrive, so a script can wait on them."""

    def __init__(self, request: WsRequest) -> None:
        bus = EventBus()
        self._subscription = bus.subscribe()
        self.connection = WsConnection(request, bus, reconnect_delays=(0.01, 0.01))
        self.events: list[TimelineEvent] = []
        self._arrived = asyncio.Event()

    async def collect(self) -> None:
        async for batch in self._subscription.batches():
            self.events.extend(batch)
            self._arrived.set()
        self._arrived.set()

    async def until_received(self, count: int) -> None:
        while len(received(self.events)) < count and not self._subscription.finished:
            await self._arrived.wait()
            self._arrived.clear()


Script = Callable[[LiveSession], Awaitable[None]]


async def run_session(request: WsRequest, script: Script | None = None) -> list[TimelineEvent]:
    """Run a connection to its end while `script` drives it; every event published, in order."""
    session = LiveSession(request)
    collector = asyncio.create_task(session.collect())
    worker = asyncio.create_task(session.connection.run())
    if script is not None and await session.connection.wait_open():
        await script(session)
    await worker
    await collector
    return session.events


def received(events: list[TimelineEvent]) -> list[str | bytes]:
    return [e.payload.data for e in events if isinstance(e.payload, WsMessage) and e.payload.direction == "recv"]


def closing(code: int = 1000, reason: str = "") -> Script:
    async def script(session: LiveSession) -> None:
        await session.connection.close(code, reason)

    return script


def echo_then_close(messages: list[str | bytes], expected_replies: int | None = None) -> Script:
    """Send every message, wait for the replies (one echo each unless told), then close."""

    async def script(session: LiveSession) -> None:
        for message in messages:
            await session.connection.send(message)
        await session.until_received(len(messages) if expected_replies is None else expected_replies)
        await session.connection.close()

    return script


@pytest.mark.parametrize(
    ("content", "format"),
    [
        ("hello ✓", "text"),
        ('{"a": [1, 2], "b": null}', "json"),
        ("<note><to>you</to></note>", "xml"),
        ("<p>Hi <b>there</b></p>", "html"),
        ("AAEC/w==", "base64"),
        ("de ad be ef 00", "hex"),
    ],
)
async def test_each_format_round_trips_through_echo(demo_server: DemoServer, content: str, format: str) -> None:
    payload = encode_message(content, format)

    events = await run_session(WsRequest(f"{demo_server.ws_url}/ws/echo"), echo_then_close([payload]))
    assert received(events) == [payload]
    sent = [e for e in events if e.kind == "ws_send"]
    assert [e.payload.data for e in sent] == [payload]
    assert sent[0].size == (len(payload) if isinstance(payload, bytes) else len(payload.encode()))


async def test_binary_frames_arrive_byte_exact(demo_server: DemoServer) -> None:
    frames = [bytes(range(256)), os.urandom(70_000), b"\x00"]
    events = await run_session(WsRequest(f"{demo_server.ws_url}/ws/echo"), echo_then_close(frames))
    assert received(events) == frames
    assert all(isinstance(data, bytes) for data in received(events))


async def test_timeline_order_seq_and_close_by_client(demo_server: DemoServer) -> None:
    events = await run_session(WsRequest(f"{demo_server.ws_url}/ws/echo"), echo_then_close(["one", "two"]))
    assert [e.kind for e in events] == ["ws_connecting", "ws_open", "ws_send", "ws_send", "ws_recv", "ws_recv", "ws_close"]
    assert [e.seq for e in events] == list(range(len(events)))
    assert all(a.t <= b.t for a, b in zip(events, events[1:]))
    opened = events[1].payload
    assert isinstance(opened, WsOpened) and opened.status == 101
    assert any(name.lower() == "sec-websocket-accept" for name, _ in opened.headers)
    assert events[-1].payload == WsClosed(1000, "", "client")


async def test_close_code_and_reason_chosen_by_the_user(demo_server: DemoServer) -> None:
    events = await run_session(WsRequest(f"{demo_server.ws_url}/ws/echo"), closing(4001, "done here"))
    assert events[-1].payload == WsClosed(4001, "done here", "client")


async def test_server_close_is_reported_with_its_code(demo_server: DemoServer) -> None:
    events = await run_session(WsRequest(f"{demo_server.ws_url}/ws/flood?n=3"))
    assert received(events) == ['{"i":0}', '{"i":1}', '{"i":2}']
    assert events[-1].payload == WsClosed(1000, "flood complete", "server")


async def test_subprotocol_is_negotiated(demo_server: DemoServer) -> None:
    request = WsRequest(f"{demo_server.ws_url}/ws/subprotocol", subprotocols=("other", "sluice.v1"))
    events = await run_session(request, echo_then_close(["hi"]))
    opened = next(e.payload for e in events if isinstance(e.payload, WsOpened))
    assert opened.subprotocol == "sluice.v1"
    assert received(events) == ["hi"]


async def test_missing_subprotocol_is_closed_with_1002(demo_server: DemoServer) -> None:
    events = await run_session(WsRequest(f"{demo_server.ws_url}/ws/subprotocol"))
    assert events[-1].payload == WsClosed(1002, "subprotocol sluice.v1 required", "server")


async def test_rejected_handshake_names_status_and_body(demo_server: DemoServer) -> None:
    events = await run_session(WsRequest(f"{demo_server.ws_url}/ws/auth"))
    assert [e.kind for e in events] == ["ws_connecting", "open", "body", "error"]
    refusal, body = events[1].payload, events[2].payload
    assert isinstance(refusal, ResponseOpened) and refusal.status == 401
    assert refusal.header("www-authenticate") == "Bearer"
    assert isinstance(body, BodyReceived) and b"demo-token" in body.data and events[2].size == len(body.data)
    failure = events[-1].payload
    assert isinstance(failure, ConnectionFailed) and failure.type == "handshake_rejected"
    assert "HTTP 401 Unauthorized" in failure.message
    assert "demo-token" in failure.message  # the server's JSON body is shown


@pytest.mark.parametrize(
    "request_fields",
    [{"params": (("token", "demo-token"),)}, {"headers": (("Authorization", "Bearer demo-token"),)}],
)
async def test_token_in_query_or_header_is_accepted(demo_server: DemoServer, request_fields: dict) -> None:
    request = WsRequest(f"{demo_server.ws_url}/ws/auth", **request_fields)
    events = await run_session(request, echo_then_close(["ping me"], expected_replies=2))
    assert received(events) == ['{"type": "welcome", "user": "demo"}', "ping me"]


async def test_drop_without_close_frame_is_named(demo_server: DemoServer) -> None:
    events = await run_session(WsRequest(f"{demo_server.ws_url}/ws/drop"))
    assert received(events) == ["goodbye without a close frame"]
    closed = events[-1].payload
    assert closed == WsClosed(1006, "connection dropped without a close frame", "server")


async def test_connection_refused_is_an_error_event() -> None:
    events = await run_session(WsRequest("ws://127.0.0.1:9/ws/echo", connect_timeout=5))
    assert events[-1].payload.type == "connection_refused"  # type: ignore[union-attr]


async def test_auto_reconnect_tries_again_after_a_drop(demo_server: DemoServer) -> None:
    events = await run_session(WsRequest(f"{demo_server.ws_url}/ws/drop", auto_reconnect=True))
    # Two reconnect delays were given: three connections, each dropped.
    assert [e.kind for e in events].count("ws_connecting") == 3
    assert [e.payload.code for e in events if isinstance(e.payload, WsClosed)] == [1006, 1006, 1006]


async def test_auto_reconnect_does_not_retry_a_refused_handshake(demo_server: DemoServer) -> None:
    events = await run_session(WsRequest(f"{demo_server.ws_url}/ws/auth", auto_reconnect=True))
    assert [e.kind for e in events] == ["ws_connecting", "open", "body", "error"]


async def test_ping_publishes_ping_then_pong(demo_server: DemoServer) -> None:
    latencies: list[float | None] = []

    async def script(session: LiveSession) -> None:
        latencies.append(await session.connection.ping())
        await session.connection.close()

    events = await run_session(WsRequest(f"{demo_server.ws_url}/ws/echo"), script)
    kinds = [e.kind for e in events]
    assert kinds.index("ws_ping") < kinds.index("ws_pong") < kinds.index("ws_close")
    assert latencies[0] is not None and latencies[0] >= 0


async def test_send_while_receiving_a_flood(demo_server: DemoServer) -> None:
    bus = EventBus()
    subscription = bus.subscribe()
    connection = WsConnection(WsRequest(f"{demo_server.ws_url}/ws/chat"), bus)
    worker = asyncio.create_task(connection.run())
    assert await connection.wait_open()
    await connection.send("first question")
    replies: list[dict] = []
    closing: list[asyncio.Task[None]] = []
    async for event in subscription.events():
        if event.kind == "ws_recv":
            replies.append(json.loads(event.payload.data))  # type: ignore[union-attr]
            if len(replies) == 1:
                # Sent while the first reply is still streaming in.
                await connection.send('{"message": "second"}')
            if sum(reply["type"] == "done" for reply in replies) == 2:
                closing.append(asyncio.create_task(connection.close()))
    await worker
    done = [reply["message"] for reply in replies if reply["type"] == "done"]
    assert done == ["You said: first question", "You said: second"]
    tokens = "".join(reply["token"] for reply in replies[: replies.index({"type": "done", "message": done[0]})])
    assert tokens == "You said: first question"


async def test_send_before_open_is_refused() -> None:
    connection = WsConnection(WsRequest("ws://127.0.0.1:9/"), EventBus())
    with pytest.raises(WsNotOpen):
        await connection.send("too early")


def test_handshake_url_appends_params_to_an_existing_query() -> None:
    request = WsRequest("ws://h/ws?a=1", params=(("token", "x y"), ("b", "&")))
    assert handshake_url(request) == "ws://h/ws?a=1&token=x+y&b=%26"


def test_cookies_become_one_cookie_header() -> None:
    request = WsRequest("ws://h/", headers=(("X-A", "1"),), cookies=(("session", "abc"), ("theme", "dark")))
    assert handshake_headers(request) == [("X-A", "1"), ("Cookie", "session=abc; theme=dark")]


async def test_handshake_with_cookies_origin_and_own_user_agent_succeeds(demo_server: DemoServer) -> None:
    request = WsRequest(
        f"{demo_server.ws_url}/ws/echo",
        cookies=(("session", "abc"), ("theme", "dark")),
        origin="http://127.0.0.1",
        headers=(("User-Agent", "tester/1"),),
    )
    events = await run_session(request, echo_then_close(["ok"]))
    assert received(events) == ["ok"]


async def test_max_message_size_is_enforced(demo_server: DemoServer) -> None:
    request = WsRequest(f"{demo_server.ws_url}/ws/echo", max_message_size=1024)
    events = await run_session(request, echo_then_close([b"x" * 4096]))
    closed = events[-1].payload
    assert isinstance(closed, WsClosed) and closed.code == 1009 and closed.by == "client"


async def test_close_during_reconnect_backoff_stops_the_run(demo_server: DemoServer) -> None:
    bus = EventBus()
    subscription = bus.subscribe()
    connection = WsConnection(WsRequest(f"{demo_server.ws_url}/ws/drop", auto_reconnect=True), bus, reconnect_delays=(3600,))
    worker = asyncio.create_task(connection.run())
    async for event in subscription.events():
        if event.kind == "ws_close":
            await connection.close()
    await worker
    assert worker.done()


async def test_cancelling_the_run_closes_the_socket(demo_server: DemoServer) -> None:
    connection = WsConnection(WsRequest(f"{demo_server.ws_url}/ws/echo"), EventBus())
    worker = asyncio.create_task(connection.run())
    assert await connection.wait_open()
    socket_connection = connection._connection
    worker.cancel()
    with pytest.raises(asyncio.CancelledError):
        await worker
    assert socket_connection is not None and socket_connection.transport.is_closing()
