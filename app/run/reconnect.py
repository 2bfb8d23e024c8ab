"""Resumable SSE (opt-in): EventSource's reconnection, on one continuing timeline.

When a `text/event-stream` response ends or drops, wait the last `retry` the server sent (else
`DEFAULT_RETRY_MS`), send the request again with `Last-Event-ID` set to the last event ID (when there is
one) and go on publishing on the same bus: sequence numbers and times continue, and each reconnection is
a `reconnect` event (`attempt`, `delay`, `last_event_id`). It stops on HTTP 204 (the server's "done"), on
any other non-2xx status, on a content type that is not `text/event-stream`, on cancel, after
`max_reconnects`, when the very first request fails before any response (there is nothing to resume), or
when the run's until-condition or `--duration` ended it (`stopped`: they are about the whole run).

Opt-in because re-sending a POST to an LLM silently would run (and bill) it twice. Each connection is
run by the ordinary `HttpStreamWorker`, unchanged: it publishes into a `_Continuation`, which restamps
its events onto the run's timeline and keeps the bus open between connections.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from app.bus import EventBus
from app.connections.interface import ChunkHook
from app.event_runs import BusItem, expand_runs
from app.events import ConnectionFailed, Reconnecting, ResponseOpened, SseMessage, StreamClosed, TimelineEvent
from app.model.http_request import HttpRequest
from app.slot_construction import slot_constructor

if TYPE_CHECKING:
    from app.connections.stream_stop import StreamStop
    from app.model.request_definition import StreamSettings

DEFAULT_RETRY_MS = 3000
"""EventSource's usual reconnection time when the server never sent `retry:`."""
DEFAULT_MAX_RECONNECTS = 10
MAX_RETRY_MS = 24 * 3600 * 1000
"""The longest wait before reconnecting in the TUI, whatever `retry` the server sent: as a browser's
EventSource honours `retry` as it is (the user sees `reconnecting` and can cancel with Esc), up to a day."""
HEADLESS_MAX_RETRY_MS = 60 * 1000
"""The longest wait before reconnecting in `sluice run` and `sluice test`: nobody watches a CI job to cancel
it, and a server's `retry: 86400000` times a file's `max_reconnects = 100` would park it for 100 days.
A minute is the default read timeout: the longest Sluice waits on a silent server anyway. A shorter wait
than the server asked for only reconnects sooner; each wait is in the `reconnect` event (`delay`), which
the human output prints (`reconnect #1 in 60 s`)."""
_new_event = slot_constructor(TimelineEvent)


@dataclass(frozen=True, slots=True)
class ReconnectPolicy:
    """How far to resume: at most `max_reconnects` new connections."""

    max_reconnects: int = DEFAULT_MAX_RECONNECTS
    default_retry_ms: int = DEFAULT_RETRY_MS
    max_retry_ms: int = MAX_RETRY_MS
    """The longest wait before a reconnection (`HEADLESS_MAX_RETRY_MS` headless)."""

    def headless(self) -> ReconnectPolicy:
        """This policy as `sluice run` and `sluice test` use it: waits capped at `HEADLESS_MAX_RETRY_MS`."""
        return replace(self, max_retry_ms=min(self.max_retry_ms, HEADLESS_MAX_RETRY_MS))


def reconnect_policy(stream: StreamSettings) -> ReconnectPolicy | None:
    """A request file's `[stream] reconnect = true` (and `max_reconnects`), or None when it is off."""
    if not stream.reconnect:
        return None
    if stream.max_reconnects is None:
        return ReconnectPolicy()
    return ReconnectPolicy(max_reconnects=stream.max_reconnects)


class _Continuation:
    """Looks like an `EventBus` to one connection's worker; puts its events on the run's timeline.

    It also watches what the connection said (status, content type, last event ID, retry) to decide
    whether to reconnect.
    """

    def __init__(self, bus: EventBus, first_seq: int, offset: float, last_event_id: str | None, retry_ms: int) -> None:
        self._bus = bus
        self._first_seq = first_seq
        self._offset = offset
        self.next_seq = first_seq
        self.last_event_id = last_event_id
        self.retry_ms = retry_ms
        self.opened: ResponseOpened | None = None
        self.failure: ConnectionFailed | None = None
        self.closed = False

    @property
    def ended_normally(self) -> bool:
        return self.failure is None

    def _restamp(self, events: Iterable[TimelineEvent]) -> list[TimelineEvent]:
        restamped = []
        first, offset = self._first_seq, self._offset
        for event in events:
            payload = event.payload
            if type(payload) is SseMessage:
                if payload.id is not None:
                    self.last_event_id = payload.id
                if payload.retry is not None:
                    self.retry_ms = payload.retry
            elif isinstance(payload, ResponseOpened):
                self.opened = payload
            elif isinstance(payload, ConnectionFailed):
                self.failure = payload
            restamped.append(_new_event(first + event.seq, offset + event.t, payload, event.size))
        if restamped:
            self.next_seq = restamped[-1].seq + 1
        return restamped

    async def publish(self, items: Iterable[BusItem]) -> None:
        await self._bus.publish(self._restamp(expand_runs(list(items))))

    def publish_nowait(self, items: Iterable[BusItem]) -> None:
        self._bus.publish_nowait(self._restamp(expand_runs(list(items))))

    def close(self) -> None:
        """The connection is over; the run's bus stays open for the next one."""
        self.closed = True


def _should_resume(connection: _Continuation, attempt: int) -> bool:
    opened = connection.opened
    if opened is None:
        # Nothing answered: resume only a stream that was already flowing (a dropped reconnection).
        return attempt > 0
    if opened.status == 204 or not 200 <= opened.status < 300:
        return False
    content_type = (opened.header("content-type") or "").split(";")[0].strip().lower()
    return content_type == "text/event-stream"


async def stream_http_resumable(
    request: HttpRequest,
    bus: EventBus,
    policy: ReconnectPolicy = ReconnectPolicy(),
    on_chunk: ChunkHook | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    *,
    stop: StreamStop | None = None,
    duration: float | None = None,
) -> None:
    """Like `stream_http`, reconnecting as the module docstring says; the bus is closed when it returns.

    `stop` and `duration` are about the whole run: the count goes on across connections and the clock,
    started by the first response head, keeps running through the waits. Once either ends a connection
    (`stopped`), nothing is resumed; a clock that runs out during a wait ends the run there, `stopped`."""
    from app.connections.http_worker import HttpStreamWorker  # only when an HTTP request runs (see RequestRun)

    origin = time.perf_counter()
    next_seq = 0
    last_event_id: str | None = None
    retry_ms = policy.default_retry_ms
    attempt = 0
    deadline: float | None = None
    try:
        while True:
            offset = time.perf_counter() - origin
            connection = _Continuation(bus, next_seq, offset, last_event_id, retry_ms)
            hook = None if on_chunk is None else _shifted(on_chunk, offset)
            worker = HttpStreamWorker(
                _resuming(request, last_event_id), connection, hook,  # type: ignore[arg-type]
                stop=stop, duration=duration, deadline=deadline,
            )
            await worker.run()
            next_seq, last_event_id, retry_ms = connection.next_seq, connection.last_event_id, connection.retry_ms
            stop, deadline = worker.stop, worker.deadline
            if worker.stopped or attempt >= policy.max_reconnects or not _should_resume(connection, attempt):
                return
            attempt += 1
            # A server's `retry:` is any run of digits; past the policy's cap it only means "not soon" (and
            # 400 digits are beyond a float: `OverflowError`).
            delay = min(retry_ms, policy.max_retry_ms) / 1000
            await bus.publish([_new_event(next_seq, time.perf_counter() - origin, Reconnecting(attempt, delay, last_event_id), 0)])
            next_seq += 1
            waited_from = time.perf_counter()
            clock = asyncio.timeout_at(deadline)
            try:
                async with clock:
                    await sleep(delay)
            except TimeoutError:
                if not clock.expired():
                    raise
                # Nothing is connected to measure: the close says how long the wait went on.
                closed = StreamClosed(0, 0, time.perf_counter() - waited_from, None, None, None, "stopped")
                await bus.publish([_new_event(next_seq, time.perf_counter() - origin, closed, 0)])
                return
    finally:
        bus.close()


def _resuming(request: HttpRequest, last_event_id: str | None) -> HttpRequest:
    headers = tuple((name, value) for name, value in request.headers if name.lower() != "last-event-id")
    if last_event_id:
        headers = (*headers, ("Last-Event-ID", last_event_id))
    return replace(request, headers=headers)


def _shifted(on_chunk: ChunkHook, offset: float) -> ChunkHook:
    return lambda t, data: on_chunk(offset + t, data)
