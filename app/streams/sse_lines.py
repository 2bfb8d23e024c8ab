"""The WHATWG "event stream interpretation" of complete SSE lines: fields, blank lines, dispatch.

`SseLineInterpreter` holds a stream's state (the event being built, the last event ID, the retry, the byte
position that sizes each event) and interprets lines; `app.streams.sse.SseDecoder` frames the bytes into
those lines. See `app.streams.sse` for the rules both follow (sizes, what beyond the spec is reported).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from app.events import EventTooLarge, Parsed, SseComment, SseId, SseMessage, SseRetry
from app.slot_construction import slot_constructor
from app.streams import diagnostics
from app.vocabulary import DEFAULT_MAX_EVENT_SIZE

NEVER = sys.maxsize
"""`_warn_at` once the stall warning was given (or can no longer be)."""
_FIELD_NAME_ALLOWANCE = 64
"""A line may exceed the maximum event size by this much: `data: ` and a value of exactly the limit fit."""

new_sse_message = slot_constructor(SseMessage)
"""`SseMessage(event, data, id, retry)` built straight into its slots (see `slot_constructor`)."""


class SseLineInterpreter:
    """The state of one event stream and the interpretation of its complete lines (`_take_lines`)."""

    def __init__(self, max_event_size: int = DEFAULT_MAX_EVENT_SIZE) -> None:
        self._limit = max_event_size
        self._line_limit = max_event_size + _FIELD_NAME_ALLOWANCE
        self._oversized = False
        """The current block is being dropped: its lines are counted, not kept, up to its blank line."""
        self._skipping_line = False
        """Inside an over-long line: bytes are counted up to its line end."""
        self._pending: list[bytes] = []
        self._at_start = True
        self._cr_ended_last_chunk = False
        self._received = 0
        self._pos = 0
        self._block_start = 0
        self._block_excluded = 0
        self._warn_at = diagnostics.STALL_LIMIT
        self._data: list[bytes] = []
        self._event: bytes | None = None
        self._retry: int | None = None
        self._last_id: str | None = None
        self._block_set_id = False
        self._dispatched = 0
        self._saw_fields = False
        self._saw_comments = False
        self._head = b""

    def _take_lines(self, lines: list[bytes], sizes: Iterable[int], terminator: int, out: list[Parsed]) -> None:
        """Interpret complete lines. `sizes` gives each line's byte count, to which `terminator` is added."""
        # The hot loop: all state it touches per line lives in locals and is written back at the end.
        append = out.append
        new_message = new_sse_message
        data = self._data
        pos = self._pos
        warn_at = self._warn_at
        block_start = self._block_start
        block_excluded = self._block_excluded
        event = self._event
        retry = self._retry
        last_id = self._last_id
        block_set_id = self._block_set_id
        dispatched = self._dispatched
        oversized = self._oversized
        limit = self._limit
        line_limit = self._line_limit
        # Only lines that may reach the limit are checked, which keeps the usual case free of it.
        guarded = sum(map(len, data)) + sum(map(len, lines)) > limit
        data_size = sum(map(len, data)) if guarded else 0
        for line, size in zip(lines, sizes):
            pos += size + terminator
            if oversized or (guarded and len(line) > line_limit):
                if line:
                    if not oversized:
                        oversized = True
                        data = self._data = []
                    continue
                if pos > warn_at:
                    warn_at = self._warn_stalled(out, line)
                block_size = pos - block_start - block_excluded
                append((EventTooLarge(limit, block_size), block_size))
                oversized = False
                data = self._data = []
                data_size = 0
                event = retry = None
                block_set_id = False
                block_start = pos
                block_excluded = 0
                if warn_at != NEVER:
                    warn_at = pos + diagnostics.STALL_LIMIT
                continue
            if not line:
                if pos > warn_at:
                    warn_at = self._warn_stalled(out, line)
                if data:
                    append(
                        (
                            new_message(
                                event.decode("utf-8", "replace") if event else "message",
                                b"\n".join(data).decode("utf-8", "replace"),
                                last_id,
                                retry,
                            ),
                            pos - block_start - block_excluded,
                        )
                    )
                    dispatched += 1
                    data = self._data = []
                    data_size = 0
                    block_start = pos
                    block_excluded = 0
                elif retry is not None or block_set_id:
                    # No event for EventSource, but its state changed: the last event ID it will send
                    # on reconnecting, or its reconnection time. Shown, so a debugger sees them.
                    block_size = pos - block_start - block_excluded
                    if block_set_id:
                        append((SseId(last_id or ""), block_size))
                        block_size = 0
                    if retry is not None:
                        append((SseRetry(retry), block_size))
                    block_start = pos
                    block_excluded = 0
                # Even a block without data ends here: its event type and retry go with it.
                event = retry = None
                block_set_id = False
                if warn_at != NEVER:
                    warn_at = pos + diagnostics.STALL_LIMIT
                continue
            if line[:6] == b"data: ":
                data.append(line[6:])
                if guarded:
                    data_size += len(line) - 6
                    if data_size > limit:
                        oversized = True
                        data = self._data = []
                continue
            if line[:1] == b":":
                if pos > warn_at:
                    warn_at = self._warn_stalled(out, line)
                text = line[2:] if line[1:2] == b" " else line[1:]
                line_size = size + terminator
                append((SseComment(text.decode("utf-8", "replace")), line_size))
                block_excluded += line_size
                self._saw_comments = True
                continue
            colon = line.find(b":")
            if colon < 0:
                name = line
                value = b""
            else:
                name = line[:colon]
                value = line[colon + 2 :] if line[colon + 1 : colon + 2] == b" " else line[colon + 1 :]
            if name == b"data":
                data.append(value)
                if guarded:
                    data_size += len(value)
                    if data_size > limit:
                        oversized = True
                        data = self._data = []
                continue
            self._saw_fields = True
            if name == b"event":
                event = value
            elif name == b"id" and b"\0" not in value:
                last_id = value.decode("utf-8", "replace")
                block_set_id = True
            elif name == b"retry" and value.isdigit() and (milliseconds := _retry_ms(value)) is not None:
                retry = milliseconds
            else:
                # An unknown field, or an `id`/`retry` whose value EventSource ignores: the line changes
                # nothing, and is shown on its own, its bytes its own.
                if pos > warn_at:
                    warn_at = self._warn_stalled(out, line)
                line_size = size + terminator
                append((diagnostics.sse_ignored_line(name, value), line_size))
                block_excluded += line_size
        self._pos = pos
        self._warn_at = warn_at
        self._block_start = block_start
        self._block_excluded = block_excluded
        self._event = event
        self._retry = retry
        self._last_id = last_id
        self._block_set_id = block_set_id
        self._oversized = oversized
        self._dispatched = dispatched

    def _warn_stalled(self, out: list[Parsed], line: bytes | None) -> int:
        """Say once that the stream has gone 64 KiB without the blank line that would end an event."""
        if self._warn_at != NEVER:
            if self._data:
                sample = self._data_sample()
            elif line is not None:
                sample = line
            else:
                sample = b"".join(self._pending)[: diagnostics.SAMPLE_BYTES]
            out.append((diagnostics.sse_stalled(sample), 0))
        self._warn_at = NEVER
        return NEVER

    def _data_sample(self) -> bytes:
        return b"\n".join(b"data: " + value[: diagnostics.SAMPLE_CHARS] for value in self._data[:8])


def _retry_ms(digits: bytes) -> int | None:
    try:
        return int(digits)
    except ValueError:  # beyond Python's int-from-string digit limit: no sane reconnection time
        return None
