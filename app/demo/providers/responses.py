"""OpenAI Responses API streaming: typed semantic events, each with a `sequence_number`.

Event order follows the API reference: `response.created`, `response.in_progress`, then per output item
`response.output_item.added` … `response.output_item.done` (a reasoning item with
`response.reasoning_summary_text.delta`, a message with `response.output_text.delta`, a function call with
`response.function_call_arguments.delta`), and `response.completed` with the full response and usage.
There is no `[DONE]` sentinel. A mid-stream failure is an `error` event, then `response.failed` with the same error.
"""

from __future__ import annotations

import secrets
from typing import Any

from app.demo.framing import SseFrame, sse_json
from app.demo.providers.script import (
    ERROR_AFTER_TOKENS,
    PROMPT_TOKENS,
    REASONING,
    REPLY,
    TOOL_ARGUMENTS_JSON,
    TOOL_NAME,
    Script,
)


class _EventLog:
    """Numbers events in the order they are added, as `sequence_number` requires."""

    def __init__(self) -> None:
        self.frames: list[SseFrame] = []

    def add(self, event_type: str, **fields: Any) -> None:
        payload = {"type": event_type, "sequence_number": len(self.frames), **fields}
        self.frames.append(sse_json(payload, event=event_type))


def _response(response_id: str, model: str, created: int, status: str, output: list[Any], usage: Any) -> dict[str, Any]:
    return {
        "id": response_id,
        "object": "response",
        "created_at": created,
        "status": status,
        "error": None,
        "incomplete_details": None,
        "instructions": None,
        "max_output_tokens": None,
        "model": model,
        "output": output,
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "reasoning": {"effort": "medium", "summary": "auto"},
        "store": True,
        "temperature": 1.0,
        "text": {"format": {"type": "text"}},
        "tool_choice": "auto",
        "tools": [],
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": usage,
        "user": None,
        "metadata": {},
    }


def _usage(script: Script) -> dict[str, Any]:
    # Current SDK models require both detail objects on a completed response's usage.
    return {
        "input_tokens": PROMPT_TOKENS,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": script.completion_tokens,
        "output_tokens_details": {"reasoning_tokens": len(script.reasoning_tokens)},
        "total_tokens": script.total_tokens,
    }


def _output_items(reasoning_id: str, message_id: str, call_item_id: str, call_id: str) -> list[dict[str, Any]]:
    """The three finished output items: reasoning summary, message, function call."""
    return [
        {"id": reasoning_id, "type": "reasoning", "summary": [{"type": "summary_text", "text": REASONING}]},
        {"id": message_id, "type": "message", "status": "completed", "role": "assistant",
         "content": [{"type": "output_text", "text": REPLY, "annotations": []}]},
        {"id": call_item_id, "type": "function_call", "status": "completed", "arguments": TOOL_ARGUMENTS_JSON,
         "call_id": call_id, "name": TOOL_NAME},
    ]


def response_body(script: Script, model: str) -> dict[str, Any]:
    """The whole `response` object a non-streaming request gets."""
    output = _output_items(f"rs_{secrets.token_hex(16)}", f"msg_{secrets.token_hex(16)}",
                           f"fc_{secrets.token_hex(16)}", f"call_{secrets.token_hex(12)}")
    return _response(f"resp_{secrets.token_hex(16)}", model, script.created, "completed", output, _usage(script))


ERROR_BODY = {"message": "The model produced invalid content.", "type": "server_error", "param": None,
              "code": "server_error"}


def response_frames(script: Script, model: str, error: bool) -> list[SseFrame]:
    log = _EventLog()
    response_id = f"resp_{secrets.token_hex(16)}"
    created = script.created
    log.add("response.created", response=_response(response_id, model, created, "in_progress", [], None))
    log.add("response.in_progress", response=_response(response_id, model, created, "in_progress", [], None))

    reasoning_id = f"rs_{secrets.token_hex(16)}"
    reasoning_item: dict[str, Any] = {"id": reasoning_id, "type": "reasoning", "summary": []}
    log.add("response.output_item.added", output_index=0, item=reasoning_item)
    where = {"item_id": reasoning_id, "output_index": 0, "summary_index": 0}
    log.add("response.reasoning_summary_part.added", **where, part={"type": "summary_text", "text": ""})
    for token in script.reasoning_tokens:
        log.add("response.reasoning_summary_text.delta", **where, delta=token)
    log.add("response.reasoning_summary_text.done", **where, text=REASONING)
    log.add("response.reasoning_summary_part.done", **where, part={"type": "summary_text", "text": REASONING})
    reasoning_done = {**reasoning_item, "summary": [{"type": "summary_text", "text": REASONING}]}
    log.add("response.output_item.done", output_index=0, item=reasoning_done)

    message_id = f"msg_{secrets.token_hex(16)}"
    message: dict[str, Any] = {"id": message_id, "type": "message", "status": "in_progress", "role": "assistant"}
    log.add("response.output_item.added", output_index=1, item={**message, "content": []})
    where = {"item_id": message_id, "output_index": 1, "content_index": 0}
    log.add("response.content_part.added", **where, part={"type": "output_text", "text": "", "annotations": []})
    tokens = script.reply_tokens[:ERROR_AFTER_TOKENS] if error else script.reply_tokens
    for token in tokens:
        log.add("response.output_text.delta", **where, delta=token, logprobs=[])
    if error:
        # The API reports a failure twice: an `error` event, then `response.failed` carrying the same error.
        log.add("error", code=ERROR_BODY["code"], message=ERROR_BODY["message"], param=None)
        failed = _response(response_id, model, created, "failed", [], None)
        failed["error"] = {"code": ERROR_BODY["code"], "message": ERROR_BODY["message"]}
        log.add("response.failed", response=failed)
        return log.frames
    text_part = {"type": "output_text", "text": REPLY, "annotations": []}
    log.add("response.output_text.done", **where, text=REPLY, logprobs=[])
    log.add("response.content_part.done", **where, part=text_part)
    message_done = {**message, "status": "completed", "content": [text_part]}
    log.add("response.output_item.done", output_index=1, item=message_done)

    call_item_id = f"fc_{secrets.token_hex(16)}"
    call: dict[str, Any] = {
        "id": call_item_id,
        "type": "function_call",
        "status": "in_progress",
        "arguments": "",
        "call_id": f"call_{secrets.token_hex(12)}",
        "name": TOOL_NAME,
    }
    log.add("response.output_item.added", output_index=2, item=call)
    for fragment in script.argument_fragments:
        log.add("response.function_call_arguments.delta", item_id=call_item_id, output_index=2, delta=fragment)
    arguments_done = {"item_id": call_item_id, "output_index": 2, "arguments": TOOL_ARGUMENTS_JSON}
    log.add("response.function_call_arguments.done", **arguments_done)
    call_done = {**call, "status": "completed", "arguments": TOOL_ARGUMENTS_JSON}
    log.add("response.output_item.done", output_index=2, item=call_done)

    output = [reasoning_done, message_done, call_done]
    log.add("response.completed", response=_response(response_id, model, created, "completed", output, _usage(script)))
    return log.frames
