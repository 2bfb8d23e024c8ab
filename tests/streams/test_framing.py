"""Choosing a framing from the Content-Type, from a mode, or by sniffing a body."""

from __future__ import annotations

import pytest

from app.streams.framing import decoder_for, detect_parse_mode, sniff_stream
from app.streams.json_array import JsonArrayDecoder
from app.streams.ndjson import NdjsonDecoder
from app.streams.sse import SseDecoder
from app.vocabulary import ParseMode


@pytest.mark.parametrize(
    ("content_type", "mode"),
    [
        ("text/event-stream", ParseMode.SSE),
        ("Text/Event-Stream; charset=UTF-8", ParseMode.SSE),
        ("application/x-ndjson", ParseMode.NDJSON),
        ("application/jsonl", ParseMode.NDJSON),
        ("application/x-jsonlines", ParseMode.NDJSON),
        ("application/json-lines", ParseMode.NDJSON),
        ("application/stream+json", ParseMode.NDJSON),
        ("APPLICATION/X-JSON-STREAM ; q=1", ParseMode.NDJSON),
        ("application/json", ParseMode.RAW),
        ("text/plain", ParseMode.RAW),
        ("", ParseMode.RAW),
        (None, ParseMode.RAW),
    ],
)
def test_detect_parse_mode(content_type, mode):
    assert detect_parse_mode(content_type) is mode


@pytest.mark.parametrize(
    ("mode", "decoder_type"),
    [(ParseMode.SSE, SseDecoder), (ParseMode.NDJSON, NdjsonDecoder), (ParseMode.JSON_ARRAY, JsonArrayDecoder)],
)
def test_decoder_for_gives_a_fresh_decoder(mode, decoder_type):
    first, second = decoder_for(mode), decoder_for(mode)
    assert isinstance(first, decoder_type) and first is not second


def test_decoder_for_raw_is_none_and_auto_is_refused():
    assert decoder_for(ParseMode.RAW) is None
    with pytest.raises(ValueError, match="resolved"):
        decoder_for(ParseMode.AUTO)


@pytest.mark.parametrize(
    ("sample", "mode"),
    [
        (b"data: {}\n\n", ParseMode.SSE),
        (b": keep-alive\r\n\r\nevent: delta\r\ndata: x\r\n", ParseMode.SSE),
        (b"\xef\xbb\xbfid: 1\ndata: x", ParseMode.SSE),
        (b'{"a": 1}\n{"b": 2}\n{"c"', ParseMode.NDJSON),
        (b'{"a": 1}\r\n\r\n[2]\r\n', ParseMode.NDJSON),
        (b'{"a": 1}\n', None),
        (b'{"a": 1}\nnot json\n', None),
        (b"<html><body>hi</body></html>\n", None),
        (b"hello data: x\n", None),
        (b"", None),
    ],
)
def test_sniff_stream(sample, mode):
    assert sniff_stream(sample) is mode
