"""Differential test: `NdjsonDecoder` (orjson on its fast path) against the standard library's strict parse."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.events import NdjsonValue
from app.streams.ndjson import NdjsonDecoder

pytestmark = pytest.mark.usefixtures("both_ndjson_checks")

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300)
@given(
    values=st.lists(JSON_VALUES, min_size=1, max_size=8),
    ascii_only=st.booleans(),
    line_end=st.sampled_from(["\n", "\r\n"]),
)
def test_every_value_reads_back_exactly_as_the_standard_library_reads_it(values, ascii_only, line_end):
    lines = [json.dumps(value, ensure_ascii=ascii_only) for value in values]
    body = (line_end.join(lines) + line_end).encode("utf-8", "surrogatepass")
    decoder = NdjsonDecoder()
    parsed = [payload for payload, _ in decoder.feed(body) + decoder.finish()]
    expected = [json.loads(line) for line in lines]
    assert all(isinstance(payload, NdjsonValue) for payload in parsed)
    got = [payload.value for payload in parsed]
    assert json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True)
