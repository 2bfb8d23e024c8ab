"""Stream metrics from event times: ttfb, first token, gaps, stalls, rates."""

from __future__ import annotations

import json

from app.events import ResponseOpened, SseComment, SseMessage, StreamClosed, TimelineEvent
from app.streams.merge import MergeEngine, StreamMetrics


def openai_data(content: str) -> SseMessage:
    return SseMessage("message", json.dumps({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": content}}]}))


def events_at(times_and_payloads: list[tuple[float, object]]) -> list[TimelineEvent]:
    return [TimelineEvent(seq, t, payload) for seq, (t, payload) in enumerate(times_and_payloads)]


def test_metrics_from_a_merged_stream() -> None:
    usage = SseMessage("message", json.dumps({"object": "chat.completion.chunk", "choices": [],
                                              "usage": {"completion_tokens": 8}}))
    events = events_at([
        (0.2, ResponseOpened(200, "HTTP/1.1", (("content-type", "text/event-stream"),))),
        (0.3, SseMessage("message", json.dumps({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"role": "assistant"}}]}))),
        (0.5, openai_data("a")),
        (0.6, SseComment("keep-alive")),
        (0.6, openai_data("b")),
        (3.1, openai_data("c")),
        (3.3, openai_data("d")),
        (3.4, usage),
        (3.4, SseMessage("message", "[DONE]")),
        (3.5, StreamClosed(100, 8, 3.5, 0.2, 0.3, 2.5)),
    ])
    engine = MergeEngine()
    engine.feed(events[:4])
    engine.feed(events[4:])
    engine.finish()
    metrics = engine.metrics.to_json()
    assert metrics["kind"] == "metrics"
    assert (metrics["ttfb"], metrics["ttft"], metrics["duration"]) == (0.2, 0.5, 3.5)
    assert metrics["fragments"] == 4
    assert (metrics["gap_p50"], metrics["gap_max"]) == (0.2, 2.5)
    assert metrics["gap_p95"] == 2.5
    assert (metrics["stalls"], metrics["stall_seconds"], metrics["stall_threshold"]) == (1, 2.5, 2.0)
    assert metrics["fragments_per_second"] == round(4 / 2.8, 6)
    assert metrics["output_tokens"] == 8 and metrics["tokens_per_second"] == round(8 / 2.8, 6)


def test_stall_threshold_is_configurable() -> None:
    events = events_at([(0.1, openai_data("a")), (0.9, openai_data("b")), (1.0, openai_data("c"))])
    engine = MergeEngine("openai", stall_threshold=0.5)
    engine.feed(events)
    engine.finish()
    assert engine.metrics.to_json()["stalls"] == 1


def test_empty_stream_has_no_rates() -> None:
    line = StreamMetrics().to_json()
    assert line["fragments"] == 0 and line["gap_p50"] is None and line["fragments_per_second"] is None
