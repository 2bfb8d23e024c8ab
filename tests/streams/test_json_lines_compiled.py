"""The compiled chunk check (`app/streams/_json_lines.c`) on its own: whenever it takes a chunk, every
line is one strict JSON value by the reference and its text is the line; it takes the usual chunks (or
the NDJSON fast path would silently be the slow one); and hostile bytes never read past a line's end."""

from __future__ import annotations

import json

import pytest
from helpers_ndjson import reference
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_ndjson_verdicts import lines

from app.nesting import MAX_JSON_DEPTH
from app.streams.ndjson import _checked_whole_lines

compiled = pytest.importorskip("app.streams._json_lines", reason="built without a C compiler")
whole_lines = compiled.whole_lines


@settings(max_examples=1500)
@given(body_lines=st.lists(lines(), min_size=1, max_size=8), line_end=st.sampled_from([1, 2]))
@example(body_lines=[b'"\\u12"'], line_end=1)
@example(body_lines=[b'"\xe2\x82'], line_end=1)
@example(body_lines=[b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH, b"1e-99"], line_end=1)
def test_a_chunk_taken_is_exactly_the_strict_values(body_lines: list[bytes], line_end: int) -> None:
    taken = whole_lines(b"\n".join(body_lines), line_end, MAX_JSON_DEPTH)
    if taken is None:
        return
    texts, sizes = taken
    verdicts = [reference(line) for line in body_lines]
    assert [verdict[0] if verdict else None for verdict in verdicts] == ["value"] * len(body_lines)
    assert texts == [line.decode("utf-8") for line in body_lines]
    assert sizes == [len(line) + line_end for line in body_lines]


USUAL = [
    b'{"model":"llama3.2","created_at":"2024-11-01T12:00:00.000000Z","message":{"role":"assistant","content":" fox"},"done":false}',
    '{"text":"caf\u00e9 \u65e5\u672c \U0001f600","n":-12.5e-3,"ok":true,"x":null,"list":[1, 2 ,{}]}'.encode(),
    b'{"esc":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00","e000":"1e400 in a string","big":"' + b"9" * 300 + b'"}',
    b"[]", b"{}", b'"plain"', b"0", b"-0.0E+12", b"false",
]


def test_the_usual_chunk_is_taken_where_the_python_check_takes_it_too() -> None:
    data = b"\n".join(USUAL)
    assert whole_lines(data, 1, MAX_JSON_DEPTH) is not None
    # The Python check is more cautious about digits inside strings, so compare on the lines it takes.
    plain = b"\n".join(line for line in USUAL if b"e000" not in line)
    assert whole_lines(plain, 1, MAX_JSON_DEPTH) == _checked_whole_lines(plain, 1, MAX_JSON_DEPTH)


@pytest.mark.parametrize(
    "line",
    [b"1e400", b"1e-400", b"1" * 200, b"0." + b"1" * 200, b" 1", b"1 ", b"\t1", b"[1,]", b'{"a":1,}', b"[1:2]",
     b'{"a" 1}', b"01", b"-", b"1.", b".5", b"1e", b"tru", b"truex", b"nul", b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1),
     b'"\xed\xa0\x80"', b'"\xc0\xaf"', b'"\xf4\x90\x80\x80"', b'"\xff"', b'"a\x00b"', b'"a\x1bb"', b'"\\x41"', b"\xef\xbb\xbf{}",
     b"", b'"\\', b'"\\u00', b'"\xe2\x82', b'"\xf0\x9f\x98'],
)
def test_a_line_it_cannot_vouch_for_leaves_the_chunk_to_the_line_by_line_path(line: bytes) -> None:
    assert whole_lines(b'{"ok":1}\n' + line, 1, MAX_JSON_DEPTH) is None


@given(st.binary(max_size=64))
def test_any_bytes_at_the_end_of_the_buffer_are_refused_or_taken_without_error(data: bytes) -> None:
    # The last line ends at the buffer's end: the scan relies on the NUL CPython keeps after a bytes
    # object's data, and an unfinished escape, UTF-8 sequence or literal there must stop at it.
    taken = whole_lines(data, 1, MAX_JSON_DEPTH)
    if taken is not None:
        for text in taken[0]:
            json.loads(text)


def test_arguments_are_checked() -> None:
    with pytest.raises(TypeError):
        whole_lines(bytearray(b"1"), 1, MAX_JSON_DEPTH)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        whole_lines(b"1", 1, 10_000)


@pytest.mark.parametrize("special", [b'"', b"\\", b"\\n", b"\x1f", b"\x00", b"\x7f", b"\x80", b"\xc3\xa9", b"\xed\xa0\x80"])
def test_a_special_byte_is_seen_wherever_it_falls_in_the_word_steps(special: bytes) -> None:
    # The string scan steps 8 bytes at a time while a word fits in the line: put the byte at every
    # offset of a long string, and the string's end at every offset of the line's end.
    for before in range(0, 20):
        for after in range(0, 12):
            line = b'["' + b"a" * before + special + b"b" * after + b'"]'
            taken = whole_lines(line, 1, MAX_JSON_DEPTH)
            verdict = reference(line)
            assert (taken is not None) == (verdict is not None and verdict[0] == "value"), line
            if taken is not None:
                assert taken[0] == [line.decode("utf-8")]
