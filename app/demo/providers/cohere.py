"""Cohere v2 chat streaming: named SSE events whose `type` repeats the event name.

Follows Cohere's v2 streaming guides: `message-start` (id, empty assistant message), content blocks as
`content-start` / `content-delta` / `content-end` (a `thinking` block for reasoning models, then `text`),
or for a tool call `tool-plan-delta` tokens then `tool-call-start` (id, name), `tool-call-delta`
(argument fragments) and `tool-call-end`; `message-end` with `finish_reason` (`COMPLETE`, `TOOL_CALL`,
or `ERROR` with an `error` string) and `usage` (`billed_units`, `tokens`).
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from app.demo.framing import SseFrame, split_tokens, sse_json
from app.demo.providers.script import (
    ERROR_AFTER_TOKENS,
    PROMPT_TOKENS,
    REASONING,
    REPLY,
    TOOL_ARGUMENTS_JSON,
    TOOL_NAME,
    Script,
)

TOOL_PLAN = "I will look up the weather in Paris."


def _event(payload: dict[str, Any]) -> SseFrame:
    return sse_json(payload, event=payload["type"])


def _content_block(index: int, kind: str, tokens: tuple[str, ...]) -> list[SseFrame]:
    opening = {"message": {"content": {"type": kind, kind: ""}}}
    frames = [_event({"type": "content-start", "index": index, "delta": opening})]
    frames += [
        _event({"type": "content-delta", "index": index, "delta": {"message": {"content": {kind: token}}}})
        for token in tokens
    ]
    frames.append(_event({"type": "content-end", "index": index}))
    return frames


def _usage(script: Script) -> dict[str, Any]:
    counts = {"input_tokens": PROMPT_TOKENS, "output_tokens": script.completion_tokens}
    return {"billed_units": dict(counts), "tokens": dict(counts)}


def chat_frames(script: Script, with_tools: bool, error: bool) -> list[SseFrame]:
    start_message = {"role": "assistant", "content": [], "tool_plan": "", "tool_calls": [], "citations": []}
    frames = [_event({"id": str(uuid.uuid4()), "type": "message-start", "delta": {"message": start_message}})]
    if with_tools and not error:
        frames += _tool_call_frames(script)
        finish = {"finish_reason": "TOOL_CALL", "usage": _usage(script)}
        return [*frames, _event({"type": "message-end", "delta": finish})]
    frames += _content_block(0, "thinking", script.reasoning_tokens)
    if error:
        frames += _content_block(1, "text", script.reply_tokens[:ERROR_AFTER_TOKENS])[:-1]
        finish = {"finish_reason": "ERROR", "error": "internal server error, this has been reported to our developers"}
        return [*frames, _event({"type": "message-end", "delta": finish})]
    frames += _content_block(1, "text", script.reply_tokens)
    return [*frames, _event({"type": "message-end", "delta": {"finish_reason": "COMPLETE", "usage": _usage(script)}})]


def chat_body(script: Script, with_tools: bool) -> dict[str, Any]:
    """The whole v2 chat response of a non-streaming request."""
    message: dict[str, Any] = {"role": "assistant"}
    if with_tools:
        message["tool_plan"] = TOOL_PLAN
        message["tool_calls"] = [{"id": f"get_weather_{secrets.token_hex(6)}", "type": "function",
                                  "function": {"name": TOOL_NAME, "arguments": TOOL_ARGUMENTS_JSON}}]
        finish_reason = "TOOL_CALL"
    else:
        message["content"] = [{"type": "thinking", "thinking": REASONING}, {"type": "text", "text": REPLY}]
        finish_reason = "COMPLETE"
    return {"id": str(uuid.uuid4()), "finish_reason": finish_reason, "message": message, "usage": _usage(script)}


ERROR_BODY = {"id": "0d6c1a5e-0000-4000-8000-000000000000", "message": "internal server error, this has been reported to our developers"}


def _tool_call_frames(script: Script) -> list[SseFrame]:
    frames = [
        _event({"type": "tool-plan-delta", "delta": {"message": {"tool_plan": token}}})
        for token in split_tokens(TOOL_PLAN)
    ]
    call = {
        "id": f"get_weather_{secrets.token_hex(6)}",
        "type": "function",
        "function": {"name": TOOL_NAME, "arguments": ""},
    }
    frames.append(_event({"type": "tool-call-start", "index": 0, "delta": {"message": {"tool_calls": call}}}))
    for part in script.argument_fragments:
        fragment = {"message": {"tool_calls": {"function": {"arguments": part}}}}
        frames.append(_event({"type": "tool-call-delta", "index": 0, "delta": fragment}))
    frames.append(_event({"type": "tool-call-end", "index": 0}))
    return frames
