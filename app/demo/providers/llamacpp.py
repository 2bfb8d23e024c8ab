"""llama.cpp server `/completion` streaming: `data: {"content": …, "stop": false}` events.

Follows the llama.cpp server README: each event carries the next `content` piece with `stop: false`;
the last has `stop: true`, empty `content`, and the generation summary (`model`, `tokens_predicted`,
`tokens_evaluated`, `stop_type`, `timings`). It sends no `[DONE]`. On a failure mid-stream the server
writes a non-standard `error: {...}` line, which SSE clients must show rather than drop silently.
"""

from __future__ import annotations

from typing import Any

from app.demo.framing import dumps
from app.demo.providers.script import ERROR_AFTER_TOKENS, PROMPT_TOKENS, REPLY, Script

STREAM_ERROR = {"code": 500, "message": "slot unavailable: context shift is disabled", "type": "server_error"}


def _timings(script: Script) -> dict[str, Any]:
    predicted = len(script.reply_tokens)
    return {
        "prompt_n": PROMPT_TOKENS,
        "prompt_ms": 38.2,
        "prompt_per_token_ms": round(38.2 / PROMPT_TOKENS, 3),
        "prompt_per_second": round(PROMPT_TOKENS / 0.0382, 2),
        "predicted_n": predicted,
        "predicted_ms": predicted * 17.5,
        "predicted_per_token_ms": 17.5,
        "predicted_per_second": round(1000 / 17.5, 2),
    }


def _summary(script: Script, model: str) -> dict[str, Any]:
    return {
        "index": 0,
        "tokens": [],
        "id_slot": 0,
        "stop": True,
        "model": model,
        "tokens_predicted": len(script.reply_tokens),
        "tokens_evaluated": PROMPT_TOKENS,
        "has_new_line": False,
        "truncated": False,
        "stop_type": "eos",
        "stopping_word": "",
        "tokens_cached": PROMPT_TOKENS + len(script.reply_tokens) - 1,
        "timings": _timings(script),
    }


def completion_body(script: Script, model: str) -> dict[str, Any]:
    """The one object `/completion` answers without `"stream": true`: the whole `content` and the summary."""
    return {"content": REPLY, **_summary(script, model)}


def completion_chunks(script: Script, model: str, error: bool) -> list[bytes]:
    tokens = script.reply_tokens[:ERROR_AFTER_TOKENS] if error else script.reply_tokens
    chunks = [
        f"data: {dumps({'index': 0, 'content': token, 'tokens': [], 'stop': False, 'id_slot': 0})}\n\n".encode()
        for token in tokens
    ]
    if error:
        return [*chunks, f"error: {dumps(STREAM_ERROR)}\n\n".encode()]
    final = {"content": "", **_summary(script, model)}
    return [*chunks, f"data: {dumps(final)}\n\n".encode()]
