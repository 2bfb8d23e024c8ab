"""The merge engine's grouped path: a batch whose events share a time goes to the profile in one call
(`on_values`, `on_messages`); the reply and the fragment metrics are exactly what feeding the same events
one at a time gives, whatever the payloads and however the events are batched, and whether a chunk's
events come as events or as one `EventRun` (as workers publish them)."""

from __future__ import annotations

import json
from itertools import groupby

from hypothesis import given, settings
from hypothesis import strategies as st

from app.event_runs import BusItem, EventRun, NdjsonTexts, SseDatas, WsTexts
from app.events import NdjsonValue, SseMessage, StreamClosed, TimelineEvent
from app.streams.merge import MergeEngine
from app.ws_events import WsMessage

WORDS = st.sampled_from(["The", " fox", "", "<think>", "a\"b", "é", "\\"])

OLLAMA_VALUES = st.one_of(
    st.builds(lambda text: {"model": "m", "message": {"role": "assistant", "content": text}, "done": False}, WORDS),
    st.builds(lambda text: {"model": "m", "message": {"role": "assistant", "content": text}, "done": False}, WORDS),
    st.builds(lambda text: {"message": {"role": "assistant", "content": "", "thinking": text}, "done": False}, WORDS),
    st.builds(lambda text: {"response": text, "done": False}, WORDS),
    st.just({"message": {"role": "assistant", "content": "", "tool_calls": [{"function": {"name": "f", "arguments": {}}}]}, "done": False}),
    st.just({"message": {"role": "assistant", "content": ""}, "done": True, "done_reason": "stop", "eval_count": 3}),
    st.just({"response": "", "done": True, "eval_count": 3}),  # an Ollama before done_reason
    st.just({"error": "boom"}),
    st.just([1, 2]),
)

HEAD = '{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":'
OPENAI_DATA = st.one_of(
    st.builds(lambda text: HEAD + json.dumps({"content": text}) + ',"finish_reason":null}]}', WORDS),
    st.builds(lambda text: HEAD + json.dumps({"content": text}) + ',"finish_reason":null}]}', WORDS),
    st.builds(lambda text: HEAD + json.dumps({"reasoning_content": text}) + ',"finish_reason":null}]}', WORDS),
    st.just(HEAD + '{},"finish_reason":"stop"}]}'),
    st.just("[DONE]"),
    st.just("not json"),
)


def events_of(payloads: list, times: list[int]) -> list[TimelineEvent]:
    t = 0.0
    events = []
    for seq, (payload, step) in enumerate(zip(payloads, times)):
        t += step * 0.001
        events.append(TimelineEvent(seq, t, payload, 10))
    events.append(TimelineEvent(len(events), t + 0.01, StreamClosed(0, len(payloads), t + 0.01, 0.0, 0.0, 0.0), 0))
    return events


def merge(events: list[TimelineEvent], batches: list[list[TimelineEvent]] | list[list[BusItem]], split_think: bool) -> tuple:
    engine = MergeEngine(split_think=split_think)
    for batch in batches:
        engine.feed(batch)
    reply = engine.finish()
    return reply, engine.metrics.to_json(), engine.metrics.fragments.count


def as_runs(batch: list[TimelineEvent], columns: bool = False) -> list[BusItem]:
    """The batch as a worker publishes it: each stretch of two or more events of one time as one run;
    with `columns`, a run of one kind by the columns its parser makes (`NdjsonTexts`, `SseDatas`, and the
    WebSocket reader's `WsTexts`)."""
    items: list[BusItem] = []
    for t, same_time in groupby(batch, lambda event: event.t):
        group = list(same_time)
        if len(group) == 1:
            items.extend(group)
            continue
        payloads = [event.payload for event in group]
        sizes = tuple(event.size for event in group)
        kinds = set(map(type, payloads))
        if columns and kinds == {NdjsonValue}:
            items.append(EventRun(group[0].seq, t, NdjsonTexts([value.text for value in payloads]), sizes))
        elif columns and kinds == {SseMessage} and len({(m.event, m.id, m.retry) for m in payloads}) == 1 and payloads[0].retry is None:
            datas = SseDatas(payloads[0].event, [message.data for message in payloads], payloads[0].id)
            items.append(EventRun(group[0].seq, t, datas, sizes))
        elif columns and kinds == {WsMessage}:
            items.append(EventRun(group[0].seq, t, WsTexts([message.data for message in payloads]), sizes))
        else:
            items.append(EventRun(group[0].seq, t, tuple(payloads), sizes))
    return items


def batched(events: list[TimelineEvent], cuts: list[int]) -> list[list[TimelineEvent]]:
    """`events` cut into batches; the first ends early, so that the format is known in the later ones
    (only then are groups handed to the profile at once)."""
    edges = sorted({8, *(min(cut, len(events)) for cut in cuts)})
    return [events[start:end] for start, end in zip([0, *edges], [*edges, len(events)]) if events[start:end]]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(OLLAMA_VALUES, min_size=20, max_size=120),
    st.lists(st.sampled_from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2500]), min_size=120, max_size=120),
    st.lists(st.integers(0, 130), max_size=4),
    st.booleans(),
)
def test_ndjson_values_merged_in_groups_merge_as_one_at_a_time(values, times, cuts, split_think):
    events = events_of([NdjsonValue(json.dumps(value)) for value in values], times)
    one_by_one = merge(events, [[event] for event in events], split_think)
    assert merge(events, batched(events, cuts), split_think) == one_by_one
    assert merge(events, [as_runs(batch) for batch in batched(events, cuts)], split_think) == one_by_one
    assert merge(events, [as_runs(batch, columns=True) for batch in batched(events, cuts)], split_think) == one_by_one


@settings(max_examples=150, deadline=None)
@given(
    st.lists(OPENAI_DATA, min_size=20, max_size=120),
    st.lists(st.sampled_from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2500]), min_size=120, max_size=120),
    st.lists(st.integers(0, 130), max_size=4),
    st.booleans(),
)
def test_sse_messages_merged_in_groups_merge_as_one_at_a_time(datas, times, cuts, split_think):
    events = events_of([SseMessage("message", data) for data in datas], times)
    one_by_one = merge(events, [[event] for event in events], split_think)
    assert merge(events, batched(events, cuts), split_think) == one_by_one
    assert merge(events, [as_runs(batch) for batch in batched(events, cuts)], split_think) == one_by_one
    assert merge(events, [as_runs(batch, columns=True) for batch in batched(events, cuts)], split_think) == one_by_one


@settings(max_examples=100, deadline=None)
@given(
    st.lists(OPENAI_DATA | st.builds(json.dumps, OLLAMA_VALUES), min_size=20, max_size=120),
    st.lists(st.sampled_from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2500]), min_size=120, max_size=120),
    st.lists(st.integers(0, 130), max_size=4),
    st.booleans(),
)
def test_websocket_texts_merged_in_groups_merge_as_one_at_a_time(datas, times, cuts, split_think):
    events = events_of([WsMessage("recv", data) for data in datas], times)
    one_by_one = merge(events, [[event] for event in events], split_think)
    assert merge(events, [as_runs(batch) for batch in batched(events, cuts)], split_think) == one_by_one
    assert merge(events, [as_runs(batch, columns=True) for batch in batched(events, cuts)], split_think) == one_by_one


NO_MERGE_DATAS = st.one_of(
    st.sampled_from(['{"i":1}', '{"error":"boom"}', '{"object":"error","message":"m","type":"t"}', "error", "not json"]),
    st.sampled_from(['{"text":"an error"}', '{"error":{"message":"quota"}}', "err", "or"]),
    st.text(max_size=8),
)


def _none_profile_agrees_by_runs(events: list[TimelineEvent], cuts: list[int]) -> MergeEngine:
    """The none profile's engine fed `events` as runs (cut at `cuts`), checked against one fed them one
    at a time: the same reply and metrics."""
    one_by_one = MergeEngine("none")
    for event in events:
        one_by_one.feed([event])
    by_runs = MergeEngine("none")
    for batch in batched(events, cuts):
        by_runs.feed(as_runs(batch, columns=True))
    assert by_runs.finish() == one_by_one.finish()
    assert by_runs.metrics.to_json() == one_by_one.metrics.to_json()
    return by_runs


@settings(max_examples=150, deadline=None)
@given(st.lists(NO_MERGE_DATAS, min_size=2, max_size=60), st.lists(st.integers(0, 60), max_size=4))
def test_no_merge_runs_report_the_errors_of_their_payloads_one_at_a_time(datas, cuts):
    # The none profile looks at a run's payloads at once (one search for "error"): what it reports must be
    # what it reports looking at them one at a time.
    events = events_of([WsMessage("recv", data) for data in datas], [0] * len(datas))
    _none_profile_agrees_by_runs(events, cuts)


NO_MERGE_VALUES = st.one_of(
    st.sampled_from([{"i": 1}, {"error": "boom"}, {"object": "error", "message": "m", "type": "t"}, "error"]),
    st.sampled_from([{"text": "an error"}, {"error": {"message": "quota"}}, {"error": ""}, [1, "err"], 12345678901234567890123]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(NO_MERGE_VALUES, min_size=2, max_size=60), st.lists(st.integers(0, 60), max_size=4))
def test_no_merge_ndjson_runs_report_the_errors_of_their_lines_one_at_a_time(values, cuts):
    # The same for a chunk of NDJSON lines (`on_lines`): one search of the run's texts, or each parsed.
    events = events_of([NdjsonValue(json.dumps(value)) for value in values], [0] * len(values))
    by_runs = _none_profile_agrees_by_runs(events, cuts)
    assert len(by_runs.finish().errors) == sum(type(value) is dict and bool(value.get("error") or value.get("object") == "error") for value in values)


def merge_as(profile: str, events: list[TimelineEvent], batches: list[list[BusItem]] | list[list[TimelineEvent]], split_think: bool) -> tuple:
    engine = MergeEngine(profile, split_think=split_think)
    for batch in batches:
        engine.feed(batch)
    reply = engine.finish()
    return reply, engine.metrics.to_json(), engine.metrics.fragments.count


HOSTILE_DATA = st.sampled_from(
    # What a run's one decode must hand back to `on_data`, each payload on its own: not one JSON value,
    # nested past the depth limit, a lone surrogate escape, an integer beyond 64 bits, not JSON at all.
    ['{"type":"x"},{"type":"y"}', "1,2",
     '{"type":"content_block_delta","delta":{"type":"text_delta","text":"a"}},{"type":"content_block_delta","delta":{"type":"text_delta","text":"b"}}',
     '{"type":"response.output_text.delta","delta":"a"},{"type":"response.output_text.delta","delta":"b"}', "", " ", "[DONE]", "not json", '{"type":"content_block_delta","delta":{"type":"text_delta","text":"\\ud800"}}',
     '{"type":"content_block_delta","n":123456789012345678901234567890,"delta":{"type":"text_delta","text":"big"}}',
     '{"type":"content_block_delta","deep":' + "[" * 300 + "]" * 300 + ',"delta":{"type":"text_delta","text":"deep"}}',
     '{"type":"response.output_text.delta","deep":' + "[" * 300 + "]" * 300 + ',"delta":"deep"}']
)
ANTHROPIC_TEXT = st.builds(
    lambda text, index: json.dumps({"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": text}}),
    WORDS, st.sampled_from([0, 1]),
)
ANTHROPIC_DATA = st.one_of(
    # Mostly text deltas, so that whole runs of them (the usual chunk) meet the odd payloads among them.
    *[ANTHROPIC_TEXT] * 8,
    st.builds(lambda text: json.dumps({"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": text}}), WORDS),
    st.sampled_from([
        '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"a\\":"}}',
        '{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t","name":"f"}}',
        '{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}',
        '{"type":"content_block_delta","delta":{"type":"text_delta","text":7}}',
        '{"type":"message_stop"}',
    ]),
    HOSTILE_DATA,
)
RESPONSES_TEXT = st.builds(
    lambda text, seq: json.dumps({"type": "response.output_text.delta", "sequence_number": seq, "item_id": "m", "delta": text}),
    WORDS, st.integers(0, 10**20),
)
RESPONSES_DATA = st.one_of(
    *[RESPONSES_TEXT] * 8,
    st.builds(lambda text: json.dumps({"type": "response.reasoning_summary_text.delta", "item_id": "r", "summary_index": 0, "delta": text}), WORDS),
    st.builds(lambda text: json.dumps({"type": "response.refusal.delta", "delta": text}), WORDS),
    st.sampled_from(['{"type":"response.output_text.delta","delta":null}',
                     '{"type":"response.completed","response":{"status":"completed","usage":{"output_tokens":2}}}']),
    HOSTILE_DATA,
)


def gemini_chunk(texts: list[str], thought: bool, usage: dict | None) -> str:
    chunk: dict = {"candidates": [{"content": {"parts": [{"text": text, **({"thought": True} if thought else {})} for text in texts],
                                                "role": "model"}, "index": 0}], "modelVersion": "g"}
    if usage is not None:
        chunk["usageMetadata"] = usage
    return json.dumps(chunk)


USAGES = st.sampled_from([None, {"promptTokenCount": 5}, {"promptTokenCount": 5, "candidatesTokenCount": 2}, {"promptTokenCount": None}]) | st.builds(
    lambda count: {"promptTokenCount": 5, "candidatesTokenCount": count}, st.integers(0, 40)
)
GEMINI_TEXT = st.builds(gemini_chunk, st.lists(WORDS, min_size=1, max_size=3), st.just(False), USAGES)
GEMINI_DATA = st.one_of(
    *[GEMINI_TEXT] * 8,
    st.builds(gemini_chunk, st.lists(WORDS, min_size=1, max_size=2), st.just(True), USAGES),
    st.sampled_from([
        '{"candidates":[{"content":{"parts":[{"text":"end"}]},"finishReason":"STOP","index":0}],"usageMetadata":{"candidatesTokenCount":9}}',
        '{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":{"a":1}}}]},"index":0}]}',
        '{"candidates":[{"content":{"parts":[{"text":"other"}]},"index":1}]}',
        '{"candidates":[{"content":{"parts":[{"text":"x"}]},"index":0}],"usageMetadata":null}',
        '{"candidates":[{"content":{"parts":[{"text":"y","thought":"yes"}]}}]}',
        '{"error":{"code":429,"message":"quota"}}',
        '{"promptFeedback":{"blockReason":"SAFETY"}}',
        '{"candidates":[{"content":{"parts":[{"text":"z"}]},"index":0}],"promptFeedback":{"blockReason":"OTHER"}}',
        '{"candidates":[{"content":{"parts":[{"text":"w"}]},"index":0}],"error":{"message":"late"}}',
        '{"usageMetadata":{"promptTokenCount":1}}',
    ]),
    HOSTILE_DATA,
)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([("anthropic", ANTHROPIC_DATA, "content_block_delta"), ("openai-responses", RESPONSES_DATA, "response.output_text.delta"),
                     ("gemini", GEMINI_DATA, "message")])
    .flatmap(lambda case: st.tuples(st.just(case[0]), st.lists(case[1], min_size=20, max_size=120), st.sampled_from([case[2], "message", ""]))),
    st.lists(st.sampled_from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2500]), min_size=120, max_size=120),
    st.lists(st.integers(0, 130), max_size=4),
    st.booleans(),
)
def test_typed_event_runs_merge_as_one_at_a_time(case, times, cuts, split_think):
    # Anthropic's and the Responses API's text deltas and Gemini's text chunks, read a run at a time in one
    # decode: the reply must be what one `on_data` per message gives, whatever the run holds and whatever
    # the events are named.
    profile, datas, name = case
    events = events_of([SseMessage(name, data) for data in datas], times)
    one_by_one = merge_as(profile, events, [[event] for event in events], split_think)
    assert merge_as(profile, events, [as_runs(batch, columns=True) for batch in batched(events, cuts)], split_think) == one_by_one
    assert merge_as(profile, events, [as_runs(batch) for batch in batched(events, cuts)], split_think) == one_by_one


@settings(max_examples=100, deadline=None)
@given(st.lists(OPENAI_DATA | ANTHROPIC_TEXT, min_size=1, max_size=80), st.sampled_from(["openai", "anthropic", None]))
def test_the_final_line_with_its_text_in_pieces_is_the_final_reply_line(datas, profile):
    # `sluice run --jsonl` writes the merged line from `final_line` (the text as its pieces, never joined):
    # byte for byte the line of `finish()`'s reply.
    from app.jsonl import TextPieces, summary_pieces

    events = events_of([SseMessage("message", data) for data in datas], [0] * len(datas))
    by_pieces, by_reply = MergeEngine(profile), MergeEngine(profile)
    for engine in (by_pieces, by_reply):
        engine.feed(events)
    line, pieces = by_pieces.final_line()
    if pieces is not None:
        assert line["text"] == ""
        line["text"] = TextPieces(pieces)
    assert b"".join(summary_pieces(5, 1.0, "merged", line)) == b"".join(summary_pieces(5, 1.0, "merged", by_reply.finish().to_json()))
