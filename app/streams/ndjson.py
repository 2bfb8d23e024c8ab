"""NDJSON / JSON Lines framing: one strict RFC 8259 JSON value per line.

Python's `json` is laxer than the RFC (it accepts `NaN`, `Infinity` and, given bytes, UTF-16), so each
line is checked by orjson (as strict as the RFC) or, for what orjson refuses (integers too long for a
double, lone surrogate escapes), decoded as UTF-8 ourselves and parsed by a decoder that rejects the
constants. A bad line becomes an `NdjsonError` with the line text and the stream goes on.

A good line becomes an `NdjsonValue` holding its text: nothing downstream needs the value built for the
usual line (see `NdjsonValue`). So the usual chunk, whole lines with no number that could overflow a
double, is checked at once, building no values: in one C pass (`app/streams/_json_lines.c`) where a
compiler built it at install, else by msgspec's validating scanner, the lines joined as one JSON array,
each element of which must be exactly its line (`_one_value_per_line`). Either says no to any chunk it
cannot vouch for, and the line-by-line path decides; the NDJSON tests run on both.
"""

from __future__ import annotations

from msgspec import Raw
from msgspec.json import Decoder as _MsgspecDecoder
from orjson import loads as _fast_loads

from app.event_runs import NdjsonTexts
from app.events import EventTooLarge, NdjsonError, NdjsonValue, Parsed
from app.nesting import MAX_JSON_DEPTH, deeper_than
from app.slot_construction import slot_constructor
from app.streams import diagnostics
from app.streams.decoder import EMPTY_BATCH, ParsedBatch
from app.streams.json_payload import JsonTooDeep
from app.strict_json import STRICT_JSON, describe_json_error
from app.vocabulary import DEFAULT_MAX_EVENT_SIZE

_new_value = slot_constructor(NdjsonValue)
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789E+", b"000000000ee")
_OVERFLOW_SIGNS = (b"0" * 200, b"e000")
"""In the chunk with its digits as `0` (and an exponent's `E` and `+` as `e`, so that one search finds
`e000`, `E+000` and the rest): a number overflows a double only with an exponent of three digits or,
with one of two, 200 digits or more before it: anything less stays below 10**299."""
_elements = _MsgspecDecoder(list[Raw]).decode
"""Validates a JSON array and returns its elements' raw spans, building no values (but, unlike orjson,
it neither checks UTF-8 inside strings nor that numbers fit a double: checked apart)."""
_CONTROL_WHITESPACE = bytes.maketrans(b"\t\r", b"  ")


def _numbers_need_care(block: bytes) -> bool:
    """Whether `block` may hold a number that overflows a double, which msgspec's scanner lets through:
    one C-speed pass over a whole chunk's lines, where a regex search per line cost more than parsing."""
    digits = block.translate(_DIGITS_AS_ZERO)
    return any(sign in digits for sign in _OVERFLOW_SIGNS)


def _tidy(line: bytes) -> bytes:
    """A valid line as its text is kept: without the whitespace around the value (a CR line end with
    it), tabs and CRs between tokens as spaces (JSON allows them nowhere else, so the value is the
    same, and no control character reaches a terminal)."""
    line = line.strip()
    return line.translate(_CONTROL_WHITESPACE) if b"\t" in line or b"\r" in line else line


def _one_value_per_line(complete: bytes, lengths: list[int]) -> bool:
    """Whether every line of `complete` (LF-separated, of these byte `lengths`) is exactly one JSON value
    (RFC 8259 grammar, no surrounding whitespace). The array `[line,line,…]` is valid and its elements'
    lengths are the lines' lengths: then each element sits exactly on its line (nothing is left over for
    whitespace, so the separators are the joining commas), which a line like `1,2` or a value split
    over two lines cannot fake."""
    try:
        elements = _elements(b"".join((b"[", complete.replace(b"\n", b","), b"]")))
    except ValueError:  # msgspec.DecodeError; RecursionError cannot happen: depth is checked first
        return False
    return list(map(len, elements)) == lengths


def _checked_whole_lines(complete: bytes, line_end: int, max_depth: int) -> tuple[list[str], list[int]] | None:
    """The texts and sizes (bytes plus `line_end`) of `complete`'s LF-separated lines when each is exactly
    one JSON value nested at most `max_depth` deep, with no tab or CR, no number that may overflow a
    double, and valid UTF-8; else None. What `app/streams/_json_lines.c` does in one pass, in Python."""
    if b"\t" in complete or b"\r" in complete or _numbers_need_care(complete):
        return None
    try:
        text = complete.decode()  # strict UTF-8, which msgspec leaves unchecked
    except UnicodeDecodeError:
        return None
    lines = text.split("\n")
    lengths = list(map(len, lines if len(text) == len(complete) else complete.split(b"\n")))
    if max(lengths) > max_depth and any(
        deeper_than(line, max_depth) for line, length in zip(lines, lengths) if length > max_depth
    ):
        return None
    if not _one_value_per_line(complete, lengths):
        return None
    return lines, list(map(line_end.__add__, lengths))


try:
    from app.streams._json_lines import whole_lines as _whole_lines
except ImportError:  # installed without a C compiler: the same check in Python, about 4× the instructions
    _whole_lines = _checked_whole_lines


class NdjsonDecoder:
    """Incremental NDJSON parser: lines end in LF or CRLF; blank lines are skipped.

    A line longer than `max_event_size` is dropped with an `EventTooLarge` (memory stays bounded: what
    arrived of it is counted, not kept) and parsing goes on at the next line."""

    def __init__(self, max_event_size: int = DEFAULT_MAX_EVENT_SIZE) -> None:
        self._limit = max_event_size
        self._skipped: int | None = None
        """Bytes so far of an over-long line being skipped, or None."""
        self._pending: list[bytes] = []
        self._received = 0
        self._newline_seen = False
        self._warned = False
        self._unattributed = 0
        self._head = b""

    def feed(self, chunk: bytes) -> list[Parsed]:
        return self.feed_batch(chunk).pairs()

    def finish(self) -> list[Parsed]:
        return self.finish_batch().pairs()

    def feed_batch(self, chunk: bytes) -> ParsedBatch:
        out: list[Parsed] = []
        if not chunk:
            return EMPTY_BATCH
        start = self._received
        self._received += len(chunk)
        if len(self._head) < diagnostics.SAMPLE_BYTES:
            self._head = (self._head + chunk)[: diagnostics.SAMPLE_BYTES]
        if self._skipped is not None:
            chunk, start = self._skip_line(chunk, start, out)
            if not chunk:
                return ParsedBatch.of(out)
        last_newline = chunk.rfind(b"\n")
        if last_newline < 0:
            self._pending.append(chunk)
            if not self._newline_seen and self._received > diagnostics.STALL_LIMIT:
                self._warn_no_newline(out)
            self._bound_pending()
            return ParsedBatch.of(out)
        if not self._newline_seen:
            self._newline_seen = True
            # Judge by where the first newline sits, not by how the bytes were chunked.
            if start + chunk.find(b"\n") > diagnostics.STALL_LIMIT:
                self._warn_no_newline(out)
        if self._pending:
            # Joined from a view: the chunk's lines are copied once, not sliced out and then joined.
            complete = b"".join((*self._pending, memoryview(chunk)[:last_newline]))
            self._pending = []
        else:
            complete = chunk[:last_newline]
        if last_newline + 1 < len(chunk):
            self._pending.append(chunk[last_newline + 1 :])
        whole = None if len(complete) > self._limit else self._take_whole(complete)
        if whole is None:
            self._take_lines(complete.split(b"\n"), out)
            whole = EMPTY_BATCH
        self._bound_pending()
        return whole.after(out)

    def _bound_pending(self) -> None:
        """Start skipping the unfinished line once it is longer than the limit."""
        pending = self._pending
        if pending and (len(pending[0]) if len(pending) == 1 else sum(map(len, pending))) > self._limit:
            self._skipped = sum(map(len, pending))
            self._pending = []

    def _skip_line(self, chunk: bytes, start: int, out: list[Parsed]) -> tuple[bytes, int]:
        """Count an over-long line up to its newline, report it; return what follows it and its offset."""
        assert self._skipped is not None
        newline = chunk.find(b"\n")
        if newline < 0:
            self._skipped += len(chunk)
            if not self._newline_seen and self._received > diagnostics.STALL_LIMIT:
                self._warn_no_newline(out)
            return b"", start
        if not self._newline_seen:
            self._newline_seen = True
            if start + newline > diagnostics.STALL_LIMIT:
                self._warn_no_newline(out)
        size = self._skipped + newline
        out.append((EventTooLarge(self._limit, size), size + 1 + self._unattributed))
        self._skipped = None
        self._unattributed = 0
        return chunk[newline + 1 :], start + newline + 1

    def finish_batch(self) -> ParsedBatch:
        out: list[Parsed] = []
        if self._skipped is not None:
            out.append((EventTooLarge(self._limit, self._skipped), self._skipped + self._unattributed))
            self._skipped = None
        elif self._pending:
            line = b"".join(self._pending)
            self._pending = []
            self._take_lines([line], out, final=True)
        if self._received and not self._newline_seen:
            self._warn_no_newline(out)
        return ParsedBatch.of(out)

    def _take_lines(self, lines: list[bytes], out: list[Parsed], *, final: bool = False) -> None:
        """Line by line: what `_take_whole` leaves (blank, padded, bad, deep, overlong lines)."""
        # A line can open no more brackets than it has bytes: only lines longer than the depth limit
        # need the depth check, and a chunk of shorter lines skips it altogether.
        deep = MAX_JSON_DEPTH
        long_lines = max(map(len, lines)) > deep
        append = out.append
        parse = STRICT_JSON.decode
        fast_parse = _fast_loads
        new_value = _new_value
        terminator = 0 if final else 1
        # Bytes of skipped blank lines count toward the next payload, so sizes add up to the body.
        carry = self._unattributed
        limit = self._limit
        for line in lines:
            if len(line) > limit:
                append((EventTooLarge(limit, len(line)), len(line) + terminator + carry))
                carry = 0
                continue
            if long_lines and len(line) > deep and deeper_than(line, deep):
                append((NdjsonError(line.decode("utf-8", "replace"), f"line is not valid JSON: {JsonTooDeep()}"),
                        len(line) + terminator + carry))
                carry = 0
                continue
            # orjson is as strict as RFC 8259 (no NaN, no raw control characters, UTF-8 only) and 3.5×
            # faster; whatever it refuses (also what is JSON: a lone surrogate escape, an integer too long
            # for a double) goes through the standard decoder, which words the error.
            try:
                fast_parse(line)
            except ValueError:
                pass
            else:
                append((new_value(_tidy(line).decode()), len(line) + terminator + carry))
                carry = 0
                continue
            try:
                text = line.decode("utf-8")
                parse(text)
            except (ValueError, RecursionError) as error:
                if not line or line.isspace():
                    carry += len(line) + terminator
                    continue
                shown = line[:-1] if line[-1:] == b"\r" else line
                reason = describe_json_error(error)
                if final:
                    reason += " (the last line had no newline: the stream may have been cut off)"
                append(
                    (
                        NdjsonError(shown.decode("utf-8", "replace"), f"line is not valid JSON: {reason}"),
                        len(line) + terminator + carry,
                    )
                )
                carry = 0
                continue
            append((new_value(_tidy(line).decode()), len(line) + terminator + carry))
            carry = 0
        self._unattributed = carry

    def _take_whole(self, complete: bytes) -> ParsedBatch | None:
        """The usual chunk: `complete`, whole lines (without the last one's line end), each one JSON value,
        checked in one pass that builds no values. None, with nothing done, when any line is not that
        simple (blank, bad, padded with whitespace, not UTF-8, nested too deeply, a number that may
        overflow): the line-by-line loop decides those."""
        line_end = 1
        if b"\r" in complete:
            # CRLF line ends: the one kind of whitespace after a value that the fast path takes.
            if not complete.endswith(b"\r"):
                return None
            complete = complete[:-1]
            if not complete.count(b"\r") == complete.count(b"\r\n") == complete.count(b"\n"):
                return None
            complete = complete.replace(b"\r\n", b"\n")
            line_end = 2
        taken = _whole_lines(complete, line_end, MAX_JSON_DEPTH)
        if taken is None:
            return None
        texts, sizes = taken
        sizes[0] += self._unattributed
        self._unattributed = 0
        return ParsedBatch(NdjsonTexts(texts), sizes)

    def _warn_no_newline(self, out: list[Parsed]) -> None:
        if not self._warned:
            self._warned = True
            out.append((diagnostics.ndjson_no_newline(self._head), 0))
