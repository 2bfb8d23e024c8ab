"""`parse_checked_json`, the parse of every checked NDJSON line and JSON-array element, builds exactly the
value the strict reference (`STRICT_JSON`, the standard library's parser refusing what RFC 8259 refuses)
builds: integers of any length exact, floats to the last bit, every string escape."""

from __future__ import annotations

import json
import math

from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.strict_json import STRICT_JSON, parse_checked_json

NUMBER_TEXTS = st.one_of(
    st.integers().map(str),
    st.integers(min_value=10**18, max_value=10**60).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.from_regex(r"-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,30})?([eE][+-]?[0-9]{1,3})?", fullmatch=True),
)
STRING_TEXTS = st.one_of(
    st.text().map(json.dumps),
    st.text().map(lambda text: json.dumps(text, ensure_ascii=False)),
    st.lists(st.sampled_from(["a", "\\n", "\\u00e9", "\\ud83d\\ude00", "\\ud800", "\\udc00", "\\\\", '\\"', "\\/", "é"])).map(
        lambda pieces: '"' + "".join(pieces) + '"'
    ),
)


def json_texts() -> st.SearchStrategy[str]:
    scalars = st.one_of(NUMBER_TEXTS, STRING_TEXTS, st.sampled_from(["true", "false", "null"]))
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=5).map(lambda items: "[" + ",".join(items) + "]"),
            st.lists(st.tuples(STRING_TEXTS, children), max_size=5).map(
                lambda pairs: "{" + " , ".join(f"{key}:{value}" for key, value in pairs) + "}"
            ),
        ),
        max_leaves=20,
    )


def same(left: object, right: object) -> bool:
    """Equal and of the same types all the way down; floats bit for bit (-0.0 is not 0.0)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, float):
        return math.copysign(1.0, left) == math.copysign(1.0, right) and left == right  # type: ignore[arg-type]
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same, left, right))  # type: ignore[arg-type]
    if isinstance(left, dict):
        return list(left) == list(right) and all(same(left[key], right[key]) for key in left)  # type: ignore[index]
    return left == right


@settings(max_examples=1000)
@given(json_texts())
@example("1" * 4301)  # beyond the digits Python converts: the reference's own error, not another's
@example('{"a":1,"a":2.5}')
@example('"\\ud800"')
@example("-0.0")
@example("1e-400")
@example("123456789012345678901234567890")
def test_a_checked_text_parses_to_the_strict_reference_value(text: str) -> None:
    try:
        expected = STRICT_JSON.decode(text)
    except ValueError as error:
        try:
            parse_checked_json(text)
        except ValueError as raised:
            assert type(raised) is type(error)
        else:
            raise AssertionError(f"{text!r} parsed, the reference refused it: {error}")
        return
    assert same(parse_checked_json(text), expected)
