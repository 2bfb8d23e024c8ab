"""Requests that do not ask to stream get one JSON body, shaped as each provider's SDK models expect."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from app.demo.providers.script import REASONING, REPLY, TOOL_ARGUMENTS, TOOL_NAME
from app.demo.server import DemoServer

MESSAGES = [{"role": "user", "content": "Weather in Paris?"}]


@pytest.fixture
def client(demo_server: DemoServer) -> httpx.Client:
    with httpx.Client(base_url=demo_server.base_url, timeout=10) as client:
        yield client


def whole(client: httpx.Client, path: str, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    response = client.post(path, json=body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


@pytest.mark.parametrize("stream", [None, False])
def test_openai_chat_completion(client: httpx.Client, stream: bool | None) -> None:
    body: dict[str, Any] = {"model": "gpt-4o-mini", "messages": MESSAGES}
    if stream is not None:
        body["stream"] = stream
    reply = whole(client, "/v1/chat/completions", body)
    assert reply["object"] == "chat.completion"
    choice = reply["choices"][0]
    assert (choice["message"]["content"], choice["finish_reason"]) == (REPLY, "stop")
    assert reply["usage"]["total_tokens"] == reply["usage"]["prompt_tokens"] + reply["usage"]["completion_tokens"]


def test_openai_chat_completion_with_tools_and_two_choices(client: httpx.Client) -> None:
    reply = whole(client, "/v1/chat/completions", {"messages": MESSAGES, "tools": [{"type": "function"}], "n": 2})
    first, second = reply["choices"]
    call = first["message"]["tool_calls"][0]
    assert (call["function"]["name"], json.loads(call["function"]["arguments"])) == (TOOL_NAME, TOOL_ARGUMENTS)
    assert first["finish_reason"] == "tool_calls" and second["index"] == 1


def test_openai_error_is_an_http_error(client: httpx.Client) -> None:
    assert whole(client, "/v1/chat/completions?error=1", {"messages": MESSAGES}, 500)["error"]["type"] == "server_error"


def test_responses_body_has_usage_details(client: httpx.Client) -> None:
    reply = whole(client, "/v1/responses", {"model": "o4-mini", "input": "hi", "stream": False})
    assert (reply["object"], reply["status"]) == ("response", "completed")
    usage = reply["usage"]
    assert usage["input_tokens_details"] == {"cached_tokens": 0}
    assert usage["output_tokens_details"]["reasoning_tokens"] > 0
    kinds = [item["type"] for item in reply["output"]]
    assert kinds == ["reasoning", "message", "function_call"]
    assert reply["output"][1]["content"][0]["text"] == REPLY


def test_responses_stream_completed_usage_has_details(client: httpx.Client) -> None:
    body = client.post("/v1/responses", json={"input": "hi", "stream": True}).text
    completed = json.loads(body.strip().split("\n")[-1].removeprefix("data: "))
    assert completed["type"] == "response.completed"
    assert set(completed["response"]["usage"]) >= {"input_tokens_details", "output_tokens_details"}


def test_anthropic_message(client: httpx.Client) -> None:
    reply = whole(client, "/v1/messages", {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": MESSAGES})
    assert (reply["type"], reply["stop_reason"]) == ("message", "tool_use")
    thinking, text, tool = reply["content"]
    assert (thinking["thinking"], text["text"]) == (REASONING, REPLY)
    assert (tool["name"], tool["input"]) == (TOOL_NAME, TOOL_ARGUMENTS)
    assert whole(client, "/v1/messages?error=1", {"messages": MESSAGES}, 529)["error"]["type"] == "overloaded_error"


def test_gemini_generate_content(client: httpx.Client) -> None:
    reply = whole(client, "/v1beta/models/gemini-2.5-flash:generateContent", {"contents": []})
    candidate = reply["candidates"][0]
    parts = candidate["content"]["parts"]
    assert [part.get("text") for part in parts[:2]] == [REASONING, REPLY] and parts[0]["thought"]
    assert parts[2]["functionCall"] == {"name": TOOL_NAME, "args": TOOL_ARGUMENTS}
    assert candidate["finishReason"] == "STOP" and reply["usageMetadata"]["totalTokenCount"] > 0


@pytest.mark.parametrize("path, field", [("/api/chat", "message"), ("/api/generate", "response")])
def test_ollama_stream_false(client: httpx.Client, path: str, field: str) -> None:
    reply = whole(client, path, {"model": "qwen3:8b", "messages": MESSAGES, "prompt": "hi", "stream": False})
    assert reply["done"] is True and reply["done_reason"] == "stop"
    text = reply["message"]["content"] if field == "message" else reply["response"]
    assert text == REPLY


def test_ollama_still_streams_by_default(client: httpx.Client) -> None:
    response = client.post("/api/chat", json={"messages": MESSAGES})
    assert response.headers["content-type"].startswith("application/x-ndjson")


def test_mistral_cohere_llamacpp_openrouter(client: httpx.Client) -> None:
    mistral = whole(client, "/mistral/v1/chat/completions", {"model": "mistral-small-latest", "stream": False})
    assert mistral["choices"][0]["message"]["content"] == REPLY
    magistral = whole(client, "/mistral/v1/chat/completions", {"model": "magistral-medium-latest"})
    assert [chunk["type"] for chunk in magistral["choices"][0]["message"]["content"]] == ["thinking", "text"]
    cohere = whole(client, "/cohere/v2/chat", {"messages": MESSAGES, "stream": False})
    assert cohere["finish_reason"] == "COMPLETE" and cohere["message"]["content"][1]["text"] == REPLY
    tools = whole(client, "/cohere/v2/chat", {"messages": MESSAGES, "tools": [{}]})
    assert json.loads(tools["message"]["tool_calls"][0]["function"]["arguments"]) == TOOL_ARGUMENTS
    llama = whole(client, "/llamacpp/completion", {"prompt": "hi"})
    assert (llama["content"], llama["stop"]) == (REPLY, True)
    router = whole(client, "/openrouter/v1/chat/completions", {"messages": MESSAGES})
    assert router["provider"] and router["choices"][0]["message"]["reasoning"] == REASONING


def test_sluice_merges_a_whole_body(demo_server: DemoServer, sluice) -> None:
    """A non-streaming answer read by `sluice run` is merged as one reply and counts as complete."""
    result = sluice("run", f"{demo_server.base_url}/v1/chat/completions", "--json", json.dumps({"messages": MESSAGES}),
                    "--jsonl")
    assert result.code == 0, result.stderr
    merged = next(line for line in result.lines if line["kind"] == "merged")
    assert (merged["profile"], merged["text"], merged["complete"]) == ("openai", REPLY, True)
