"""When a stream ends by itself: after N received messages, or at the first one a JSONPath finds anything in.

`sluice run … --until-count N` and `--until-jsonpath EXPR` mean the same over every transport, so both
workers read one `StreamStop` (built by `app.run.script.WsScript.stream_stop`): the HTTP worker cuts
each chunk's parsed batch with `cut`, the WebSocket worker asks `condition()` about each read's messages.

What counts as a received message over HTTP is a data event of a stream: an SSE message (the default
`message` event or a named one), an NDJSON line, a JSON-array item (`STOP_PAYLOAD_TYPES`). Comments
(heartbeats), `retry`/`id`-only blocks, ignored fields, errors, diagnostics and the request, open and
close events are not; neither is a raw body's chunk, which is wherever the network cut the bytes. Over
WebSocket it is a message received (not sent, not a ping).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from app.event_runs import PayloadColumn
from app.events import EventPayload, JsonArrayItem, NdjsonValue, SseMessage
from app.streams.decoder import ParsedBatch
from app.streams.json_payload import parse_json

if TYPE_CHECKING:
    from jsonpath_ng import JSONPath

    from app.connections.interface import StopCondition

STOP_PAYLOAD_TYPES = frozenset({SseMessage, NdjsonValue, JsonArrayItem})
"""The HTTP payloads an until-condition counts and matches (see the module docstring)."""


@dataclass(frozen=True, slots=True)
class StopCut:
    """What `StreamStop.cut` made of a batch: the part to publish, whether the condition was met by its
    last message, and the condition for the messages after it (a count goes down)."""

    batch: ParsedBatch
    met: bool
    rest: StreamStop


@dataclass(frozen=True, slots=True)
class StreamStop:
    """Ends a stream right after the `count`-th received message from now, or after the first whose JSON
    `jsonpath` finds anything in (exactly one of the two is set). Frozen: what was received so far is in
    the condition `cut` and `after` return, so one carried across reconnections counts the whole run.

    A message matches when the expression finds anything in its JSON. A filter such as
    `$[?(@.type == "done")]` only looks inside arrays, so an object message is also tried as `[message]`:
    that is what someone filtering messages means. A message that is not JSON never matches."""

    count: int | None = None
    jsonpath: JSONPath | None = None

    def after(self, received: int) -> StreamStop:
        """The condition once `received` more messages went by without meeting it. Past the count, every
        message meets it (the count stays at 1)."""
        count = self.count
        if count is None or not received:
            return self
        return replace(self, count=max(count - received, 1))

    def _matches(self, value: Any) -> bool:
        """True when the JSONPath finds anything in `value`, a message's JSON (or `_NOT_JSON`)."""
        expression = self.jsonpath
        if expression is None or value is _NOT_JSON:
            return False
        if expression.find(value):
            return True
        return isinstance(value, dict) and bool(expression.find([value]))

    def first_met(self, datas: Sequence[str | bytes]) -> int | None:
        """The index of the first of these received messages (their text or bytes) that meets the
        condition, or None."""
        count = self.count
        if count is not None:
            return count - 1 if count <= len(datas) else None
        return next((index for index, data in enumerate(datas) if self._matches(_json_value(data))), None)

    def condition(self) -> StopCondition:
        """A fresh WebSocket `StopCondition`: this condition, counting the messages it is shown."""
        stop = self

        def met(datas: Sequence[str | bytes]) -> int | None:
            nonlocal stop
            index = stop.first_met(datas)
            stop = stop.after(len(datas))
            return index

        return met

    def cut(self, batch: ParsedBatch) -> StopCut:
        """`batch` up to and including the message that meets the condition (all of it if none does)."""
        payloads = batch.payloads
        count = self.count
        if count is not None:
            if isinstance(payloads, PayloadColumn):  # the usual chunk: every payload is one message
                received = len(payloads) if payloads.payload_type in STOP_PAYLOAD_TYPES else 0
            else:
                received = sum(map(STOP_PAYLOAD_TYPES.__contains__, map(type, payloads)))
            if received < count:
                return StopCut(batch, False, self.after(received))
        index = self._first_met(payloads)
        if index is None:
            return StopCut(batch, False, self)
        if index + 1 == len(payloads):
            return StopCut(batch, True, self)
        return StopCut(ParsedBatch(payloads[: index + 1], batch.sizes[: index + 1]), True, self)

    def _first_met(self, payloads: Sequence[EventPayload]) -> int | None:
        left = self.count
        for index, payload in enumerate(payloads):
            kind = type(payload)
            if kind not in STOP_PAYLOAD_TYPES:
                continue
            if left is not None:
                left -= 1
                if not left:
                    return index
            elif self._matches(_payload_value(payload)):
                return index
        return None


_NOT_JSON = object()
"""What a message that is not JSON is matched as: nothing (not even `$`) finds anything in it."""


def _json_value(data: str | bytes) -> Any:
    """A WebSocket message's or an SSE message's JSON, or `_NOT_JSON`."""
    try:
        return parse_json(data)
    except ValueError:
        return _NOT_JSON


def _payload_value(payload: EventPayload) -> Any:
    """The JSON of an HTTP message (`_NOT_JSON` for an SSE message whose data is not JSON)."""
    if type(payload) is SseMessage:
        return _json_value(payload.data)
    if type(payload) is NdjsonValue:
        return payload.value
    if type(payload) is JsonArrayItem:
        return payload.value
    return _NOT_JSON
