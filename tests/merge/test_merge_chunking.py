"""Merging gives the same reply however the events are split into batches, and the deltas a printer
takes add up to the final text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from merge_recorded import ndjson_timeline, sse_timeline
from test_merge_openai import BASIC
from test_merge_providers import ANTHROPIC_STREAM, OLLAMA_CHAT, RESPONSES_STREAM
from test_merge_seeds import JOB_STREAM, chat_stream

from app.events import TimelineEvent
from app.streams.merge import MergeEngine

STREAMS = {
    "openai": sse_timeline(BASIC),
    "responses": sse_timeline(RESPONSES_STREAM),
    "anthropic": sse_timeline(ANTHROPIC_STREAM),
    "ollama": ndjson_timeline(OLLAMA_CHAT),
    "seed-chat-mismatch": sse_timeline(chat_stream("Where is it?")),
    "seed-job": sse_timeline(JOB_STREAM),
    "think": sse_timeline(
        'data: {"choices":[{"index":0,"delta":{"content":"<th"}}]}\n\n'
        'data: {"choices":[{"index":0,"delta":{"content":"ink>a</think"}}]}\n\n'
        'data: {"choices":[{"index":0,"delta":{"content":">b<"}}]}\n\n'
    ),
}


def merged_in_batches(events: list[TimelineEvent], cuts: list[int], **kwargs: object) -> tuple[dict, str, str]:
    engine = MergeEngine(**kwargs)
    text, reasoning = [], []
    bounds = [0, *sorted(cut % (len(events) + 1) for cut in cuts), len(events)]
    for start, end in zip(bounds, bounds[1:]):
        engine.feed(events[start:end])
        delta = engine.take_delta()
        text.append(delta.text)
        reasoning.append(delta.reasoning)
    reply = engine.finish()
    delta = engine.take_delta()
    return reply.to_json() | {"notes": list(reply.notes)}, "".join(text) + delta.text, "".join(reasoning) + delta.reasoning


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(sorted(STREAMS)), cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=12))
def test_any_batching_gives_the_same_reply(name: str, cuts: list[int]) -> None:
    events = STREAMS[name]
    expected, _, _ = merged_in_batches(events, [], split_think=True)
    merged, text, reasoning = merged_in_batches(events, cuts, split_think=True)
    assert merged == expected
    assert text == merged["text"]
    assert reasoning == merged["reasoning"]


def test_think_stream_splits_as_expected() -> None:
    merged, _, _ = merged_in_batches(STREAMS["think"], [], split_think=True)
    assert (merged["reasoning"], merged["text"]) == ("a", "b<")
