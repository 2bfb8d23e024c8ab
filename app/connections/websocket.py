"""The WebSocket worker: opens one connection, publishes every frame both ways, sends on demand.

`run()` owns the connection for its whole life and publishes, in order: `WsConnecting`, `WsOpened`, one
`WsMessage(direction="recv")` per received frame, and finally `WsClosed` or `ConnectionFailed`; then it
closes the bus. `send`, `ping` and `close` may be called from any other task while `run()` receives: the
receive loop never waits on them. Received messages wait in an inbox (`app.connections.ws_inbox`),
which they reach straight from the frame parser (`app.connections.ws_protocol`; fragmented or invalid
ones through websockets' `recv()`, read by a task), and are published in batches, so a flood costs one
bus wake-up per burst rather than per frame. The text messages one read of the socket brought share its
time, as an HTTP chunk's events do, and are published as one `EventRun` of their texts (`WsTexts`): no
event object per message for the consumers that read columns.

Once a close is asked for (`close()`, or the `stop_when` condition met by a received frame), frames read
after that moment are dropped rather than published: the timeline ends at the frame that met the
condition, then `WsClosed`, with `seq` consecutive, however fast the server goes on sending.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidStatus

from app.bus import EventBus
from app.connections.interface import StopCondition, WsNotOpen
from app.connections.websocket_errors import (
    RETRYABLE_TYPES,
    describe_close,
    describe_connect_failure,
)
from app.connections.ws_handshake import (
    RedirectSafeConnect,
    handshake_headers,
    handshake_url,
    no_subprotocol_diagnostic,
    ssl_context,
)
from app.connections.ws_inbox import Received, WsInbox
from app.event_runs import BusItem, EventRun, WsTexts
from app.events import BodyReceived, ConnectionFailed, EventPayload, ResponseOpened, TimelineEvent
from app.model.ws_request import WsRequest
from app.slot_construction import slot_constructor
from app.ws_events import WsClosed, WsConnecting, WsControl, WsMessage, WsOpened

DEFAULT_RECONNECT_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)
STABLE_CONNECTION_SECONDS = 10.0
USER_AGENT = "sluice/0.1"
CLOSE_TIMEOUT_SECONDS = 1.0
"""How long a close waits for the server's close frame before dropping the connection: a server that
floods without reading would otherwise hold the end of the run for websockets' default 10 s."""


_new_message = slot_constructor(WsMessage)
_new_event = slot_constructor(TimelineEvent)


def _payload_size(data: str | bytes) -> int:
    """Bytes on the wire: a text frame's UTF-8 length (ASCII text skips the encoding copy)."""
    if isinstance(data, bytes) or data.isascii():
        return len(data)
    return len(data.encode("utf-8"))


class WsConnection:
    """One WebSocket connection publishing its timeline to `bus` (see the module docstring for the order)."""

    def __init__(
        self,
        request: WsRequest,
        bus: EventBus,
        *,
        reconnect_delays: Sequence[float] = DEFAULT_RECONNECT_DELAYS,
        stop_when: StopCondition | None = None,
    ) -> None:
        """`stop_when` is given the received messages' data, in order, a read's at a time; the first
        message it names closes the connection (1000) right after it."""
        self.request = request
        self._bus = bus
        self._reconnect_delays = tuple(reconnect_delays)
        self._connection: ClientConnection | None = None
        self._seq = 0
        self._last_t = 0.0
        self._started = time.perf_counter()
        self._stop_when = stop_when
        self._close_requested = False
        self._close_requested_at: float | None = None
        """`perf_counter()` time from which received frames are dropped (a close was asked for then)."""
        self._closing: asyncio.Task[None] | None = None
        self._close_wanted = asyncio.Event()
        self._opened = asyncio.Event()
        self._ended = asyncio.Event()
        self._last_outcome: EventPayload | None = None

    @property
    def close_requested(self) -> bool:
        """True once a close was asked for (`close()` or `stop_when`). A close by the client without
        it is Sluice failing the connection: a message too big (1009), a protocol error (1002), …"""
        return self._close_requested

    @property
    def outcome(self) -> EventPayload | None:
        """The last terminal payload published (`WsClosed` or `ConnectionFailed`), once there is one."""
        return self._last_outcome

    async def wait_open(self) -> bool:
        """Wait until the handshake succeeds (True) or `run()` ends without ever opening (False)."""
        opened = asyncio.ensure_future(self._opened.wait())
        ended = asyncio.ensure_future(self._ended.wait())
        await asyncio.wait({opened, ended}, return_when=asyncio.FIRST_COMPLETED)
        opened.cancel()
        ended.cancel()
        return self._opened.is_set()

    async def run(self) -> None:
        """Connect, receive until the socket closes (reconnecting if asked), publish the end, close the bus."""
        self._started = time.perf_counter()
        try:
            attempt = 0
            while True:
                opened_at = time.perf_counter()
                outcome, was_open = await self._run_once()
                # Only a connection that stayed up a while earns a fresh series of retries; one that
                # drops straight after opening would otherwise be retried forever.
                if was_open and time.perf_counter() - opened_at >= STABLE_CONNECTION_SECONDS:
                    attempt = 0
                if not self._should_reconnect(outcome) or attempt >= len(self._reconnect_delays):
                    break
                if not await self._backoff(self._reconnect_delays[attempt]):
                    break
                attempt += 1
        finally:
            self._connection = None
            closing = self._closing
            if closing is not None and not closing.done():
                closing.cancel()
            self._ended.set()
            self._bus.close()

    async def _backoff(self, delay: float) -> bool:
        """Wait before reconnecting; False when the user closes meanwhile (no reconnect then)."""
        try:
            await asyncio.wait_for(self._close_wanted.wait(), delay)
        except TimeoutError:
            return True
        return False

    def _should_reconnect(self, outcome: EventPayload) -> bool:
        if not self.request.auto_reconnect or self._close_requested:
            return False
        if isinstance(outcome, ConnectionFailed):
            return outcome.type in RETRYABLE_TYPES
        return isinstance(outcome, WsClosed) and outcome.by == "server"

    async def _run_once(self) -> tuple[EventPayload, bool]:
        """One connection attempt and, if it opens, its whole life. Returns the terminal payload."""
        request = self.request
        url = handshake_url(request)
        await self._publish([WsConnecting(url)])
        user_supplied_agent = any(name.lower() == "user-agent" for name, _ in request.headers)
        inbox = WsInbox()
        try:
            connection = await RedirectSafeConnect(
                url,
                additional_headers=handshake_headers(request),
                origin=request.origin,  # type: ignore[arg-type]
                subprotocols=list(request.subprotocols) or None,  # type: ignore[arg-type]
                ssl=ssl_context(request),
                open_timeout=request.connect_timeout,
                max_size=request.max_message_size,
                close_timeout=CLOSE_TIMEOUT_SECONDS,
                # A factory where websockets names a class: it calls it as it would the class.
                create_connection=inbox.new_connection,  # type: ignore[arg-type]
                user_agent_header=None if user_supplied_agent else USER_AGENT,
            )
        except Exception as error:  # every way a handshake fails becomes one named ConnectionFailed
            if isinstance(error, InvalidStatus):
                await self._publish_refusal(error)
            failure = describe_connect_failure(error, url, request.connect_timeout)
            await self._finish(failure)
            return failure, False
        self._connection = connection
        response = connection.response
        await self._publish(
            [
                WsOpened(
                    status=response.status_code if response is not None else 101,
                    headers=tuple(response.headers.raw_items()) if response is not None else (),
                    subprotocol=connection.subprotocol,
                )
            ]
        )
        if request.subprotocols and connection.subprotocol is None:
            await self._publish([no_subprotocol_diagnostic(request.subprotocols)])
        self._opened.set()
        try:
            if self._close_requested:
                await connection.close()
            closed = await self._receive_until_closed(connection, inbox)
        except asyncio.CancelledError:
            # The owner gave up on the run: do not leave the socket open behind it.
            connection.transport.abort()
            raise
        finally:
            self._connection = None
        await self._finish(closed)
        return closed, True

    async def _receive_until_closed(self, connection: ClientConnection, inbox: WsInbox) -> WsClosed:
        reader = asyncio.create_task(inbox.read(), name="ws-reader")
        try:
            while True:
                await inbox.ready.wait()
                inbox.ready.clear()
                batch = inbox.take()
                if batch:
                    await self._publish_received(batch)
                if reader.done() and not inbox.waiting:
                    break
        finally:
            if not reader.done():
                reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)
        if inbox.closed is not None:
            return inbox.closed
        protocol = connection.protocol
        return describe_close(protocol.close_sent, protocol.close_rcvd, protocol.close_rcvd_then_sent)

    async def _publish_received(self, batch: list[Received]) -> None:
        started = self._started
        # A frame read before a concurrent send was published must not appear earlier in time than it.
        floor = self._last_t
        cutoff = self._close_requested_at
        stop_when = self._stop_when
        seq = self._seq
        items: list[BusItem] = []
        for received_at, data in batch:
            if cutoff is not None and received_at > cutoff:
                break
            t = received_at - started
            # Times never go backwards: a server ping parked behind a message `recv()` returned keeps the
            # time it was read, before that message was taken (and stamped).
            if t < floor:
                t = floor
            floor = t
            stop = None
            if type(data) is list:
                # The hot path of a flood: a read's text messages, published as one run of their column.
                texts: list[str] = data
                if stop_when is not None:
                    stop = stop_when(texts)
                    if stop is not None:
                        texts = texts[: stop + 1]
                count = len(texts)
                # `str.isascii` is a flag test: the sizes of ASCII texts are their lengths, counted in C.
                sizes = list(map(len, texts)) if all(map(str.isascii, texts)) else list(map(_payload_size, texts))
                if count == 1:
                    items.append(_new_event(seq, t, _new_message("recv", texts[0]), sizes[0]))
                else:
                    items.append(EventRun(seq, t, WsTexts(texts), sizes))
                seq += count
            elif type(data) is WsControl:
                items.append(_new_event(seq, t, data, len(data.data)))
                seq += 1
            else:
                message: str | bytes = data  # type: ignore[assignment]  # not a list nor a control
                if stop_when is not None:
                    stop = stop_when([message])
                items.append(_new_event(seq, t, _new_message("recv", message), _payload_size(message)))
                seq += 1
            if stop is not None:
                self._request_close(received_at)
                # Its own task: the closing handshake needs this receive loop to keep reading.
                self._closing = asyncio.create_task(self._close_open_connection(1000, ""))
                break
        if not items:
            return
        self._seq = seq
        self._last_t = floor
        await self._bus.publish(items)

    async def _publish_refusal(self, error: InvalidStatus) -> None:
        """The HTTP response that refused the upgrade, as `open` and `body` events (status, headers, body)."""
        response = error.response
        headers = tuple(response.headers.raw_items())
        await self._publish([ResponseOpened(response.status_code, "HTTP/1.1", headers, response.reason_phrase)])
        if response.body:
            await self._publish([BodyReceived(bytes(response.body))], len(response.body))

    async def _finish(self, outcome: ConnectionFailed | WsClosed) -> None:
        self._last_outcome = outcome
        await self._publish([outcome])

    async def _publish(self, payloads: list[EventPayload], size: int = 0) -> None:
        # Numbering and pushing happen without an await in between, so events from concurrent
        # tasks (the receive loop, a send) reach the bus in `seq` order.
        now = time.perf_counter() - self._started
        self._last_t = now
        events = []
        for payload in payloads:
            events.append(TimelineEvent(self._seq, now, payload, size))
            self._seq += 1
        await self._bus.publish(events)

    def _open_connection(self) -> ClientConnection:
        connection = self._connection
        if connection is None or self._close_requested:
            raise WsNotOpen("the WebSocket is not open")
        return connection

    async def send(self, data: str | bytes) -> None:
        """Send one text (`str`) or binary (`bytes`) frame; publishes `WsMessage(direction="send")`."""
        connection = self._open_connection()
        size = _payload_size(data)
        # Published before the write so a fast echo can never appear ahead of what caused it.
        await self._publish([WsMessage("send", data)], size)
        try:
            await connection.send(data)
        except ConnectionClosed as closed:
            raise WsNotOpen("the WebSocket closed before the message was sent") from closed

    async def ping(self, data: bytes = b"") -> float | None:
        """Ping now; publishes `ws_ping`, then `ws_pong` when it arrives. Returns the round trip in
        seconds, or None if the socket closed first."""
        connection = self._open_connection()
        payload = data or f"sluice-{self._seq}".encode()
        try:
            pong_waiter = await connection.ping(payload)
        except ConnectionClosed:
            return None
        await self._publish([WsControl("ws_ping", payload, "client")], len(payload))
        try:
            latency = await pong_waiter
        except ConnectionClosed:
            return None
        await self._publish([WsControl("ws_pong", payload, "server")], len(payload))
        return latency

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close with `code` and `reason`; `run()` then publishes `WsClosed(by="client")` and ends.

        This waits for the closing handshake, which needs the receive loop to keep going: do not await
        it from the task that drains a bounded subscription (start it as its own task instead)."""
        self._request_close(time.perf_counter())
        await self._close_open_connection(code, reason)

    def _request_close(self, at: float) -> None:
        if not self._close_requested:
            self._close_requested = True
            self._close_requested_at = at
            self._close_wanted.set()

    async def _close_open_connection(self, code: int, reason: str) -> None:
        connection = self._connection
        if connection is not None:
            await connection.close(code, reason)
