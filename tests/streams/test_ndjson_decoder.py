"""NdjsonDecoder: strict RFC 8259 lines, errors that keep the line, and a linear-time long line."""

from __future__ import annotations

import pytest

from app.events import NdjsonError, NdjsonValue, StreamDiagnostic
from app.streams.ndjson import NdjsonDecoder

pytestmark = pytest.mark.usefixtures("both_ndjson_checks")


def parse(*chunks: bytes) -> list[tuple[object, int]]:
    decoder = NdjsonDecoder()
    parsed = [item for chunk in chunks for item in decoder.feed(chunk)]
    return parsed + decoder.finish()


def payloads(*chunks: bytes) -> list[object]:
    return [payload for payload, _ in parse(*chunks)]


def test_lf_and_crlf_lines_with_sizes():
    assert parse(b'{"a": 1}\n[2]\r\n') == [(NdjsonValue('{"a": 1}'), 9), (NdjsonValue("[2]"), 5)]


def test_a_value_is_its_text_as_sent_and_reads_as_its_value():
    [value] = payloads(b'{"n": 1.50, "big": 123456789012345678901234567890, "e": "\\u00e9"}\n')
    assert value.text == '{"n": 1.50, "big": 123456789012345678901234567890, "e": "\\u00e9"}'
    assert value.value == {"n": 1.5, "big": 123456789012345678901234567890, "e": "\u00e9"}


def test_whitespace_around_a_value_and_tabs_and_crs_between_tokens_are_not_kept_as_control_characters():
    assert payloads(b'  {"a":\t1,\r"b": 2}\t \r\n[1]\n') == [NdjsonValue('{"a": 1, "b": 2}'), NdjsonValue("[1]")]
    assert payloads(b'{"a":\t1}\n[1]\n') == [NdjsonValue('{"a": 1}'), NdjsonValue("[1]")]


def test_any_json_value_is_a_line():
    assert payloads(b'"s"\n3.5\nnull\ntrue\n') == [NdjsonValue(v) for v in ('"s"', "3.5", "null", "true")]


def test_blank_and_whitespace_lines_are_skipped_and_their_bytes_count_toward_the_next_value():
    assert parse(b"\n  \t\n\r\n1\n") == [(NdjsonValue("1"), 9)]


def test_line_split_across_chunks():
    assert payloads(b'{"text": "he', b'llo"}', b"\n") == [NdjsonValue('{"text": "hello"}')]


def test_bad_line_keeps_its_text_and_parsing_goes_on():
    assert payloads(b'{"a": 1 "b": 2}\r\n{"ok": true}\n') == [
        NdjsonError('{"a": 1 "b": 2}', "line is not valid JSON: Expecting ',' delimiter at column 9"),
        NdjsonValue('{"ok": true}'),
    ]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"NaN", "NaN is not allowed"),
        (b"[Infinity]", "Infinity is not allowed"),
        (b'{"x": -Infinity}', "-Infinity is not allowed"),
        (b'"tab\there"', "Invalid control character at column 5"),
        (b'"caf\xc3"', "invalid UTF-8 at byte 5"),
        (b"\xef\xbb\xbf{}", "Unexpected UTF-8 BOM"),
        (b"1 2", "Extra data at column 3"),
        (b"{'a': 1}", "Expecting property name enclosed in double quotes"),
    ],
)
def test_non_rfc8259_lines_are_errors(line, reason):
    [error] = payloads(line + b"\n")
    assert isinstance(error, NdjsonError)
    assert reason in error.error
    assert error.error.startswith("line is not valid JSON: ")


def test_final_line_without_newline_is_parsed_at_finish():
    decoder = NdjsonDecoder()
    assert decoder.feed(b"1\n2") == [(NdjsonValue("1"), 2)]
    assert decoder.finish() == [(NdjsonValue("2"), 1)]


def test_truncated_final_line_is_an_error_saying_so():
    [first, error] = payloads(b'{"a": 1}\n{"b": [1, 2')
    assert first == NdjsonValue('{"a": 1}')
    assert isinstance(error, NdjsonError) and error.line == '{"b": [1, 2'
    assert "no newline" in error.error


def test_deep_nesting_is_an_error_not_a_crash():
    [error] = payloads(b"[" * 30_000 + b"]" * 30_000 + b"\n")
    assert isinstance(error, NdjsonError) and "nested too deeply" in error.error


def test_ten_megabyte_line_fed_in_one_kib_chunks():
    # 10,240 chunks: re-scanning or re-joining the growing line per chunk would copy ~50 GB and never end.
    line = b'{"blob": "' + b"x" * 10_000_000 + b'"}\n'
    decoder = NdjsonDecoder()
    got = [p for start in range(0, len(line), 1024) for p in decoder.feed(line[start : start + 1024])]
    got += decoder.finish()
    assert [type(p) for p, _ in got] == [StreamDiagnostic, NdjsonValue]
    assert len(got[1][0].value["blob"]) == 10_000_000
    assert got[1][1] == len(line)


def test_integers_beyond_64_bits_keep_every_digit():
    decoder = NdjsonDecoder()
    parsed = decoder.feed(b'{"id": 123456789012345678901234567890}\n[18446744073709551616]\n')
    assert [payload.value for payload, _ in parsed] == [{"id": 123456789012345678901234567890}, [18446744073709551616]]


def test_lone_surrogate_escapes_are_json_and_parse():
    decoder = NdjsonDecoder()
    [(payload, _)] = decoder.feed(b'{"t": "\\ud83d"}\n')
    assert payload.value == {"t": "\ud83d"}


def test_a_number_that_overflows_a_double_is_an_error_not_infinity():
    decoder = NdjsonDecoder()
    [(payload, _)] = decoder.feed(b'{"a": 1e400}\n')
    assert isinstance(payload, NdjsonError)
    assert "out of range" in payload.error
