"""Adversarial NDJSON for the decoder's msgspec fast path (`NdjsonDecoder._take_whole`), beyond the
near-JSON lines of `test_ndjson_verdicts.py`: numbers at and past a double's range and Python's 4,300
digits, nesting at and one past the limit (also behind brackets inside strings, and in lines long enough
to take the depth check), escaped and UTF-8-encoded surrogates, overlong and out-of-range UTF-8, NUL, a
BOM, CRLF ends, chunks of one byte, and an event limit small enough to cut lines. Whatever the chunking,
nothing raises and every line's verdict (value and its text, error, or skipped) is the strict reference's."""

from __future__ import annotations

import json

import pytest
from helpers_ndjson import decoded, reference
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.nesting import MAX_JSON_DEPTH
from app.streams.ndjson import NdjsonDecoder

pytestmark = pytest.mark.usefixtures("both_ndjson_checks")

DEPTHS = (MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH, MAX_JSON_DEPTH + 1)
NUMBERS = [
    b"1" * 199 + b"e99", b"1" * 200 + b"e99", b"1" * 200, b"9" * 4300, b"9" * 4301, b"-" + b"9" * 4301,
    b"1e308", b"1.8e308", b"-1e309", b"1e-400", b"4.9e-324", b"2.2250738585072014e-308", b"1E+308", b"1E+309",
    b"0." + b"0" * 300 + b"1e300", b"1" * 150 + b"." + b"1" * 150 + b"e99", b"1e00000000308", b"-0", b"-0.0e-0",
]
STRINGS = [
    b'"\\ud800"', b'"\\udfff\\ud800"', b'"\\ud83d\\ude00"', b'"\\ud800\\u0041"', b'"\xed\xa0\x80"', b'"\xed\xbf\xbf"',
    b'"\xc0\xaf"', b'"\xe0\x80\xaf"', b'"\xf0\x80\x80\xaf"', b'"\xf4\x90\x80\x80"', b'"\xc0\x80"', b'"a\x00b"',
    b'"\\u0000"', b'"\xef\xbb\xbf"', b'"\\u001b]0;x\\u0007"', b'"\x1b"', b'"\xc2\x9b"', b'"\xe2\x80\xae"', b'"\\"',
    b'"[[[["', b'"]]]]"', b'"\\\\"', b'"\\/"', b'"\\x41"', b"'a'",
]
PREFIXES = [b"", b"\xef\xbb\xbf", b" ", b"\t", b"\x00", b"\x0c", b"\xc2\xa0"]
SUFFIXES = [b"", b"\r", b" \r", b"\x00", b"\r\r", b",", b"\xef\xbb\xbf"]
PLAIN = st.one_of(st.integers(-1000, 1000), st.text(max_size=4), st.dictionaries(st.sampled_from("ab"), st.booleans()))


@st.composite
def nested(draw: st.DrawFn) -> bytes:
    depth = draw(st.sampled_from(DEPTHS))
    inner = draw(st.sampled_from([b"", b"1", b'"[[["', b'"]]]"', b'{"a":[]}']))
    if draw(st.booleans()):
        return b"[" * depth + inner + b"]" * depth
    # Objects and arrays mixed: {"a":[{"a":[…]}]} opens two levels per step.
    steps = depth // 2
    rest = b"[" * (depth % 2)
    return b'{"a":[' * steps + rest + inner + rest.replace(b"[", b"]") + b"]}" * steps


@st.composite
def adversarial_lines(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 8))
    if kind > 4:
        # Plain good lines around the bad one, so that the fast path is tried on chunks it nearly takes.
        return json.dumps(draw(PLAIN), separators=(",", ":")).encode()
    if kind == 0:
        core = draw(st.sampled_from(NUMBERS))
    elif kind == 1:
        core = draw(st.sampled_from(STRINGS))
    elif kind == 2:
        core = draw(nested())
    elif kind == 3:
        # Long enough (over the depth limit in bytes) to take the long-line depth check, shallow inside.
        parts = draw(st.lists(st.sampled_from(NUMBERS[:6] + STRINGS[:8]), min_size=1, max_size=3))
        core = b"[" + b" " * draw(st.sampled_from([0, MAX_JSON_DEPTH])) + b",".join(parts) + b"]"
    else:
        core = b'{"k":' + draw(st.sampled_from(NUMBERS + STRINGS)) + b"}"
    if draw(st.booleans()):
        return core
    return draw(st.sampled_from(PREFIXES)) + core + draw(st.sampled_from(SUFFIXES))


@settings(max_examples=500, deadline=None)
@given(
    body_lines=st.lists(adversarial_lines(), min_size=1, max_size=8),
    cuts=st.one_of(st.lists(st.integers(0, 100_000), max_size=6), st.just([-1])),
    limit=st.sampled_from([16, 300, 5000, 1 << 20]),
)
@example(body_lines=[b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1), b"1"], cuts=[], limit=1 << 20)
@example(body_lines=[b"9" * 4301, b"[1]"], cuts=[], limit=1 << 20)
@example(body_lines=[b'"\xf4\x90\x80\x80"', b'"\xc0\xaf"'], cuts=[-1], limit=1 << 20)
def test_adversarial_lines_get_the_strict_verdict_under_any_chunking(body_lines: list[bytes], cuts: list[int],
                                                                     limit: int) -> None:
    body = b"\n".join(body_lines) + b"\n"
    # [-1]: one byte at a time, the chunking that leaves every line pending until its newline.
    points = list(range(len(body) + 1)) if cuts == [-1] else sorted({0, len(body), *(c % (len(body) + 1) for c in cuts)})
    decoder = NdjsonDecoder(max_event_size=limit)
    parsed = [item for start, end in zip(points, points[1:]) for item in decoder.feed(body[start:end])]
    parsed += decoder.finish()
    expected = [verdict for verdict in (reference(line, limit) for line in body_lines) if verdict is not None]
    assert [decoded(payload) for payload, _ in parsed] == expected
    assert sum(size for _, size in parsed) <= len(body)
