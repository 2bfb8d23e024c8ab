"""NDJSON / JSON Lines framing: one strict RFC 8259 JSON value per line.

Python's `json` is laxer than the RFC (it accepts `NaN`, `Infinity` and, given bytes, UTF-16), so each
line is parsed by orjson (as strict as the RFC) or, for what orjson refuses or would round (integers
beyond 64 bits), decoded as UTF-8 ourselves and parsed by a decoder that rejects the constants.
A bad line becomes an `NdjsonError` with the line text and the stream goes on.
"""

from __future__ import annotations

import json
import re
from typing import NoReturn

from orjson import loads as _fast_loads

from app.events import EventTooLarge, NdjsonError, NdjsonValue, Parsed, slot_columns_constructor, slot_constructor
from app.nesting import MAX_JSON_DEPTH, deeper_than
from app.streams import diagnostics
from app.streams.json_payload import JsonTooDeep
from app.vocabulary import DEFAULT_MAX_EVENT_SIZE


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not allowed in JSON (RFC 8259)")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (_INFINITY, -_INFINITY):
        raise ValueError(f"number {text} is out of range for a double")
    return value


_INFINITY = float("inf")
STRICT_JSON = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)
"""A `json` decoder that refuses NaN and the infinities, as RFC 8259 does, and numbers that overflow to
them (which no JSON text could then carry back out)."""

_LONG_NUMBER = re.compile(rb"[0-9]{19}")
"""orjson turns integers beyond 64 bits into floats: lines that may hold one take the exact path."""
_new_value = slot_constructor(NdjsonValue)
_new_values = slot_columns_constructor(NdjsonValue)
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_RUN = b"0" * 19


def _may_hold_long_number(block: bytes) -> bool:
    """Whether any 19-digit run occurs in `block`: one C-speed pass over a whole chunk's lines, where the
    regex search per line cost more than parsing the line."""
    return _LONG_RUN in block.translate(_DIGITS_AS_ZERO)


def parse_strict_json(text: str) -> object:
    """Parse one RFC 8259 JSON text; raise `ValueError` with a readable message if it is not one."""
    return STRICT_JSON.decode(text)


def describe_json_error(error: ValueError | RecursionError) -> str:
    """A one-line reason, e.g. "Expecting ',' delimiter at column 12"."""
    if isinstance(error, RecursionError):
        return "nested too deeply to parse"
    if isinstance(error, UnicodeDecodeError):
        return f"invalid UTF-8 at byte {error.start + 1}"
    if isinstance(error, json.JSONDecodeError):
        if error.pos == 0 and error.doc.startswith("\ufeff"):
            return "Unexpected UTF-8 BOM at column 1 (RFC 8259 forbids it)"
        return f"{error.msg.removesuffix(' at')} at column {error.colno}"
    return str(error)


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
        out: list[Parsed] = []
        if not chunk:
            return out
        start = self._received
        self._received += len(chunk)
        if len(self._head) < diagnostics.SAMPLE_BYTES:
            self._head = (self._head + chunk)[: diagnostics.SAMPLE_BYTES]
        if self._skipped is not None:
            chunk, start = self._skip_line(chunk, start, out)
            if not chunk:
                return out
        last_newline = chunk.rfind(b"\n")
        if last_newline < 0:
            self._pending.append(chunk)
            if not self._newline_seen and self._received > diagnostics.STALL_LIMIT:
                self._warn_no_newline(out)
            self._bound_pending()
            return out
        if not self._newline_seen:
            self._newline_seen = True
            # Judge by where the first newline sits, not by how the bytes were chunked.
            if start + chunk.find(b"\n") > diagnostics.STALL_LIMIT:
                self._warn_no_newline(out)
        # Split whole: slicing off the complete part first copied every chunk once more.
        lines = chunk.split(b"\n")
        rest = lines.pop()
        long_numbers = _may_hold_long_number(chunk)  # the unfinished line too: only ever more careful
        guarded = len(chunk) > self._limit
        if self._pending:
            self._pending.append(lines[0])
            first = lines[0] = b"".join(self._pending)
            self._pending = []
            long_numbers = long_numbers or _may_hold_long_number(first)
            guarded = guarded or len(first) > self._limit
        if rest:
            self._pending.append(rest)
        self._take_lines(lines, out, long_numbers=long_numbers, guarded=guarded)
        self._bound_pending()
        return out

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

    def finish(self) -> list[Parsed]:
        out: list[Parsed] = []
        if self._skipped is not None:
            out.append((EventTooLarge(self._limit, self._skipped), self._skipped + self._unattributed))
            self._skipped = None
        elif self._pending:
            line = b"".join(self._pending)
            self._pending = []
            self._take_lines([line], out, final=True, long_numbers=_may_hold_long_number(line), guarded=False)
        if self._received and not self._newline_seen:
            self._warn_no_newline(out)
        return out

    def _take_lines(
        self, lines: list[bytes], out: list[Parsed], *, long_numbers: bool, guarded: bool, final: bool = False
    ) -> None:
        """`long_numbers`: some line may hold a 19-digit run, so each line is checked for one; `guarded`:
        some line may be longer than the limit."""
        append = out.append
        parse = STRICT_JSON.decode
        fast_parse = _fast_loads
        new_value = _new_value
        may_hold_long_number = _LONG_NUMBER.search
        terminator = 0 if final else 1
        # Bytes of skipped blank lines count toward the next payload, so sizes add up to the body.
        carry = self._unattributed
        limit = self._limit
        # A line can open no more brackets than it has bytes: only lines longer than the depth limit
        # need the depth check, and a chunk of shorter lines skips it altogether.
        deep = MAX_JSON_DEPTH
        may_nest_deeply = max(map(len, lines)) > deep
        if not (guarded or long_numbers or may_nest_deeply or final):
            # The usual chunk: whole lines of JSON, none special. Parsed in one C-speed pass; any line
            # orjson refuses (a blank line, an error) sends the chunk through the loop below instead.
            try:
                values = list(map(fast_parse, lines))
            except ValueError:
                pass
            else:
                sizes = [len(line) + 1 for line in lines]
                sizes[0] += carry
                out.extend(zip(_new_values(len(values), values), sizes))
                self._unattributed = 0
                return
        for line in lines:
            if guarded and len(line) > limit:
                append((EventTooLarge(limit, len(line)), len(line) + terminator + carry))
                carry = 0
                continue
            if may_nest_deeply and len(line) > deep and deeper_than(line, deep):
                append((NdjsonError(line.decode("utf-8", "replace"), f"line is not valid JSON: {JsonTooDeep()}"),
                        len(line) + terminator + carry))
                carry = 0
                continue
            # orjson is as strict as RFC 8259 (no NaN, no raw control characters, UTF-8 only) and 3.5×
            # faster; whatever it refuses goes through the standard decoder, which words the error.
            if not (long_numbers and may_hold_long_number(line)):
                try:
                    value = fast_parse(line)
                except ValueError:
                    pass
                else:
                    append((new_value(value), len(line) + terminator + carry))
                    carry = 0
                    continue
            try:
                value = parse(line.decode("utf-8"))
            except (ValueError, RecursionError) as error:
                if not line or line.isspace():
                    carry += len(line) + terminator
                    continue
                text = line[:-1] if line[-1:] == b"\r" else line
                reason = describe_json_error(error)
                if final:
                    reason += " (the last line had no newline: the stream may have been cut off)"
                append(
                    (
                        NdjsonError(text.decode("utf-8", "replace"), f"line is not valid JSON: {reason}"),
                        len(line) + terminator + carry,
                    )
                )
                carry = 0
                continue
            append((new_value(value), len(line) + terminator + carry))
            carry = 0
        self._unattributed = carry

    def _warn_no_newline(self, out: list[Parsed]) -> None:
        if not self._warned:
            self._warned = True
            out.append((diagnostics.ndjson_no_newline(self._head), 0))
