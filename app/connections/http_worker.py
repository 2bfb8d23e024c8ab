"""The HTTP connection worker: sends one request with httpx and publishes what happens on the bus.

It owns the I/O and nothing else: bytes go through a pure decoder, events go to the bus in one batch
per chunk read, and timing is measured here, once per chunk, from the moment the request started.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import httpx

from app.bus import EventBus
from app.connections.content_encoding import BodyDecoder, DecodingFailed
from app.connections.http_client import InvalidRedirect, client_for, invalid_timeouts, userinfo_to_header
from app.connections.http_errors import describe_connect_failure, describe_stream_failure
from app.connections.interface import ChunkHook
from app.event_runs import BusItem, EventRun
from app.events import (
    BodyReceived,
    ConnectionFailed,
    ErrorType,
    EventPayload,
    Parsed,
    RequestSent,
    ResponseOpened,
    StreamClosed,
    StreamDiagnostic,
    TimelineEvent,
)
from app.model.http_request import HttpRequest
from app.model.secrets import mask_url
from app.slot_construction import slot_constructor
from app.streams.decoder import EMPTY_BATCH, BatchesFromPairs, ParsedBatch, StreamDecoder
from app.streams.framing import decoder_for, detect_parse_mode, sniff_stream
from app.streams.stream_metrics import DATA_PAYLOAD_TYPES, StreamMetrics
from app.vocabulary import ParseMode

if TYPE_CHECKING:
    from app.connections.stream_stop import StreamStop  # imported by the runs that have one

_new_event = slot_constructor(TimelineEvent)
BUFFERING_MIN_EVENTS = 5
BUFFERING_MIN_SECONDS = 1.0


H2_OVER_PLAIN_HTTP = (
    "HTTP/2 was asked for, but this is a plain http:// URL: HTTP/2 is negotiated only over TLS (https://), "
    "so this request uses HTTP/1.1"
)


class HttpStreamWorker:
    """Sends an `HttpRequest` and publishes request, open, parsed events and close (or error).

    `on_chunk` sees the body exactly as read (after content decoding), for consumers that need the bytes
    themselves rather than the events parsed from them; it must be quick and never raise.
    """

    def __init__(
        self,
        request: HttpRequest,
        bus: EventBus,
        on_chunk: ChunkHook | None = None,
        *,
        stop: StreamStop | None = None,
        duration: float | None = None,
        deadline: float | None = None,
    ) -> None:
        """`stop` ends the stream right after the message that meets it; `duration` ends it that many
        seconds after the response head arrived, or at `deadline` (the loop's clock) when an earlier
        connection of the run already started the clock. Either way it closes `stopped`."""
        self.request = request
        self.bus = bus
        self._on_chunk = on_chunk
        self.stop = stop
        """The condition still to meet once the run is over (a count lowered by what was received)."""
        self._duration = duration
        self.deadline = deadline
        """When the run stops by the clock (`loop.time()`): set at the first response head."""
        self._clock: asyncio.Timeout | None = None
        self.stopped = False
        """True once the stream ended because a stop condition was met (the close says `stopped`)."""
        self._seq = 0
        self._start = 0.0
        self._metrics = StreamMetrics()
        self._chunks_with_events = 0

    def _stamp(self, payload: EventPayload, size: int, t: float) -> list[TimelineEvent]:
        """One payload as the next event (a chunk's parsed payloads: `_parsed_events`)."""
        event = _new_event(self._seq, t, payload, size)
        self._seq += 1
        return [event]

    def _now(self) -> float:
        return time.perf_counter() - self._start

    async def _publish(self, payload: EventPayload, size: int = 0) -> None:
        await self.bus.publish(self._stamp(payload, size, self._now()))

    async def run(self) -> None:
        """Send the request and stream its response to the bus; the bus is closed when this returns."""
        self._start = time.perf_counter()
        try:
            await self._run()
        except asyncio.CancelledError:
            self.bus.publish_nowait(self._stamp(self._closed("cancelled"), 0, self._now()))
            raise
        finally:
            self.bus.close()

    async def _run(self) -> None:
        request = self.request
        problem = invalid_timeouts(request)
        if problem is not None:
            await self._publish(ConnectionFailed(ErrorType.INVALID_OPTION, problem))
            return
        try:
            client = client_for(request)
        except ImportError:
            await self._publish(ConnectionFailed(ErrorType.HTTP2_UNAVAILABLE, "HTTP/2 needs the h2 package: pip install 'sluice[http2]'"))
            return
        async with client:
            # The clock starts once the client is built: loading TLS certificates is not the server's time.
            self._start = time.perf_counter()
            try:
                outgoing = client.build_request(
                    request.method, request.full_url, headers=list(request.headers), content=request.body
                )
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as error:
                await self._publish(ConnectionFailed(ErrorType.INVALID_URL, f"cannot request {mask_url(request.url)!r}: {error}"))
                return
            if not any(name.lower() == "accept-encoding" for name, _ in request.headers):
                # Like curl, ask for compression only when the user does: compressing proxies buffer streams.
                del outgoing.headers["accept-encoding"]
            userinfo_to_header(outgoing)
            await self._publish(
                RequestSent(request.method, str(outgoing.url), tuple(outgoing.headers.multi_items()), len(request.body or b""))
            )
            if request.http2 and outgoing.url.scheme == "http":
                # httpx negotiates HTTP/2 only through TLS (ALPN); it never tries h2c on plain http://.
                await self._publish(StreamDiagnostic(H2_OVER_PLAIN_HTTP, str(outgoing.url)))
            # `duration`'s clock: set when the response head arrives (`_read`), unless the run's is running.
            self._clock = clock = asyncio.timeout_at(self.deadline)
            try:
                async with clock:
                    await self._send_and_read(client, outgoing)
            except TimeoutError:
                if not clock.expired():
                    raise
                self.stopped = True
                await self._publish(self._closed("stopped"))

    async def _send_and_read(self, client: httpx.AsyncClient, outgoing: httpx.Request) -> None:
        try:
            response = await client.send(outgoing, stream=True, follow_redirects=self.request.follow_redirects)
        except InvalidRedirect as error:
            await self._publish(ConnectionFailed(ErrorType.INVALID_REDIRECT, str(error)))
            return
        except httpx.HTTPError as error:
            await self._publish(describe_connect_failure(error, str(outgoing.url)))
            return
        try:
            await self._read(response)
        finally:
            await response.aclose()

    def _parsed_events(self, batch: ParsedBatch, t: float) -> list[BusItem]:
        """A chunk's parsed payloads stamped as events (one `EventRun` for many), its data events counted
        into the metrics."""
        seq = self._seq
        payloads = batch.payloads
        count = len(payloads)
        items: list[BusItem]
        if count == 1:
            payload = payloads[0]
            items = [_new_event(seq, t, payload, batch.sizes[0])]
            data_events = int(type(payload) in DATA_PAYLOAD_TYPES)
        else:
            run = EventRun(seq, t, payloads, batch.sizes)
            kind = run.kind
            if kind is None:
                # `is_data` at C speed, by type (an HTTP body never carries the WebSocket messages it tests).
                data_events = sum(map(DATA_PAYLOAD_TYPES.__contains__, map(type, payloads)))
            else:
                data_events = count if kind in DATA_PAYLOAD_TYPES else 0
            items = [run]
        self._seq = seq + count
        if data_events:
            self._chunks_with_events += 1
            self._metrics.observe_data(t, data_events)
        return items

    async def _read(self, response: httpx.Response) -> None:
        metrics = self._metrics
        opened_at = self._now()
        metrics.observe_open(opened_at)
        content_type = response.headers.get("content-type")
        mode = self.request.parse_mode
        if mode is ParseMode.AUTO or (response.status_code >= 400 and detect_parse_mode(content_type) is ParseMode.RAW):
            # An error status with a plain body (a JSON error, an HTML page) is not the stream the forced
            # parse mode expects: read as a stream it would vanish into diagnostics. Its body is the answer.
            mode = detect_parse_mode(content_type)
        headers = tuple((name.decode("latin-1"), value.decode("latin-1")) for name, value in response.headers.raw)
        opened = ResponseOpened(response.status_code, response.http_version, headers, response.reason_phrase, mode.value)
        await self.bus.publish(self._stamp(opened, 0, opened_at))
        if self._duration is not None and self.deadline is None and self._clock is not None:
            self.deadline = asyncio.get_running_loop().time() + self._duration
            self._clock.reschedule(self.deadline)
        stop = self.stop
        decoder = decoder_for(mode, self.request.max_event_size)
        body = _RawBody() if decoder is None else None
        sniff_pending = decoder is None and self.request.parse_mode is ParseMode.AUTO
        publish = self.bus.publish
        on_chunk = self._on_chunk
        encoding = BodyDecoder(response.headers.get("content-encoding"))
        if encoding.unsupported:
            await self._publish(
                StreamDiagnostic(f"the body is {encoding.unsupported}, which Sluice does not decode: shown as it arrived")
            )
        try:
            # Raw bytes, inflated here in bounded pieces (httpx would inflate each network chunk whole).
            async for raw in response.aiter_raw():
                for chunk in encoding.feed(raw) if encoding.decodes else (raw,):
                    t = self._now()
                    metrics.observe_bytes(len(chunk))
                    if on_chunk is not None:
                        on_chunk(t, chunk)
                    if decoder is not None:
                        batch = decoder.feed_batch(chunk)
                    else:
                        assert body is not None
                        batch = body.feed_batch(chunk)
                        if sniff_pending:
                            sniff_pending = False
                            batch = batch.after(self._sniff(chunk, content_type))
                    if batch.payloads:
                        if stop is None:
                            await publish(self._parsed_events(batch, t))
                        elif not await self._publish_until(response, batch, t):
                            return
                bomb = encoding.bomb_report()
                if bomb is not None:
                    await self._publish(StreamDiagnostic(bomb))
            for chunk in encoding.finish():
                metrics.observe_bytes(len(chunk))
                if on_chunk is not None:
                    on_chunk(self._now(), chunk)
                batch = decoder.feed_batch(chunk) if decoder is not None else body.feed_batch(chunk) if body is not None else EMPTY_BATCH
                if batch.payloads and not await self._publish_until(response, batch, self._now()):
                    return
        except (httpx.HTTPError, DecodingFailed) as error:
            await self._finish_decoder(decoder, body, response)
            await self._publish(describe_stream_failure(error, metrics.bytes, metrics.data_events, self.request.read_timeout))
            return
        if not await self._finish_decoder(decoder, body, response):
            return
        if (
            decoder is not None
            and metrics.data_events >= BUFFERING_MIN_EVENTS
            and self._chunks_with_events == 1
            and self._now() >= BUFFERING_MIN_SECONDS
        ):
            await self._publish(
                StreamDiagnostic(
                    f"all {metrics.data_events} events arrived in one piece at the end: the server or a proxy is "
                    "buffering the stream (nginx proxy_buffering, response compression, a missing flush)"
                )
            )
        await self._publish(self._closed("complete"))

    async def _finish_decoder(self, decoder: StreamDecoder | None, body: _RawBody | None, response: httpx.Response) -> bool:
        """Publish what the end of the body completes; False when that met the stop condition (the
        stream is then closed `stopped`)."""
        batch = decoder.finish_batch() if decoder is not None else body.finish_batch() if body is not None else EMPTY_BATCH
        return not batch.payloads or await self._publish_until(response, batch, self._now())

    async def _publish_until(self, response: httpx.Response, batch: ParsedBatch, t: float) -> bool:
        """Publish `batch`, cut where it meets the stop condition; False when it did (the stream is then
        closed `stopped`)."""
        stop = self.stop
        if stop is not None:
            cut = stop.cut(batch)
            self.stop = cut.rest
            if cut.met:
                await self._stop_at(response, cut.batch, t)
                return False
        await self.bus.publish(self._parsed_events(batch, t))
        return True

    async def _stop_at(self, response: httpx.Response, batch: ParsedBatch, t: float) -> None:
        """The stop condition was met by the last message of `batch`: publish it, let go of the response
        (what the server sends after it is never read) and close `stopped`."""
        self.stopped = True
        await self.bus.publish(self._parsed_events(batch, t))
        await response.aclose()
        await self._publish(self._closed("stopped"))

    def _sniff(self, chunk: bytes, content_type: str | None) -> list[Parsed]:
        guessed = sniff_stream(chunk)
        if guessed is None:
            return []
        message = (
            f"the body looks like {guessed.value.upper()} but the content type is {content_type or 'missing'}, "
            f"so it is shown raw; set the parse mode to {guessed.value} (sluice run --parse {guessed.value})"
        )
        return [(StreamDiagnostic(message, chunk[:200].decode("utf-8", "replace")), 0)]

    def _closed(self, reason: str) -> StreamClosed:
        return self._metrics.close_event(self._now(), reason)


class _RawBody(BatchesFromPairs):
    """Passes a plain body through as `BodyReceived` chunks, never splitting a UTF-8 character in two."""

    def __init__(self) -> None:
        self._carry = b""

    def feed(self, chunk: bytes) -> list[Parsed]:
        data = self._carry + chunk if self._carry else chunk
        cut = _utf8_safe_end(data)
        self._carry = data[cut:]
        head = data[:cut]
        return [(BodyReceived(head), len(head))] if head else []

    def finish(self) -> list[Parsed]:
        carry, self._carry = self._carry, b""
        return [(BodyReceived(carry), len(carry))] if carry else []


def _utf8_safe_end(data: bytes) -> int:
    """Where to cut `data` so that a multi-byte UTF-8 sequence at its end is not split."""
    length = len(data)
    for back in range(1, min(4, length) + 1):
        byte = data[length - back]
        if byte < 0x80:
            return length
        if byte >= 0xC0:
            needed = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return length - back if needed > back else length
    return length


async def stream_http(
    request: HttpRequest,
    bus: EventBus,
    on_chunk: ChunkHook | None = None,
    *,
    stop: StreamStop | None = None,
    duration: float | None = None,
) -> None:
    """Send `request` and publish its whole life on `bus` (until `stop` or `duration`, if given), then
    close the bus."""
    await HttpStreamWorker(request, bus, on_chunk, stop=stop, duration=duration).run()
