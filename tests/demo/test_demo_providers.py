"""Provider look-alikes: each framing carries back exactly the scripted reasoning, text and tool call."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from app.demo.providers.script import REASONING, REPLY, TOOL_ARGUMENTS, TOOL_NAME
from app.demo.server import DemoServer

GEMINI = "/v1beta/models/gemini-2.5-flash:streamGenerateContent"


@pytest.fixture
def client(demo_server: DemoServer) -> httpx.Client:
    with httpx.Client(base_url=demo_server.base_url, timeout=10) as client:
        yield client


def sse_blocks(body: str) -> list[dict[str, str]]:
    """Split an SSE body into blocks of `field -> value` (comments under `:`); enough for these tests."""
    blocks = []
    for raw_block in body.replace("\r\n", "\n").strip("\n").split("\n\n"):
        block: dict[str, str] = {}
        for line in raw_block.split("\n"):
            name, _, value = line.partition(":")
            block[name] = value[1:] if value.startswith(" ") else value
        blocks.append(block)
    return blocks


def sse_json_data(body: str) -> list[Any]:
    return [json.loads(block["data"]) for block in sse_blocks(body) if "data" in block and block["data"] != "[DONE]"]


def post(client: httpx.Client, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
    """A streaming request (`"stream": true` unless the body says otherwise), as the streaming SDK calls send."""
    body = {"stream": True, **(body or {"messages": [{"role": "user", "content": "Weather in Paris?"}]})}
    response = client.post(path, json=body)
    assert response.status_code == 200, response.text
    return response


def test_openai_streams_text_then_done(client: httpx.Client) -> None:
    response = post(client, "/v1/chat/completions", {"model": "gpt-4o-mini", "stream": True})
    assert response.headers["content-type"].startswith("text/event-stream")
    assert sse_blocks(response.text)[-1] == {"data": "[DONE]"}
    chunks = sse_json_data(response.text)
    assert {chunk["object"] for chunk in chunks} == {"chat.completion.chunk"}
    assert len({chunk["id"] for chunk in chunks}) == 1
    assert "".join(chunk["choices"][0]["delta"].get("content") or "" for chunk in chunks) == REPLY
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert "usage" not in chunks[0]


def test_openai_usage_chunk_and_deepseek_reasoning(client: httpx.Client) -> None:
    body = {"model": "deepseek-reasoner", "stream_options": {"include_usage": True}}
    chunks = sse_json_data(post(client, "/v1/chat/completions", body).text)
    assert chunks[-1]["choices"] == []
    usage = chunks[-1]["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert all(chunk["usage"] is None for chunk in chunks[:-1])
    deltas = [chunk["choices"][0]["delta"] for chunk in chunks[:-1]]
    assert "".join(delta.get("reasoning_content") or "" for delta in deltas) == REASONING
    first_content = next(i for i, delta in enumerate(deltas) if delta.get("content"))
    assert not any(delta.get("reasoning_content") for delta in deltas[first_content:])


def test_openai_tool_call_arrives_in_fragments(client: httpx.Client) -> None:
    chunks = sse_json_data(post(client, "/v1/chat/completions", {"tools": [{"type": "function"}]}).text)
    calls = [call for chunk in chunks for call in chunk["choices"][0]["delta"].get("tool_calls", [])]
    assert calls[0]["function"]["name"] == TOOL_NAME and calls[0]["id"].startswith("call_")
    assert len(calls) > 2
    assert json.loads("".join(call["function"]["arguments"] for call in calls)) == TOOL_ARGUMENTS
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_openai_two_choices_are_interleaved(client: httpx.Client) -> None:
    chunks = sse_json_data(post(client, "/v1/chat/completions", {"n": 2}).text)
    indexes = [chunk["choices"][0]["index"] for chunk in chunks]
    assert indexes[:4] == [0, 1, 0, 1]
    texts = ["", ""]
    for chunk in chunks:
        choice = chunk["choices"][0]
        texts[choice["index"]] += choice["delta"].get("content") or ""
    assert texts[0] == REPLY and texts[1] and texts[1] != REPLY


def test_openai_error_variant_ends_without_done(client: httpx.Client) -> None:
    response = post(client, "/v1/chat/completions?error=1")
    assert "[DONE]" not in response.text
    assert sse_json_data(response.text)[-1]["error"]["type"] == "server_error"


def test_responses_api_events(client: httpx.Client) -> None:
    events = sse_json_data(post(client, "/v1/responses", {"model": "o4-mini", "input": "hi"}).text)
    blocks = sse_blocks(post(client, "/v1/responses").text)
    assert all(block["event"] == json.loads(block["data"])["type"] for block in blocks)
    assert [event["sequence_number"] for event in events] == list(range(len(events)))
    assert events[0]["type"] == "response.created" and events[-1]["type"] == "response.completed"

    def joined(event_type: str) -> str:
        return "".join(event["delta"] for event in events if event["type"] == event_type)

    assert joined("response.reasoning_summary_text.delta") == REASONING
    assert joined("response.output_text.delta") == REPLY
    assert json.loads(joined("response.function_call_arguments.delta")) == TOOL_ARGUMENTS
    assert events[-1]["response"]["status"] == "completed"


def test_responses_error_variant(client: httpx.Client) -> None:
    events = sse_json_data(post(client, "/v1/responses?error=1").text)
    assert [event["type"] for event in events[-2:]] == ["error", "response.failed"]
    assert not any(event["type"] == "response.completed" for event in events)


def test_anthropic_messages(client: httpx.Client) -> None:
    blocks = sse_blocks(post(client, "/v1/messages", {"model": "claude-sonnet-4-5", "max_tokens": 1024}).text)
    names = [block["event"] for block in blocks]
    assert names[0] == "message_start" and names[-2:] == ["message_delta", "message_stop"] and "ping" in names
    events = [json.loads(block["data"]) for block in blocks]
    assert all(event["type"] == name for event, name in zip(events, names))
    deltas = [event["delta"] for event in events if event["type"] == "content_block_delta"]

    def joined(delta_type: str, field: str) -> str:
        return "".join(delta[field] for delta in deltas if delta["type"] == delta_type)

    assert joined("thinking_delta", "thinking") == REASONING
    assert joined("text_delta", "text") == REPLY
    assert json.loads(joined("input_json_delta", "partial_json")) == TOOL_ARGUMENTS
    assert events[-2]["delta"]["stop_reason"] == "tool_use"


def test_anthropic_error_variant(client: httpx.Client) -> None:
    last = sse_blocks(post(client, "/v1/messages?error=1").text)[-1]
    assert last["event"] == "error"
    assert json.loads(last["data"])["error"]["type"] == "overloaded_error"


def _gemini_parts(chunks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [part for chunk in chunks for part in chunk["candidates"][0]["content"]["parts"]]


def test_gemini_sse(client: httpx.Client) -> None:
    response = post(client, f"{GEMINI}?alt=sse", {"contents": [{"parts": [{"text": "hi"}]}]})
    assert response.headers["content-type"].startswith("text/event-stream")
    chunks = sse_json_data(response.text)
    parts = _gemini_parts(chunks)
    assert "".join(part["text"] for part in parts if part.get("thought")) == REASONING
    assert "".join(part.get("text", "") for part in parts if not part.get("thought")) == REPLY
    assert parts[-1]["functionCall"] == {"name": TOOL_NAME, "args": TOOL_ARGUMENTS}
    assert chunks[-1]["candidates"][0]["finishReason"] == "STOP"
    assert chunks[-1]["usageMetadata"]["totalTokenCount"] > 0


def test_gemini_json_array_arrives_in_pieces(client: httpx.Client) -> None:
    with client.stream("POST", GEMINI, json={"contents": [], "stream": True}) as response:
        assert response.headers["content-type"].startswith("application/json")
        pieces = list(response.iter_raw())
    body = json.loads(b"".join(pieces))
    assert isinstance(body, list) and len(pieces) > len(body)
    assert "".join(p.get("text", "") for p in _gemini_parts(body) if not p.get("thought")) == REPLY


def test_gemini_error_variant(client: httpx.Client) -> None:
    body = post(client, f"{GEMINI}?error=1").json()
    assert body[-1]["error"]["status"] == "UNAVAILABLE"


def test_ollama_chat(client: httpx.Client) -> None:
    response = post(client, "/api/chat", {"model": "qwen3:8b", "messages": [], "think": True})
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert "".join(line["message"].get("thinking", "") for line in lines) == REASONING
    assert "".join(line["message"]["content"] for line in lines) == REPLY
    calls = [call for line in lines for call in line["message"].get("tool_calls", [])]
    assert calls == [{"function": {"name": TOOL_NAME, "arguments": TOOL_ARGUMENTS}}]
    assert lines[-1]["done"] is True and lines[-1]["eval_count"] > 0 and lines[-1]["total_duration"] > 0
    assert not any(line["done"] for line in lines[:-1])


def test_ollama_generate_and_error(client: httpx.Client) -> None:
    lines = [json.loads(line) for line in post(client, "/api/generate", {"prompt": "hi"}).text.splitlines()]
    assert "".join(line["response"] for line in lines) == REPLY
    assert lines[-1]["done"] is True and "context" in lines[-1]
    failed = [json.loads(line) for line in post(client, "/api/chat?error=1").text.splitlines()]
    assert "error" in failed[-1]


def test_mistral_thinking_chunks_and_plain_strings(client: httpx.Client) -> None:
    chunks = sse_json_data(post(client, "/mistral/v1/chat/completions", {"model": "magistral-medium-latest"}).text)
    contents = [chunk["choices"][0]["delta"]["content"] for chunk in chunks]
    parts = [part for content in contents if isinstance(content, list) for part in content]
    thinking = "".join(piece["text"] for part in parts if part["type"] == "thinking" for piece in part["thinking"])
    text = "".join(part["text"] for part in parts if part["type"] == "text")
    assert (thinking, text) == (REASONING, REPLY)
    assert chunks[-1]["usage"]["total_tokens"] > 0
    plain = sse_json_data(post(client, "/mistral/v1/chat/completions", {"model": "mistral-small-latest"}).text)
    assert "".join(chunk["choices"][0]["delta"]["content"] for chunk in plain) == REPLY


def test_mistral_tool_call_is_whole(client: httpx.Client) -> None:
    chunks = sse_json_data(post(client, "/mistral/v1/chat/completions", {"tools": [{}]}).text)
    call = chunks[-1]["choices"][0]["delta"]["tool_calls"][0]
    assert json.loads(call["function"]["arguments"]) == TOOL_ARGUMENTS
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_cohere_text_and_tool_streams(client: httpx.Client) -> None:
    blocks = sse_blocks(post(client, "/cohere/v2/chat", {"model": "command-a-reasoning-08-2025"}).text)
    events = [json.loads(block["data"]) for block in blocks]
    assert [event["type"] for event in events] == [block["event"] for block in blocks]
    contents = [event["delta"]["message"]["content"] for event in events if event["type"] == "content-delta"]
    assert "".join(content.get("thinking", "") for content in contents) == REASONING
    assert "".join(content.get("text", "") for content in contents) == REPLY
    assert events[-1]["delta"]["finish_reason"] == "COMPLETE"
    tool_events = sse_json_data(post(client, "/cohere/v2/chat", {"tools": [{}]}).text)
    arguments = "".join(
        event["delta"]["message"]["tool_calls"]["function"]["arguments"]
        for event in tool_events
        if event["type"] == "tool-call-delta"
    )
    assert json.loads(arguments) == TOOL_ARGUMENTS
    assert tool_events[-1]["delta"]["finish_reason"] == "TOOL_CALL"
    failed = sse_json_data(post(client, "/cohere/v2/chat?error=1").text)
    assert failed[-1]["delta"]["finish_reason"] == "ERROR"


def test_llamacpp_completion_and_error_field(client: httpx.Client) -> None:
    events = sse_json_data(post(client, "/llamacpp/completion", {"prompt": "hi", "stream": True}).text)
    assert "".join(event["content"] for event in events) == REPLY
    assert events[-1]["stop"] is True and not any(event["stop"] for event in events[:-1])
    last = sse_blocks(post(client, "/llamacpp/completion?error=1").text)[-1]
    assert json.loads(last["error"])["code"] == 500


def test_openrouter_comments_and_reasoning(client: httpx.Client) -> None:
    body = post(client, "/openrouter/v1/chat/completions").text
    assert body.startswith(": OPENROUTER PROCESSING\n\n")
    chunks = sse_json_data(body)
    deltas = [chunk["choices"][0]["delta"] for chunk in chunks if chunk["choices"]]
    assert "".join(delta.get("reasoning") or "" for delta in deltas) == REASONING
    assert "".join(delta.get("content") or "" for delta in deltas) == REPLY
    assert chunks[-1]["usage"]["total_tokens"] > 0
    failed = sse_json_data(post(client, "/openrouter/v1/chat/completions?error=1").text)
    assert failed[-1]["choices"][0]["finish_reason"] == "error" and "error" in failed[-1]


@pytest.mark.parametrize(
    "path", ["/v1/chat/completions", "/v1/messages", "/api/chat", "/cohere/v2/chat", GEMINI]
)
def test_a_body_that_is_not_json_is_a_400(client: httpx.Client, path: str) -> None:
    response = client.post(path, content=b"not json")
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]


def test_delay_must_be_a_small_number(client: httpx.Client) -> None:
    assert client.post("/v1/chat/completions?delay=soon", json={}).status_code == 400
    assert client.post("/v1/chat/completions?delay=999", json={}).status_code == 400
