"""One resolved request, run: worker → bus → consumers, cancellation, extraction and the outcome.

`RequestRun` is the one place that starts a connection worker, so `sluice run` and the TUI cannot drift.
It knows nothing of Textual: the TUI awaits `run()` inside a thread worker (`@work(thread=True)`), and
calls `cancel()`, `send()`, `ping()` and `close()` from its own thread; each is handed to the run's loop.

Consumers passed in are fed every batch on the run's loop, through a bounded subscription: the worker
waits when they fall `BACKPRESSURE_EVENTS` behind, so memory stays flat on any stream. A consumer that
lives on another thread (the TUI's response session, drained by a timer) subscribes to `bus` itself
before `run()` starts, without a bound, so it never slows the worker down.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, MutableMapping, Sequence
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Protocol

from app.bus import EventBus
from app.connections.interface import ChunkHook, WsNotOpen
from app.event_runs import expand_runs, last_payload
from app.events import ConnectionFailed, StreamClosed, TimelineEvent
from app.model.http_request import HttpRequest
from app.model.ws_request import WsRequest
from app.run.extraction import apply_extractions, extract_variables
from app.run.outcome import End, RunOutcome
from app.run.reconnect import ReconnectPolicy, stream_http_resumable
from app.run.script import InvalidRun, WsScript
from app.streams.ws_formats import WsFormatError, encode_message
from app.ws_events import WsClosed

if TYPE_CHECKING:
    from app.connections.stream_stop import StreamStop
    from app.connections.websocket import WsConnection
    from app.model.request_definition import (  # types: `sluice run URL` loads no request file
        ExtractionRule,
        SavedMessage,
    )

BACKPRESSURE_EVENTS = 8192
"""The worker pauses when a consumer is this many events behind, so memory stays flat on any stream."""


class Consumer(Protocol):
    """Anything that takes the bus's batches: printers, the merge output, assertion collectors.

    A consumer that also has `feed_items(items: list[BusItem])` is fed the batches as published instead,
    with a chunk's events as one `EventRun` (`app.event_runs`): the `--jsonl` writer and the merge engine
    read its columns and never build a `TimelineEvent` per event."""

    def feed(self, events: list[TimelineEvent]) -> object: ...


class RequestRun:
    """Runs one `HttpRequest` or `WsRequest` once; see the module docstring for threads and consumers.

    `extract` rules are applied to the response when it ends, writing into `variables` if given (a
    chain's run variables); the values are in the outcome either way. A WebSocket follows `script`
    (sends and stop condition), an HTTP stream its stop condition (`until_count`, `until_jsonpath`,
    `duration`; it closes `stopped`), checked here: a bad one raises `InvalidRun` before anything connects.
    With `reconnect`, an SSE response is resumed as `app.run.reconnect` says (HTTP only); `on_chunk` sees
    the body bytes as read (recordings and HAR, via `app.recording.Capture`).
    """

    def __init__(
        self,
        request: HttpRequest | WsRequest,
        consumers: Sequence[Consumer] = (),
        *,
        extract: Sequence[ExtractionRule] = (),
        variables: MutableMapping[str, str] | None = None,
        script: WsScript = WsScript(),
        reconnect: ReconnectPolicy | None = None,
        on_chunk: ChunkHook | None = None,
    ) -> None:
        self.request = request
        self._reconnect = reconnect
        self._on_chunk = on_chunk
        self.bus = EventBus()
        """The run's bus: subscribe before `run()` to see every event (unbounded, from any thread)."""
        self._consumers = list(consumers)
        self._extract = tuple(extract)
        self._variables = variables
        self._script = script
        self._payloads: list[str | bytes] = []
        self._connection: WsConnection | None = None
        self._stop: StreamStop | None = None
        if isinstance(request, WsRequest):
            # Each worker is imported only when its transport runs: httpx and websockets cost about
            # 0.1 s of CPU each to import, and a run uses one of them.
            from app.connections.websocket import WsConnection

            self._payloads = script.payloads()
            self._connection = WsConnection(request, self.bus, stop_when=script.stop_condition())
        elif script.sends:
            raise InvalidRun("sends are for WebSocket requests only")
        else:
            self._stop = script.stream_stop()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._worker: asyncio.Task[None] | None = None
        self._cancelled = False
        self._started = False

    @property
    def is_websocket(self) -> bool:
        return self._connection is not None

    async def run(self) -> RunOutcome:
        """Run the request to its end and say how it ended. Call once, on the loop that should do the I/O."""
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._started:
                raise RuntimeError("a RequestRun runs once")
            self._started = True
            if self._cancelled:
                return RunOutcome(None, cancelled=True)
            # Subscribed before the worker exists, so the consumers see every event.
            subscription = self.bus.subscribe(max_pending=BACKPRESSURE_EVENTS)
            self._loop = loop
            worker = self._worker = loop.create_task(self._work(), name="sluice-worker")
        helpers = self._start_helpers()
        feeders = [(getattr(consumer, "feed_items", None), consumer.feed) for consumer in self._consumers]
        recorded: list[TimelineEvent] | None = [] if self._extract else None
        end: End | None = None
        try:
            async for items in subscription.item_batches():
                events = None
                for feed_items, feed in feeders:
                    if feed_items is not None:
                        feed_items(items)
                    else:
                        if events is None:
                            events = expand_runs(items)
                        feed(events)
                if recorded is not None:
                    recorded.extend(expand_runs(items) if events is None else events)
                # A worker publishes a terminal event last in its batch.
                last = last_payload(items[-1])
                if isinstance(last, (StreamClosed, WsClosed, ConnectionFailed)):
                    end = last
            await asyncio.wait([worker])
        finally:
            for task in (worker, *helpers):
                if not task.done():
                    task.cancel()
            await asyncio.gather(worker, *helpers, return_exceptions=True)
        bug = None if worker.cancelled() else worker.exception()
        if bug is not None:
            raise bug  # workers report failures as events: this is a bug, for the caller's worker to report
        extraction = None
        if recorded is not None:
            rules = self._extract
            if self._variables is not None:
                extraction = apply_extractions(rules, recorded, self._variables)
            else:
                extraction = extract_variables(rules, recorded)
        connection = self._connection
        return RunOutcome(
            end,
            cancelled=self._cancelled,
            close_requested=connection is not None and connection.close_requested,
            extraction=extraction,
        )

    def cancel(self) -> None:
        """Stop now, from any thread: an HTTP response ends `cancelled`, a WebSocket is dropped.

        Before `run()` started, `run()` then returns at once. To close a WebSocket with a close frame,
        use `close()`."""
        with self._lock:
            self._cancelled = True
            loop, worker = self._loop, self._worker
        if loop is not None and worker is not None:
            try:
                loop.call_soon_threadsafe(worker.cancel)
            except RuntimeError:
                pass  # the loop ended between the check and the call: nothing is left to cancel

    def send(self, message: SavedMessage) -> Future[None]:
        """Send one message (its variables already substituted) on the open WebSocket, from any thread.

        Raises `InvalidRun` if the content does not match its format; the future fails with `WsNotOpen`
        if the socket is not open."""
        try:
            payload = encode_message(message.content, message.format)
        except WsFormatError as error:
            raise InvalidRun(f"message not sent: {error}") from None
        return self._submit(lambda connection: connection.send(payload))

    def ping(self) -> Future[float | None]:
        """Ping from any thread; the future holds the round trip in seconds (None if it closed first)."""
        return self._submit(lambda connection: connection.ping())

    def close(self, code: int = 1000, reason: str = "") -> Future[None]:
        """Close the WebSocket with `code` and `reason`, from any thread; the run then ends cleanly."""
        return self._submit(lambda connection: connection.close(code, reason))

    def _submit(self, call: Any) -> Future[Any]:
        connection, loop = self._connection, self._loop
        if connection is None:
            raise WsNotOpen("not a WebSocket request")
        if loop is None or loop.is_closed():
            failed: Future[Any] = Future()
            failed.set_exception(WsNotOpen("the WebSocket is not open"))
            return failed
        coroutine: Coroutine[Any, Any, Any] = call(connection)
        try:
            return asyncio.run_coroutine_threadsafe(coroutine, loop)
        except RuntimeError:  # the loop closed meanwhile
            coroutine.close()
            failed = Future()
            failed.set_exception(WsNotOpen("the WebSocket is not open"))
            return failed

    async def _work(self) -> None:
        connection = self._connection
        if connection is not None:
            await connection.run()
        else:
            assert isinstance(self.request, HttpRequest)
            stop, duration = self._stop, self._script.duration
            if self._reconnect is not None:
                await stream_http_resumable(
                    self.request, self.bus, self._reconnect, self._on_chunk, stop=stop, duration=duration
                )
            else:
                from app.connections.http_worker import stream_http

                await stream_http(self.request, self.bus, self._on_chunk, stop=stop, duration=duration)

    def _start_helpers(self) -> list[asyncio.Task[None]]:
        connection = self._connection
        if connection is None:
            return []
        helpers = []
        if self._payloads:
            helpers.append(asyncio.create_task(_send_in_order(connection, self._payloads, self._script.send_interval)))
        if self._script.duration is not None:
            helpers.append(asyncio.create_task(_close_after(connection, self._script.duration)))
        return helpers


async def _send_in_order(connection: WsConnection, payloads: list[str | bytes], interval: float) -> None:
    if not await connection.wait_open():
        return
    for index, payload in enumerate(payloads):
        if index and interval > 0:
            await asyncio.sleep(interval)
        try:
            await connection.send(payload)
        except WsNotOpen:
            return


async def _close_after(connection: WsConnection, duration: float) -> None:
    if await connection.wait_open():
        await asyncio.sleep(duration)
        try:
            await connection.close(1000, "")
        except WsNotOpen:
            return
