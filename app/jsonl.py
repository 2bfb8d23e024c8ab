"""The one `--jsonl` writer: timeline events to the lines of the public JSONL contract (see README).

Each line is what `TimelineEvent.to_json()` describes, encoded compactly with non-ASCII kept, then made
safe for line-oriented readers: DEL, C1 controls and U+2028/U+2029 become `\\uXXXX` (as Go's encoder
does), and a line that cannot be written as UTF-8 (a lone surrogate, which `"\\ud800"` in JSON can carry)
is written with `\\u` escapes instead. Credentials in a `request` event are masked.

The bulk of any stream (SSE messages and comments, NDJSON values, WebSocket text messages) is formatted
directly rather than through a dict, about twice as fast, and a chunk's events straight from the columns
of their `EventRun`; the differential test checks, for every kind,
that the result is byte for byte what `to_json()` gives.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from orjson import OPT_APPEND_NEWLINE, JSONEncodeError
from orjson import dumps as _dumps

from app.event_runs import BusItem, EventRun, NdjsonTexts, SseDatas, WsTexts, expand_runs
from app.events import NdjsonValue, RequestSent, SseComment, SseMessage, TimelineEvent
from app.model.secrets import masked_payload
from app.streams.json_payload import dump_json
from app.terminal_text import json_line_safe
from app.ws_events import WsConnecting, WsMessage

MAX_CACHED_EVENT_NAMES = 256


class JsonlFormatter:
    """Formats batches of timeline events as JSONL text; keeps a small cache of SSE event-name prefixes."""

    def __init__(self) -> None:
        self._sse_prefixes: dict[str, str] = {}
        """`,"kind":"sse","event":"NAME","data":` for each event name seen: a stream repeats a handful."""

    def lines(self, items: Sequence[BusItem]) -> bytes:
        """The JSONL lines of `items` (events, runs of events: `app.event_runs`), each ending in a newline,
        as UTF-8."""
        try:
            text = self._fast_lines(items)
        except JSONEncodeError:  # a lone surrogate somewhere in the batch: the standard library encodes it
            text = "".join(event_line(event) + "\n" for event in expand_runs(list(items)))
        return _safe_utf8(text)

    def _fast_lines(self, items: Sequence[BusItem]) -> str:
        dumps = _dumps
        sse_prefixes = self._sse_prefixes
        pieces: list[str] = []  # each line's last piece ends in its newline
        append = pieces.append
        last_t = None
        t_text = ""
        for item in items:
            run: Any = item  # dispatch on the exact type, which mypy does not narrow
            t = run.t
            numbered: Iterable[tuple[int, Any, int]]
            if t != last_t:
                last_t = t
                t_text = dumps(round(t, 6)).decode()
            if type(run) is EventRun:
                # The usual chunk, whose payloads the parser knew to be all of one kind: no dispatch per line.
                payloads = run.payloads
                if type(payloads) is NdjsonTexts:
                    opening = f',"t":{t_text},"kind":"ndjson","value":'
                    pieces += _run_pieces(run.first_seq, opening, payloads.texts, "}\n")
                    continue
                if type(payloads) is SseDatas:
                    opening = f',"t":{t_text},"kind":"sse","event":{dumps(payloads.event).decode()},"data":'
                    closing = f',"id":{"null" if payloads.id is None else dumps(payloads.id).decode()},"retry":null}}\n'
                    datas = list(map(bytes.decode, map(dumps, payloads.datas)))
                    pieces += _run_pieces(run.first_seq, opening, datas, closing)
                    continue
                if type(payloads) is WsTexts:
                    self._add_ws_texts(pieces, run.first_seq, t_text, payloads.texts)
                    continue
                numbered = zip(range(run.first_seq, run.last_seq + 1), payloads, run.sizes)
            else:
                numbered = ((run.seq, run.payload, run.size),)
            for seq, payload, size in numbered:
                payload_type = type(payload)
                if payload_type is SseMessage:
                    name = payload.event
                    prefix = sse_prefixes.get(name)
                    if prefix is None:
                        prefix = f',"kind":"sse","event":{dumps(name).decode()},"data":'
                        if len(sse_prefixes) < MAX_CACHED_EVENT_NAMES:
                            sse_prefixes[name] = prefix
                    event_id = payload.id
                    retry = payload.retry
                    append(
                        f'{{"seq":{seq},"t":{t_text}{prefix}{dumps(payload.data).decode()},'
                        f'"id":{"null" if event_id is None else dumps(event_id).decode()},'
                        f'"retry":{"null" if retry is None else retry}}}\n'
                    )
                elif payload_type is NdjsonValue:
                    append(f'{{"seq":{seq},"t":{t_text},"kind":"ndjson","value":{payload.text}}}\n')
                elif payload_type is WsMessage and type(payload.data) is str:
                    data = payload.data
                    kind = "ws_send" if payload.direction == "send" else "ws_recv"  # `WsMessage.kind`, inline
                    append(
                        f'{{"seq":{seq},"t":{t_text},"kind":"{kind}","opcode":"text",'
                        f'"text":{dumps(data).decode()},"size":{len(data) if data.isascii() else len(data.encode("utf-8", "surrogatepass"))}}}\n'
                    )
                elif payload_type is SseComment:
                    append(f'{{"seq":{seq},"t":{t_text},"kind":"sse_comment","text":{dumps(payload.text).decode()}}}\n')
                else:
                    append(event_line(TimelineEvent(seq, t, payload, size)) + "\n")
        return "".join(pieces)

    def _add_ws_texts(self, pieces: list[str], first_seq: int, t_text: str, texts: list[str]) -> None:
        """The lines of text messages received in one read (`WsTexts`), between one opening and closing."""
        opening = f',"t":{t_text},"kind":"ws_recv","opcode":"text","text":'
        sizes = map(len, texts) if all(map(str.isascii, texts)) else (len(text.encode("utf-8", "surrogatepass")) for text in texts)
        encoded = list(map(bytes.decode, map(_dumps, texts)))
        pieces += _run_pieces(first_seq, opening, encoded, [f',"size":{size}}}\n' for size in sizes])


def _run_pieces(first_seq: int, opening: str, values: list[str], closing: str | list[str]) -> list[str]:
    """The pieces of a run's lines, five a line: `{"seq":` and the number's leading digits, its last
    digits, `opening`, the line's value, `closing` (one for all or one a line). Joined at once with the
    rest: no string is built for a line only to be copied into the join (half of the formatting)."""
    count = len(values)
    pieces = [opening] * (5 * count)
    at = 0
    for high, lows in seq_blocks(first_seq, count):
        taken = len(lows)
        pieces[5 * at : 5 * (at + taken) : 5] = [f'{{"seq":{high}'] * taken
        pieces[5 * at + 1 : 5 * (at + taken) : 5] = lows
        at += taken
    pieces[3::5] = values
    pieces[4::5] = [closing] * count if type(closing) is str else closing
    return pieces


_THREE_DIGITS = tuple(f"{number:03d}" for number in range(1000))
_BELOW_1000 = tuple(map(str, range(1000)))


def seq_blocks(first: int, count: int) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The sequence numbers `first` … `first + count - 1` in decimal, in blocks of up to a thousand: each
    block's leading digits once, and each number's last three digits from a table. Turning an int into
    text allocated a string a line and cost more than the rest of a line's formatting; joined, the two
    pieces are `str(seq)`."""
    seq, end = first, first + count
    while seq < end:
        block, low = divmod(seq, 1000)
        stop = min(end, seq - low + 1000)
        yield (str(block), _THREE_DIGITS[low : low + stop - seq]) if block else ("", _BELOW_1000[low:stop])
        seq = stop


def event_line(event: TimelineEvent) -> str:
    """One event's line by the definition (`to_json`), credentials masked, without its newline. An NDJSON
    line's `value` is its JSON text as it came (`NdjsonValue`): the same value, digits and all."""
    payload = event.payload
    if type(payload) in (RequestSent, WsConnecting):
        event = TimelineEvent(event.seq, event.t, masked_payload(payload), event.size)
    elif type(payload) is NdjsonValue:
        line = event.to_json()
        del line["value"]  # last, as the text it was parsed from
        return f'{dump_json(line)[:-1]},"value":{payload.text}}}'
    return dump_json(event.to_json())


SUMMARY_PIECE_CHARS = 1 << 20
"""A string field longer than this (the merged text of a long reply) is written in pieces of this size."""


@dataclass(frozen=True, slots=True)
class TextPieces:
    """A long string field of a closing line as the pieces it was gathered in (a merged reply's fragments,
    compacted): `summary_pieces` writes the one string they make without ever joining them."""

    pieces: list[str]


def summary_pieces(seq: int, t: float, kind: str, fields: dict[str, Any]) -> Iterator[bytes]:
    """A closing line that is not a timeline event (`merged`, `metrics`), with its newline, as UTF-8, in
    consecutive pieces of bytes to write one after another.

    The `merged` line carries the whole reply (tens of MB on a long stream). Encoded at once, the encoder's
    growing buffer briefly held twice the text beside the text itself: the peak memory of a long run. So a
    long string field (or `TextPieces`) is left out (a random placeholder in its place), the rest encoded
    once, and the string encoded and written a piece at a time in the placeholder's place (each such field
    in its own, the reply's text and its reasoning both, say): JSON escapes
    one character at a time, and so does `json_line_safe`, so the pieces make exactly the whole string's
    encoding. A lone surrogate anywhere sends the line the text route, at once (the standard library's
    `\\u` escapes for the whole line)."""
    line: dict[str, Any] = {"seq": seq, "t": round(t, 6), "kind": kind}
    line.update(fields)
    long_fields = [
        key for key, value in fields.items()
        if type(value) is TextPieces or (type(value) is str and len(value) > SUMMARY_PIECE_CHARS)
    ]
    try:
        if long_fields:
            placeholders = {key: f"sluice-{os.urandom(16).hex()}" for key in long_fields}
            rest = _dumps({**line, **placeholders}, option=OPT_APPEND_NEWLINE)
            heads = []
            for key in long_fields:  # orjson keeps the keys' order, so the placeholders come in this order
                head, rest = rest.split(f'"{placeholders[key]}"'.encode(), 1)
                heads.append(head)
            texts = [line[key] for key in long_fields]
            for text in texts:
                if not all(map(str.isascii, _slices(text))):
                    for piece in _slices(text):  # a lone surrogate raises here, before anything is written
                        _dumps(piece)
            opening = b""
            for head, text in zip(heads, texts):
                yield opening + _line_safe(head) + b'"'
                for piece in _slices(text):
                    yield _line_safe(_dumps(piece)[1:-1])
                opening = b'"'
            yield b'"' + _line_safe(rest)
            return
        data = _dumps(line, option=OPT_APPEND_NEWLINE)
        if _utf8_is_line_safe(data):
            yield data
            return
    except JSONEncodeError:  # a lone surrogate, an integer beyond 64 bits: the standard library encodes it
        pass
    joined = {key: "".join(value.pieces) if type(value) is TextPieces else value for key, value in line.items()}
    yield (_ascii_json(json_line_safe(dump_json(joined))) + "\n").encode("utf-8")


def _slices(text: str | TextPieces) -> Iterator[str]:
    """`text` in slices of at most `SUMMARY_PIECE_CHARS` characters, in order."""
    pieces: Iterable[str] = text.pieces if isinstance(text, TextPieces) else (text,)
    for piece in pieces:
        for at in range(0, len(piece), SUMMARY_PIECE_CHARS):
            yield piece[at : at + SUMMARY_PIECE_CHARS] if len(piece) > SUMMARY_PIECE_CHARS else piece


def _line_safe(data: bytes) -> bytes:
    """UTF-8 JSON text (no lone surrogates) with what `json_line_safe` escapes escaped."""
    return data if _utf8_is_line_safe(data) else json_line_safe(data.decode("utf-8")).encode("utf-8")


def _safe_utf8(text: str) -> bytes:
    """`text` as UTF-8 with DEL, C1, U+2028/U+2029 and bidi controls escaped (`json_line_safe`), and any
    line that cannot be UTF-8 (a lone surrogate) escaped as `\\uXXXX`. The checks run on the encoded bytes,
    where `in` is a memchr and `str.isascii` is free: a regex over the text cost more than formatting it."""
    if text.isascii():
        if "\x7f" not in text:
            return text.encode("ascii")
    else:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            text = json_line_safe(text)
            return "".join(_ascii_json(line) + "\n" for line in text.split("\n")[:-1]).encode("utf-8")
        if _utf8_is_line_safe(data):
            return data
    return json_line_safe(text).encode("utf-8")


def _utf8_is_line_safe(data: bytes) -> bool:
    """No DEL, C1 control, U+2028/U+2029 or bidi control in UTF-8 `data` (memchr-speed tests first)."""
    return not (
        b"\x7f" in data
        or (b"\xc2" in data and _C1_IN_UTF8.search(data) is not None)
        or (b"\xe2" in data and _U2028_TO_BIDI_IN_UTF8.search(data) is not None)
    )


_C1_IN_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
"""U+0080–U+009F in UTF-8; the literal first byte lets the regex engine skip ahead quickly."""
_U2028_TO_BIDI_IN_UTF8 = re.compile(rb"\xe2(?:\x80[\xa8-\xae]|\x81[\xa6-\xa9])")
"""U+2028–U+202E (line and paragraph separators, bidi embeddings and overrides) and U+2066–U+2069 (bidi
isolates) in UTF-8: what `json_line_safe` escapes beyond C1."""


def _ascii_json(line: str) -> str:
    """The same JSON line, re-encoded with \\u escapes if it cannot be written as UTF-8 as it is."""
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(json.loads(line), separators=(",", ":"))
    return line
