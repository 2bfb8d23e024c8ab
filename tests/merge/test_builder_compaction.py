"""Joining fragments to keep memory flat changes nothing a reader sees: text, reasoning and deltas."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.streams.merge import builder as builder_module
from app.streams.merge.builder import ChoiceBuilder

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("text"), st.text(min_size=1, max_size=3)),
        st.tuples(st.just("reasoning"), st.text(min_size=1, max_size=3)),
        st.tuples(st.just("replace"), st.text(max_size=6)),
        st.tuples(st.just("delta"), st.none()),
        st.tuples(st.just("compact"), st.none()),
    ),
    max_size=40,
)


def play(ops, compacting: bool):
    choice = ChoiceBuilder(0, split_think=False)
    deltas = []
    for op, value in ops:
        if op == "text":
            choice.add_text(value)
        elif op == "reasoning":
            choice.reasoning_parts.append(value)
        elif op == "replace":
            choice.replace_text(value)
        elif op == "delta":
            deltas.append(choice.take_delta())
        elif compacting:
            choice.compact()
    deltas.append(choice.take_delta())
    return choice.text, choice.reasoning, deltas


@settings(max_examples=300, deadline=None)
@given(OPS, st.integers(1, 4))
def test_compaction_is_invisible(ops, run):
    original = builder_module.COMPACT_RUN
    builder_module.COMPACT_RUN = run
    try:
        assert play(ops, compacting=True) == play(ops, compacting=False)
    finally:
        builder_module.COMPACT_RUN = original


def test_a_long_reply_is_kept_in_few_strings():
    choice = ChoiceBuilder(0, split_think=False)
    for _round in range(10):
        for _ in range(builder_module.COMPACT_RUN):
            choice.add_text("x")
        choice.compact()
    assert len(choice.text_parts) == 10 and choice.text == "x" * 10 * builder_module.COMPACT_RUN
