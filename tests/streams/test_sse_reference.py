"""Differential test: `SseDecoder` against a line-by-line transcription of the WHATWG algorithm.

The reference below is written for obviousness, not speed: decode the whole stream, split it into lines,
and follow the spec's steps one by one. Any body, in any chunking, must give the same messages.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.events import SseMessage
from app.streams.sse import SseDecoder


def reference_messages(body: bytes) -> list[SseMessage]:
    text = body.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = re.split(r"\r\n|\r|\n", text)
    lines.pop()  # what follows the last line end is an unterminated line: never processed
    messages: list[SseMessage] = []
    data, event_type, last_id, retry = "", "", None, None
    for line in lines:
        if line == "":
            if data:
                messages.append(SseMessage(event_type or "message", data.removesuffix("\n"), last_id, retry))
            data, event_type, retry = "", "", None
            continue
        if line.startswith(":"):
            continue
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            event_type = value
        elif name == "data":
            data += value + "\n"
        elif name == "id":
            if "\0" not in value:
                last_id = value
        elif name == "retry":
            if value and all(char in "0123456789" for char in value):
                retry = int(value)
    return messages


def decoded_messages(chunks: list[bytes]) -> list[SseMessage]:
    decoder = SseDecoder()
    parsed = [item for chunk in chunks for item in decoder.feed(chunk)] + decoder.finish()
    return [payload for payload, _ in parsed if isinstance(payload, SseMessage)]


LINE_PIECES = st.sampled_from(
    ["data", "data:", "data: ", "event:", "event: x", "id:", "id: 7", "id: a\0b", "retry: 10", "retry: x",
     ": ping", ":", "x: y", " data: z", "dat", "é", "\ufeff", "\x00", "{\"a\": 1}"]
)
ENDS = st.sampled_from(["\n", "\r", "\r\n", ""])


@st.composite
def event_streams(draw) -> bytes:
    pieces = draw(st.lists(st.tuples(st.one_of(LINE_PIECES, st.text(max_size=6)), ENDS), max_size=30))
    prefix = "\ufeff" if draw(st.booleans()) else ""
    text = prefix + "".join(piece + end for piece, end in pieces)
    return text.encode("utf-8") + draw(st.binary(max_size=3))


@settings(max_examples=300)
@given(body=event_streams(), cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=8))
def test_decoder_matches_the_reference_for_any_body_and_chunking(body, cuts):
    positions = sorted({cut % (len(body) + 1) for cut in cuts})
    chunks = [body[start:end] for start, end in zip([0, *positions], [*positions, len(body)])]
    assert decoded_messages(chunks) == reference_messages(body)


@settings(max_examples=200)
@given(body=st.binary(max_size=200))
def test_decoder_matches_the_reference_on_random_bytes(body):
    assert decoded_messages([body]) == reference_messages(body)


class LineByLineDecoder(SseDecoder):
    """The decoder with its whole-chunk fast paths (`data:`-only events, `event:` + `data:` events) turned off."""

    def _take_data_only_events(self, complete, separator):
        return None

    def _take_named_events(self, complete, separator, out):
        return None


DATA_HEAVY_LINES = st.sampled_from(
    ["data: {\"a\": 1}", "data: é", "data: ", "data: data: x", "", "", "", "id: 3", "retry: 5", "event: e", ": hi",
     "data:x", "x" * 70_000]
).map(str.encode) | st.sampled_from(
    # Invalid UTF-8 (a truncated sequence at the line's end, stray bytes): replaced exactly as line by line.
    [b"data: \xe2\x80", b"data: \xff\xfeok", b"data: a\xc3", b"data: \xf0\x9f\x98"]
)


@st.composite
def data_heavy_streams(draw) -> bytes:
    end = draw(st.sampled_from([b"\n", b"\r\n"]))
    pieces = draw(st.lists(DATA_HEAVY_LINES, max_size=40))
    return end.join(pieces) + draw(st.sampled_from([b"", end, end * 2]))


@settings(max_examples=300)
@given(body=data_heavy_streams(), cuts=st.lists(st.integers(min_value=0, max_value=80_000), max_size=6))
def test_the_data_only_fast_path_gives_what_the_line_interpreter_gives(body, cuts):
    assert_fast_path_matches_line_by_line(body, cuts)


def assert_fast_path_matches_line_by_line(body: bytes, cuts: list[int]) -> None:
    positions = sorted({cut % (len(body) + 1) for cut in cuts})
    chunks = [body[start:end] for start, end in zip([0, *positions], [*positions, len(body)])]
    fast, slow = SseDecoder(), LineByLineDecoder()
    fast_out = [item for chunk in chunks for item in fast.feed(chunk)] + fast.finish()
    slow_out = [item for chunk in chunks for item in slow.feed(chunk)] + slow.finish()
    assert fast_out == slow_out
    assert fast._pos == slow._pos  # the byte position, against which a stalled stream is warned of


DATA_BYTES = st.binary(max_size=12).map(lambda data: data.replace(b"\r", b"").replace(b"\n", b"")) | st.sampled_from(
    [b"\xe2\x80", b"\xff\xfeok", b"a\xc3", b"\xf0\x9f\x98", "é".encode(), b"data: x", b""]
)


@settings(max_examples=300)
@given(
    datas=st.lists(DATA_BYTES, min_size=1, max_size=30),
    end=st.sampled_from([b"\n", b"\r\n"]),
    cuts=st.lists(st.integers(min_value=0, max_value=600), max_size=4),
)
def test_data_only_events_with_any_bytes_decode_as_line_by_line(datas, end, cuts):
    # Only `data:` events, so whole chunks take the fast path, whatever bytes (invalid UTF-8 included) they hold.
    assert_fast_path_matches_line_by_line(b"".join(b"data: " + data + end + end for data in datas), cuts)


NAMES = st.sampled_from([b"content_block_delta", b"ping", b"", b" spaced", b"a:b", "é".encode(), b"\xff", b"message"])
NAMED_EVENT_BYTES = st.binary(max_size=10).map(lambda data: data.replace(b"\r", b"").replace(b"\n", b"")) | st.sampled_from(
    [b"\xe2\x80", "é".encode(), b"data: x", b"event: y", b"", b'{"type":"ping"}']
)
ODD_BLOCKS = st.sampled_from(
    # What the named fast path must leave to the line interpreter, mixed in among the named events.
    [b"data: only", b"event:tight\ndata: x", b"event: e\ndata:tight", b"event: e\ndata: a\ndata: b", b"event: e",
     b"id: 4\nevent: e\ndata: x", b"event: e\nid: 5\ndata: x", b": ping", b"event: e\nretry: 7\ndata: x", b"", b"x" * 70_000]
)


@settings(max_examples=300)
@given(
    blocks=st.lists(st.tuples(NAMES, NAMED_EVENT_BYTES).map(lambda pair: b"event: " + pair[0] + b"\ndata: " + pair[1]) | ODD_BLOCKS,
                    min_size=1, max_size=30),
    end=st.sampled_from([b"\n", b"\r\n"]),
    tail=st.sampled_from([b"", b"\n", b"\n\n"]),
    cuts=st.lists(st.integers(min_value=0, max_value=80_000), max_size=5),
)
def test_named_events_decode_as_line_by_line(blocks, end, tail, cuts):
    # `event:` + `data:` events (Anthropic, Responses), so whole chunks take the named fast path, among
    # blocks it must not take; any bytes, names the same or not, either line end.
    body = b"".join(block.replace(b"\n", end) + end + end for block in blocks) + tail.replace(b"\n", end)
    assert_fast_path_matches_line_by_line(body, cuts)
    assert decoded_messages([body]) == reference_messages(body)


@pytest.mark.parametrize("end", [b"\n", b"\r\n"])
def test_named_events_cut_anywhere_decode_as_line_by_line(end):
    # A chunk ends inside an event as often as not: after its `event:` line, after its `data:` line,
    # inside either. Every cut of such a stream, and every pair of cuts, gives what line by line gives.
    events = [(b"message_start", b'{"type":"message_start"}'), (b"content_block_delta", "{\"text\":\"é\"}".encode()),
              (b"content_block_delta", b'{"text":"b"}'), (b"", b"unnamed"), (b"ping", b""), (b"content_block_delta", b'{"text":"c"}')]
    body = b"".join(b"event: " + name + end + b"data: " + data + end + end for name, data in events)
    for cut in range(len(body) + 1):
        assert_fast_path_matches_line_by_line(body, [cut])
        assert_fast_path_matches_line_by_line(body, [cut, cut + 9, cut + 23])
