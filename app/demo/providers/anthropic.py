"""Anthropic Messages streaming: named SSE events whose `type` repeats the event name.

Follows the public streaming guide: `message_start` (the message with empty content and initial usage),
then per content block `content_block_start`, `content_block_delta` (`thinking_delta` and a closing
`signature_delta`, `text_delta`, `input_json_delta` with `partial_json`) and `content_block_stop`, a
`ping`, `message_delta` with `stop_reason` and cumulative `output_tokens`, and `message_stop`. A mid-stream
failure is `event: error` with an `overloaded_error`.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from app.demo.framing import SseFrame, sse_json
from app.demo.providers.script import (
    ERROR_AFTER_TOKENS,
    PROMPT_TOKENS,
    REASONING,
    REPLY,
    TOOL_ARGUMENTS,
    TOOL_NAME,
    Script,
)


def _event(payload: dict[str, Any]) -> SseFrame:
    return sse_json(payload, event=payload["type"])


def _block(index: int, content_block: dict[str, Any], deltas: list[dict[str, Any]]) -> list[SseFrame]:
    frames = [_event({"type": "content_block_start", "index": index, "content_block": content_block})]
    frames += [_event({"type": "content_block_delta", "index": index, "delta": delta}) for delta in deltas]
    frames.append(_event({"type": "content_block_stop", "index": index}))
    return frames


OVERLOADED = {"type": "overloaded_error", "message": "Overloaded"}


def message_body(script: Script, model: str) -> dict[str, Any]:
    """The whole `message` a non-streaming request gets: thinking, text and a tool_use block."""
    signature = base64.b64encode(secrets.token_bytes(48)).decode("ascii")
    return {
        "id": f"msg_01{secrets.token_hex(11)}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [
            {"type": "thinking", "thinking": REASONING, "signature": signature},
            {"type": "text", "text": REPLY},
            {"type": "tool_use", "id": f"toolu_01{secrets.token_hex(11)}", "name": TOOL_NAME, "input": TOOL_ARGUMENTS},
        ],
        "stop_reason": "tool_use",
        "stop_sequence": None,
        "usage": {
            "input_tokens": PROMPT_TOKENS,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "output_tokens": script.completion_tokens,
        },
    }


def message_frames(script: Script, model: str, error: bool) -> list[SseFrame]:
    message: dict[str, Any] = {
        "id": f"msg_01{secrets.token_hex(11)}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {
            "input_tokens": PROMPT_TOKENS,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "output_tokens": 1,
        },
    }
    frames = [_event({"type": "message_start", "message": message}), _event({"type": "ping"})]
    signature = base64.b64encode(secrets.token_bytes(48)).decode("ascii")
    thinking = [{"type": "thinking_delta", "thinking": token} for token in script.reasoning_tokens]
    thinking.append({"type": "signature_delta", "signature": signature})
    frames += _block(0, {"type": "thinking", "thinking": "", "signature": ""}, thinking)
    text = [{"type": "text_delta", "text": token} for token in script.reply_tokens]
    if error:
        frames += _block(1, {"type": "text", "text": ""}, text[:ERROR_AFTER_TOKENS])[:-1]
        return [*frames, _event({"type": "error", "error": OVERLOADED})]
    frames += _block(1, {"type": "text", "text": ""}, text)
    tool_use = {"type": "tool_use", "id": f"toolu_01{secrets.token_hex(11)}", "name": TOOL_NAME, "input": {}}
    arguments = [{"type": "input_json_delta", "partial_json": part} for part in script.argument_fragments]
    frames += _block(2, tool_use, [{"type": "input_json_delta", "partial_json": ""}, *arguments])
    stop = {"stop_reason": "tool_use", "stop_sequence": None}
    usage = {"output_tokens": script.completion_tokens}
    frames.append(_event({"type": "message_delta", "delta": stop, "usage": usage}))
    frames.append(_event({"type": "message_stop"}))
    return frames
