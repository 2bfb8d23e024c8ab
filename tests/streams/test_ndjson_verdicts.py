"""Differential test: which lines `NdjsonDecoder` takes as values, and their texts, against a plain
reference (strict UTF-8, the standard library's strict parse, the depth limit), for lines near valid
JSON and any chunking. The decoder checks the usual chunk with msgspec's scanner, which neither checks
UTF-8 inside strings nor number ranges: this test is what keeps that fast path exactly as strict."""

from __future__ import annotations

import json

import pytest
from helpers_ndjson import decoded, reference
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.nesting import MAX_JSON_DEPTH
from app.streams.ndjson import NdjsonDecoder

pytestmark = pytest.mark.usefixtures("both_ndjson_checks")

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3),
    max_leaves=8,
)
TRICKY = st.sampled_from(
    [
        b"1e400", b"-2E+308", b"1.5e-400", b"1,2", b"[1", b"2]", b'{"a":1', b'"b":2}', b"3,4", b'"\\ud800"',
        b'"\\ud83d\\ude00"', b'"\xed\xa0\x80"', b'"\xff"', b'"\xc3"', b"\xef\xbb\xbf{}", b"NaN", b"-Infinity",
        b'"a\tb"', b"01", b"1.", b"tru", b"nul", b"[1,]", b"{}}", b" ", b"\t", b"\r", b"\x0b", b"",
        b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1), b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH,
        b"1" * 25, b"1" * 400 + b".0", b"1" * 400, b"1" * 250 + b"e99", b"1" * 199 + b"e99", b"1E+400",
        b"1e0400", b"1.5e-0400", b".5", b"+1", b"1e", b"1e+", b"-01", b"0x10", b"True", b"nulll", b"[1]]", b'"\\u00e9\xc3\xa9"', b'"\x7f\xc2\x9b\xe2\x80\xa8"',
    ]
)


@st.composite
def lines(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(TRICKY)
    if kind == 1:
        return draw(st.binary(max_size=12)).replace(b"\n", b"")
    value = draw(JSON_VALUES)
    separators = draw(st.sampled_from([(",", ":"), (", ", ": "), (" ,\t", "\r:")]))
    line = json.dumps(value, ensure_ascii=draw(st.booleans()), separators=separators).encode("utf-8", "surrogatepass")
    line = draw(st.sampled_from([b"", b" ", b"\t"])) + line + draw(st.sampled_from([b"", b" ", b"\r"]))
    if kind == 3 and line:
        at = draw(st.integers(0, len(line)))
        line = line[:at] + draw(st.binary(min_size=0, max_size=2)).replace(b"\n", b"") + line[at + 1 :]
    return line


@settings(max_examples=400)
@given(body_lines=st.lists(lines(), min_size=1, max_size=12), cuts=st.lists(st.integers(0, 10_000), max_size=4))
@example(body_lines=[b'{"a":1', b'"b":2}', b"3,4"], cuts=[])
@example(body_lines=[b"1e400", b"[1]"], cuts=[])
@example(body_lines=[b'"\xff"', b"[1]"], cuts=[])
def test_lines_taken_as_values_are_exactly_the_strict_json_ones(body_lines: list[bytes], cuts: list[int]) -> None:
    body = b"\n".join(body_lines) + b"\n"
    points = sorted({0, len(body), *(cut % (len(body) + 1) for cut in cuts)})
    decoder = NdjsonDecoder()
    parsed = [item for start, end in zip(points, points[1:]) for item in decoder.feed(body[start:end])]
    parsed += decoder.finish()
    expected = [verdict for verdict in map(reference, body_lines) if verdict is not None]
    assert [decoded(payload) for payload, _ in parsed] == expected
    assert sum(size for _, size in parsed) <= len(body)
