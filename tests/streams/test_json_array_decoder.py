"""JsonArrayDecoder: elements as soon as they complete, framing faults reported, nothing lost."""

from __future__ import annotations

import pytest

from app.events import JsonArrayError, JsonArrayItem
from app.streams.json_array import JsonArrayDecoder


def parse(*chunks: bytes) -> list[tuple[object, int]]:
    decoder = JsonArrayDecoder()
    parsed = [item for chunk in chunks for item in decoder.feed(chunk)]
    return parsed + decoder.finish()


def payloads(*chunks: bytes) -> list[object]:
    return [payload for payload, _ in parse(*chunks)]


def test_gemini_style_body():
    body = b'[{"candidates": [{"text": "Hel"}]}\r\n,\r\n{"candidates": [{"text": "lo"}]}\r\n]'
    assert payloads(body) == [
        JsonArrayItem({"candidates": [{"text": "Hel"}]}),
        JsonArrayItem({"candidates": [{"text": "lo"}]}),
    ]


def test_object_element_is_emitted_at_its_closing_brace_before_the_comma_arrives():
    decoder = JsonArrayDecoder()
    assert decoder.feed(b'[{"a": 1}') == [(JsonArrayItem({"a": 1}), 9)]
    assert decoder.feed(b', "s"') == [(JsonArrayItem("s"), 5)]
    assert decoder.feed(b", 12") == []
    assert decoder.feed(b"]") == [(JsonArrayItem(12), 4)]
    assert decoder.finish() == []


def test_brackets_quotes_and_escapes_inside_strings_do_not_confuse_framing():
    body = b'[{"t": "a ] } [ { \\" \\\\"}, "\\u005d"]'
    assert payloads(body) == [JsonArrayItem({"t": 'a ] } [ { " \\'}), JsonArrayItem("]")]


def test_escape_split_across_chunks():
    assert payloads(b'["a\\', b'"b"]') == [JsonArrayItem('a"b')]


def test_multibyte_utf8_split_across_chunks():
    euro = "€".encode()
    assert payloads(b'["' + euro[:2], euro[2:] + b'"]') == [JsonArrayItem("€")]


def test_empty_array_and_whitespace_only_body_give_nothing():
    assert payloads(b" [ ] ") == []
    assert payloads(b"  \n") == []


def test_element_that_is_not_valid_json_is_an_error_and_the_next_still_parses():
    assert payloads(b'[{"a": NaN}, {"b": 1}]') == [
        JsonArrayError('{"a": NaN}', "element is not valid JSON: NaN is not allowed in JSON (RFC 8259)"),
        JsonArrayItem({"b": 1}),
    ]


@pytest.mark.parametrize(
    ("body", "error_fragment", "items"),
    [
        (b"[1,,2]", "empty element", [1, 2]),
        (b"[1,2,]", "trailing comma", [1, 2]),
        (b'[{"a":1} {"b":2}]', "missing ','", [{"a": 1}, {"b": 2}]),
    ],
)
def test_framing_faults_are_reported_and_parsing_goes_on(body, error_fragment, items):
    result = payloads(body)
    errors = [p for p in result if isinstance(p, JsonArrayError)]
    assert len(errors) == 1 and error_fragment in errors[0].error
    assert [p.value for p in result if isinstance(p, JsonArrayItem)] == items


def test_body_that_is_not_an_array_keeps_its_text():
    [error] = payloads(b'{"error": {"code": 429}}')
    assert error == JsonArrayError(
        '{"error": {"code": 429}}', "a JSON value outside any array: the body should start with '['"
    )


def test_truncated_element_at_end_is_an_error_with_its_text():
    assert payloads(b'[{"a": 1}, {"b": [1, 2') == [
        JsonArrayItem({"a": 1}),
        JsonArrayError('{"b": [1, 2', "the body ended inside this element, before the closing ']'"),
    ]


def test_truncated_scalar_at_end_is_an_error():
    assert payloads(b"[1, 23") == [
        JsonArrayItem(1),
        JsonArrayError("23", "the body ended inside this element, before the closing ']'"),
    ]


def test_body_ending_between_elements_is_an_error():
    assert payloads(b"[1,") == [JsonArrayItem(1), JsonArrayError("", "the body ended before the closing ']'")]


def test_sizes_cover_the_body_up_to_the_last_element():
    body = b' [ {"a": 1} ,\n "x" , 3 ] '
    result = parse(body)
    assert [size for _, size in result] == [len(b' [ {"a": 1}'), len(b' ,\n "x"'), len(b" , 3")]


def test_large_element_in_small_chunks():
    body = b'[{"blob": "' + b"x" * 2_000_000 + b'"}]'
    got = payloads(*(body[start : start + 1000] for start in range(0, len(body), 1000)))
    assert len(got) == 1 and len(got[0].value["blob"]) == 2_000_000
