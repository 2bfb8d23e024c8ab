"""Mistral chat completions streaming: OpenAI-like chunks with Mistral's own details.

Follows Mistral's API docs: chunks have no `system_fingerprint` or `logprobs`; the last chunk carries
`finish_reason` together with `usage`; tool calls arrive whole in one chunk (`id`, `function.name`,
`function.arguments` as a JSON string, `index`). Reasoning (Magistral) models send `delta.content` as a
list of chunks, `{"type": "thinking", "thinking": [{"type": "text", "text": …}]}` then
`{"type": "text", "text": …}`; other models send a plain string. A mid-stream failure is a
`data: {"object": "error", …}` event without `[DONE]`.
"""

from __future__ import annotations

import secrets
from typing import Any

from app.demo.framing import SseFrame, sse_json
from app.demo.providers.openai import DONE
from app.demo.providers.script import (
    ERROR_AFTER_TOKENS,
    PROMPT_TOKENS,
    REASONING,
    REPLY,
    TOOL_ARGUMENTS_JSON,
    TOOL_NAME,
    Script,
)

DEFAULT_MODEL = "magistral-medium-latest"
STREAM_ERROR = {
    "object": "error",
    "message": "Service unavailable, please retry.",
    "type": "service_unavailable",
    "param": None,
    "code": "3505",
}


def _usage(script: Script) -> dict[str, Any]:
    return {"prompt_tokens": PROMPT_TOKENS, "total_tokens": script.total_tokens,
            "completion_tokens": script.completion_tokens}


def chat_body(script: Script, model: str, with_tools: bool) -> dict[str, Any]:
    """The whole `chat.completion` of a non-streaming request (Magistral gives its content as chunks)."""
    content: Any = REPLY
    if model.startswith("magistral"):
        content = [{"type": "thinking", "thinking": [{"type": "text", "text": REASONING}]}, {"type": "text", "text": REPLY}]
    message: dict[str, Any] = {"role": "assistant", "content": content, "tool_calls": None, "prefix": False}
    finish_reason = "stop"
    if with_tools:
        message.update(content="", tool_calls=[_tool_call()])
        finish_reason = "tool_calls"
    return {
        "id": secrets.token_hex(16),
        "object": "chat.completion",
        "created": script.created,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": _usage(script),
    }


def _tool_call() -> dict[str, Any]:
    return {"id": secrets.token_urlsafe(7)[:9], "function": {"name": TOOL_NAME, "arguments": TOOL_ARGUMENTS_JSON}, "index": 0}


def chat_frames(script: Script, model: str, with_tools: bool, error: bool) -> list[SseFrame]:
    completion_id = secrets.token_hex(16)
    thinks = model.startswith("magistral")

    def frame(delta: dict[str, Any], finish_reason: str | None = None, usage: Any = None) -> SseFrame:
        chunk: dict[str, Any] = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": script.created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
        }
        if usage is not None:
            chunk["usage"] = usage
        return sse_json(chunk)

    frames = [frame({"role": "assistant", "content": ""})]
    if thinks:
        frames += [
            frame({"content": [{"type": "thinking", "thinking": [{"type": "text", "text": token}]}]})
            for token in script.reasoning_tokens
        ]
    tokens = script.reply_tokens[:ERROR_AFTER_TOKENS] if error else script.reply_tokens
    if not with_tools:
        frames += [frame({"content": [{"type": "text", "text": token}] if thinks else token}) for token in tokens]
    if error:
        return [*frames, sse_json(STREAM_ERROR)]
    usage = _usage(script)
    if with_tools:
        frames.append(frame({"content": "", "tool_calls": [_tool_call()]}, "tool_calls", usage))
    else:
        frames.append(frame({"content": ""}, "stop", usage))
    return [*frames, DONE]
