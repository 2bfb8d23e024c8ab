"""Google Gemini `streamGenerateContent`: `GenerateContentResponse` chunks.

Follows the public API reference: each chunk has `candidates[].content.parts[]` (`text`, parts with
`thought: true` for thought summaries, a `functionCall` part with `args` as an object), `role: "model"`,
the last chunk a `finishReason`, and `usageMetadata` (`promptTokenCount`, `candidatesTokenCount`,
`thoughtsTokenCount`, `totalTokenCount`). With `?alt=sse` each chunk is one SSE `data:` event; without it
the body is one pretty-printed JSON array delivered a piece at a time. A mid-stream failure is an element
`{"error": {"code", "message", "status"}}`.

A request with `toolConfig.functionCallingConfig.streamFunctionCallArguments: true` gets the call's
arguments streamed as Vertex does: a `functionCall` with the name and `willContinue: true`, then parts with
`partialArgs` (a string value cut over several parts), then an empty `functionCall` that ends it.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
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

STREAM_ERROR = {
    "error": {"code": 503, "message": "The model is overloaded. Please try again later.", "status": "UNAVAILABLE"}
}


def _usage(script: Script, candidates_tokens: int) -> dict[str, Any]:
    thoughts = len(script.reasoning_tokens)
    return {
        "promptTokenCount": PROMPT_TOKENS,
        "candidatesTokenCount": candidates_tokens,
        "totalTokenCount": PROMPT_TOKENS + thoughts + candidates_tokens,
        "promptTokensDetails": [{"modality": "TEXT", "tokenCount": PROMPT_TOKENS}],
        "thoughtsTokenCount": thoughts,
    }


def streams_arguments(body: dict[str, Any]) -> bool:
    """Whether the request asked for streamed function-call arguments (either spelling of the field)."""
    config = body.get("toolConfig") or body.get("tool_config")
    if not isinstance(config, dict):
        return False
    calling = config.get("functionCallingConfig") or config.get("function_calling_config")
    if not isinstance(calling, dict):
        return False
    return bool(calling.get("streamFunctionCallArguments") or calling.get("stream_function_call_arguments"))


def streamed_call_parts() -> list[list[dict[str, Any]]]:
    """The parts (one list per chunk) that stream `TOOL_ARGUMENTS` argument by argument."""
    chunks: list[list[dict[str, Any]]] = [[{"functionCall": {"name": TOOL_NAME, "willContinue": True}}]]
    for key, value in TOOL_ARGUMENTS.items():
        text = str(value)
        middle = len(text) // 2
        for number, piece in enumerate((text[:middle], text[middle:])):
            partial = {"jsonPath": f"$.{key}", "stringValue": piece, "willContinue": number == 0}
            chunks.append([{"functionCall": {"partialArgs": [partial], "willContinue": True}}])
    chunks.append([{"functionCall": {}}])
    return chunks


def content_chunks(script: Script, model: str, error: bool, stream_arguments: bool = False) -> list[dict[str, Any]]:
    response_id = secrets.token_urlsafe(16)
    sent = 0

    def chunk(parts: list[dict[str, Any]], finish_reason: str | None = None) -> dict[str, Any]:
        candidate: dict[str, Any] = {"content": {"parts": parts, "role": "model"}, "index": 0}
        if finish_reason:
            candidate["finishReason"] = finish_reason
        return {
            "candidates": [candidate],
            "usageMetadata": _usage(script, sent),
            "modelVersion": model,
            "responseId": response_id,
        }

    # Gemini streams thought summaries and text in a few larger pieces, not token by token.
    chunks = [chunk([{"text": piece, "thought": True}]) for piece in _pieces(script.reasoning_tokens, 3)]
    reply_pieces = _pieces(script.reply_tokens, 3)
    for number, piece in enumerate(reply_pieces):
        if error and number * 3 >= ERROR_AFTER_TOKENS:
            return [*chunks, STREAM_ERROR]
        sent += 3
        chunks.append(chunk([{"text": piece}]))
    sent = len(script.reply_tokens) + len(script.argument_fragments)
    if stream_arguments:
        parts = streamed_call_parts()
        chunks += [chunk(part) for part in parts[:-1]]
        chunks.append(chunk(parts[-1], "STOP"))
        return chunks
    chunks.append(chunk([{"functionCall": {"name": TOOL_NAME, "args": TOOL_ARGUMENTS}}], "STOP"))
    return chunks


def content_body(script: Script, model: str) -> dict[str, Any]:
    """The whole `GenerateContentResponse` of `:generateContent`: thought, text and the function call."""
    parts = [{"text": REASONING, "thought": True}, {"text": REPLY}, {"functionCall": {"name": TOOL_NAME, "args": TOOL_ARGUMENTS}}]
    return {
        "candidates": [{"content": {"parts": parts, "role": "model"}, "finishReason": "STOP", "index": 0}],
        "usageMetadata": _usage(script, len(script.reply_tokens) + len(script.argument_fragments)),
        "modelVersion": model,
        "responseId": secrets.token_urlsafe(16),
    }


def _pieces(tokens: tuple[str, ...], per_piece: int) -> list[str]:
    return ["".join(tokens[start : start + per_piece]) for start in range(0, len(tokens), per_piece)]


def json_array_pieces(chunks: list[dict[str, Any]]) -> Iterator[bytes]:
    """The body without `alt=sse`: `[` + pretty-printed elements joined by `,\\r\\n` + `]`.

    Each element is sent in two writes, split mid-object, so a client must frame the array itself
    rather than rely on one element per read.
    """
    for number, item in enumerate(chunks):
        text = ("[" if number == 0 else ",\r\n") + json.dumps(item, indent=2, ensure_ascii=False)
        middle = len(text) // 2
        yield text[:middle].encode("utf-8")
        yield text[middle:].encode("utf-8")
    yield b"]" if chunks else b"[]"
