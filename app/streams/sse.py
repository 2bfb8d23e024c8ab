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
from itertools import repeat
from operator import itemgetter

from app.event_runs import SseDatas
from app.events import EventTooLarge, Parsed, SseRetry
from app.streams import diagnostics
from app.streams.decoder import EMPTY_BATCH, ParsedBatch
from app.streams.sse_lines import NEVER, SseLineInterpreter, new_sse_message

_BOM = b"\xef\xbb\xbf"
_LINE_END = re.compile(rb"(\r\n|\r|\n)")


class SseDecoder(SseLineInterpreter):
    """Incremental `text/event-stream` parser: bytes in, `SseMessage`/`SseComment`/`SseUnknownField`/
    `SseIgnoredField` (and `SseId`/`SseRetry` for blocks without data) out.

    `max_event_size` bounds memory: an event whose data (or any one line, beyond its field name) grows past it is
    dropped (the rest of its block is skipped up to the blank line; an `id` read before stays in force) with
    an `EventTooLarge`, and parsing goes on after it. This class frames bytes into lines (line ends,
    a BOM, a CRLF split across chunks, whole chunks of plain `data:` events at once); `SseLineInterpreter`
    interprets them.
    """

    def feed(self, chunk: bytes) -> list[Parsed]:
        return self.feed_batch(chunk).pairs()

    def finish_batch(self) -> ParsedBatch:
        return ParsedBatch.of(self.finish())

    def feed_batch(self, chunk: bytes) -> ParsedBatch:
        out: list[Parsed] = []
        if not chunk:
            return EMPTY_BATCH
        self._received += len(chunk)
        if len(self._head) < diagnostics.SAMPLE_BYTES:
            self._head = (self._head + chunk)[: diagnostics.SAMPLE_BYTES]
        if self._at_start:
            chunk = self._strip_bom(chunk)
            if not chunk:
                return EMPTY_BATCH
        if self._cr_ended_last_chunk:
            self._cr_ended_last_chunk = False
            if chunk[:1] == b"\n":
                # The LF completing a CRLF split across chunks: the line already ended at the CR.
                self._pos += 1
                chunk = chunk[1:]
        if self._skipping_line:
            chunk = self._skip_line(chunk)
        whole = None
        if not chunk:
            pass
        elif b"\r" not in chunk:
            whole = self._feed_split(chunk, b"\n", out)
        elif chunk.count(b"\r") == chunk.count(b"\n") == chunk.count(b"\r\n"):
            whole = self._feed_split(chunk, b"\r\n", out)
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
        return ParsedBatch.of(out) if whole is None else whole.then(out)

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

    def _feed_split(self, chunk: bytes, separator: bytes, out: list[Parsed]) -> ParsedBatch | None:
        """The fast path: every line end in `chunk` is `separator` (LF, or CRLF throughout). Returns the
        batch of a chunk of plain `data:` events (`_take_data_only_events`), or None with what was parsed
        appended to `out`."""
        last_end = chunk.rfind(separator)
        if last_end < 0:
            self._pending.append(chunk)
            return None
        if self._pending:
            self._pending.append(chunk[:last_end])
            complete = b"".join(self._pending)
            self._pending = []
        else:
            complete = chunk[:last_end]
        rest = chunk[last_end + len(separator) :]
        if rest:
            self._pending.append(rest)
        whole = self._take_data_only_events(complete, separator)
        if whole is None:
            whole = self._take_named_events(complete, separator, out)
        if whole is None:
            lines = complete.split(separator)
            self._take_lines(lines, map(len, lines), len(separator), out)
        return whole

    def _take_data_only_events(self, complete: bytes, separator: bytes) -> ParsedBatch | None:
        """The commonest stream, whole chunks at a time: every event one `data: ` line and its blank line.

        Checked with a few C-speed passes over the chunk's text; None (nothing consumed) for anything
        else, which the line-by-line interpreter then reads. Gives exactly what that interpreter would.
        """
        if (
            self._data
            or self._event is not None
            or self._retry is not None
            or self._block_set_id
            or self._oversized
            or len(complete) > self._limit
            or not complete.startswith(b"data: ")
        ):
            return None
        # Decoded in one pass: a line end is never inside a UTF-8 sequence, so "replace" makes the same
        # text as line by line, and no replacement is a line end, so the text's lines are the bytes' lines.
        ascii_only = complete.isascii()
        text = complete.decode("ascii") if ascii_only else complete.decode("utf-8", "replace")
        line_end = separator.decode("ascii")
        # `complete` ends in its last blank line: events `data: X` + two line ends each, the last one's
        # second left out. Split at each blank-line-then-`data: `, no piece may hold a line end: then every
        # line is a `data: ` line or blank, in turn. (An LF is in every line end; a lone CR never reaches
        # here.) One test over the joined pieces, where a count of the text's line ends cost 5 steps a byte.
        if not text.endswith(line_end):
            return None
        datas = text[6 : len(text) - len(line_end)].split(f"{line_end}{line_end}data: ")
        if "\n" in "".join(datas):
            return None
        count = len(datas)
        terminators = 2 * len(separator)
        if ascii_only:
            sizes = list(map((len(b"data: ") + terminators).__add__, map(len, datas)))
        else:
            sizes = list(map(terminators.__add__, map(len, complete.split(separator)[0::2])))
        pos = self._pos
        if self._warn_at != NEVER and (max(sizes) > diagnostics.STALL_LIMIT or pos + sizes[0] > self._warn_at):
            return None
        sizes[0] += pos - self._block_start - self._block_excluded
        whole = ParsedBatch(SseDatas("message", datas, self._last_id), sizes)
        pos += len(complete) + len(separator)
        self._pos = self._block_start = pos
        self._block_excluded = 0
        self._dispatched += count
        if self._warn_at != NEVER:
            self._warn_at = pos + diagnostics.STALL_LIMIT
        return whole

    def _take_named_events(self, complete: bytes, separator: bytes, out: list[Parsed]) -> ParsedBatch | None:
        """The next commonest stream (Anthropic, OpenAI's Responses API, most servers that name their
        events): every event an `event: ` line, one `data: ` line and its blank line. As in
        `_take_data_only_events`: exactly what the line interpreter gives, else None with nothing consumed.

        A chunk ends inside an event as often as not, so the event the last chunk left open (its `event:`
        line, and its `data:` line, already interpreted) is taken up again, and the lines of the one this
        chunk leaves open go to the line interpreter (into `out`, where they usually add nothing)."""
        data = self._data
        event = self._event
        if (
            self._retry is not None
            or self._block_set_id
            or self._oversized
            or len(complete) > self._limit
            or len(data) > (event is not None)
        ):
            return None
        # The open event's lines, as they would have been with this chunk's line ends: counted already.
        taken_up = b"" if event is None else b"event: " + event + separator + b"".join(b"data: " + value + separator for value in data)
        if taken_up:
            complete = taken_up + complete
        if not complete.startswith(b"event: "):
            return None
        if not complete.endswith(separator):
            last_blank = complete.rfind(separator + separator)
            if last_blank < 0:
                return None
            left_open = complete[last_blank + 2 * len(separator) :]
            complete = complete[: last_blank + len(separator)]
        else:
            left_open = b""
        ascii_only = complete.isascii()
        text = complete.decode("ascii") if ascii_only else complete.decode("utf-8", "replace")
        line_end = separator.decode("ascii")
        # Split at each blank-line-then-`event: `, then each block at its first line end and `data: `: when
        # neither the names nor the datas hold a line end, every line was one of the two, in turn.
        blocks = text[7 : len(text) - len(line_end)].split(f"{line_end}{line_end}event: ")
        fields = list(map(str.partition, blocks, repeat(f"{line_end}data: ")))
        names = list(map(itemgetter(0), fields))
        datas = list(map(itemgetter(2), fields))
        if not all(map(itemgetter(1), fields)) or "\n" in "".join(names) or "\n" in "".join(datas):
            return None
        # An event is `event: `, its block (name, line end, `data: `, data) and two line ends.
        around = len(b"event: ") + 2 * len(separator)
        if ascii_only:
            sizes = list(map(around.__add__, map(len, blocks)))
        else:
            byte_blocks = complete[7 : len(complete) - len(separator)].split(separator + separator + b"event: ")
            sizes = list(map(around.__add__, map(len, byte_blocks)))
        sizes[0] -= len(taken_up)
        pos = self._pos
        if self._warn_at != NEVER and (max(sizes) > diagnostics.STALL_LIMIT or pos + sizes[0] > self._warn_at):
            return None
        sizes[0] += pos - self._block_start - self._block_excluded
        last_id = self._last_id
        first = names[0]
        if names.count(first) == len(names):
            whole = ParsedBatch(SseDatas(first or "message", datas, last_id), sizes)
        else:
            # An empty `event:` value names no type: the event is a "message", as EventSource has it.
            whole = ParsedBatch(list(map(new_sse_message, [name or "message" for name in names], datas, repeat(last_id), repeat(None))), sizes)
        pos += len(complete) - len(taken_up) + len(separator)
        self._pos = self._block_start = pos
        self._block_excluded = 0
        self._event = None
        self._data = []
        self._dispatched += len(datas)
        self._saw_fields = True
        if self._warn_at != NEVER:
            self._warn_at = pos + diagnostics.STALL_LIMIT
        if left_open:
            lines = left_open.split(separator)
            self._take_lines(lines, map(len, lines), len(separator), out)
        return whole

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
