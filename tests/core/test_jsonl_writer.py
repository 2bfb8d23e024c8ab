"""Differential test: the one `--jsonl` writer against the events' own `to_json`, for every kind.

The writer formats the bulk kinds directly; whatever it writes must parse back to exactly `to_json()`
(t rounded to microseconds, credentials masked) and must be byte for byte what the generic path writes.
Every line is one line of valid UTF-8 with DEL, C1 controls and U+2028/U+2029 escaped.
"""

from __future__ import annotations

import json
import re
import typing

from hypothesis import given, settings
from hypothesis import strategies as st

from app import events as ev
from app import jsonl
from app.event_runs import EventRun, NdjsonTexts, SseDatas, WsTexts, expand_runs
from app.events import ErrorType, EventPayload, TimelineEvent
from app.jsonl import JsonlFormatter, _ascii_json, event_line, seq_blocks, summary_pieces
from app.model.secrets import mask_headers, mask_url
from app.streams.json_payload import dump_json
from app.terminal_text import json_line_safe

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["", "\x85", "\u2028x\u2029", "\x7f", "\x1b]0;t\x07", "é\n\r\t", '"\\', "\ud800"]
)
SAFE_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(SAFE_TEXT, children, max_size=3),
    max_leaves=8,
)


def _ndjson_text(value: object, ascii_only: bool, spaced: bool) -> str:
    """A line's text as `NdjsonDecoder` keeps it: any JSON encoding of the value (never a lone surrogate
    character, which no UTF-8 line can hold)."""
    separators = (", ", ": ") if spaced else (",", ":")
    text = json.dumps(value, ensure_ascii=ascii_only, separators=separators)
    return text if text.encode("utf-8", "surrogatepass").decode("utf-8", "replace") == text else json.dumps(value)


NDJSON_TEXTS = st.builds(_ndjson_text, JSON_VALUES | st.integers(min_value=2**64), st.booleans(), st.booleans())
HEADERS = st.lists(st.tuples(SAFE_TEXT, TEXT), max_size=3).map(tuple)
OPTIONAL_FLOAT = st.none() | st.floats(min_value=0, max_value=1e6)

PAYLOADS: dict[type, st.SearchStrategy[EventPayload]] = {
    ev.RequestSent: st.builds(
        ev.RequestSent, st.sampled_from(["GET", "POST"]),
        st.sampled_from(["http://u:secret@h/x?api_key=k", "https://h/é"]) | TEXT,
        st.sampled_from([(("Authorization", "Bearer abc"),), ()]) | HEADERS, st.integers(0, 10**6),
    ),
    ev.ResponseOpened: st.builds(ev.ResponseOpened, st.integers(100, 599), st.just("HTTP/1.1"), HEADERS),
    ev.SseMessage: st.builds(ev.SseMessage, TEXT, TEXT, st.none() | TEXT, st.none() | st.integers(0, 10**12)),
    ev.SseRetry: st.builds(ev.SseRetry, st.integers(0, 10**12)),
    ev.SseId: st.builds(ev.SseId, TEXT),
    ev.SseComment: st.builds(ev.SseComment, TEXT),
    ev.SseUnknownField: st.builds(ev.SseUnknownField, TEXT, TEXT),
    ev.SseIgnoredField: st.builds(ev.SseIgnoredField, st.sampled_from(["id", "retry"]), TEXT, TEXT),
    ev.NdjsonValue: st.builds(ev.NdjsonValue, NDJSON_TEXTS),
    ev.NdjsonError: st.builds(ev.NdjsonError, TEXT, TEXT),
    ev.JsonArrayItem: st.builds(ev.JsonArrayItem, JSON_VALUES),
    ev.JsonArrayError: st.builds(ev.JsonArrayError, TEXT, TEXT),
    ev.BodyReceived: st.builds(ev.BodyReceived, st.binary(max_size=12) | TEXT.map(lambda text: text.encode("utf-8", "surrogatepass"))),
    ev.StreamDiagnostic: st.builds(ev.StreamDiagnostic, TEXT, TEXT),
    ev.EventTooLarge: st.builds(ev.EventTooLarge, st.integers(1, 2**40), st.integers(1, 2**40)),
    ev.StreamClosed: st.builds(
        ev.StreamClosed, st.integers(0, 10**9), st.integers(0, 10**6), st.floats(0, 1e6),
        OPTIONAL_FLOAT, OPTIONAL_FLOAT, OPTIONAL_FLOAT, st.sampled_from(["complete", "cancelled"]),
    ),
    ev.ConnectionFailed: st.builds(ev.ConnectionFailed, st.sampled_from(list(ErrorType)), TEXT),
    ev.Reconnecting: st.builds(ev.Reconnecting, st.integers(1, 100), st.floats(0, 60), st.none() | TEXT),
    ev.WsConnecting: st.builds(ev.WsConnecting, TEXT),
    ev.WsOpened: st.builds(ev.WsOpened, st.just(101), HEADERS, st.none() | TEXT),
    ev.WsMessage: st.builds(ev.WsMessage, st.sampled_from(["send", "recv"]), TEXT | st.binary(max_size=12)),
    ev.WsControl: st.builds(
        ev.WsControl, st.sampled_from(["ws_ping", "ws_pong"]), st.binary(max_size=8), st.sampled_from(["client", "server"])
    ),
    ev.WsClosed: st.builds(ev.WsClosed, st.none() | st.integers(1000, 4999), TEXT, st.sampled_from(["client", "server"])),
}
UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\n\r]")


def test_every_payload_type_is_covered():
    assert set(PAYLOADS) == set(typing.get_args(EventPayload))


def expected_fields(event: TimelineEvent) -> dict:
    payload = event.payload
    if isinstance(payload, ev.RequestSent):
        payload = ev.RequestSent(payload.method, mask_url(payload.url), mask_headers(payload.headers), payload.body_size)
    line = TimelineEvent(event.seq, event.t, payload, event.size).to_json()
    return json.loads(json.dumps(line))  # tuples become lists, as they do in JSON


EVENTS = st.lists(
    st.tuples(st.one_of(*PAYLOADS.values()), st.floats(min_value=0, max_value=1e5), st.integers(0, 100)), max_size=6
)


@settings(max_examples=400, deadline=None)  # no timing assertions: a loaded machine took 388 ms
@given(items=EVENTS)
def test_each_line_is_to_json_and_what_the_generic_path_writes(items):
    events = [TimelineEvent(seq, t, payload, size) for seq, (payload, t, size) in enumerate(items)]
    written = JsonlFormatter().lines(events)
    text = written.decode("utf-8")  # always valid UTF-8, even for a lone surrogate
    lines = text.split("\n")
    assert lines.pop() == ""
    assert len(lines) == len(events)
    generic = JsonlFormatter()
    generic._fast_lines = lambda batch: "".join(event_line(event) + "\n" for event in batch)  # type: ignore[method-assign]
    assert written == generic.lines(events)
    for line, event in zip(lines, events):
        assert UNSAFE.search(line) is None
        assert json.loads(line) == expected_fields(event)
        assert json.loads(line)["kind"] == event.kind


SIZES = st.integers(0, 100)
# Runs of one kind (NDJSON values; SSE messages of one name, with and without ids), as streams send them,
# and mixed runs.
UNIFORM_SSE = st.tuples(TEXT, st.booleans()).flatmap(
    lambda name_ids: st.lists(
        st.tuples(st.builds(ev.SseMessage, st.just(name_ids[0]), TEXT, st.none() | TEXT if name_ids[1] else st.none()), SIZES),
        min_size=1, max_size=5,
    )
)
RUN_PAYLOADS = st.one_of(
    st.lists(st.tuples(st.one_of(*PAYLOADS.values()), SIZES), min_size=1, max_size=5),
    st.lists(st.tuples(PAYLOADS[ev.NdjsonValue], SIZES), min_size=1, max_size=5),
    UNIFORM_SSE,
)
RUNS = st.lists(st.tuples(RUN_PAYLOADS, st.floats(0, 1e5), st.booleans()), max_size=5)


@settings(max_examples=300, deadline=None)
@given(runs=RUNS)
def test_runs_are_written_exactly_as_their_events(runs):
    # A worker publishes a chunk's events as one EventRun: the lines must not tell the two apart.
    items: list = []
    seq = 0
    for parsed, t, as_run in runs:
        if as_run:
            items.append(EventRun(seq, t, tuple(payload for payload, _ in parsed), tuple(size for _, size in parsed)))
        else:
            items.extend(TimelineEvent(seq + k, t, payload, size) for k, (payload, size) in enumerate(parsed))
        seq += len(parsed)
    events = expand_runs(items)
    assert [event.seq for event in events] == list(range(seq))
    assert JsonlFormatter().lines(items) == JsonlFormatter().lines(events)


COLUMN_RUNS = st.one_of(
    st.lists(PAYLOADS[ev.NdjsonValue], min_size=2, max_size=6).map(lambda values: NdjsonTexts([value.text for value in values])),
    st.builds(SseDatas, TEXT, st.lists(TEXT, min_size=2, max_size=6), st.none() | TEXT),
    st.builds(WsTexts, st.lists(TEXT, min_size=2, max_size=6)),
)


# Where the writer's sequence-number blocks of a thousand begin and end (`seq_blocks`), and anywhere.
FIRST_SEQS = st.sampled_from([0, 1, 995, 998, 999, 1000, 1997, 999_998, 10**12 - 3]) | st.integers(0, 10**15)


@settings(max_examples=300, deadline=None)
@given(runs=st.lists(st.tuples(COLUMN_RUNS, st.floats(0, 1e5)), max_size=4), first=FIRST_SEQS)
def test_runs_by_their_parsers_columns_are_written_exactly_as_their_events(runs, first):
    items: list = []
    seq = first
    for payloads, t in runs:
        items.append(EventRun(seq, t, payloads, [7] * len(payloads)))
        seq += len(payloads)
    assert JsonlFormatter().lines(items) == JsonlFormatter().lines(expand_runs(items))


@given(first=FIRST_SEQS, count=st.integers(0, 2500))
def test_sequence_number_blocks_join_to_the_numbers(first, count):
    pieces = [high + low for high, lows in seq_blocks(first, count) for low in lows]
    assert pieces == [str(seq) for seq in range(first, first + count)]


def test_public_kinds_are_used_inside_too():
    assert TimelineEvent(0, 0.0, ev.WsMessage("send", "x")).kind == ev.WsMessage("send", "x").kind == "ws_send"
    assert ev.WsMessage("recv", b"x").kind == "ws_recv"
    assert ev.WsControl("ws_pong").kind == "ws_pong"
    assert "ws_recv" in ev.DATA_KINDS and "ws_send" not in ev.DATA_KINDS


def test_a_text_frame_size_is_its_utf8_length_whatever_the_stamped_size():
    line = JsonlFormatter().lines([TimelineEvent(0, 0.0, ev.WsMessage("recv", "é€"), 99)])
    assert json.loads(line)["size"] == 5


def summary_line(seq: int, t: float, kind: str, fields: dict) -> bytes:
    return b"".join(summary_pieces(seq, t, kind, fields))


def test_summary_lines_escape_like_event_lines():
    line = summary_line(3, 0.5, "merged", {"text": "a\u2028b\x85\ud800"})
    assert line.endswith(b"\n") and b"\xe2\x80\xa8" not in line and b"\xc2\x85" not in line
    assert json.loads(line) == {"seq": 3, "t": 0.5, "kind": "merged", "text": "a\u2028b\x85\ud800"}


@given(st.dictionaries(SAFE_TEXT, JSON_VALUES, max_size=4), st.integers(0, 10**9), st.floats(0, 1e6))
def test_a_summary_line_is_the_event_line_encoding_of_its_fields(fields, seq, t):
    """`summary_pieces` encodes straight to bytes; byte for byte what the text route (`dump_json`, escapes,
    `\\u` for lone surrogates) writes."""
    line: dict = {"seq": seq, "t": round(t, 6), "kind": "merged"}
    line.update(fields)
    expected = (_ascii_json(json_line_safe(dump_json(line))) + "\n").encode("utf-8")
    assert summary_line(seq, t, "merged", fields) == expected


@settings(max_examples=200)
@given(st.lists(TEXT, max_size=12).map("".join), st.dictionaries(SAFE_TEXT, JSON_VALUES, max_size=3), st.integers(1, 5))
def test_a_long_text_is_written_in_pieces_that_make_the_same_line(text, fields, piece_chars):
    """The merged text of a long reply is encoded a piece at a time: the pieces join to the very line."""
    line: dict = {"seq": 1, "t": 0.5, "kind": "merged", **fields, "text": text}
    expected = (_ascii_json(json_line_safe(dump_json(line))) + "\n").encode("utf-8")
    original = jsonl.SUMMARY_PIECE_CHARS
    jsonl.SUMMARY_PIECE_CHARS = piece_chars
    try:
        pieces = list(jsonl.summary_pieces(1, 0.5, "merged", {**fields, "text": text}))
    finally:
        jsonl.SUMMARY_PIECE_CHARS = original
    assert b"".join(pieces) == expected


def test_a_reply_and_its_reasoning_both_long_are_each_written_in_pieces() -> None:
    """Two long fields (the text as `TextPieces`, the reasoning a long string): each written in its own
    place, in pieces; before, the line held `{"pieces": [...]}` for the text."""
    original = jsonl.SUMMARY_PIECE_CHARS
    jsonl.SUMMARY_PIECE_CHARS = 4
    try:
        fields = {"text": jsonl.TextPieces(["Hello", ", wor", "ld\u2028"]), "reasoning": "thinking hard", "n": 2}
        pieces = list(jsonl.summary_pieces(7, 0.5, "merged", fields))
    finally:
        jsonl.SUMMARY_PIECE_CHARS = original
    assert len(pieces) > 3
    line = b"".join(pieces)
    assert line == b'{"seq":7,"t":0.5,"kind":"merged","text":"Hello, world\\u2028","reasoning":"thinking hard","n":2}\n'


@settings(max_examples=200)
@given(st.lists(st.lists(TEXT, max_size=4).map("".join), max_size=8), st.dictionaries(SAFE_TEXT, JSON_VALUES, max_size=3), st.integers(1, 5))
def test_text_given_as_pieces_makes_the_line_its_joined_text_makes(pieces, fields, piece_chars):
    """The merged text handed over as the pieces it was gathered in (`TextPieces`, never joined) is written
    as the very line the joined text makes, whatever the pieces and however long."""
    fields = {key: value for key, value in fields.items() if key != "text"}
    original = jsonl.SUMMARY_PIECE_CHARS
    jsonl.SUMMARY_PIECE_CHARS = piece_chars
    try:
        given_pieces = b"".join(jsonl.summary_pieces(1, 0.5, "merged", {**fields, "text": jsonl.TextPieces(pieces)}))
        given_joined = b"".join(jsonl.summary_pieces(1, 0.5, "merged", {**fields, "text": "".join(pieces)}))
    finally:
        jsonl.SUMMARY_PIECE_CHARS = original
    assert given_pieces == given_joined
