"""An append-only, UI-free store of one response's events.

The store keeps each payload object and three packed numeric columns (sequence, time, size): no
`TimelineEvent` wrapper, no per-event strings or rows. Summaries are rebuilt on demand for the rows a
view shows; filters scan the payloads and hand back an index array. Appending a batch is O(batch).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from app.events import ERROR_KINDS, EventPayload, TimelineEvent
from app.store.query import EventQuery
from app.store.summary import (
    EventSummary,
    event_direction,
    event_label,
    event_preview,
)


class EventStore:
    """Every event of one response, in arrival order, addressed by index (0 … len-1)."""

    def __init__(self) -> None:
        self._payloads: list[EventPayload] = []
        self._seqs = array("q")
        self._times = array("d")
        self._sizes = array("q")
        self._errors = array("q")
        self.total_bytes = 0
        """Sum of the raw sizes of every stored event."""

    def __len__(self) -> int:
        return len(self._payloads)

    def append(self, events: Iterable[TimelineEvent]) -> None:
        """Add a batch of events (as drained from a bus subscription)."""
        payloads = self._payloads
        add_payload = payloads.append
        add_seq = self._seqs.append
        add_time = self._times.append
        add_size = self._sizes.append
        add_error = self._errors.append
        error_kinds = ERROR_KINDS
        index = len(payloads)
        added_bytes = 0
        for event in events:
            payload = event.payload
            add_payload(payload)
            add_seq(event.seq)
            add_time(event.t)
            add_size(event.size)
            added_bytes += event.size
            if payload.kind in error_kinds:
                add_error(index)
            index += 1
        self.total_bytes += added_bytes

    def payload(self, index: int) -> EventPayload:
        return self._payloads[index]

    def time(self, index: int) -> float:
        """Seconds since the request started."""
        return self._times[index]

    def size(self, index: int) -> int:
        return self._sizes[index]

    def gap(self, index: int) -> float | None:
        """Seconds since the previous event; None for the first."""
        if index <= 0:
            return None
        return self._times[index] - self._times[index - 1]

    def event(self, index: int) -> TimelineEvent:
        """The full event, rebuilt."""
        return TimelineEvent(
            self._seqs[index], self._times[index], self._payloads[index], self._sizes[index]
        )

    def times(self) -> array:
        """The time column (read-only by convention; metrics scan it without copying)."""
        return self._times

    def summary(self, index: int) -> EventSummary:
        """What a Timeline row shows for one event (computed now, not stored)."""
        payload = self._payloads[index]
        return EventSummary(
            index=index,
            t=self._times[index],
            gap=self.gap(index),
            direction=event_direction(payload),
            label=event_label(payload),
            size=self._sizes[index],
            preview=event_preview(payload),
            is_error=payload.kind in ERROR_KINDS,
        )

    # --- errors ---------------------------------------------------------------------------------

    @property
    def error_count(self) -> int:
        return len(self._errors)

    def is_error(self, index: int) -> bool:
        return self._payloads[index].kind in ERROR_KINDS

    def next_error(self, after: int) -> int | None:
        """Index of the first error strictly after `after`, or None."""
        position = bisect_right(self._errors, after)
        return self._errors[position] if position < len(self._errors) else None

    def previous_error(self, before: int) -> int | None:
        """Index of the last error strictly before `before`, or None."""
        position = bisect_left(self._errors, before)
        return self._errors[position - 1] if position > 0 else None

    # --- filtering ------------------------------------------------------------------------------

    def search(self, query: EventQuery, start: int = 0, stop: int | None = None) -> array:
        """Indices in [start, stop) whose events match `query`, ascending.

        Safe to run in a thread while the event loop appends: it reads only below `stop`, fixed on
        entry.
        """
        end = len(self._payloads) if stop is None else min(stop, len(self._payloads))
        if query.is_empty:
            return array("q", range(start, end))
        payloads = self._payloads
        matches = query.matches
        return array("q", (index for index in range(start, end) if matches(payloads[index])))
