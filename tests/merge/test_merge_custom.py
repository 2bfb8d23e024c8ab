"""Custom JSONPath rules: the seed's example, snapshot mode, event filter, and bad input that never stops."""

from __future__ import annotations

import json

from merge_recorded import merge, ndjson_timeline, sse_timeline

from app.vocabulary import MergeRule, RuleMode

SEED_EXAMPLE = (
    'data: {"choices":[{"index":0,"message":{"role":"assistant","content":"H"},"logprobs":null,"finish_reason":"stop"}]}\n\n'
    'data: {"choices":[{"index":0,"message":{"role":"assistant","content":"i"},"logprobs":null,"finish_reason":"stop"}]}\n\n'
)


def test_seed_example_rule_extracts_hi() -> None:
    reply = merge(sse_timeline(SEED_EXAMPLE), rule=MergeRule("$.choices[0].message.content"))
    assert (reply.profile, reply.text, reply.errors) == ("custom", "Hi", ())
    assert reply.complete


def test_reasoning_path_and_event_filter() -> None:
    raw = (
        'event: progress\ndata: {"say": "ignored", "why": "no"}\n\n'
        'event: chunk\ndata: {"say": "Hel", "why": "think"}\n\n'
        'event: chunk\ndata: {"say": "lo", "why": "ing"}\n\n'
    )
    reply = merge(sse_timeline(raw), rule=MergeRule("$.say", reasoning="$.why", event="chunk"))
    assert (reply.text, reply.reasoning) == ("Hello", "thinking")


def test_event_filter_reads_the_type_field_without_sse_names() -> None:
    lines = [{"type": "token", "t": "a"}, {"type": "meta", "t": "x"}, {"type": "token", "t": "b"}]
    assert merge(ndjson_timeline(lines), rule=MergeRule("$.t", event="token")).text == "ab"


def test_snapshot_mode_replaces_the_text() -> None:
    raw = "".join(f"data: {json.dumps({'full': text})}\n\n" for text in ["He", "Hell", "Hello", "Help"])
    reply = merge(sse_timeline(raw), rule=MergeRule("$.full", mode=RuleMode.SNAPSHOT))
    assert reply.text == "Help"


def test_bad_jsonpath_is_a_clear_error_not_an_exception() -> None:
    reply = merge(sse_timeline(SEED_EXAMPLE), rule=MergeRule("$.choices[0"))
    assert reply.text == ""
    assert len(reply.errors) == 1 and "$.choices[0" in reply.errors[0] and "not valid" in reply.errors[0]


def test_non_json_payloads_are_noted_and_skipped() -> None:
    raw = 'data: plain text\n\ndata: {"t": "ok"}\n\ndata: more text\n\n'
    reply = merge(sse_timeline(raw), rule=MergeRule("$.t"))
    assert reply.text == "ok"
    assert any("payload is not JSON" in note and "plain text" in note for note in reply.notes)
    assert any("2 payloads were not JSON" in note for note in reply.notes)


def test_custom_rule_wins_over_detection() -> None:
    raw = 'data: {"choices":[{"index":0,"delta":{"content":"A"}}],"x":"B"}\n\ndata: [DONE]\n\n'
    reply = merge(sse_timeline(raw), rule=MergeRule("$.x"))
    assert (reply.text, reply.complete) == ("B", True)
