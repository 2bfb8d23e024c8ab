"""The maximum event size: an over-long SSE event, NDJSON line or JSON-array element is dropped with an
`event_too_large` error naming the limit and how much arrived; the stream goes on; memory stays bounded;
and the result is the same however the bytes are chunked."""

from __future__ import annotations

from functools import partial

from hypothesis import given, settings
from hypothesis import strategies as st

from app.events import EventTooLarge, JsonArrayItem, NdjsonValue, SseMessage
from app.streams.json_array import JsonArrayDecoder
from app.streams.ndjson import NdjsonDecoder
from app.streams.sse import SseDecoder
from tests.streams.test_decoder_chunking import (
    CUTS,
    assert_chunking_invariant,
    decode,
    event_stream_bodies,
    json_array_bodies,
    ndjson_bodies,
)

LIMITS = st.integers(1, 24)


def payloads(factory, *chunks: bytes) -> list[object]:
    return [payload for payload, _ in decode(factory, list(chunks))]


def test_an_oversized_sse_event_is_reported_and_the_stream_goes_on():
    body = b"data: ok\n\nid: 1\ndata: " + b"x" * 40 + b"\ndata: more\n\ndata: after\n\n"
    result = payloads(partial(SseDecoder, 20), body)
    assert result == [SseMessage("message", "ok"), EventTooLarge(20, len(body) - 10 - 13), SseMessage("message", "after", "1")]
    assert "20 bytes" in result[1].message and f"{len(body) - 23:,} bytes" in result[1].message


def test_many_data_lines_add_up_to_the_limit():
    assert payloads(partial(SseDecoder, 10), b"data: 12345\ndata: 67890\ndata: x\n\ndata: y\n\n")[1:] == [
        SseMessage("message", "y")
    ]


def test_a_line_that_never_ends_is_counted_not_kept():
    decoder = SseDecoder(1000)
    decoder.feed(b"data: ")
    for _ in range(100):
        decoder.feed(b"x" * 4096)
        assert sum(map(len, decoder._pending)) <= 1000 and not decoder._data
    assert decoder.finish() == [(EventTooLarge(1000, 6 + 409_600), 0)]


def test_an_oversized_ndjson_line_is_reported_and_the_next_line_read():
    body = b'{"a": 1}\n[' + b"1," * 30 + b'1]\n{"b": 2}\n'
    assert payloads(partial(NdjsonDecoder, 20), body) == [NdjsonValue('{"a": 1}'), EventTooLarge(20, 63), NdjsonValue('{"b": 2}')]
    decoder = NdjsonDecoder(100)
    for _ in range(100):
        decoder.feed(b"x" * 4096)
        assert sum(map(len, decoder._pending)) <= 100


def test_an_oversized_json_array_element_is_scanned_past_without_being_kept():
    body = b'[{"a": 1}, {"s": "' + b"]" * 50 + b'"}, 2]'
    assert payloads(partial(JsonArrayDecoder, 20), body) == [JsonArrayItem({"a": 1}), EventTooLarge(20, 59), JsonArrayItem(2)]
    decoder = JsonArrayDecoder(100)
    decoder.feed(b'["')
    for _ in range(100):
        decoder.feed(b"x" * 4096)
        assert sum(map(len, decoder._parts)) <= 100


class CrlfTolerantSseDecoder(SseDecoder):
    """Sizes differ by one where a chunk edge cuts a CRLF (documented); so may an `EventTooLarge`'s size."""

    def feed(self, chunk):
        return [(_without_size(payload), size) for payload, size in super().feed(chunk)]

    def finish(self):
        return [(_without_size(payload), size) for payload, size in super().finish()]


def _without_size(payload):
    return EventTooLarge(payload.limit, 0) if isinstance(payload, EventTooLarge) else payload


@settings(max_examples=200, deadline=None)
@given(event_stream_bodies(), CUTS, LIMITS)
def test_sse_any_chunking_with_a_limit(body, cuts, limit):
    factory = partial(SseDecoder if b"\r" not in body else CrlfTolerantSseDecoder, limit)
    assert_chunking_invariant(factory, body, cuts, sizes_must_match=b"\r" not in body)


@settings(max_examples=150, deadline=None)
@given(ndjson_bodies(), CUTS, LIMITS)
def test_ndjson_any_chunking_with_a_limit(body, cuts, limit):
    assert_chunking_invariant(partial(NdjsonDecoder, limit), body, cuts, sizes_must_match=True)


@settings(max_examples=150, deadline=None)
@given(json_array_bodies(), CUTS, LIMITS)
def test_json_array_any_chunking_with_a_limit(body, cuts, limit):
    assert_chunking_invariant(partial(JsonArrayDecoder, limit), body, cuts, sizes_must_match=True)


@settings(max_examples=100, deadline=None)
@given(event_stream_bodies(), CUTS)
def test_a_limit_no_event_reaches_changes_nothing(body, cuts):
    assert decode(partial(SseDecoder, 10**6), [body]) == decode(SseDecoder, [body])
