"""Ollama `/api/chat` and `/api/generate` streaming: NDJSON objects, the last with `done: true`.

Follows the public API docs: `/api/chat` lines carry `message.content` (and `message.thinking` when
thinking is on), tool calls arrive whole in `message.tool_calls[].function` with `arguments` as an object;
`/api/generate` lines carry `response` / `thinking`. The final line has `done_reason`, `total_duration`,
`load_duration`, `prompt_eval_count`, `prompt_eval_duration`, `eval_count`, `eval_duration` (nanoseconds),
and for `/api/generate` a `context`. A failure mid-stream is an `{"error": "..."}` line.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.demo.providers.script import (
    ERROR_AFTER_TOKENS,
    PROMPT_TOKENS,
    REASONING,
    REPLY,
    TOOL_ARGUMENTS,
    TOOL_NAME,
    Script,
)

STREAM_ERROR = {"error": "an error was encountered while running the model: unexpected EOF"}
_NANOSECONDS_PER_TOKEN = 21_000_000
_CONTEXT = [128006, 882, 128007, 271, 3923, 596]


class _Clock:
    """`created_at` stamps that advance per line, in Ollama's nanosecond RFC 3339 form."""

    def __init__(self) -> None:
        self._now = datetime.now(UTC)

    def tick(self) -> str:
        self._now += timedelta(milliseconds=21)
        return self._now.strftime("%Y-%m-%dT%H:%M:%S.%f") + "123Z"


def _final_stats(script: Script) -> dict[str, Any]:
    eval_count = script.completion_tokens
    eval_duration = eval_count * _NANOSECONDS_PER_TOKEN
    prompt_eval_duration = 96_413_000
    load_duration = 12_554_125
    return {
        "total_duration": load_duration + prompt_eval_duration + eval_duration,
        "load_duration": load_duration,
        "prompt_eval_count": PROMPT_TOKENS,
        "prompt_eval_duration": prompt_eval_duration,
        "eval_count": eval_count,
        "eval_duration": eval_duration,
    }


def chat_lines(script: Script, model: str, error: bool) -> list[dict[str, Any]]:
    clock = _Clock()

    def line(message: dict[str, Any]) -> dict[str, Any]:
        return {"model": model, "created_at": clock.tick(), "message": {"role": "assistant", **message}, "done": False}

    lines = [line({"content": "", "thinking": token}) for token in script.reasoning_tokens]
    tokens = script.reply_tokens[:ERROR_AFTER_TOKENS] if error else script.reply_tokens
    lines += [line({"content": token}) for token in tokens]
    if error:
        return [*lines, STREAM_ERROR]
    tool_call = {"function": {"name": TOOL_NAME, "arguments": TOOL_ARGUMENTS}}
    lines.append(line({"content": "", "tool_calls": [tool_call]}))
    final = line({"content": ""})
    final.update(done=True, done_reason="stop", **_final_stats(script))
    return [*lines, final]


def chat_body(script: Script, model: str) -> dict[str, Any]:
    """The one object `/api/chat` answers with `"stream": false`."""
    tool_call = {"function": {"name": TOOL_NAME, "arguments": TOOL_ARGUMENTS}}
    message = {"role": "assistant", "content": REPLY, "thinking": REASONING, "tool_calls": [tool_call]}
    return {"model": model, "created_at": _Clock().tick(), "message": message, "done": True, "done_reason": "stop",
            **_final_stats(script)}


def generate_body(script: Script, model: str) -> dict[str, Any]:
    """The one object `/api/generate` answers with `"stream": false`."""
    return {"model": model, "created_at": _Clock().tick(), "response": REPLY, "thinking": REASONING, "done": True,
            "done_reason": "stop", "context": _CONTEXT, **_final_stats(script)}


def generate_lines(script: Script, model: str, error: bool) -> list[dict[str, Any]]:
    clock = _Clock()

    def line(response: str, thinking: str | None = None) -> dict[str, Any]:
        fields: dict[str, Any] = {"model": model, "created_at": clock.tick(), "response": response}
        if thinking is not None:
            fields["thinking"] = thinking
        return {**fields, "done": False}

    lines = [line("", token) for token in script.reasoning_tokens]
    tokens = script.reply_tokens[:ERROR_AFTER_TOKENS] if error else script.reply_tokens
    lines += [line(token) for token in tokens]
    if error:
        return [*lines, STREAM_ERROR]
    final = line("")
    final.update(done=True, done_reason="stop", context=_CONTEXT, **_final_stats(script))
    return [*lines, final]
