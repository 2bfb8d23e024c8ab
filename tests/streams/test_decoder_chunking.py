"""Property: however a body is cut into chunks (down to single bytes), every decoder gives the same events."""

from __future__ import annotations

import json
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from app.streams.json_array import JsonArrayDecoder
from app.streams.ndjson import NdjsonDecoder
from app.streams.sse import SseDecoder

LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r"])
FIELD_NAMES = st.sampled_from(["data", "event", "id", "retry", "error", "", "dáta", ":", "data "])
VALUES = st.text(alphabet=st.sampled_from(list("ab :0123\x00é€😀\ufeff\t")), max_size=12)


@st.composite
def event_stream_bodies(draw) -> bytes:
    """Text shaped like an event stream: fields, comments, blank lines, mixed line ends, maybe a BOM."""
    pieces = ["\ufeff"] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(0, 25))):
        shape = draw(st.sampled_from(["field", "field", "bare", "comment", "blank"]))
        if shape == "field":
            pieces.append(f"{draw(FIELD_NAMES)}:{draw(VALUES)}")
        elif shape == "bare":
            pieces.append(draw(FIELD_NAMES).replace(":", ""))
        elif shape == "comment":
            pieces.append(":" + draw(VALUES))
        pieces.append(draw(LINE_ENDS))
    if draw(st.booleans()):
        pieces.append(draw(VALUES))
    body = "".join(pieces).encode("utf-8")
    if draw(st.booleans()):
        # Sprinkle invalid UTF-8 so replacement decoding across chunk edges is exercised too.
        at = draw(st.integers(0, len(body)))
        body = body[:at] + draw(st.sampled_from([b"\xff", b"\xe2\x82", b"\xc3"])) + body[at:]
    return body


@st.composite
def ndjson_bodies(draw) -> bytes:
    values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
        max_leaves=6,
    )
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["json", "json", "bad", "blank"]))
        if kind == "json":
            lines.append(json.dumps(draw(values), ensure_ascii=draw(st.booleans())))
        elif kind == "bad":
            lines.append(draw(st.sampled_from(["NaN", '{"a": 1', "[1,]", '"\t"', "é", "} {"])))
        else:
            lines.append(draw(st.sampled_from(["", "  ", "\t"])))
    return b"".join((line + draw(st.sampled_from(["\n", "\r\n"]))).encode() for line in lines) + draw(
        st.sampled_from([b"", b'{"tail": 1}', b"[1, 2"])
    )


@st.composite
def json_array_bodies(draw) -> bytes:
    elements = st.sampled_from(
        ['{"a": "x]}\\""}', '[1, [2, {"b": []}]]', '"s\\\\"', "12", "-3.5e2", "true", "null", '"€😀"', "NaN", "}"]
    )
    separators = st.sampled_from([",", " , ", ",\r\n", ",,", " "])
    parts = [draw(st.sampled_from(["[", " [", "", "{}"]))]
    for index in range(draw(st.integers(0, 8))):
        if index:
            parts.append(draw(separators))
        parts.append(draw(elements))
    parts.append(draw(st.sampled_from(["]", "", " ] ", ",]", "] [1]"])))
    return "".join(parts).encode("utf-8")


def decode(factory: Callable[[], object], chunks: list[bytes]) -> list[tuple[object, int]]:
    decoder = factory()
    parsed = [item for chunk in chunks for item in decoder.feed(chunk)]
    return parsed + decoder.finish()


def cut(body: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(point, len(body)) for point in cuts})
    edges = [0, *points, len(body)]
    return [body[start:end] for start, end in zip(edges, edges[1:])]


def assert_chunking_invariant(factory, body: bytes, cuts: list[int], *, sizes_must_match: bool) -> None:
    whole = decode(factory, [body])
    for chunks in (cut(body, cuts), [body[i : i + 1] for i in range(len(body))]):
        pieces = decode(factory, chunks)
        assert [p for p, _ in pieces] == [p for p, _ in whole]
        if sizes_must_match:
            assert [s for _, s in pieces] == [s for _, s in whole]


CUTS = st.lists(st.integers(0, 400), max_size=12)


@settings(max_examples=200, deadline=None)
@given(event_stream_bodies(), CUTS)
def test_sse_event_stream_text_any_chunking(body, cuts):
    # Sizes are exact unless a chunk edge falls inside a CRLF (its LF then counts toward the next block).
    assert_chunking_invariant(SseDecoder, body, cuts, sizes_must_match=b"\r" not in body)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200), CUTS)
def test_sse_random_bytes_any_chunking(body, cuts):
    assert_chunking_invariant(SseDecoder, body, cuts, sizes_must_match=b"\r" not in body)


@settings(max_examples=150, deadline=None)
@given(ndjson_bodies(), CUTS)
def test_ndjson_any_chunking(body, cuts):
    assert_chunking_invariant(NdjsonDecoder, body, cuts, sizes_must_match=True)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200), CUTS)
def test_ndjson_random_bytes_any_chunking(body, cuts):
    assert_chunking_invariant(NdjsonDecoder, body, cuts, sizes_must_match=True)


@settings(max_examples=150, deadline=None)
@given(json_array_bodies(), CUTS)
def test_json_array_any_chunking(body, cuts):
    assert_chunking_invariant(JsonArrayDecoder, body, cuts, sizes_must_match=True)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200), CUTS)
def test_json_array_random_bytes_any_chunking(body, cuts):
    assert_chunking_invariant(JsonArrayDecoder, body, cuts, sizes_must_match=True)
