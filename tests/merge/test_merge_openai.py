"""OpenAI Chat Completions and the compatible servers (DeepSeek/vLLM, OpenRouter, Mistral)."""

from __future__ import annotations

from merge_recorded import merge, sse_lines, sse_timeline

from app.streams.merge import MergeEngine


def chunk(delta: dict | None = None, finish: str | None = None, index: int = 0, **extra: object) -> dict:
    choice = {"index": index, "delta": delta or {}, "logprobs": None, "finish_reason": finish}
    return {"id": "chatcmpl-123", "object": "chat.completion.chunk", "created": 1694268190,
            "model": "gpt-4o-mini", "system_fingerprint": "fp_44709d6fcb", "choices": [choice], **extra}


USAGE_CHUNK = {"id": "chatcmpl-123", "object": "chat.completion.chunk", "created": 1694268190, "model": "gpt-4o-mini",
               "choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12}}

BASIC = sse_lines(
    chunk({"role": "assistant", "content": ""}),
    chunk({"content": "Hello"}),
    chunk({"content": " there"}),
    chunk({"content": "!"}),
    chunk({}, "stop"),
    USAGE_CHUNK,
    "[DONE]",
)


def test_text_finish_reason_usage_and_done() -> None:
    reply = merge(sse_timeline(BASIC))
    assert reply.profile == "openai"
    assert reply.text == "Hello there!"
    assert reply.finish_reason == "stop"
    assert reply.usage == {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12}
    assert reply.complete and reply.errors == () and reply.mismatch is None


def test_to_json_is_the_documented_merged_line() -> None:
    line = merge(sse_timeline(BASIC)).to_json()
    assert list(line) == ["kind", "profile", "text", "reasoning", "tool_calls", "finish_reason", "usage",
                          "complete", "mismatch", "errors", "transport_error"]
    assert line["kind"] == "merged" and line["text"] == "Hello there!"


def test_missing_done_marks_the_reply_incomplete() -> None:
    raw = sse_lines(chunk({"content": "Hel"}), chunk({"content": "lo"}))
    reply = merge(sse_timeline(raw))
    assert reply.text == "Hello"
    assert not reply.complete


def test_tool_call_fragments_are_assembled_and_parsed() -> None:
    raw = sse_lines(
        chunk({"role": "assistant", "content": None, "tool_calls": [
            {"index": 0, "id": "call_abc", "type": "function", "function": {"name": "get_weather", "arguments": ""}}]}),
        chunk({"tool_calls": [{"index": 0, "function": {"arguments": "{\"loc"}}]}),
        chunk({"tool_calls": [{"index": 0, "function": {"arguments": "ation\": \"Paris\","}}]}),
        chunk({"tool_calls": [{"index": 0, "function": {"arguments": " \"unit\": \"c\"}"}}]}),
        chunk({"tool_calls": [{"index": 1, "id": "call_def", "type": "function",
                               "function": {"name": "get_time", "arguments": "{}"}}]}),
        chunk({}, "tool_calls"),
        "[DONE]",
    )
    reply = merge(sse_timeline(raw))
    assert reply.finish_reason == "tool_calls"
    first, second = reply.tool_calls
    assert (first.id, first.name, first.arguments) == ("call_abc", "get_weather", {"location": "Paris", "unit": "c"})
    assert first.complete and first.arguments_text == '{"location": "Paris", "unit": "c"}'
    assert (second.name, second.arguments) == ("get_time", {})
    assert reply.to_json()["tool_calls"][0] == {"id": "call_abc", "name": "get_weather",
                                                "arguments": {"location": "Paris", "unit": "c"}}


def test_truncated_tool_arguments_stay_raw_with_a_note() -> None:
    raw = sse_lines(chunk({"tool_calls": [{"index": 0, "id": "c1", "function": {"name": "f", "arguments": "{\"a\": "}}]}))
    reply = merge(sse_timeline(raw))
    call = reply.tool_calls[0]
    assert not call.complete and call.arguments is None
    assert reply.to_json()["tool_calls"][0]["arguments"] == '{"a": '
    assert any("not valid JSON" in note for note in reply.notes)


def test_deepseek_reasoning_content_then_text() -> None:
    raw = sse_lines(
        chunk({"role": "assistant", "content": None, "reasoning_content": ""}),
        chunk({"content": None, "reasoning_content": "9.11 vs 9.8: "}),
        chunk({"content": None, "reasoning_content": "compare tenths."}),
        chunk({"content": "9.8 is larger.", "reasoning_content": None}),
        chunk({}, "stop"),
        "[DONE]",
    )
    reply = merge(sse_timeline(raw))
    assert reply.reasoning == "9.11 vs 9.8: compare tenths."
    assert reply.text == "9.8 is larger."


def test_reasoning_details_alias_is_read_once() -> None:
    raw = sse_lines(
        chunk({"reasoning_details": [{"type": "reasoning.text", "text": "Think"}]}),
        chunk({"reasoning": " hard", "reasoning_details": [{"type": "reasoning.text", "text": " hard"}]}),
        chunk({"content": "Done"}, "stop"),
        "[DONE]",
    )
    assert merge(sse_timeline(raw)).reasoning == "Think hard"


def test_two_choices_are_kept_apart() -> None:
    raw = sse_lines(
        chunk({"content": "Red"}, index=0),
        chunk({"content": "Blue"}, index=1),
        chunk({"content": " sky"}, index=0),
        chunk({"content": " sea"}, index=1),
        chunk({}, "stop", index=0),
        chunk({}, "length", index=1),
        "[DONE]",
    )
    reply = merge(sse_timeline(raw))
    assert reply.text == "Red sky"
    assert [(c.index, c.text, c.finish_reason) for c in reply.choices] == [(0, "Red sky", "stop"), (1, "Blue sea", "length")]
    line = reply.to_json()
    assert [choice["text"] for choice in line["choices"]] == ["Red sky", "Blue sea"]


def test_error_object_inside_the_stream_is_reported() -> None:
    raw = sse_lines(chunk({"content": "Par"}), {"error": {"message": "The server had an error", "type": "server_error"}})
    reply = merge(sse_timeline(raw))
    assert reply.errors == ("server_error: The server had an error",)
    assert reply.text == "Par" and not reply.complete


def test_openrouter_comments_and_reasoning() -> None:
    raw = ": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\n" + sse_lines(
        {**chunk({"role": "assistant", "content": "", "reasoning": "Hmm."}), "id": "gen-1", "provider": "OpenAI"},
        {**chunk({"content": "Hi"}, "stop"), "id": "gen-1", "provider": "OpenAI"},
        "[DONE]",
    )
    reply = merge(sse_timeline(raw))
    assert reply.profile == "openrouter"
    assert (reply.reasoning, reply.text, reply.complete) == ("Hmm.", "Hi", True)


def test_openrouter_mid_stream_error_chunk() -> None:
    raw = sse_lines(
        {**chunk({"content": "Par"}), "id": "gen-2"},
        {**chunk({"content": ""}, "error"), "id": "gen-2", "error": {"code": "server_error", "message": "Provider disconnected"}},
    )
    reply = merge(sse_timeline(raw))
    assert reply.errors == ("server_error: Provider disconnected",)
    assert reply.finish_reason == "error"


def test_mistral_content_as_chunks_with_thinking() -> None:
    mistral = {"id": "a1", "object": "chat.completion.chunk", "model": "magistral-medium-2509"}
    raw = sse_lines(
        {**mistral, "choices": [{"index": 0, "delta": {"role": "assistant", "content": [
            {"type": "thinking", "thinking": [{"type": "text", "text": "Let me see. "}]}]}, "finish_reason": None}]},
        {**mistral, "choices": [{"index": 0, "delta": {"content": [
            {"type": "thinking", "thinking": [{"type": "text", "text": "Easy."}]}]}, "finish_reason": None}]},
        {**mistral, "choices": [{"index": 0, "delta": {"content": [{"type": "text", "text": "Four."}]}, "finish_reason": None}]},
        {**mistral, "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "stop"}],
         "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}},
        "[DONE]",
    )
    reply = merge(sse_timeline(raw))
    assert reply.profile == "mistral"
    assert (reply.reasoning, reply.text, reply.usage["completion_tokens"]) == ("Let me see. Easy.", "Four.", 7)


def test_inline_think_tags_are_split_when_asked() -> None:
    raw = sse_lines(
        chunk({"content": "<thi"}), chunk({"content": "nk>Plan"}), chunk({"content": " it</th"}),
        chunk({"content": "ink>Answer"}), chunk({}, "stop"), "[DONE]",
    )
    assert merge(sse_timeline(raw)).text == "<think>Plan it</think>Answer"
    reply = merge(sse_timeline(raw), split_think=True)
    assert (reply.reasoning, reply.text) == ("Plan it", "Answer")


def test_feed_reports_change_only_when_the_reply_changed() -> None:
    events = sse_timeline(sse_lines(chunk({"role": "assistant"}), chunk({"content": "Hi"})))
    engine = MergeEngine("openai")
    assert engine.feed(events[:1]) is False
    assert engine.feed(events[1:2]) is False
    assert engine.feed(events[2:3]) is True
    assert engine.take_delta().text == "Hi"
    assert engine.take_delta().text == ""


def test_done_is_not_json_and_never_becomes_a_note() -> None:
    reply = merge(sse_timeline(BASIC))
    assert reply.notes == ()


def test_payloads_with_surrounding_whitespace_or_garbage() -> None:
    raw = 'data:  {"choices":[{"index":0,"delta":{"content":"A"}}]}  \n\ndata: not json\n\ndata: [DONE] \n\n'
    reply = merge(sse_timeline(raw), profile="openai")
    assert (reply.text, reply.complete) == ("A", True)
    assert reply.notes == ("openai: skipped a payload that is not JSON: 'not json'",)
