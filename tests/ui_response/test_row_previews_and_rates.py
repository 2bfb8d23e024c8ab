"""Timeline rows lead with what a fragment says; the Metrics sparkline keeps a fixed time scale."""

import json

from app.events import NdjsonValue, SseMessage
from app.figures import format_rate, format_seconds
from app.store.summary import event_preview, json_gist

OPENAI_CHUNK = {
    "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o",
    "choices": [{"index": 0, "delta": {"content": " evening."}, "finish_reason": None}],
}


def test_gist_finds_the_fragment_of_each_provider_shape():
    assert json_gist(OPENAI_CHUNK) == " evening."
    assert json_gist({"type": "content_block_delta", "delta": {"type": "text_delta", "text": "Hi"}}) == "Hi"
    assert json_gist({"candidates": [{"content": {"parts": [{"text": "Paris"}]}}]}) == "Paris"
    assert json_gist({"model": "llama3", "message": {"role": "assistant", "content": "Hey"}, "done": False}) == "Hey"
    assert json_gist({"type": "token", "token": "We"}) == "We"
    assert json_gist({"i": 1}) is None


def test_preview_leads_with_the_gist_then_the_payload():
    preview = event_preview(SseMessage("message", json.dumps(OPENAI_CHUNK)))
    assert preview.startswith('" evening." · {"id"')
    assert event_preview(SseMessage("message", "[DONE]")) == "[DONE]"
    assert event_preview(NdjsonValue('{"i": 1}')) == '{"i":1}'


def test_rate_series_has_a_fixed_length_so_a_short_stream_is_a_short_burst():
    from app.events import SseMessage, TimelineEvent
    from app.streams.stream_metrics import StreamMetrics

    timing = StreamMetrics()
    timing.feed([TimelineEvent(0, 0.01, SseMessage("message", "x")), TimelineEvent(1, 0.02, SseMessage("message", "y"))])
    series = timing.rate_per_second(last_buckets=120)
    assert len(series) == 120
    assert series[:-1] == [0.0] * 119
    assert series[-1] > 0


def test_an_ignored_sse_field_shows_the_line_and_why():
    from app.events import SseIgnoredField
    from app.store import event_text
    from app.terminal_text import safe_line

    ignored = SseIgnoredField("id", "abc\x00def", "an id containing NUL is ignored")
    preview = safe_line(event_preview(ignored))
    assert preview == "id: abc\\x00def · ignored: an id containing NUL is ignored"
    assert event_text(ignored) == "id: abc\x00def\nan id containing NUL is ignored"


def test_durations_read_in_the_unit_they_are_long_in():
    assert [format_seconds(s) for s in (0.0004, 0.0123, 4.214, 59.994)] == ["400 µs", "12.3 ms", "4.21 s", "59.99 s"]
    assert format_seconds(1924.08) == "32m 04s"  # a socket left open read `1924.08 s`
    assert format_seconds(7500) == "2h 05m"


def test_rates_keep_a_decimal_below_ten():
    assert [format_rate(r) for r in (0.25, 9.94, 10.4, 12345.6)] == ["0.2", "9.9", "10", "12,346"]
