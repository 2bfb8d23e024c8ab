"""Live timing of a stream, kept incrementally as batches arrive: first byte/event, gaps, stalls, rate."""

from __future__ import annotations

from array import array
from collections.abc import Iterable

from app.events import DATA_KINDS, ResponseOpened, TimelineEvent, WsOpened

STALL_SECONDS = 1.0
"""A silence between two data events at least this long counts as a stall."""

RATE_BUCKET_SECONDS = 0.1


class StreamTiming:
    """Time to first byte and first data event, gaps between data events, and events per time bucket."""

    def __init__(self) -> None:
        self.ttfb: float | None = None
        """Seconds until the response (or the WebSocket handshake) opened."""
        self.ttfe: float | None = None
        """Seconds until the first data event (first token, for an LLM stream)."""
        self.last_data_t: float | None = None
        self.max_gap: float | None = None
        self.stalls = 0
        self.stalled_seconds = 0.0
        self.data_events = 0
        self.rate_buckets = array("q")
        """Data events per `RATE_BUCKET_SECONDS`, from the request's start."""

    def feed(self, events: Iterable[TimelineEvent]) -> None:
        data_kinds = DATA_KINDS
        buckets = self.rate_buckets
        for event in events:
            payload = event.payload
            if payload.kind not in data_kinds:
                if self.ttfb is None and isinstance(payload, (ResponseOpened, WsOpened)):
                    self.ttfb = event.t
                continue
            t = event.t
            self.data_events += 1
            if self.ttfe is None:
                self.ttfe = t
            elif self.last_data_t is not None:
                gap = t - self.last_data_t
                if self.max_gap is None or gap > self.max_gap:
                    self.max_gap = gap
                if gap >= STALL_SECONDS:
                    self.stalls += 1
                    self.stalled_seconds += gap
            self.last_data_t = t
            bucket = int(t / RATE_BUCKET_SECONDS)
            if bucket >= len(buckets):
                buckets.extend([0] * (bucket + 1 - len(buckets)))
            buckets[bucket] += 1

    def rate_per_second(self, last_buckets: int = 120) -> list[float]:
        """Events per second for the most recent `last_buckets` buckets (what a sparkline draws).

        Always that many values, zeros before the stream began, so that a short stream is a short burst
        at the end of the line rather than one bucket stretched over the whole width."""
        scale = 1 / RATE_BUCKET_SECONDS
        recent = self.rate_buckets[-last_buckets:]
        return [0.0] * (last_buckets - len(recent)) + [count * scale for count in recent]
