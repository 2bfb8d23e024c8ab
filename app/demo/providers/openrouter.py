"""OpenRouter chat completions streaming: OpenAI's shape with OpenRouter's additions.

Follows OpenRouter's docs: `: OPENROUTER PROCESSING` comment lines keep the connection alive before the
first token; chunks add `provider` and `native_finish_reason`, reasoning arrives in `delta.reasoning`;
the usage chunk comes last before `[DONE]`. A mid-stream failure is a chunk with a top-level `error`
and `finish_reason: "error"`, then the stream ends.
"""

from __future__ import annotations

import secrets
from typing import Any

from app.demo.framing import SseFrame, sse_json
from app.demo.providers.openai import DONE, ChatOptions, chat_completion_body, tool_call_deltas
from app.demo.providers.script import ERROR_AFTER_TOKENS, PROMPT_TOKENS, REASONING, Script

DEFAULT_MODEL = "deepseek/deepseek-r1"
PROCESSING = SseFrame(comment="OPENROUTER PROCESSING")


def chat_body(script: Script, model: str, with_tools: bool) -> dict[str, Any]:
    """The whole completion of a non-streaming request: OpenAI's shape, `provider`, `message.reasoning`."""
    body = chat_completion_body(script, ChatOptions(model=model, with_tools=with_tools), {"provider": "DeepInfra"})
    body["id"] = f"gen-{script.created}-{secrets.token_urlsafe(15)}"
    body["choices"][0]["message"]["reasoning"] = REASONING
    return body


def chat_frames(script: Script, model: str, with_tools: bool, error: bool) -> list[SseFrame]:
    completion_id = f"gen-{script.created}-{secrets.token_urlsafe(15)}"

    def chunk(choices: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
        return {
            "id": completion_id,
            "provider": "DeepInfra",
            "model": model,
            "object": "chat.completion.chunk",
            "created": script.created,
            "choices": choices,
            **extra,
        }

    def frame(delta: dict[str, Any], finish_reason: str | None = None) -> SseFrame:
        choice = {
            "index": 0,
            "delta": {"role": "assistant", **delta},
            "finish_reason": finish_reason,
            "native_finish_reason": finish_reason,
            "logprobs": None,
        }
        return sse_json(chunk([choice]))

    frames = [PROCESSING, PROCESSING]
    frames += [frame({"content": "", "reasoning": token}) for token in script.reasoning_tokens]
    tokens = script.reply_tokens[:ERROR_AFTER_TOKENS] if error else script.reply_tokens
    if error:
        frames += [frame({"content": token, "reasoning": None}) for token in tokens]
        failure = chunk(
            [{"index": 0, "delta": {"content": ""}, "finish_reason": "error", "native_finish_reason": "error"}],
            error={"code": "server_error", "message": "Provider disconnected unexpectedly"},
        )
        return [*frames, sse_json(failure)]
    if with_tools:
        call_id = f"call_{secrets.token_hex(12)}"
        frames += [frame({"content": "", **delta}) for delta in tool_call_deltas(script, call_id)]
        frames.append(frame({"content": ""}, "tool_calls"))
    else:
        frames += [frame({"content": token, "reasoning": None}) for token in tokens]
        frames.append(frame({"content": ""}, "stop"))
    usage = {
        "prompt_tokens": PROMPT_TOKENS,
        "completion_tokens": script.completion_tokens,
        "total_tokens": script.total_tokens,
        "completion_tokens_details": {"reasoning_tokens": len(script.reasoning_tokens)},
    }
    return [*frames, sse_json(chunk([], usage=usage)), DONE]
