"""Plain-words diagnostics for streams that deliver bytes but no events (the malformed-SSE FAQ)."""

from __future__ import annotations

import pytest

from app.events import SseMessage, StreamDiagnostic
from app.streams.diagnostics import STALL_LIMIT, escape_sample
from app.streams.ndjson import NdjsonDecoder
from app.streams.sse import SseDecoder


def run(decoder, body: bytes, chunk_size: int | None = None) -> list[object]:
    step = chunk_size or max(len(body), 1)
    parsed = [item for start in range(0, len(body), step) for item in decoder.feed(body[start : start + step])]
    return [payload for payload, _ in parsed + decoder.finish()]


def diagnostics_of(payloads: list[object]) -> list[StreamDiagnostic]:
    return [p for p in payloads if isinstance(p, StreamDiagnostic)]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"data: one\ndata: two\ndata: three\n", "no blank line between messages"),
        (b"data: one", "no blank line between messages"),
        (b"event: x\nid: 3\n\nhello\n\n", "none is a data: field"),
        (b": ping\n\n: ping\n\n", "nothing but comments"),
        (b'{"id": 1, "text": "hi"}\n{"id": 2}\n', "looks like JSON/NDJSON"),
        (b'[{"a": 1}]', "looks like JSON/NDJSON"),
    ],
)
def test_sse_without_any_event_says_why(body, fragment):
    payloads = run(SseDecoder(), body)
    [diagnostic] = diagnostics_of(payloads)
    assert fragment in diagnostic.message
    assert payloads[-1] is diagnostic
    assert diagnostic.sample == escape_sample(body)


def test_sse_with_no_bytes_says_nothing():
    assert run(SseDecoder(), b"") == []


def test_sse_healthy_stream_has_no_diagnostic():
    assert diagnostics_of(run(SseDecoder(), b": hi\n\ndata: x\n\n" * 10_000)) == []


@pytest.mark.parametrize("chunk_size", [None, 1000, 4096, 65_536])
def test_sse_stall_is_reported_once_at_the_same_place_whatever_the_chunking(chunk_size):
    body = b"data: a\n\n" + b"data: xxxxxxxx\n" * 10_000 + b"\n:after\n\n" + b"data: y\n" * 10_000
    payloads = run(SseDecoder(), body, chunk_size)
    kinds = [type(p).__name__ for p in payloads]
    assert kinds == ["SseMessage", "StreamDiagnostic", "SseMessage", "SseComment", "StreamDiagnostic"]
    stall = payloads[1]
    assert "more than 64 KiB arrived without a blank line" in stall.message
    assert stall.sample.startswith("data: xxxxxxxx\\ndata: xxxxxxxx")
    assert "discarded" in payloads[-1].message


def test_sse_stall_counts_from_the_last_blank_line():
    body = (b"data: " + b"z" * 1000 + b"\n\n") * 200
    assert diagnostics_of(run(SseDecoder(), body, 1024)) == []
    assert len([p for p in run(SseDecoder(), body) if isinstance(p, SseMessage)]) == 200


def test_ndjson_without_newline_at_finish():
    payloads = run(NdjsonDecoder(), b'{"whole": "document"}')
    assert payloads[0].value == {"whole": "document"}
    [diagnostic] = diagnostics_of(payloads)
    assert "no newline" in diagnostic.message and "one JSON document" in diagnostic.message


@pytest.mark.parametrize("chunk_size", [None, 1000, 65_536, STALL_LIMIT + 1])
def test_ndjson_without_newline_for_64_kib_is_reported_before_the_line(chunk_size):
    body = b'{"big": "' + b"x" * STALL_LIMIT + b'"}\n{"small": 1}\n'
    payloads = run(NdjsonDecoder(), body, chunk_size)
    assert [type(p).__name__ for p in payloads] == ["StreamDiagnostic", "NdjsonValue", "NdjsonValue"]


def test_ndjson_with_newlines_has_no_diagnostic():
    assert diagnostics_of(run(NdjsonDecoder(), b"1\n" * 50_000)) == []


def test_escape_sample_makes_control_characters_visible_and_truncates():
    assert escape_sample(b"a\r\n\tb\\\x00\x1b\xff") == "a\\r\\n\\tb\\\\\\x00\\x1b\ufffd"
    assert escape_sample("é".encode() * 300) == "é" * 200
