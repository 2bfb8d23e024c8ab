"""An append-only, UI-free store of one response's events.

The store keeps packed numeric columns (sequence, time, size, a form code) and one compact entry per
event: for the payloads a flood is made of (SSE messages, NDJSON and JSON-array values, body chunks)
only the data itself (a string, a tuple of strings, the parsed value), rebuilt into the payload on
demand. A million events then cost their data, not a million extra objects for the garbage collector
to walk on every full collection (which is what stalls the keyboard). Summaries are rebuilt for the
rows a view shows; filters scan the payloads and hand back an index array. Appending is O(batch).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import Any

from app.event_runs import BusItem, EventRun, NdjsonTexts, SseDatas
from app.events import (
    ERROR_KINDS,
    BodyReceived,
    EventPayload,
    JsonArrayItem,
    NdjsonValue,
    RequestSent,
    SseMessage,
    TimelineEvent,
)
from app.slot_construction import slot_constructor
from app.store.query import EventQuery
from app.store.summary import (
    EventSummary,
    event_direction,
    event_label,
    event_preview,
)

# How an entry is stored: the payload object itself, or only its data (see the module docstring).
_OBJECT = 0
_SSE_PLAIN = 1  # an SseMessage named "message" without id or retry: the data string
_SSE = 2  # any other SseMessage: (event, data, id, retry)
_NDJSON = 3  # NdjsonValue: its text
_JSON_ITEM = 4  # JsonArrayItem: the value
_BODY = 5  # BodyReceived: the bytes


_FORM_LABEL_LENGTHS = {_NDJSON: len("ndjson"), _JSON_ITEM: len("json_item"), _BODY: len("body")}


def _compact(payload: Any) -> tuple[int, Any]:
    # `Any`: dispatch is on the exact type (`is`), which mypy does not narrow; one check per event.
    payload_type = type(payload)
    if payload_type is SseMessage:
        if payload.event == "message" and payload.id is None and payload.retry is None:
            return _SSE_PLAIN, payload.data
        return _SSE, (payload.event, payload.data, payload.id, payload.retry)
    if payload_type is NdjsonValue:
        return _NDJSON, payload.text
    if payload_type is JsonArrayItem:
        return _JSON_ITEM, payload.value
    if payload_type is BodyReceived:
        return _BODY, payload.data
    return _OBJECT, payload


# Rebuilding runs once per event when the merge engine catches up from the store: the positional slot
# constructors build the same frozen objects in about half the time of their `__init__`.
_new_event = slot_constructor(TimelineEvent)
_new_sse = slot_constructor(SseMessage)


def _expand(form: int, entry: Any) -> EventPayload:
    if form == _SSE_PLAIN:
        return _new_sse("message", entry, None, None)
    if form == _OBJECT:
        return entry
    if form == _SSE:
        return _new_sse(*entry)
    if form == _NDJSON:
        return NdjsonValue(entry)
    if form == _JSON_ITEM:
        return JsonArrayItem(entry)
    return BodyReceived(entry)


class EventStore:
    """Every event of one response, in arrival order, addressed by index (0 … len-1)."""

    def __init__(self) -> None:
        self._entries: list[Any] = []
        self._count = 0
        """Events whose every column is stored (see `append`)."""
        self._forms = array("B")
        self._seqs = array("q")
        self._times = array("d")
        self._sizes = array("q")
        self._errors = array("q")
        self.total_bytes = 0
        """Sum of the raw sizes of every stored event."""
        self.longest_label = len("message")
        """Length of the longest row label (SSE event name or kind) stored: the Timeline sizes its column by it."""
        self.longest_id = 0
        """Length of the longest SSE event id stored (0: the stream uses no ids, so no id column)."""
        self.has_retry = False
        """True once an SSE event set `retry` (the Timeline then shows a retry column)."""

    def __len__(self) -> int:
        return self._count

    def append(self, events: list[TimelineEvent]) -> None:
        """Add a batch of events (as drained from a bus subscription, or fed by the run's thread).

        One writer at a time, any number of readers on other threads: every column is extended first
        and the count published last, so a reader never sees an index whose columns are not all there.
        """
        if events:
            self._append_columns(
                [event.payload for event in events], [event.seq for event in events],
                [event.t for event in events], [event.size for event in events],
            )

    def append_items(self, items: list[BusItem]) -> None:
        """`append` for a batch as the bus carries it: a run of a chunk's events (`EventRun`) is stored
        from its columns, without a `TimelineEvent` per event."""
        events: list[TimelineEvent] = []
        for item in items:
            if type(item) is EventRun:
                if events:
                    self.append(events)
                    events = []
                count = len(item.payloads)
                self._append_columns(
                    item.payloads, range(item.first_seq, item.first_seq + count), repeat(item.t, count), item.sizes
                )
            else:
                events.append(item)  # type: ignore[arg-type]
        if events:
            self.append(events)

    def _append_columns(
        self, payloads: Sequence[EventPayload], seqs: Iterable[int], times: Iterable[float], sizes: Sequence[int]
    ) -> None:
        entries = self._entries
        forms = self._forms
        add_entry = entries.append
        add_form = forms.append
        add_entries = entries.extend
        add_forms = forms.extend
        index = len(entries)
        longest = self.longest_label
        # A parser's columns (`NdjsonTexts`, plain `SseDatas`) are already what is stored.
        column: list[str] | None = None
        if type(payloads) is NdjsonTexts:
            column, form = payloads.texts, _NDJSON
        elif type(payloads) is SseDatas and payloads.event == "message" and payloads.id is None:
            column, form = payloads.datas, _SSE_PLAIN
        if column is not None:
            add_entries(column)
            add_forms(repeat(form, len(column)))
            longest = max(longest, _FORM_LABEL_LENGTHS.get(form, 0))
            index += len(column)
            payloads = ()
        for payload in payloads:
            # The bulk of a flood, inlined: a plain SSE message is stored as its data string alone.
            if type(payload) is SseMessage and payload.event == "message" and payload.id is None and payload.retry is None:
                add_entry(payload.data)
                add_form(_SSE_PLAIN)
                index += 1
                continue
            form, entry = _compact(payload)
            add_entry(entry)
            add_form(form)
            if form == _SSE:
                self._note_sse(entry)
            elif form == _OBJECT:
                if payload.kind in ERROR_KINDS:
                    self._errors.append(index)
                # The kind, or a shorter label (`ws_recv` for `ws_message`).
                longest = max(longest, len(payload.kind))
            else:
                longest = max(longest, _FORM_LABEL_LENGTHS[form])
            index += 1
        self._seqs.extend(seqs)
        self._times.extend(times)
        self._sizes.extend(sizes)
        self.total_bytes += sum(sizes)
        self.longest_label = max(self.longest_label, longest)
        self._count = index

    def _note_sse(self, entry: tuple[str, str, str | None, int | None]) -> None:
        """Widen the label and id columns, and show retry, for what this SSE event carries."""
        event, _data, event_id, retry = entry
        if len(event) > self.longest_label:
            self.longest_label = len(event)
        if event_id is not None and len(event_id) > self.longest_id:
            self.longest_id = len(event_id)
        if retry is not None:
            self.has_retry = True

    def payload(self, index: int) -> EventPayload:
        """The event's payload (rebuilt from its compact form: equal, not identical, to the original)."""
        return _expand(self._forms[index], self._entries[index])

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
        return TimelineEvent(self._seqs[index], self._times[index], self.payload(index), self._sizes[index])

    def events(self, start: int, stop: int) -> list[TimelineEvent]:
        """The events in [start, stop), rebuilt (for consumers that catch up from the store)."""
        seqs, times, sizes, forms, entries = self._seqs, self._times, self._sizes, self._forms, self._entries
        new_event, expand = _new_event, _expand
        return [
            new_event(seqs[index], times[index], expand(forms[index], entries[index]), sizes[index])
            for index in range(start, min(stop, self._count))
        ]

    def times(self) -> array:
        """The time column (read-only by convention; metrics scan it without copying)."""
        return self._times

    def summary(self, index: int) -> EventSummary:
        """What a Timeline row shows for one event (computed now, not stored)."""
        payload = self.payload(index)
        return EventSummary(
            index=index,
            t=self._times[index],
            gap=self.gap(index),
            direction=event_direction(payload),
            label=event_label(payload),
            # A request's row shows the size of the body it sent (its event carries no received bytes).
            size=payload.body_size if isinstance(payload, RequestSent) else self._sizes[index],
            preview=event_preview(payload),
            is_error=payload.kind in ERROR_KINDS,
            event_id=payload.id if type(payload) is SseMessage else None,
            retry=payload.retry if type(payload) is SseMessage else None,
        )

    # --- errors ---------------------------------------------------------------------------------

    @property
    def error_count(self) -> int:
        return len(self._errors)

    def is_error(self, index: int) -> bool:
        return self._forms[index] == _OBJECT and self._entries[index].kind in ERROR_KINDS

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
        end = self._count if stop is None else min(stop, self._count)
        if query.is_empty:
            return array("q", range(start, end))
        payload = self.payload
        matches = query.matches
        return array("q", (index for index in range(start, end) if matches(payload(index))))
