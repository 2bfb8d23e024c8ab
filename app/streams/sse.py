"""Server-Sent Events framing, exactly as the WHATWG "event stream interpretation" reads a stream.

Works on bytes: line terminators are ASCII, so splitting before decoding is safe and a multi-byte
character cut by a chunk boundary simply waits in the pending line. Field values are decoded as UTF-8
with U+FFFD for invalid bytes; decoding per line gives the same text as decoding the whole stream,
because an ASCII terminator always ends an invalid sequence.

Beyond the spec, the decoder reports what EventSource silently drops: comments (heartbeats), unknown
fields and `id`/`retry` lines whose value the spec ignores become their own payloads, and a stream that
delivers bytes but no event gets a diagnostic.

Sizes: every byte of an event's block (its field lines and the blank line that ends it, plus blank lines
and ignored lines before it) counts toward the event; comments, unknown fields and ignored `id`/`retry`
lines count their own line.
Lines are handled as soon as their terminator arrives, so when a chunk ends inside a CRLF the LF counts
toward the next block instead: a one-byte difference that buys never delaying a CR-terminated event.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable

from app.events import (
    EventTooLarge,
    Parsed,
    SseComment,
    SseId,
    SseMessage,
    SseRetry,
    slot_constructor,
)
from app.streams import diagnostics
from app.vocabulary import DEFAULT_MAX_EVENT_SIZE

_BOM = b"\xef\xbb\xbf"
_LINE_END = re.compile(rb"(\r\n|\r|\n)")
_NEVER = sys.maxsize
_FIELD_NAME_ALLOWANCE = 64
"""A line may exceed the maximum event size by this much: `data: ` and a value of exactly the limit fit."""


_new_message = slot_constructor(SseMessage)


class SseDecoder:
    """Incremental `text/event-stream` parser: bytes in, `SseMessage`/`SseComment`/`SseUnknownField`/
    `SseIgnoredField` (and `SseId`/`SseRetry` for blocks without data) out.

    `max_event_size` bounds memory: an event whose data (or any one line, beyond its field name) grows past it is
    dropped (the rest of its block is skipped up to the blank line; an `id` read before stays in force) with
    an `EventTooLarge`, and parsing goes on after it.
    """

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

    def feed(self, chunk: bytes) -> list[Parsed]:
        out: list[Parsed] = []
        if not chunk:
            return out
        self._received += len(chunk)
        if len(self._head) < diagnostics.SAMPLE_BYTES:
            self._head = (self._head + chunk)[: diagnostics.SAMPLE_BYTES]
        if self._at_start:
            chunk = self._strip_bom(chunk)
            if not chunk:
                return out
        if self._cr_ended_last_chunk:
            self._cr_ended_last_chunk = False
            if chunk[:1] == b"\n":
                # The LF completing a CRLF split across chunks: the line already ended at the CR.
                self._pos += 1
                chunk = chunk[1:]
        if self._skipping_line:
            chunk = self._skip_line(chunk)
        if not chunk:
            pass
        elif b"\r" not in chunk:
            self._feed_split(chunk, b"\n", out)
        elif chunk.count(b"\r") == chunk.count(b"\n") == chunk.count(b"\r\n"):
            self._feed_split(chunk, b"\r\n", out)
        else:
            self._feed_any_line_endings(chunk, out)
        pending = self._pending
        if pending and not self._at_start and (len(pending[0]) if len(pending) == 1 else sum(map(len, pending))) > self._line_limit:
            # A line longer than the limit: drop what arrived of it (and its event), and skip the rest.
            self._pos += sum(map(len, pending))
            self._pending = []
            self._data = []
            self._oversized = self._skipping_line = True
        if self._received > self._warn_at:
            self._warn_stalled(out, None)
        return out

    def finish(self) -> list[Parsed]:
        out: list[Parsed] = []
        if self._at_start and self._pending:
            self._at_start = False
        partial = b"".join(self._pending)
        self._pending = []
        if self._received == 0:
            return out
        if self._oversized:
            out.append((EventTooLarge(self._limit, self._pos + len(partial) - self._block_start - self._block_excluded), 0))
            return out
        if self._retry is not None and not self._data:
            # EventSource applies `retry` as soon as its line is read, blank line or not.
            out.append((SseRetry(self._retry), self._pos - self._block_start - self._block_excluded))
            self._retry = None
        if self._dispatched == 0:
            out.append(
                (
                    diagnostics.sse_no_events(
                        self._head,
                        saw_data=bool(self._data) or partial.startswith(b"data"),
                        saw_fields=self._saw_fields or bool(partial.strip()),
                        saw_comments=self._saw_comments,
                    ),
                    0,
                )
            )
        elif self._data or (partial.strip() and not partial.startswith(b":")):
            sample = self._data_sample() if self._data else partial
            out.append((diagnostics.sse_truncated_event(sample), 0))
        return out

    def _skip_line(self, chunk: bytes) -> bytes:
        """Count the bytes of an over-long line up to its end; return what follows it."""
        found = _LINE_END.search(chunk)
        if found is None:
            self._pos += len(chunk)
            return b""
        end = found.end()
        self._cr_ended_last_chunk = end == len(chunk) and found.group() == b"\r"
        self._skipping_line = False
        self._pos += end
        return chunk[end:]

    def _strip_bom(self, chunk: bytes) -> bytes:
        """Drop one leading BOM, waiting for more bytes while the start could still be one."""
        start = b"".join(self._pending) + chunk
        self._pending = []
        if len(start) < len(_BOM) and _BOM.startswith(start):
            self._pending.append(start)
            return b""
        self._at_start = False
        if start.startswith(_BOM):
            self._pos += len(_BOM)
            return start[len(_BOM) :]
        return start

    def _feed_split(self, chunk: bytes, separator: bytes, out: list[Parsed]) -> None:
        """The fast path: every line end in `chunk` is `separator` (LF, or CRLF throughout)."""
        last_end = chunk.rfind(separator)
        if last_end < 0:
            self._pending.append(chunk)
            return
        if self._pending:
            self._pending.append(chunk[:last_end])
            complete = b"".join(self._pending)
            self._pending = []
        else:
            complete = chunk[:last_end]
        rest = chunk[last_end + len(separator) :]
        if rest:
            self._pending.append(rest)
        lines = complete.split(separator)
        if not self._take_data_only_events(complete, lines, separator, out):
            self._take_lines(lines, map(len, lines), len(separator), out)

    def _take_data_only_events(self, complete: bytes, lines: list[bytes], separator: bytes, out: list[Parsed]) -> bool:
        """The commonest stream, whole chunks at a time: every event one `data: ` line and its blank line.

        Checked with a few C-speed passes over the chunk; False (nothing consumed) for anything else, which
        the line-by-line interpreter then reads. Gives exactly what that interpreter would.
        """
        count = len(lines) // 2
        if (
            len(lines) % 2
            or self._data
            or self._event is not None
            or self._retry is not None
            or self._block_set_id
            or self._oversized
            or len(complete) > self._limit
            or any(lines[1::2])
            or (separator + complete).count(separator + b"data: ") != count
        ):
            return False
        data_lines = lines[0::2]
        terminators = 2 * len(separator)
        pos = self._pos
        if self._warn_at != _NEVER:
            longest = max(map(len, data_lines)) + terminators
            if longest > diagnostics.STALL_LIMIT or pos + len(data_lines[0]) + terminators > self._warn_at:
                return False
        new_message = _new_message
        last_id = self._last_id
        sizes = [len(line) + terminators for line in data_lines]
        sizes[0] += pos - self._block_start - self._block_excluded
        out.extend(
            zip([new_message("message", line[6:].decode("utf-8", "replace"), last_id, None) for line in data_lines], sizes)
        )
        pos += len(complete) + len(separator)
        self._pos = self._block_start = pos
        self._block_excluded = 0
        self._dispatched += count
        if self._warn_at != _NEVER:
            self._warn_at = pos + diagnostics.STALL_LIMIT
        return True

    def _feed_any_line_endings(self, chunk: bytes, out: list[Parsed]) -> None:
        if self._pending:
            self._pending.append(chunk)
            chunk = b"".join(self._pending)
            self._pending = []
        parts = _LINE_END.split(chunk)
        rest = parts.pop()
        if rest:
            self._pending.append(rest)
        if not parts:
            return
        lines = parts[0::2]
        terminators = parts[1::2]
        # A CR at the very end may be the first half of a CRLF; its LF must not count as a blank line.
        self._cr_ended_last_chunk = not rest and terminators[-1] == b"\r"
        self._take_lines(lines, [len(line) + len(end) for line, end in zip(lines, terminators)], 0, out)

    def _take_lines(self, lines: list[bytes], sizes: Iterable[int], terminator: int, out: list[Parsed]) -> None:
        """Interpret complete lines. `sizes` gives each line's byte count, to which `terminator` is added."""
        # The hot loop: all state it touches per line lives in locals and is written back at the end.
        append = out.append
        new_message = _new_message
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
                if warn_at != _NEVER:
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
                if warn_at != _NEVER:
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
        if self._warn_at != _NEVER:
            if self._data:
                sample = self._data_sample()
            elif line is not None:
                sample = line
            else:
                sample = b"".join(self._pending)[: diagnostics.SAMPLE_BYTES]
            out.append((diagnostics.sse_stalled(sample), 0))
        self._warn_at = _NEVER
        return _NEVER

    def _data_sample(self) -> bytes:
        return b"\n".join(b"data: " + value[: diagnostics.SAMPLE_CHARS] for value in self._data[:8])


def _retry_ms(digits: bytes) -> int | None:
    try:
        return int(digits)
    except ValueError:  # beyond Python's int-from-string digit limit: no sane reconnection time
        return None
