"""Ollama `/api/chat` and `/api/generate` NDJSON: fragments until a final `done: true` line with counts."""

from __future__ import annotations

from typing import Any

from app.streams.merge.profile import MergeProfile, as_dict, as_list, describe_error

_USAGE_FIELDS = (
    "prompt_eval_count",
    "eval_count",
    "total_duration",
    "load_duration",
    "prompt_eval_duration",
    "eval_duration",
)


class OllamaProfile(MergeProfile):
    """`message.content`/`response` text, `message.thinking`/`thinking` reasoning, whole `tool_calls`."""

    name = "ollama"
    terminal_marker = '"done": true'

    def __init__(self, reply: Any) -> None:
        super().__init__(reply)
        self._call_count = 0

    def on_values(self, event: str, values: list[Any]) -> int:
        # The hot path of `on_value` below, for a chunk's lines at once (the same test, in one loop).
        reply = self.reply
        if reply.split_think:
            return super().on_values(event, values)
        text_append = reply.first.text_parts.append
        plain = added = 0
        for value in values:
            if type(value) is dict and value.get("done") is False and "error" not in value:
                message = value.get("message")
                if type(message) is dict and "thinking" not in message and "tool_calls" not in message:
                    content = message.get("content")
                    if type(content) is str:
                        if content:
                            text_append(content)
                            plain += 1
                        continue
            before = reply.fragments
            self.on_value(event, value)
            if reply.fragments != before:
                added += 1
            text_append = reply.first.text_parts.append
        reply.fragments += plain
        reply.changes += plain
        return added + plain

    def on_value(self, event: str, value: Any) -> None:
        # The hot path: a plain `message.content` fragment of a line that is not the last one.
        if type(value) is dict and value.get("done") is False and "error" not in value:
            message = value.get("message")
            if type(message) is dict and "thinking" not in message and "tool_calls" not in message:
                content = message.get("content")
                if type(content) is str:
                    reply = self.reply
                    if not reply.split_think:
                        if content:
                            reply.first.text_parts.append(content)
                            reply.fragments += 1
                            reply.changes += 1
                    else:
                        reply.add_text(content)
                    return
        payload = as_dict(value)
        reply = self.reply
        if "error" in payload:
            reply.error(describe_error(payload))
            return
        message = payload.get("message")
        if isinstance(message, dict):
            reply.add_text(message.get("content"))
            reply.add_reasoning(message.get("thinking"))
            for tool_call in as_list(message.get("tool_calls")):
                function = as_dict(as_dict(tool_call).get("function"))
                self._call_count += 1
                call = reply.tool_call(self._call_count, 0, tool_call.get("id"), function.get("name"))
                call.set_arguments_value(function.get("arguments", {}))
        else:
            reply.add_text(payload.get("response"))
            reply.add_reasoning(payload.get("thinking"))
        if payload.get("done") is True:
            usage = {key: payload[key] for key in _USAGE_FIELDS if key in payload}
            reply.update_usage(usage, payload.get("eval_count"))
            reply.set_finish_reason(payload.get("done_reason") or "stop")
            reply.mark_complete()
