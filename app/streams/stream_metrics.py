"""The one stream-metrics core: first byte, first event, gaps, percentiles, stalls, rate, bytes.

Every figure Sluice reports about a stream's timing comes from here, so the same stream gives the same
numbers everywhere: the HTTP worker builds its close event (`StreamClosed`) from a `StreamMetrics`, the
TUI's session feeds one from the very same events for the status line and the Metrics tab, and the
merge engine feeds one with its fragments for the `metrics` line of `sluice run --jsonl`.

Definitions (documented in the README):
- a *data event* is one piece of the stream's content (SSE message, NDJSON line, JSON-array item, body
  chunk, WebSocket message **received**; the client's own sends are not the stream);
- a *gap* is the time between two consecutive data events (or fragments); events parsed from one chunk
  share its arrival time, so their gaps are 0;
- a *stall* is a gap longer than the threshold, `DEFAULT_STALL_SECONDS` unless configured;
- percentiles are nearest-rank, so always one of the observed gaps.

Times are event times (`TimelineEvent.t`, seconds since the request started), never the wall clock.
No Textual, no I/O.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from itertools import repeat
from typing import Any

from app.event_runs import BusItem, EventRun
from app.events import (
    DATA_KINDS,
    BodyReceived,
    ConnectionFailed,
    EventPayload,
    JsonArrayItem,
    NdjsonValue,
    RequestSent,
    ResponseOpened,
    SseMessage,
    StreamClosed,
    TimelineEvent,
)
from app.vocabulary import DEFAULT_STALL_SECONDS
from app.ws_events import WsClosed, WsControl, WsMessage, WsOpened

RATE_BUCKET_SECONDS = 0.1
"""Width of one bucket of the event-rate series (what the Metrics tab's sparkline draws)."""


DATA_PAYLOAD_TYPES = frozenset({SseMessage, NdjsonValue, JsonArrayItem, BodyReceived, WsMessage})
"""The payload types of `DATA_KINDS`, a WebSocket message counting only when received (a type test is
cheaper than the kind lookup, once per event in a flood)."""
RUN_DATA_TYPES = DATA_PAYLOAD_TYPES - {WsMessage}
"""Payload types that are data events whatever their fields (a WebSocket message is one only when received)."""


def is_data(payload: EventPayload) -> bool:
    """True for a payload that is the stream's content (a WebSocket message only when received)."""
    return payload.kind in DATA_KINDS


def is_received(payload: EventPayload) -> bool:
    """True for what came from the server (its bytes count as received); False for the client's sends."""
    if type(payload) is WsMessage:
        return payload.direction == "recv"
    if type(payload) is WsControl:
        return payload.by == "server"
    return type(payload) is not RequestSent


class GapSeries:
    """Arrival times of a series (data events or fragments): count, first, gaps, stalls, percentiles.

    Appending is O(1). The largest gap and the stalls are kept exactly as times arrive. For percentiles
    the gaps are counted per microsecond (a dict of counts), so memory follows the number of distinct
    gap values, not the length of the stream: a list of every gap held 2,000,000 floats (about 64 MB per
    series) on a long headless run. Percentiles sort only the distinct values, on demand.
    """

    __slots__ = (
        "_gap_counts",
        "count",
        "first",
        "last",
        "max_gap",
        "stall_seconds",
        "stall_threshold",
        "stalls",
    )

    def __init__(self, stall_threshold: float = DEFAULT_STALL_SECONDS) -> None:
        self.stall_threshold = stall_threshold
        self.count = 0
        self.first: float | None = None
        self.last: float | None = None
        self.max_gap: float | None = None
        self.stalls = 0
        self.stall_seconds = 0.0
        self._gap_counts: dict[int, int] = {}
        """How many gaps of each length, in whole microseconds."""

    def __len__(self) -> int:
        return self.count

    def add(self, t: float, count: int = 1) -> None:
        """`count` arrivals at time `t` (events parsed from one chunk arrive together)."""
        last = self.last
        if last is None:
            self.first = t
        else:
            gap = t - last
            if self.max_gap is None or gap > self.max_gap:
                self.max_gap = gap
            if gap > self.stall_threshold:
                self.stalls += 1
                self.stall_seconds += gap
            micros = round(gap * 1_000_000)
            counts = self._gap_counts
            counts[micros] = counts.get(micros, 0) + 1
        if count > 1:
            counts = self._gap_counts
            counts[0] = counts.get(0, 0) + count - 1
            if self.max_gap is None:
                self.max_gap = 0.0
        self.count += count
        self.last = t

    @property
    def span(self) -> float:
        """Seconds from the first arrival to the last."""
        return self.last - self.first if self.last is not None and self.first is not None else 0.0

    def percentile(self, fraction: float) -> float | None:
        """Nearest-rank percentile of the gaps, to the microsecond (None with fewer than two arrivals)."""
        total = self.count - 1
        if total <= 0:
            return None
        rank = max(1, math.ceil(fraction * total))
        seen = 0
        counts = self._gap_counts
        for micros in sorted(counts):
            seen += counts[micros]
            if seen >= rank:
                # Never past the largest gap: rounded to the microsecond, the largest could read above
                # itself (p95 `28.2 ms`, max `28.1 ms` on the Metrics tab).
                return min(micros / 1_000_000, self.max_gap) if self.max_gap is not None else micros / 1_000_000
        return self.max_gap

    def silence(self, now: float) -> float:
        """Seconds since the last arrival at event time `now` (0 before the first)."""
        return max(0.0, now - self.last) if self.last is not None else 0.0

    def is_stall(self, gap: float) -> bool:
        return gap > self.stall_threshold


class StreamMetrics:
    """Timing and totals of one stream, fed from its events (`feed`) or by its producer (`observe_*`)."""

    def __init__(self, stall_threshold: float = DEFAULT_STALL_SECONDS) -> None:
        self.stall_threshold = stall_threshold
        self.ttfb: float | None = None
        """Seconds until the response (or the WebSocket handshake) opened."""
        self.bytes = 0
        """Bytes received from the server (the close event's figure once it arrived)."""
        self.events = GapSeries(stall_threshold)
        """The data events."""
        self.fragments = GapSeries(stall_threshold)
        """The merged reply's text and reasoning fragments (fed by a merge engine)."""
        self.duration: float | None = None
        self.output_tokens: int | None = None
        self.rate_buckets = array("q")
        """Data events per `RATE_BUCKET_SECONDS`, from the request's start."""
        self._last_event_t: float | None = None
        self._closed_bytes = 0

    # --- what producers call ----------------------------------------------------------------------

    def observe_open(self, t: float) -> None:
        if self.ttfb is None:
            self.ttfb = t

    def observe_data(self, t: float, count: int = 1) -> None:
        """`count` data events arrived at `t`."""
        self.events.add(t, count)
        bucket = int(t / RATE_BUCKET_SECONDS)
        buckets = self.rate_buckets
        if bucket >= len(buckets):
            buckets.extend(repeat(0, bucket + 1 - len(buckets)))
        buckets[bucket] += count

    def observe_bytes(self, size: int) -> None:
        self.bytes += size

    def observe_fragment(self, t: float) -> None:
        self.fragments.add(t)

    def observe_event(self, t: float) -> None:
        """Any event at all arrived at `t` (the duration of a stream that never closed)."""
        self._last_event_t = t

    def observe_end(self, t: float, duration: float | None = None) -> None:
        self.duration = duration if duration is not None else t

    def feed(self, events: Iterable[TimelineEvent]) -> None:
        """Take a batch of events as consumers see them (the TUI's session, tests).

        Hot in a flood (once per event): data events that share a time (one chunk's worth) are added
        to the series as one run, and the data test is inlined."""
        data_types = DATA_PAYLOAD_TYPES
        add = self.observe_data
        run_t = -1.0
        run = 0
        size = 0
        last_t: float | None = None
        for event in events:
            payload = event.payload
            t = event.t
            last_t = t
            payload_type = type(payload)
            if payload_type in data_types and (type(payload) is not WsMessage or payload.direction == "recv"):
                size += event.size
                if t == run_t:
                    run += 1
                    continue
                if run:
                    add(run_t, run)
                run_t, run = t, 1
                continue
            if run:
                add(run_t, run)
                run = 0
                run_t = -1.0
            if is_received(payload):
                size += event.size
            if isinstance(payload, (ResponseOpened, WsOpened)):
                self.observe_open(t)
            elif isinstance(payload, StreamClosed):
                # The worker counted every byte read, including any the decoder never turned into an
                # event (an unterminated last line): its figure is the truth for its connection (a
                # resumable stream has one close per connection).
                self._closed_bytes += payload.bytes
                self.bytes = self._closed_bytes
                size = 0
                self.observe_end(t, payload.duration)
            elif isinstance(payload, (WsClosed, ConnectionFailed)):
                self.observe_end(t)
        if run:
            add(run_t, run)
        self.bytes += size
        if last_t is not None:
            self._last_event_t = last_t

    def feed_items(self, items: Iterable[BusItem]) -> None:
        """`feed` for a batch as the bus carries it: a run of a chunk's data events (`EventRun`) is one
        arrival of `len(run)` events at the run's time, taken from its columns (the TUI's session)."""
        pending: list[TimelineEvent] = []
        data_types = RUN_DATA_TYPES
        for item in items:
            if type(item) is not EventRun:
                pending.append(item)  # type: ignore[arg-type]
            elif item.kind in data_types or all(type(payload) in data_types for payload in item.payloads):
                if pending:
                    self.feed(pending)
                    pending = []
                # What `feed` does for data events that share a time.
                self.observe_data(item.t, len(item.payloads))
                self.bytes += sum(item.sizes)
                self._last_event_t = item.t
            else:
                pending.extend(item.events())
        if pending:
            self.feed(pending)

    # --- what consumers read ----------------------------------------------------------------------

    @property
    def data_events(self) -> int:
        return self.events.count

    @property
    def ttfe(self) -> float | None:
        """Seconds until the first data event."""
        return self.events.first

    @property
    def ttft(self) -> float | None:
        """Seconds until the first text or reasoning fragment (first token)."""
        return self.fragments.first

    def close_event(self, duration: float, reason: str) -> StreamClosed:
        """The `close` event of a stream measured here."""
        events = self.events
        return StreamClosed(self.bytes, events.count, duration, self.ttfb, events.first, events.max_gap, reason)

    def rate_per_second(self, last_buckets: int = 120) -> list[float]:
        """Events per second for the most recent `last_buckets` buckets (what a sparkline draws).

        Always that many values, zeros before the stream began, so that a short stream is a short burst
        at the end of the line rather than one bucket stretched over the whole width."""
        scale = 1 / RATE_BUCKET_SECONDS
        recent = self.rate_buckets[-last_buckets:]
        return [0.0] * (last_buckets - len(recent)) + [count * scale for count in recent]

    def to_json(self) -> dict[str, Any]:
        """The `--jsonl` metrics line, about fragments (field names documented in the README)."""
        fragments = self.fragments
        span = fragments.span
        duration = self.duration if self.duration is not None else self._last_event_t
        tokens_per_second = None
        if self.output_tokens is not None and span > 0:
            tokens_per_second = _round(self.output_tokens / span)
        return {
            "kind": "metrics",
            "ttfb": _round(self.ttfb),
            "ttft": _round(fragments.first),
            "duration": _round(duration),
            "fragments": fragments.count,
            "fragments_per_second": _round(fragments.count / span) if span > 0 else None,
            "gap_p50": _round(fragments.percentile(0.50)),
            "gap_p95": _round(fragments.percentile(0.95)),
            "gap_max": _round(fragments.max_gap),
            "stalls": fragments.stalls,
            "stall_seconds": _round(fragments.stall_seconds),
            "stall_threshold": self.stall_threshold,
            "output_tokens": self.output_tokens,
            "tokens_per_second": tokens_per_second,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)
