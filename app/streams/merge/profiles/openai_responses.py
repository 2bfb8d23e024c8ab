"""OpenAI Responses API streaming: typed events (`response.output_text.delta`, …) ending in `response.completed`."""

from __future__ import annotations

from typing import Any, Literal

from msgspec import Struct
from msgspec.json import Decoder

from app.streams.merge.profile import MergeProfile, as_dict, as_list, decoded_run, describe_error
from app.streams.merge.profiles import responses_builtin as builtin

_REASONING_DELTAS = frozenset({"response.reasoning_summary_text.delta", "response.reasoning_text.delta"})
_TEXT_PARTS = frozenset({"output_text", "refusal"})
_CALL_INPUTS: dict[Any, str] = {"function_call": "arguments", "custom_tool_call": "input"}
"""Output items the client runs, and the field holding their input: JSON arguments, or a custom tool's
plain text."""
_CALL_DELTAS = frozenset({"response.function_call_arguments.delta", "response.custom_tool_call_input.delta"})
_CALL_DONE = {"response.function_call_arguments.done": "arguments", "response.custom_tool_call_input.done": "input"}


class _TextDelta(Struct, gc=False):
    """A `response.output_text.delta`, as `on_messages` takes it: the other keys (`sequence_number`,
    `item_id`, `logprobs`, …) skipped unbuilt; any other event fails the decode."""

    type: Literal["response.output_text.delta"]
    delta: str


_text_deltas = Decoder(list[_TextDelta]).decode


class OpenAiResponsesProfile(MergeProfile):
    """Text (and refusals, shown as text), reasoning summaries, function and custom tool calls and the
    built-in tools' calls (web and file search, code interpreter, MCP, image generation) keyed by output
    item id, usage and status."""

    name = "openai-responses"
    terminal_marker = "response.completed"

    def __init__(self, reply: Any) -> None:
        super().__init__(reply)
        self._error_seen = False
        self._reasoning_part: tuple[Any, Any, Any] | None = None
        """(item id, summary index, content index) of the reasoning delta read last."""

    def on_messages(self, events: list[str], datas: list[str]) -> int:
        # A chunk of text deltas (the usual one) in one decode that builds only their texts.
        deltas = decoded_run(_text_deltas, datas)
        if deltas is None:
            return super().on_messages(events, datas)
        return self.reply.add_texts([event.delta for event in deltas])

    def on_value(self, event: str, value: Any) -> None:
        payload = as_dict(value)
        kind = payload.get("type") or event
        reply = self.reply
        if kind == "response.output_text.delta":
            reply.add_text(payload.get("delta"))
        elif kind == "response.refusal.delta":
            reply.add_refusal(payload.get("delta"))
        elif kind in _REASONING_DELTAS:
            delta = payload.get("delta")
            if delta and isinstance(delta, str):
                # Each summary part (and each reasoning item) stands apart, usually under its own heading.
                part = (payload.get("item_id"), payload.get("summary_index"), payload.get("content_index"))
                if part != self._reasoning_part:
                    reply.separate_reasoning()
                    self._reasoning_part = part
                reply.add_reasoning(delta)
        elif kind == "response.output_item.added":
            item = as_dict(payload.get("item"))
            field = _CALL_INPUTS.get(item.get("type"))
            if field is not None:
                call = reply.tool_call(self._key(item.get("id"), payload), 0, item.get("call_id"), item.get("name"))
                call.free_text = field == "input"
                if item.get(field) and isinstance(item[field], str):
                    call.add_arguments(item[field])
            elif item.get("type") in builtin.BUILTIN_CALLS:
                builtin.start_call(reply, self._key(item.get("id"), payload), item)
        elif kind in _CALL_DELTAS:
            delta = payload.get("delta")
            if isinstance(delta, str):
                reply.tool_call(self._key(payload.get("item_id"), payload)).add_arguments(delta)
        elif kind in _CALL_DONE:
            key = self._key(payload.get("item_id"), payload)
            arguments = payload.get(_CALL_DONE[kind])
            if isinstance(arguments, str):
                reply.tool_call(key, 0, None, payload.get("name")).set_arguments_text(arguments)
            reply.close_tool_call(key)
        elif kind in builtin.TEXT_DELTAS:
            delta = payload.get("delta")
            if isinstance(delta, str):
                reply.tool_call(self._key(payload.get("item_id"), payload)).add_arguments(delta)
        elif kind in builtin.TEXT_DONE:
            text = payload.get(builtin.TEXT_DONE[kind])
            if isinstance(text, str):
                reply.tool_call(self._key(payload.get("item_id"), payload)).set_arguments_text(text)
        elif kind == "response.output_item.done":
            item = as_dict(payload.get("item"))
            item_kind = item.get("type")
            if item_kind in _CALL_INPUTS:
                reply.close_tool_call(self._key(item.get("id"), payload))
            elif item_kind in builtin.BUILTIN_CALLS:
                builtin.finish_call(reply, self._key(item.get("id"), payload), item)
            elif item_kind == "mcp_list_tools":
                builtin.list_tools(reply, item)
        elif kind in ("response.completed", "response.incomplete"):
            self._read_final(as_dict(payload.get("response")))
            reply.mark_complete()
        elif kind == "response.failed":
            response = as_dict(payload.get("response"))
            # The API sends an `error` event and then `response.failed` for the same failure: report it once.
            if not self._error_seen:
                reply.error(describe_error(response) if response.get("error") else "response.failed")
            self._error_seen = True
            reply.set_finish_reason(response.get("status") or "failed")
        elif kind == "error":
            if not self._error_seen:
                reply.error(describe_error(payload) if "error" in payload else _top_level_error(payload))
            self._error_seen = True

    def _read_final(self, response: dict[str, Any]) -> None:
        usage = as_dict(response.get("usage"))
        self.reply.update_usage(usage, usage.get("output_tokens"))
        details = as_dict(response.get("incomplete_details"))
        self.reply.set_finish_reason(details.get("reason") or response.get("status"))
        # The text the deltas built: output text and refusal parts (shown as text), in order.
        texts = [
            part.get("text", "") if part.get("type") == "output_text" else part.get("refusal", "")
            for item in as_list(response.get("output"))
            if as_dict(item).get("type") == "message"
            for part in map(as_dict, as_list(item.get("content")))
            if part.get("type") in _TEXT_PARTS
        ]
        if texts:
            self.reply.check_final_text("".join(texts))

    @staticmethod
    def _key(item_id: Any, payload: dict[str, Any]) -> Any:
        return item_id if isinstance(item_id, str) else payload.get("output_index", 0)


def _top_level_error(payload: dict[str, Any]) -> str:
    code, message = payload.get("code"), payload.get("message")
    return f"{code}: {message}" if code and message else str(message or code or payload)
