"""Cohere v2 chat streaming: `content-delta` text/thinking, `tool-call-*` by index, `message-end`."""

from __future__ import annotations

from typing import Any

from app.streams.merge.profile import MergeProfile, as_dict, describe_error


class CohereProfile(MergeProfile):
    """Reads `delta.message` of each typed event; the tool plan counts as reasoning."""

    name = "cohere"
    terminal_marker = "message-end"

    def __init__(self, reply: Any) -> None:
        super().__init__(reply)
        self._planning = False
        """The reasoning read last was the tool plan (not a thinking block)."""

    def on_non_json(self, event: str, data: str) -> None:
        # The cohere SDK ends a stream at `data: [DONE]`: a known marker, not a payload to report skipping
        # (`message-end` stays what makes the reply complete).
        if data.strip() != "[DONE]":
            super().on_non_json(event, data)

    def on_value(self, event: str, value: Any) -> None:
        payload = as_dict(value)
        kind = payload.get("type") or event
        message = as_dict(as_dict(payload.get("delta")).get("message"))
        reply = self.reply
        if kind in ("content-delta", "content-start"):
            content = as_dict(message.get("content"))
            reply.add_text(content.get("text"))
            if (kind == "content-start" and content.get("type") == "thinking") or (self._planning and content.get("thinking")):
                # Each thinking block, and the tool plan, is a part of its own: they do not run together.
                reply.separate_reasoning()
                self._planning = False
            reply.add_reasoning(content.get("thinking"))
        elif kind == "tool-plan-delta":
            if not self._planning:
                reply.separate_reasoning()
                self._planning = True
            reply.add_reasoning(message.get("tool_plan"))
        elif kind in ("tool-call-start", "tool-call-delta"):
            tool_call = as_dict(message.get("tool_calls"))
            function = as_dict(tool_call.get("function"))
            call = reply.tool_call(payload.get("index", 0), 0, tool_call.get("id"), function.get("name"))
            arguments = function.get("arguments")
            if isinstance(arguments, str) and arguments:
                call.add_arguments(arguments)
        elif kind == "tool-call-end":
            reply.close_tool_call(payload.get("index", 0))
        elif kind == "message-end":
            delta = as_dict(payload.get("delta"))
            finish_reason = delta.get("finish_reason")
            if delta.get("error"):
                reply.error(describe_error(delta))
            elif finish_reason == "ERROR":
                # Cohere's failure signal: like every other provider's error, it leaves the reply incomplete.
                reply.error("cohere: the model stopped with finish_reason ERROR")
            reply.set_finish_reason(finish_reason)
            usage = as_dict(delta.get("usage"))
            tokens = as_dict(usage.get("tokens")) or as_dict(usage.get("billed_units"))
            reply.update_usage(usage, tokens.get("output_tokens"))
            reply.mark_complete()
        elif "error" in payload or kind == "error":
            reply.error(describe_error(payload))
