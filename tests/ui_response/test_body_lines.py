"""Lazy body lines: pretty JSON as `json.dumps(indent=2)` would print it, produced only as far as asked."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from app.store.body_lines import MAX_ROW_CHARS, PrettyJsonLines, RawLines, looks_like_json

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_pretty_lines_match_the_standard_library(value):
    lines = PrettyJsonLines(json.dumps(value))
    lines.ensure(10**9)
    assert lines.complete and lines.error is None
    assert "\n".join(lines.rows) == json.dumps(value, indent=2)


def test_formatting_stops_at_what_was_asked():
    body = json.dumps([{"n": i} for i in range(100_000)])
    lines = PrettyJsonLines(body)
    lines.ensure(50)
    assert 50 <= len(lines.rows) < 60 and not lines.complete
    while not lines.finish_slice(5000):
        pass
    assert len(lines.rows) == len(json.dumps(json.loads(body), indent=2).splitlines())


def test_invalid_and_truncated_json_say_where():
    broken = PrettyJsonLines('{"a": [1, tru]}')
    broken.ensure(100)
    assert broken.complete and broken.error == "not valid JSON at character 10"
    assert broken.rows[:2] == ["{", '  "a": [']
    cut = PrettyJsonLines('{"a": [1, 2')
    cut.ensure(100)
    assert cut.error == "the body ends inside the JSON (2 levels still open)"


def test_long_lines_are_cut_into_rows():
    rows = RawLines("x" * (MAX_ROW_CHARS * 2 + 5) + "\nshort").rows
    assert [len(row) for row in rows] == [MAX_ROW_CHARS, MAX_ROW_CHARS, 5, 5]


def test_json_is_recognised_by_type_or_shape():
    assert looks_like_json("whatever", "application/problem+json")
    assert looks_like_json('  [1, 2]', None)
    assert not looks_like_json("hello", "text/plain")
