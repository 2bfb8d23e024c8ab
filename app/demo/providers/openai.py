"""OpenAI Chat Completions streaming (`chat.completion.chunk` objects, then `data: [DONE]`).

Follows the public API reference: the first chunk carries `delta.role`, content arrives in
`delta.content`, tool calls in `delta.tool_calls[]` whose first fragment has `id`, `type` and
`function.name` and whose later fragments only append to `function.arguments`; the last choice chunk has
`finish_reason`; with `stream_options.include_usage` every chunk has `"usage": null` and one extra chunk
with `choices: []` carries the usage. DeepSeek's reasoner streams `delta.reasoning_content` first.
A mid-stream failure is a `data: {"error": {...}}` event with no `[DONE]` after it.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from app.demo.framing import SseFrame, sse_json
from app.demo.providers.script import (
    ALTERNATE_REPLY,
    ERROR_AFTER_TOKENS,
    PROMPT_TOKENS,
    REASONING,
    REPLY,
    TOOL_ARGUMENTS_JSON,
    TOOL_NAME,
    Script,
)

DONE = SseFrame(data="[DONE]")


@dataclass(frozen=True, slots=True)
class ChatOptions:
    """What the request asked for, as far as the stream's shape depends on it."""

    model: str
    include_usage: bool = False
    with_tools: bool = False
    choices: int = 1
    error: bool = False

    @property
    def reasons_in_stream(self) -> bool:
        return "reasoner" in self.model or "deepseek-r1" in self.model.lower()


def options_from_request(body: dict[str, Any], error: bool, default_model: str = "gpt-4o-mini") -> ChatOptions:
    stream_options = body.get("stream_options")
    choices = body.get("n", 1)
    return ChatOptions(
        model=str(body.get("model") or default_model),
        include_usage=isinstance(stream_options, dict) and stream_options.get("include_usage") is True,
        with_tools=bool(body.get("tools")),
        choices=2 if choices == 2 else 1,
        error=error,
    )


class ChunkFactory:
    """Builds chunks that share one completion id, timestamp and model, as one real stream does."""

    def __init__(self, options: ChatOptions, created: int, extra: dict[str, Any] | None = None) -> None:
        self.options = options
        self.id = f"chatcmpl-{secrets.token_hex(12)}"
        self.created = created
        self.extra = extra or {}

    def chunk(self, choices: list[dict[str, Any]]) -> dict[str, Any]:
        chunk: dict[str, Any] = {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.options.model,
            "system_fingerprint": "fp_demo0001",
            **self.extra,
            "choices": choices,
        }
        if self.options.include_usage:
            chunk["usage"] = None
        return chunk

    def choice(self, delta: dict[str, Any], index: int = 0, finish_reason: str | None = None) -> dict[str, Any]:
        return {"index": index, "delta": delta, "logprobs": None, "finish_reason": finish_reason}

    def delta_frame(self, delta: dict[str, Any], index: int = 0, finish_reason: str | None = None) -> SseFrame:
        return sse_json(self.chunk([self.choice(delta, index, finish_reason)]))

    def usage_frame(self, completion_tokens: int, reasoning_tokens: int = 0) -> SseFrame:
        chunk = self.chunk([])
        chunk["usage"] = {
            "prompt_tokens": PROMPT_TOKENS,
            "completion_tokens": completion_tokens,
            "total_tokens": PROMPT_TOKENS + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": reasoning_tokens,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        }
        return sse_json(chunk)


def tool_call_deltas(script: Script, call_id: str) -> list[dict[str, Any]]:
    """The `delta` objects of one streamed tool call: header first, then argument fragments."""
    header = {"index": 0, "id": call_id, "type": "function", "function": {"name": TOOL_NAME, "arguments": ""}}
    deltas = [{"tool_calls": [header]}]
    deltas += [{"tool_calls": [{"index": 0, "function": {"arguments": part}}]} for part in script.argument_fragments]
    return deltas


ERROR_BODY = {"message": "The server had an error while processing your request.", "type": "server_error",
              "param": None, "code": None}
"""The error object of a failed request: mid-stream as `data: {"error": …}`, else the HTTP 500 body."""


def stream_error_frame() -> SseFrame:
    return sse_json({"error": ERROR_BODY})


def chat_completion_frames(script: Script, options: ChatOptions) -> list[SseFrame]:
    factory = ChunkFactory(options, script.created)
    reasoning_key = "reasoning_content" if options.reasons_in_stream else None
    frames = [
        factory.delta_frame({"role": "assistant", "content": "", "refusal": None}, index)
        for index in range(options.choices)
    ]
    if reasoning_key:
        frames += [factory.delta_frame({"content": None, reasoning_key: token}) for token in script.reasoning_tokens]
    if options.with_tools:
        frames += [factory.delta_frame(delta) for delta in tool_call_deltas(script, f"call_{secrets.token_hex(12)}")]
        finish_reason = "tool_calls"
    else:
        frames += _interleaved_text(factory, script, options)
        finish_reason = "stop"
    if options.error:
        return frames[: len(frames) - _tail_length(script, options)] + [stream_error_frame()]
    frames += [factory.delta_frame({}, index, finish_reason) for index in range(options.choices)]
    if options.include_usage:
        reasoning_tokens = len(script.reasoning_tokens) if reasoning_key else 0
        frames.append(factory.usage_frame(script.completion_tokens, reasoning_tokens))
    frames.append(DONE)
    return frames


def chat_completion_body(script: Script, options: ChatOptions, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole `chat.completion` object a non-streaming request (`stream` absent or false) gets."""
    factory = ChunkFactory(options, script.created, extra)
    replies = [REPLY, ALTERNATE_REPLY][: options.choices]
    choices = []
    for index, text in enumerate(replies):
        message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
        if options.reasons_in_stream:
            message["reasoning_content"] = REASONING
        finish_reason = "stop"
        if options.with_tools and index == 0:
            call = {"id": f"call_{secrets.token_hex(12)}", "type": "function",
                    "function": {"name": TOOL_NAME, "arguments": TOOL_ARGUMENTS_JSON}}
            message.update(content=None, tool_calls=[call])
            finish_reason = "tool_calls"
        choices.append({"index": index, "message": message, "logprobs": None, "finish_reason": finish_reason})
    body = factory.chunk(choices)
    body["object"] = "chat.completion"
    reasoning_tokens = len(script.reasoning_tokens) if options.reasons_in_stream else 0
    body["usage"] = json.loads(factory.usage_frame(script.completion_tokens, reasoning_tokens).data or "{}")["usage"]
    return body


def _interleaved_text(factory: ChunkFactory, script: Script, options: ChatOptions) -> list[SseFrame]:
    streams = [script.reply_tokens, script.alternate_tokens][: options.choices]
    frames = []
    for position in range(max(len(tokens) for tokens in streams)):
        for index, tokens in enumerate(streams):
            if position < len(tokens):
                frames.append(factory.delta_frame({"content": tokens[position]}, index))
    return frames


def _tail_length(script: Script, options: ChatOptions) -> int:
    """How many content frames an error stream leaves out: all but the first few reply tokens."""
    if options.with_tools:
        return max(len(script.argument_fragments) - ERROR_AFTER_TOKENS, 0)
    sent_per_choice = min(ERROR_AFTER_TOKENS, len(script.reply_tokens))
    total = len(script.reply_tokens) + (len(script.alternate_tokens) if options.choices == 2 else 0)
    return total - sent_per_choice * options.choices
