"""`[[expect]]` tables: read strictly, written canonically, byte-exact round trip."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.model.expectations import Expectation
from app.model.request_definition import RequestDefinition
from app.model.toml_format import dumps_request, loads_request
from app.model.toml_location import FileFormatError

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_ms = st.one_of(st.none(), st.integers(0, 10**6).map(float), st.floats(0, 1e6, allow_nan=False).map(lambda v: round(v, 3)))
_json = st.recursive(
    st.one_of(st.booleans(), st.integers(-(10**9), 10**9), _text),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text("abc", min_size=1, max_size=3), inner, max_size=3)),
    max_leaves=6,
)


@st.composite
def expectations(draw: st.DrawFn) -> Expectation:
    event = draw(st.sampled_from(["", "delta", "message"]))
    jsonpath = draw(st.sampled_from(["", "$.usage.total_tokens", "$.done"]))
    expectation = Expectation(
        name=draw(_text),
        status=draw(st.one_of(st.none(), st.integers(100, 599))),
        event=event,
        min_count=draw(st.one_of(st.none(), st.integers(0, 100))) if event else None,
        max_count=draw(st.one_of(st.none(), st.integers(0, 100))) if event else None,
        within_ms=draw(_ms) if event else None,
        merged_text_contains=draw(_text),
        merged_text_matches=draw(st.sampled_from(["", "^Par", r"\d+ °C"])),
        complete=draw(st.one_of(st.none(), st.booleans())),
        no_errors=draw(st.one_of(st.none(), st.booleans())),
        ttft_ms_max=draw(_ms),
        duration_ms_max=draw(_ms),
        jsonpath=jsonpath,
        equals=draw(st.one_of(st.none(), _json)) if jsonpath else None,
    )
    if not any((expectation.status is not None, event, expectation.merged_text_contains, expectation.merged_text_matches,
                expectation.complete is not None, expectation.no_errors is not None, expectation.ttft_ms_max is not None,
                expectation.duration_ms_max is not None, jsonpath)):
        expectation = Expectation(status=200)
    return expectation


@settings(max_examples=150, deadline=None)
@given(st.lists(expectations(), min_size=1, max_size=3))
def test_any_expectations_sluice_writes_round_trip_byte_exact(expect: list[Expectation]) -> None:
    definition = RequestDefinition(name="t", url="http://127.0.0.1/x", expect=tuple(expect))
    text = dumps_request(definition)
    assert loads_request(text) == definition
    assert dumps_request(loads_request(text)) == text


def test_a_hand_written_table_reads_and_keeps_unknown_keys() -> None:
    text = (
        'url = "http://127.0.0.1/x"\n\n[[expect]]\nevent = "delta"\nmin_count = 3\nwithin_ms = 500\nnote = "kept"\n\n'
        '[[expect]]\njsonpath = "$.done"\nequals = true\n'
    )
    definition = loads_request(text)
    assert definition.expect == (
        Expectation(event="delta", min_count=3, within_ms=500.0, extra=(("note", "kept"),)),
        Expectation(jsonpath="$.done", equals=True),
    )
    assert "within_ms = 500," in dumps_request(definition), "whole milliseconds are written as integers"


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ('name = "only a label"', "needs one of"),
        ("min_count = 2", "needs one of"),
        ('status = 200\nmin_count = 2', "'expect.min_count' needs 'event'"),
        ('status = 200\nequals = 3', "'expect.equals' needs 'jsonpath'"),
        ('merged_text_matches = "("', "not a valid regex"),
        ("status = true", "should be an integer"),
        ('event = "x"\nwithin_ms = -1', "must not be negative"),
    ],
)
def test_bad_tables_are_errors_with_a_position(table: str, words: str) -> None:
    with pytest.raises(FileFormatError) as caught:
        loads_request(f'url = "http://127.0.0.1/x"\n\n[[expect]]\n{table}\n')
    assert words in str(caught.value)
    assert caught.value.line >= 3
