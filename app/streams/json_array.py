"""Framing for a body that is one JSON array streamed piece by piece (Gemini `streamGenerateContent`).

Each top-level element is handed over the moment it is complete: an object or array at its closing
bracket, a string at its closing quote, a number or literal at the delimiter after it. The scanner only
tracks nesting, strings and escapes, one regex step per token, so it runs in linear time; the element's
own syntax is then checked by a strict RFC 8259 parse. Framing faults (a missing comma, a stray value
outside the array, a body cut off before `]`) become `JsonArrayError`s and scanning goes on.

Sizes: each payload counts the bytes since the previous one (separators and brackets included), so the
sizes add up to the body up to the last element.
"""

from __future__ import annotations

import re
from enum import Enum, auto

from app.events import EventTooLarge, JsonArrayError, JsonArrayItem, Parsed
from app.nesting import MAX_JSON_DEPTH, deeper_than
from app.streams.decoder import BatchesFromPairs
from app.streams.json_payload import JsonTooDeep
from app.strict_json import STRICT_JSON as _STRICT_JSON
from app.strict_json import describe_json_error, parse_strict_json
from app.vocabulary import DEFAULT_MAX_EVENT_SIZE

_NON_SPACE = re.compile(rb"[^ \t\r\n]")
# A whole string (or its unterminated start, possibly ending in a lone backslash) or a bracket.
_CONTAINER_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*("|\\?\Z)|[\[\]{}]', re.DOTALL)
_STRING_REST = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*("|\\?\Z)', re.DOTALL)
_SCALAR_END = re.compile(rb'[ \t\r\n,\[\]{}"]')
_OPENERS = frozenset(b"[{")
_PARSE_AHEAD_STARTS = frozenset(b'[{"')


class _Mode(Enum):
    OUTSIDE = auto()
    """Before the array's `[` or after its `]`."""
    EXPECT_ELEMENT = auto()
    AFTER_ELEMENT = auto()
    IN_ELEMENT = auto()


class _Kind(Enum):
    CONTAINER = auto()
    STRING = auto()
    SCALAR = auto()


class JsonArrayDecoder(BatchesFromPairs):
    """Incremental parser for `[elem, elem, ...]`: one `JsonArrayItem` per complete top-level element.

    An element longer than `max_event_size` is scanned to its end without being kept, then reported as an
    `EventTooLarge`; the elements after it are read as usual."""

    def __init__(self, max_event_size: int = DEFAULT_MAX_EVENT_SIZE) -> None:
        self._limit = max_event_size
        self._kept = 0
        """Bytes of the current element held in `_parts` (or counted, once it is over the limit)."""
        self._dropping = False
        self._mode = _Mode.OUTSIDE
        self._array_empty_so_far = True
        self._kind = _Kind.SCALAR
        self._bare = False
        self._depth = 0
        self._in_string = False
        self._escape_pending = False
        self._parts: list[bytes] = []
        self._element_start = 0
        self._ascii_text: str | None = None
        self._offset = 0
        self._attributed = 0

    def feed(self, chunk: bytes) -> list[Parsed]:
        out: list[Parsed] = []
        self._ascii_text = chunk.decode("ascii") if chunk.isascii() else None
        index = 0
        end = len(chunk)
        while index < end:
            if self._mode is _Mode.IN_ELEMENT:
                index = self._scan_element(chunk, index, out)
            else:
                index = self._between_elements(chunk, index, out)
        if self._mode is _Mode.IN_ELEMENT:
            # The element goes on in the next chunk: keep what this one holds of it, up to the limit.
            self._kept += end - self._element_start
            if self._dropping or self._kept > self._limit:
                self._dropping = True
                self._parts = []
            else:
                self._parts.append(chunk[self._element_start :])
            self._element_start = 0
        self._offset += end
        return out

    def finish(self) -> list[Parsed]:
        out: list[Parsed] = []
        mode = self._mode
        if mode is _Mode.IN_ELEMENT:
            text = b"".join(self._parts)
            self._parts = []
            if self._dropping:
                self._emit_too_large(self._kept, self._offset, out)
            elif self._bare:
                self._emit_element(text, self._offset, out)
            else:
                self._emit_error(
                    text, "the body ended inside this element, before the closing ']'", self._offset, out
                )
        elif mode is not _Mode.OUTSIDE:
            self._emit_error(b"", "the body ended before the closing ']'", self._offset, out)
        self._mode = _Mode.OUTSIDE
        return out

    def _between_elements(self, chunk: bytes, index: int, out: list[Parsed]) -> int:
        found = _NON_SPACE.search(chunk, index)
        if found is None:
            return len(chunk)
        at = found.start()
        char = chunk[at]
        mode = self._mode
        here = self._offset + at
        if mode is _Mode.OUTSIDE:
            if char == 0x5B:  # [
                self._mode = _Mode.EXPECT_ELEMENT
                self._array_empty_so_far = True
                return at + 1
            self._bare = True
            return self._start_element(chunk, at, out)
        if mode is _Mode.EXPECT_ELEMENT:
            if char == 0x5D:  # ]
                if not self._array_empty_so_far:
                    self._emit_error(b"", f"a ',' followed by ']' at byte {here}: trailing comma", here, out)
                self._mode = _Mode.OUTSIDE
                return at + 1
            if char == 0x2C:  # ,
                self._emit_error(b"", f"an empty element (two commas) at byte {here}", here, out)
                return at + 1
            self._bare = False
            return self._start_element(chunk, at, out)
        if char == 0x2C:
            self._mode = _Mode.EXPECT_ELEMENT
            self._array_empty_so_far = False
            return at + 1
        if char == 0x5D:
            self._mode = _Mode.OUTSIDE
            return at + 1
        self._emit_error(b"", f"missing ',' between elements at byte {here}", here, out)
        self._bare = False
        return self._start_element(chunk, at, out)

    def _start_element(self, chunk: bytes, at: int, out: list[Parsed]) -> int:
        text = self._ascii_text
        if text is not None and chunk[at] in _PARSE_AHEAD_STARTS:
            # Fast path: let the C parser find the element's end. If it fails (the element is cut by the
            # chunk edge, or malformed) the scanner below takes over from the same place.
            try:
                value, end = _STRICT_JSON.raw_decode(text, at)
            except (ValueError, RecursionError):
                pass
            else:
                self._mode = _Mode.OUTSIDE if self._bare else _Mode.AFTER_ELEMENT
                if end - at > self._limit:
                    self._emit_too_large(end - at, self._offset + end, out)
                else:
                    self._emit_value(value, chunk[at:end], self._offset + end, out)
                return end
        self._mode = _Mode.IN_ELEMENT
        self._parts = []
        self._kept = 0
        self._dropping = False
        self._depth = 0
        self._in_string = False
        self._escape_pending = False
        self._element_start = at
        char = chunk[at]
        if char in _OPENERS:
            self._kind = _Kind.CONTAINER
            self._depth = 1
        elif char == 0x22:  # "
            self._kind = _Kind.STRING
            self._in_string = True
        else:
            # The first character always belongs to the scalar, so a stray `}` still makes progress.
            self._kind = _Kind.SCALAR
        return at + 1

    def _scan_element(self, chunk: bytes, index: int, out: list[Parsed]) -> int:
        """Advance through the current element; return where scanning stopped in `chunk`."""
        start = self._element_start
        end = len(chunk)
        done_at = -1
        if self._kind is _Kind.SCALAR:
            found = _SCALAR_END.search(chunk, index)
            if found is not None:
                done_at = found.start()
        else:
            if self._in_string:
                index, closed = self._finish_string(chunk, index)
                if closed and self._kind is _Kind.STRING:
                    done_at = index
            if done_at < 0 and not self._in_string:
                depth = self._depth
                for token in _CONTAINER_TOKEN.finditer(chunk, index):
                    first = token.group()[0]
                    if first == 0x22:
                        if token.group(1) != b'"':
                            self._in_string = True
                            self._escape_pending = token.group(1) == b"\\"
                            break
                    elif first in _OPENERS:
                        depth += 1
                    else:
                        depth -= 1
                        if depth == 0:
                            done_at = token.end()
                            break
                self._depth = depth
        if done_at < 0:
            return end
        self._element_start = 0
        self._mode = _Mode.OUTSIDE if self._bare else _Mode.AFTER_ELEMENT
        size = self._kept + done_at - start
        if self._dropping or size > self._limit:
            self._parts = []
            self._emit_too_large(size, self._offset + done_at, out)
            return done_at
        self._parts.append(chunk[start:done_at])
        text = b"".join(self._parts)
        self._parts = []
        self._emit_element(text, self._offset + done_at, out)
        return done_at

    def _finish_string(self, chunk: bytes, index: int) -> tuple[int, bool]:
        """Continue a string cut by a chunk boundary; return (next index, whether it closed)."""
        if self._escape_pending:
            self._escape_pending = False
            index += 1
            if index >= len(chunk):
                return index, False
        rest = _STRING_REST.match(chunk, index)
        assert rest is not None  # the pattern can always match the empty remainder
        closing = rest.group(1)
        if closing == b'"':
            self._in_string = False
            return rest.end(), True
        self._escape_pending = closing == b"\\"
        return len(chunk), False

    def _emit_element(self, text: bytes, stream_end: int, out: list[Parsed]) -> None:
        try:
            value = parse_strict_json(text.decode("utf-8"))
        except (ValueError, RecursionError) as error:
            self._emit_error(text, f"element is not valid JSON: {describe_json_error(error)}", stream_end, out)
            return
        self._emit_value(value, text, stream_end, out)

    def _emit_value(self, value: object, text: bytes, stream_end: int, out: list[Parsed]) -> None:
        if deeper_than(text, MAX_JSON_DEPTH):
            self._emit_error(text, f"element is not valid JSON: {JsonTooDeep()}", stream_end, out)
            return
        if self._bare:
            self._emit_error(
                text, "a JSON value outside any array: the body should start with '['", stream_end, out
            )
            return
        out.append((JsonArrayItem(value), stream_end - self._attributed))
        self._attributed = stream_end

    def _emit_too_large(self, size: int, stream_end: int, out: list[Parsed]) -> None:
        out.append((EventTooLarge(self._limit, size), stream_end - self._attributed))
        self._attributed = stream_end

    def _emit_error(self, text: bytes, error: str, stream_end: int, out: list[Parsed]) -> None:
        out.append((JsonArrayError(text.decode("utf-8", "replace"), error), stream_end - self._attributed))
        self._attributed = stream_end
