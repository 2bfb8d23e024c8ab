"""A chunk's events by columns, as the bus carries them from a worker to the consumers that read columns.

A chunk read off the socket often holds hundreds of events (NDJSON lines, SSE messages) that share its
time and number on from one another. Building one `TimelineEvent` object per event, and freeing it,
cost as much as parsing the event; the `--jsonl` writer and the merge engine only read the payloads. So
a worker publishes such a chunk as one `EventRun`, and the bus hands it as it is to consumers that take
items (`feed_items`), and as `TimelineEvent`s (`expand_runs`) to every other consumer: what each event
is, its number, time, payload and size, is the same either way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import ClassVar, TypeVar, Union, overload

from app.events import EventPayload, NdjsonValue, SseMessage, TimelineEvent
from app.slot_construction import slot_columns_constructor
from app.ws_events import WsMessage

_new_events = slot_columns_constructor(TimelineEvent)
_new_values = slot_columns_constructor(NdjsonValue)
_new_messages = slot_columns_constructor(SseMessage)
_new_ws_messages = slot_columns_constructor(WsMessage)


_Payload = TypeVar("_Payload", NdjsonValue, SseMessage, WsMessage)


class PayloadColumn(Sequence[_Payload]):
    """A chunk's payloads of one type kept as the column of the one field in which they differ: a payload
    object is made only for whoever reads one (the store, a capture), while the `--jsonl` writer, the
    merge engine and the store read the column itself. A payload object per event cost as much as
    parsing the event."""

    __slots__ = ()
    payload_type: ClassVar[type]

    def _column(self) -> list[str]:
        raise NotImplementedError

    def _made(self, column: list[str]) -> list[_Payload]:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self._column())

    @overload
    def __getitem__(self, index: int) -> _Payload: ...
    @overload
    def __getitem__(self, index: slice) -> list[_Payload]: ...
    def __getitem__(self, index: int | slice) -> _Payload | list[_Payload]:
        if isinstance(index, slice):
            return self._made(self._column()[index])
        return self._made([self._column()[index]])[0]

    def __iter__(self) -> Iterator[_Payload]:
        return iter(self._made(self._column()))


@dataclass(frozen=True, slots=True, eq=False)
class NdjsonTexts(PayloadColumn[NdjsonValue]):
    """A chunk's NDJSON values as the column of their texts."""

    payload_type: ClassVar[type] = NdjsonValue
    texts: list[str]

    def _column(self) -> list[str]:
        return self.texts

    def _made(self, column: list[str]) -> list[NdjsonValue]:
        return _new_values(len(column), column)


@dataclass(frozen=True, slots=True, eq=False)
class SseDatas(PayloadColumn[SseMessage]):
    """A chunk's SSE messages that differ only in their data (the usual chunk: one event name, no new
    id or retry), as the column of their datas."""

    payload_type: ClassVar[type] = SseMessage
    event: str
    datas: list[str]
    id: str | None = None

    def _column(self) -> list[str]:
        return self.datas

    def _made(self, column: list[str]) -> list[SseMessage]:
        count = len(column)
        return _new_messages(count, repeat(self.event, count), column, repeat(self.id, count), repeat(None, count))


@dataclass(frozen=True, slots=True, eq=False)
class WsTexts(PayloadColumn[WsMessage]):
    """Text messages received one after another from one read of the socket (a flood's usual read), as
    the column of their texts."""

    payload_type: ClassVar[type] = WsMessage
    texts: list[str]

    def _column(self) -> list[str]:
        return self.texts

    def _made(self, column: list[str]) -> list[WsMessage]:
        count = len(column)
        return _new_ws_messages(count, repeat("recv", count), column)


@dataclass(frozen=True, slots=True)
class EventRun:
    """`len(payloads)` consecutive events from sequence number `first_seq`, all at time `t`: the i-th has
    `payloads[i]` and raw size `sizes[i]`. The columns are never changed once published."""

    first_seq: int
    t: float
    payloads: Sequence[EventPayload]
    sizes: Sequence[int]

    @property
    def kind(self) -> type | None:
        """The one type of every payload when the parser knew it (its payloads are a `PayloadColumn`)."""
        payloads = self.payloads
        return payloads.payload_type if isinstance(payloads, PayloadColumn) else None

    @property
    def last_seq(self) -> int:
        return self.first_seq + len(self.payloads) - 1

    def events(self) -> list[TimelineEvent]:
        """The run as `TimelineEvent`s."""
        count = len(self.payloads)
        return _new_events(count, range(self.first_seq, self.first_seq + count), repeat(self.t, count), self.payloads, self.sizes)


BusItem = Union[TimelineEvent, EventRun]
"""What a batch on the bus holds: single events, and runs of a chunk's events."""


def item_count(items: list[BusItem]) -> int:
    """How many events `items` stand for."""
    return sum(len(item.payloads) if type(item) is EventRun else 1 for item in items)


def last_payload(item: BusItem) -> EventPayload:
    return item.payloads[-1] if type(item) is EventRun else item.payload  # type: ignore[union-attr]


def expand_runs(items: list[BusItem]) -> list[TimelineEvent]:
    """`items` as events, in order; a list with no run in it is returned as it is."""
    if EventRun not in set(map(type, items)):
        return items  # type: ignore[return-value]
    events: list[TimelineEvent] = []
    for item in items:
        if type(item) is EventRun:
            events.extend(item.events())
        else:
            events.append(item)  # type: ignore[arg-type]
    return events
