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

from app.events import NdjsonError, NdjsonValue, Parsed
from app.nesting import MAX_JSON_DEPTH, deeper_than
from app.streams import diagnostics
from app.streams.json_payload import JsonTooDeep


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
    """Incremental NDJSON parser: lines end in LF or CRLF; blank lines are skipped."""

    def __init__(self) -> None:
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
        last_newline = chunk.rfind(b"\n")
        if last_newline < 0:
            self._pending.append(chunk)
            if not self._newline_seen and self._received > diagnostics.STALL_LIMIT:
                self._warn_no_newline(out)
            return out
        if not self._newline_seen:
            self._newline_seen = True
            # Judge by where the first newline sits, not by how the bytes were chunked.
            if start + chunk.find(b"\n") > diagnostics.STALL_LIMIT:
                self._warn_no_newline(out)
        if self._pending:
            self._pending.append(chunk[:last_newline])
            complete = b"".join(self._pending)
            self._pending = []
        else:
            complete = chunk[:last_newline]
        rest = chunk[last_newline + 1 :]
        if rest:
            self._pending.append(rest)
        self._take_lines(complete.split(b"\n"), out)
        return out

    def finish(self) -> list[Parsed]:
        out: list[Parsed] = []
        if self._pending:
            line = b"".join(self._pending)
            self._pending = []
            self._take_lines([line], out, final=True)
        if self._received and not self._newline_seen:
            self._warn_no_newline(out)
        return out

    def _take_lines(self, lines: list[bytes], out: list[Parsed], *, final: bool = False) -> None:
        append = out.append
        parse = STRICT_JSON.decode
        fast_parse = _fast_loads
        may_hold_long_number = _LONG_NUMBER.search
        terminator = 0 if final else 1
        # Bytes of skipped blank lines count toward the next payload, so sizes add up to the body.
        carry = self._unattributed
        for line in lines:
            if deeper_than(line, MAX_JSON_DEPTH):
                append((NdjsonError(line.decode("utf-8", "replace"), f"line is not valid JSON: {JsonTooDeep()}"),
                        len(line) + terminator + carry))
                carry = 0
                continue
            # orjson is as strict as RFC 8259 (no NaN, no raw control characters, UTF-8 only) and 3.5×
            # faster; whatever it refuses goes through the standard decoder, which words the error.
            if not may_hold_long_number(line):
                try:
                    value = fast_parse(line)
                except ValueError:
                    pass
                else:
                    append((NdjsonValue(value), len(line) + terminator + carry))
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
            append((NdjsonValue(value), len(line) + terminator + carry))
            carry = 0
        self._unattributed = carry

    def _warn_no_newline(self, out: list[Parsed]) -> None:
        if not self._warned:
            self._warned = True
            out.append((diagnostics.ndjson_no_newline(self._head), 0))
