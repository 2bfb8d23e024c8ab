"""Anthropic Messages streaming: content blocks by index (text, thinking, tool_use) ending in `message_stop`."""

from __future__ import annotations

from typing import Any, Literal

from msgspec import Struct
from msgspec.json import Decoder

from app.streams.merge.profile import MergeProfile, as_dict, decoded_run, describe_error

_TOOL_BLOCKS = frozenset({"tool_use", "server_tool_use", "mcp_tool_use"})
"""Blocks that stream their input as `input_json_delta` (the MCP connector's `mcp_tool_use` too, as
anthropic-python's accumulator tracks it)."""


class _TextDelta(Struct, gc=False):
    type: Literal["text_delta"]
    text: str


class _TextDeltaEvent(Struct, gc=False):
    """A `content_block_delta` of text, as `on_messages` takes it: the other keys skipped unbuilt; any other
    event or delta fails the decode."""

    type: Literal["content_block_delta"]
    delta: _TextDelta


_text_deltas = Decoder(list[_TextDeltaEvent]).decode


class AnthropicProfile(MergeProfile):
    """`text_delta`, `thinking_delta`, `input_json_delta`; stop reason and usage from `message_delta`."""

    name = "anthropic"
    terminal_marker = "message_stop"

    def on_messages(self, events: list[str], datas: list[str]) -> int:
        # A chunk of text deltas (the usual one) in one decode that builds only their texts. The event
        # name plays no part: the payload's `type` says what it is, as in `on_value`.
        deltas = decoded_run(_text_deltas, datas)
        if deltas is None:
            return super().on_messages(events, datas)
        return self.reply.add_texts([event.delta.text for event in deltas])

    def on_value(self, event: str, value: Any) -> None:
        payload = as_dict(value)
        kind = payload.get("type") or event
        reply = self.reply
        if kind == "content_block_delta":
            delta = as_dict(payload.get("delta"))
            delta_kind = delta.get("type")
            if delta_kind == "text_delta":
                reply.add_text(delta.get("text"))
            elif delta_kind == "thinking_delta":
                reply.add_reasoning(delta.get("thinking"))
            elif delta_kind == "input_json_delta":
                partial = delta.get("partial_json")
                if isinstance(partial, str) and partial:
                    reply.tool_call(payload.get("index", 0)).add_arguments(partial)
        elif kind == "content_block_start":
            block = as_dict(payload.get("content_block"))
            block_kind = block.get("type")
            if block_kind in _TOOL_BLOCKS:
                reply.tool_call(payload.get("index", 0), 0, block.get("id"), block.get("name"))
            elif block_kind == "text":
                reply.add_text(block.get("text"))
            elif block_kind == "thinking":
                reply.separate_reasoning()  # interleaved thinking: another block after a tool call
                reply.add_reasoning(block.get("thinking"))
        elif kind == "content_block_stop":
            reply.close_tool_call(payload.get("index", 0))
        elif kind == "message_start":
            usage = as_dict(as_dict(payload.get("message")).get("usage"))
            reply.update_usage(usage, usage.get("output_tokens"))
        elif kind == "message_delta":
            reply.set_finish_reason(as_dict(payload.get("delta")).get("stop_reason"))
            usage = as_dict(payload.get("usage"))
            reply.update_usage(usage, usage.get("output_tokens"))
        elif kind == "message_stop":
            reply.mark_complete()
        elif kind == "error":
            reply.error(describe_error(payload))
