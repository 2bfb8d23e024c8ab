"""Ollama `/api/chat` and `/api/generate` NDJSON: fragments until a final `done: true` line with counts."""

from __future__ import annotations

from typing import Any, Literal

from msgspec import UNSET, Struct, UnsetType, ValidationError
from msgspec.json import Decoder

from app.streams.merge.profile import MergeProfile, as_dict, as_list, describe_error
from app.strict_json import parse_checked_json

_USAGE_FIELDS = (
    "prompt_eval_count",
    "eval_count",
    "total_duration",
    "load_duration",
    "prompt_eval_duration",
    "eval_duration",
)


class _PlainMessage(Struct, gc=False):
    """A `message` that is only a content fragment: any `thinking` or `tool_calls` fails the decode."""

    content: str
    thinking: UnsetType = UNSET
    tool_calls: UnsetType = UNSET


class _PlainLine(Struct, gc=False):
    """A line that is only a content fragment, as `on_value`'s hot path takes it: other keys are skipped
    unbuilt (but still checked as JSON); a last line (`done: true`) or an `error` fails the decode."""

    message: _PlainMessage
    done: Literal[False]
    error: UnsetType = UNSET


class _Message(Struct, gc=False):
    """The fields of a line's `message` that decide whether it is a plain content fragment."""

    content: Any = UNSET
    thinking: Any = UNSET
    tool_calls: Any = UNSET


class _Line(Struct, gc=False):
    """The fields of any line that decide whether it is a plain fragment (`/api/generate`'s `response`
    too); every other key is skipped unbuilt."""

    message: _Message | None | UnsetType = UNSET
    response: Any = UNSET
    thinking: Any = UNSET
    done: Any = UNSET
    error: Any = UNSET


_plain_lines = Decoder(list[_PlainLine]).decode
_lines = Decoder(list[_Line]).decode


class OllamaProfile(MergeProfile):
    """`message.content`/`response` text, `message.thinking`/`thinking` reasoning, whole `tool_calls`."""

    name = "ollama"
    terminal_marker = '"done": true'

    def __init__(self, reply: Any) -> None:
        super().__init__(reply)
        self._call_count = 0

    def on_lines(self, event: str, texts: list[str]) -> int:
        # `on_values` (one `on_value` each) without building the lines' values: a chunk of plain fragments (the usual one) is
        # read in one decode that builds only their contents; any other chunk line by line, reading the
        # fields that make a line a plain fragment from all the texts at once and parsing only the rest.
        reply = self.reply
        if reply.split_think:
            return super().on_lines(event, texts)
        document = f"[{','.join(texts)}]"
        try:
            lines = _plain_lines(document)
        except ValidationError:
            return self._on_mixed_lines(event, texts, document)
        return reply.add_texts([line.message.content for line in lines])

    def _on_mixed_lines(self, event: str, texts: list[str], document: str) -> int:
        reply = self.reply
        try:
            lines = _lines(document)
        except ValidationError:  # some line has another shape (not an object, `message` not one either)
            return super().on_lines(event, texts)
        text_append = reply.first.text_parts.append
        plain = added = 0
        for line, text in zip(lines, texts):
            if line.done is False and line.error is UNSET and line.thinking is UNSET:
                message = line.message
                if message is UNSET:
                    content = line.response
                elif type(message) is _Message and message.thinking is UNSET and message.tool_calls is UNSET:
                    content = message.content
                else:
                    content = None
                if type(content) is str:
                    if content:
                        text_append(content)
                        plain += 1
                    continue
            before = reply.fragments
            self.on_value(event, parse_checked_json(text))
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
            # Ollama before `done_reason` (spring 2024), and look-alike servers, end with `done: true` alone:
            # the reply is complete, and names no reason rather than a guessed "stop" (as ollama-python
            # leaves it: None), which could hide a cut at `num_predict`.
            reply.set_finish_reason(payload.get("done_reason") or None)
            reply.mark_complete()
