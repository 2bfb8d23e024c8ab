"""Composer formats and received-message display helpers (pure, no network)."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.streams.ws_formats import (
    WsFormatError,
    decode_base64,
    decode_hex,
    encode_message,
    hexdump,
    pretty_json,
    summary,
)


@pytest.mark.parametrize("format", ["text", "xml", "html"])
def test_text_formats_are_sent_as_typed(format: str) -> None:
    content = "<note a='1'>héllo\n</note>"
    assert encode_message(content, format) == content


def test_json_is_validated_and_kept_as_typed() -> None:
    assert encode_message('{"a": 1,  "b": [true]}', "json") == '{"a": 1,  "b": [true]}'


def test_json_prettify_reindents() -> None:
    assert encode_message('{"a":{"b":1}}', "json", prettify=True) == '{\n  "a": {\n    "b": 1\n  }\n}'


@pytest.mark.parametrize(
    ("content", "fragment"),
    [('{"a": 1,}', "line 1 column 9"), ("{\n  'a': 1}", "line 2 column 3"), ("NaN", "NaN is not JSON"), ("", "line 1")],
)
def test_invalid_json_names_the_place(content: str, fragment: str) -> None:
    with pytest.raises(WsFormatError, match="not valid JSON") as raised:
        encode_message(content, "json")
    assert fragment in str(raised.value)


def test_base64_becomes_binary() -> None:
    assert encode_message("AAEC/w==", "base64") == b"\x00\x01\x02\xff"


def test_base64_accepts_url_safe_whitespace_and_missing_padding() -> None:
    assert decode_base64("AAEC\n_w") == b"\x00\x01\x02\xff"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("AA!C", "'!' at position 2"), ("A", "cannot encode whole bytes"), ("AA=A", "padding"), ("  ", "empty")],
)
def test_bad_base64_is_a_clear_error(content: str, fragment: str) -> None:
    with pytest.raises(WsFormatError, match=fragment):
        decode_base64(content)


def test_hex_becomes_binary_with_separators_and_prefixes() -> None:
    assert encode_message("0x00 01:02-ff", "hex") == b"\x00\x01\x02\xff"
    assert decode_hex("DEADbeef") == b"\xde\xad\xbe\xef"


@pytest.mark.parametrize(("content", "fragment"), [("abc", "odd number"), ("zz", "'z' at digit 0"), ("", "empty")])
def test_bad_hex_is_a_clear_error(content: str, fragment: str) -> None:
    with pytest.raises(WsFormatError, match=fragment):
        decode_hex(content)


def test_unknown_format_lists_the_known_ones() -> None:
    with pytest.raises(WsFormatError, match="text, json, xml, html, base64, hex"):
        encode_message("x", "yaml")


@settings(max_examples=150)
@given(st.binary(min_size=1, max_size=200))
def test_binary_round_trips_through_base64_and_hex(data: bytes) -> None:
    assert encode_message(base64.b64encode(data).decode(), "base64") == data
    assert encode_message(base64.urlsafe_b64encode(data).decode().rstrip("="), "base64") == data
    assert encode_message(data.hex(" "), "hex") == data


def test_pretty_json_reindents_objects_only() -> None:
    assert pretty_json('{"type":"token","token":"hi"}') == '{\n  "type": "token",\n  "token": "hi"\n}'
    assert pretty_json("plain words") is None
    assert pretty_json("42") is None


def test_hexdump_shows_offset_hex_and_ascii() -> None:
    lines = hexdump(b"Hello, World!\x00\x01\x02\xff" + b"abc")
    assert lines == [
        "00000000  48 65 6c 6c 6f 2c 20 57 6f 72 6c 64 21 00 01 02  |Hello, World!...|",
        "00000010  ff 61 62 63                                      |.abc|",
    ]


def test_hexdump_of_nothing_is_empty() -> None:
    assert hexdump(b"") == []


@settings(max_examples=100)
@given(st.binary(max_size=100))
def test_hexdump_hex_column_holds_every_byte(data: bytes) -> None:
    digits = "".join(line[10:57].replace(" ", "") for line in hexdump(data))
    assert bytes.fromhex(digits) == data


def test_summary_of_text_and_binary() -> None:
    assert summary("line one\nline two") == "line one⏎line two"
    assert summary(b"\x01\x02") == "[2 bytes] 01 02"
    assert len(summary("x" * 500, limit=40)) == 40
    assert json.loads('"' + summary("é") + '"') == "é"
