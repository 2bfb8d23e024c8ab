"""Responses API, Anthropic, Gemini (SSE and JSON array), Ollama, Cohere v2 and llama.cpp, from their docs."""

from __future__ import annotations

import json

from merge_recorded import merge, ndjson_timeline, sse_timeline, timeline

from app.events import JsonArrayItem


def named(*events: tuple[str, dict]) -> str:
    return "\n".join(f"event: {name}\ndata: {json.dumps(data)}\n" for name, data in events)


def responses(*events: dict) -> str:
    return named(*((event["type"], event) for event in events))


RESPONSES_STREAM = responses(
    {"type": "response.created", "response": {"id": "resp_1", "status": "in_progress", "output": []}},
    {"type": "response.reasoning_summary_text.delta", "item_id": "rs_1", "output_index": 0, "summary_index": 0,
     "delta": "Weather needs a tool."},
    {"type": "response.output_item.added", "output_index": 1,
     "item": {"type": "function_call", "id": "fc_1", "call_id": "call_9", "name": "get_weather", "arguments": ""}},
    {"type": "response.function_call_arguments.delta", "item_id": "fc_1", "output_index": 1, "delta": "{\"city\":"},
    {"type": "response.function_call_arguments.delta", "item_id": "fc_1", "output_index": 1, "delta": "\"Oslo\"}"},
    {"type": "response.function_call_arguments.done", "item_id": "fc_1", "output_index": 1, "arguments": "{\"city\":\"Oslo\"}"},
    {"type": "response.output_text.delta", "item_id": "msg_1", "output_index": 2, "content_index": 0, "delta": "Checking"},
    {"type": "response.output_text.delta", "item_id": "msg_1", "output_index": 2, "content_index": 0, "delta": " Oslo."},
    {"type": "response.completed", "response": {"id": "resp_1", "status": "completed", "output": [
        {"type": "message", "id": "msg_1", "content": [{"type": "output_text", "text": "Checking Oslo."}]}],
        "usage": {"input_tokens": 20, "output_tokens": 12, "total_tokens": 32}}},
)


def test_openai_responses() -> None:
    reply = merge(sse_timeline(RESPONSES_STREAM))
    assert reply.profile == "openai-responses"
    assert (reply.text, reply.reasoning) == ("Checking Oslo.", "Weather needs a tool.")
    call = reply.tool_calls[0]
    assert (call.id, call.name, call.arguments) == ("call_9", "get_weather", {"city": "Oslo"})
    assert reply.usage["output_tokens"] == 12 and reply.finish_reason == "completed"
    assert reply.complete and reply.mismatch is None


def test_openai_responses_refusal_beside_text_is_the_final_message() -> None:
    # The completed response's message holds an output_text part and a refusal part: the merged text (both,
    # in order) is that message, not a mismatch; a refusal that only the completed response holds is adopted.
    parts = [{"type": "output_text", "text": "Here is part. "}, {"type": "refusal", "refusal": "I can't do the rest."}]
    completed = {"type": "response.completed", "response": {"id": "r", "status": "completed", "output": [
        {"type": "message", "id": "m", "content": parts}], "usage": {"output_tokens": 9}}}
    streamed = merge(sse_timeline(responses(
        {"type": "response.output_text.delta", "item_id": "m", "output_index": 0, "content_index": 0, "delta": "Here is part. "},
        {"type": "response.refusal.delta", "item_id": "m", "output_index": 0, "content_index": 1, "delta": "I can't do the rest."},
        completed,
    )))
    only_final = merge(sse_timeline(responses(completed)))
    for reply in (streamed, only_final):
        assert (reply.text, reply.mismatch, reply.complete) == ("Here is part. I can't do the rest.", None, True)


def test_openai_responses_error_event_and_no_completed() -> None:
    raw = responses(
        {"type": "response.output_text.delta", "item_id": "m", "output_index": 0, "content_index": 0, "delta": "Hi"},
        {"type": "error", "code": "server_error", "message": "Something broke", "param": None},
    )
    reply = merge(sse_timeline(raw))
    assert reply.errors == ("server_error: Something broke",)
    assert not reply.complete


ANTHROPIC_STREAM = named(
    ("message_start", {"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant",
     "content": [], "model": "claude-sonnet-4-5", "stop_reason": None,
     "usage": {"input_tokens": 472, "output_tokens": 2}}}),
    ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": ""}}),
    ("content_block_delta", {"type": "content_block_delta", "index": 0,
     "delta": {"type": "thinking_delta", "thinking": "User wants weather."}}),
    ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "signature_delta", "signature": "EqQ"}}),
    ("content_block_stop", {"type": "content_block_stop", "index": 0}),
    ("ping", {"type": "ping"}),
    ("content_block_start", {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}}),
    ("content_block_delta", {"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "Let me check"}}),
    ("content_block_delta", {"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "."}}),
    ("content_block_stop", {"type": "content_block_stop", "index": 1}),
    ("content_block_start", {"type": "content_block_start", "index": 2, "content_block": {
        "type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {}}}),
    ("content_block_delta", {"type": "content_block_delta", "index": 2, "delta": {"type": "input_json_delta", "partial_json": ""}}),
    ("content_block_delta", {"type": "content_block_delta", "index": 2,
     "delta": {"type": "input_json_delta", "partial_json": "{\"location\": \"San Fra"}}),
    ("content_block_delta", {"type": "content_block_delta", "index": 2,
     "delta": {"type": "input_json_delta", "partial_json": "ncisco, CA\"}"}}),
    ("content_block_stop", {"type": "content_block_stop", "index": 2}),
    ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": None},
     "usage": {"output_tokens": 89}}),
    ("message_stop", {"type": "message_stop"}),
)


def test_anthropic_messages() -> None:
    reply = merge(sse_timeline(ANTHROPIC_STREAM))
    assert reply.profile == "anthropic"
    assert (reply.reasoning, reply.text) == ("User wants weather.", "Let me check.")
    call = reply.tool_calls[0]
    assert (call.id, call.name, call.arguments) == ("toolu_01", "get_weather", {"location": "San Francisco, CA"})
    assert reply.finish_reason == "tool_use"
    assert reply.usage == {"input_tokens": 472, "output_tokens": 89}
    assert reply.complete


def test_anthropic_overloaded_error() -> None:
    raw = ANTHROPIC_STREAM.split("event: content_block_start")[0] + named(
        ("error", {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}))
    reply = merge(sse_timeline(raw))
    assert reply.errors == ("overloaded_error: Overloaded",)
    assert not reply.complete


GEMINI_CHUNKS = [
    {"candidates": [{"content": {"parts": [{"text": "Considering the weather", "thought": True}], "role": "model"},
                     "index": 0}], "modelVersion": "gemini-2.5-flash"},
    {"candidates": [{"content": {"parts": [{"text": "It is "}], "role": "model"}, "index": 0}]},
    {"candidates": [{"content": {"parts": [{"text": "sunny."},
                                           {"functionCall": {"name": "set_alarm", "args": {"time": "07:00"}}}],
                                 "role": "model"}, "finishReason": "STOP", "index": 0}],
     "usageMetadata": {"promptTokenCount": 8, "candidatesTokenCount": 5, "thoughtsTokenCount": 12, "totalTokenCount": 25}},
]


def test_gemini_sse() -> None:
    raw = "\n".join(f"data: {json.dumps(chunk)}\n" for chunk in GEMINI_CHUNKS)
    reply = merge(sse_timeline(raw))
    assert reply.profile == "gemini"
    assert (reply.reasoning, reply.text, reply.finish_reason) == ("Considering the weather", "It is sunny.", "STOP")
    assert (reply.tool_calls[0].name, reply.tool_calls[0].arguments) == ("set_alarm", {"time": "07:00"})
    assert reply.usage["candidatesTokenCount"] == 5 and reply.complete


def test_gemini_json_array_items_merge_the_same() -> None:
    items = timeline([JsonArrayItem(chunk) for chunk in GEMINI_CHUNKS], content_type="application/json")
    assert merge(items).to_json() == merge(sse_timeline("\n".join(f"data: {json.dumps(c)}\n" for c in GEMINI_CHUNKS))).to_json()


def test_gemini_without_finish_reason_is_incomplete() -> None:
    items = timeline([JsonArrayItem(chunk) for chunk in GEMINI_CHUNKS[:2]], content_type="application/json")
    assert not merge(items).complete


OLLAMA_CHAT = [
    {"model": "qwen3", "created_at": "2025-05-29T09:35:56Z", "message": {"role": "assistant", "content": "", "thinking": "Hmm"}, "done": False},
    {"model": "qwen3", "created_at": "2025-05-29T09:35:56Z", "message": {"role": "assistant", "content": "The sky"}, "done": False},
    {"model": "qwen3", "created_at": "2025-05-29T09:35:57Z", "message": {"role": "assistant", "content": " is blue.",
     "tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Tokyo"}}}]}, "done": False},
    {"model": "qwen3", "created_at": "2025-05-29T09:35:57Z", "message": {"role": "assistant", "content": ""},
     "done_reason": "stop", "done": True, "total_duration": 4883583458, "load_duration": 1334875,
     "prompt_eval_count": 26, "prompt_eval_duration": 342546000, "eval_count": 282, "eval_duration": 4535599000},
]


def test_ollama_chat() -> None:
    reply = merge(ndjson_timeline(OLLAMA_CHAT))
    assert reply.profile == "ollama"
    assert (reply.reasoning, reply.text, reply.finish_reason) == ("Hmm", "The sky is blue.", "stop")
    assert reply.tool_calls[0].arguments == {"city": "Tokyo"} and reply.tool_calls[0].complete
    assert reply.usage["eval_count"] == 282 and reply.complete


def test_ollama_generate_and_error_line() -> None:
    lines = [
        {"model": "llama3.2", "created_at": "2023-08-04T08:52:19Z", "response": "The", "thinking": "ok", "done": False},
        {"error": "an error was encountered while running the model"},
    ]
    reply = merge(ndjson_timeline(lines))
    assert (reply.text, reply.reasoning) == ("The", "ok")
    assert reply.errors == ("an error was encountered while running the model",)
    assert not reply.complete


COHERE_STREAM = [
    {"type": "message-start", "id": "29f1", "delta": {"message": {"role": "assistant", "content": [], "tool_plan": "", "tool_calls": []}}},
    {"type": "tool-plan-delta", "delta": {"message": {"tool_plan": "I will look up the weather."}}},
    {"type": "tool-call-start", "index": 0, "delta": {"message": {"tool_calls": {
        "id": "get_weather_1", "type": "function", "function": {"name": "get_weather", "arguments": ""}}}}},
    {"type": "tool-call-delta", "index": 0, "delta": {"message": {"tool_calls": {"function": {"arguments": "{\"location\":"}}}}},
    {"type": "tool-call-delta", "index": 0, "delta": {"message": {"tool_calls": {"function": {"arguments": "\"Toronto\"}"}}}}},
    {"type": "tool-call-end", "index": 0},
    {"type": "content-start", "index": 0, "delta": {"message": {"content": {"type": "text", "text": ""}}}},
    {"type": "content-delta", "index": 0, "delta": {"message": {"content": {"text": "It is"}}}},
    {"type": "content-delta", "index": 0, "delta": {"message": {"content": {"text": " cold."}}}},
    {"type": "content-end", "index": 0},
    {"type": "message-end", "delta": {"finish_reason": "COMPLETE", "usage": {
        "billed_units": {"input_tokens": 37, "output_tokens": 10}, "tokens": {"input_tokens": 930, "output_tokens": 10}}}},
]


def test_cohere_v2() -> None:
    raw = named(*((event["type"], event) for event in COHERE_STREAM))
    reply = merge(sse_timeline(raw))
    assert reply.profile == "cohere"
    assert (reply.text, reply.reasoning, reply.finish_reason) == ("It is cold.", "I will look up the weather.", "COMPLETE")
    assert (reply.tool_calls[0].id, reply.tool_calls[0].arguments) == ("get_weather_1", {"location": "Toronto"})
    assert reply.usage["tokens"]["output_tokens"] == 10 and reply.complete


def test_llamacpp_completion_and_error_field() -> None:
    raw = (
        'data: {"content":"Hello","stop":false,"id_slot":0}\n\n'
        'data: {"content":" world","stop":false,"id_slot":0}\n\n'
        'error: {"code":500,"message":"context shift is disabled","type":"server_error"}\n\n'
    )
    reply = merge(sse_timeline(raw))
    assert reply.profile == "llamacpp"
    assert reply.text == "Hello world"
    assert reply.errors == ("server_error: context shift is disabled",)
    assert not reply.complete


def test_llamacpp_stop_carries_counts() -> None:
    raw = (
        'data: {"content":"Hi","stop":false}\n\n'
        'data: {"content":"","stop":true,"stop_type":"eos","tokens_predicted":1,"tokens_evaluated":4,'
        '"timings":{"predicted_n":1,"predicted_per_second":50.0}}\n\n'
    )
    reply = merge(sse_timeline(raw))
    assert (reply.text, reply.finish_reason, reply.complete) == ("Hi", "eos", True)
    assert reply.usage["tokens_predicted"] == 1
