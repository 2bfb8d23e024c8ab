"""Per-response stream metrics, computed from event times (`TimelineEvent.t`), never the wall clock.

A fragment is one text or reasoning piece of the merged reply when a `MergeEngine` feeds the metrics;
used on its own, `StreamMetrics.feed` counts every data event (SSE message, NDJSON line, …) instead.
"""

from __future__ import annotations

import math
from array import array
from typing import Any

from app.events import (
    DATA_KINDS,
    ResponseOpened,
    StreamClosed,
    TimelineEvent,
    WsClosed,
    WsOpened,
)

DEFAULT_STALL_THRESHOLD = 2.0
"""Seconds of silence between two fragments that count as a stall."""


class StreamMetrics:
    """Time to first byte and first token, duration, fragment rate, inter-fragment gaps, stalls, tokens/s."""

    def __init__(self, stall_threshold: float = DEFAULT_STALL_THRESHOLD) -> None:
        self.stall_threshold = stall_threshold
        self.ttfb: float | None = None
        self.duration: float | None = None
        self.output_tokens: int | None = None
        self._fragment_times = array("d")
        self._last_event_t: float | None = None

    def observe_open(self, t: float) -> None:
        if self.ttfb is None:
            self.ttfb = t

    def observe_fragment(self, t: float) -> None:
        self._fragment_times.append(t)

    def observe_event(self, t: float) -> None:
        self._last_event_t = t

    def observe_end(self, t: float, duration: float | None = None) -> None:
        self.duration = duration if duration is not None else t

    def feed(self, events: list[TimelineEvent]) -> None:
        """Standalone use: every data event is a fragment."""
        for event in events:
            payload = event.payload
            if payload.kind in DATA_KINDS:
                self._fragment_times.append(event.t)
            elif isinstance(payload, (ResponseOpened, WsOpened)):
                self.observe_open(event.t)
            elif isinstance(payload, StreamClosed):
                self.observe_end(event.t, payload.duration)
            elif isinstance(payload, WsClosed):
                self.observe_end(event.t)
            self._last_event_t = event.t

    @property
    def fragments(self) -> int:
        return len(self._fragment_times)

    @property
    def ttft(self) -> float | None:
        return self._fragment_times[0] if self._fragment_times else None

    def gaps(self) -> list[float]:
        times = self._fragment_times
        return [times[i] - times[i - 1] for i in range(1, len(times))]

    def to_json(self) -> dict[str, Any]:
        """The `--jsonl` metrics line (field names documented in the README)."""
        times = self._fragment_times
        gaps = sorted(self.gaps())
        span = times[-1] - times[0] if len(times) > 1 else 0.0
        generation = times[-1] - times[0] if times else 0.0
        duration = self.duration if self.duration is not None else self._last_event_t
        stalls = [gap for gap in gaps if gap > self.stall_threshold]
        tokens_per_second = None
        if self.output_tokens is not None and generation > 0:
            tokens_per_second = _round(self.output_tokens / generation)
        return {
            "kind": "metrics",
            "ttfb": _round(self.ttfb),
            "ttft": _round(self.ttft),
            "duration": _round(duration),
            "fragments": len(times),
            "fragments_per_second": _round(len(times) / span) if span > 0 else None,
            "gap_p50": _round(_percentile(gaps, 0.50)),
            "gap_p95": _round(_percentile(gaps, 0.95)),
            "gap_max": _round(gaps[-1]) if gaps else None,
            "stalls": len(stalls),
            "stall_seconds": _round(sum(stalls)),
            "stall_threshold": self.stall_threshold,
            "output_tokens": self.output_tokens,
            "tokens_per_second": tokens_per_second,
        }


def _percentile(sorted_values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile: always one of the observed values."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)
