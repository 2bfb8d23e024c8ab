"""Google Gemini `streamGenerateContent`: SSE chunks (`alt=sse`) or elements of one streamed JSON array.

Each chunk is a whole `GenerateContentResponse`: `candidates[].content.parts[]` with `text` (reasoning when
`thought: true`) or a whole `functionCall`, `finishReason` on the last chunk, `usageMetadata`.

Vertex can also stream a call's arguments (`streamFunctionCallArguments`): a `functionCall` part with the
`name` and `willContinue: true` opens the call, later `functionCall` parts carry `partialArgs` (see
`partial_args`), and an empty `functionCall`, the next named call or the end of the stream closes it.
"""

from __future__ import annotations

from typing import Any, Literal

from msgspec import UNSET, Struct, UnsetType
from msgspec.json import Decoder

from app.streams.merge.partial_args import BadPath, apply_partial, parse_path, partial_value
from app.streams.merge.profile import MergeProfile, as_dict, as_list, decoded_run, describe_error
from app.streams.merge.tool_call_builder import ToolCallBuilder


class _TextPart(Struct, gc=False):
    text: str
    thought: bool = False
    functionCall: UnsetType = UNSET


class _Content(Struct, gc=False):
    parts: list[_TextPart]


class _Candidate(Struct, gc=False):
    content: _Content
    index: Literal[0] = 0
    finishReason: UnsetType = UNSET


class _TextChunk(Struct, gc=False):
    """A chunk of text (or thought) parts of the first candidate, as `on_messages` takes it: any other key
    is skipped unbuilt (`modelVersion`, `responseId`, `safetyRatings`, …); a `finishReason`, a function
    call, another candidate, an `error` or `promptFeedback` fails the decode."""

    candidates: list[_Candidate]
    usageMetadata: dict[str, Any] | UnsetType = UNSET
    error: UnsetType = UNSET
    promptFeedback: UnsetType = UNSET


_text_chunks = Decoder(list[_TextChunk]).decode


class GeminiProfile(MergeProfile):
    """Candidates are kept apart as choices by their `index`."""

    name = "gemini"
    terminal_marker = "a finishReason"

    def __init__(self, reply: Any) -> None:
        super().__init__(reply)
        self._call_count = 0
        # Per candidate index: the call whose arguments are still streaming, and its arguments so far.
        self._open: dict[Any, tuple[int, ToolCallBuilder, dict[str, Any]]] = {}

    def on_messages(self, events: list[str], datas: list[str]) -> int:
        # A run of text chunks (the usual one) in one decode that builds only their parts and usage.
        chunks = decoded_run(_text_chunks, datas)
        if chunks is None:
            return super().on_messages(events, datas)
        reply = self.reply
        parts = [[part for candidate in chunk.candidates for part in candidate.content.parts] for chunk in chunks]
        added = sum(any(part.text for part in chunk_parts) for chunk_parts in parts)
        if any(part.thought for chunk_parts in parts for part in chunk_parts):
            for chunk_parts in parts:
                for part in chunk_parts:
                    if part.thought:
                        reply.add_reasoning(part.text)
                    else:
                        reply.add_text(part.text)
        else:
            reply.add_texts([part.text for chunk_parts in parts for part in chunk_parts])
        last_usage: dict[str, Any] | UnsetType = UNSET
        for chunk in chunks:
            usage = chunk.usageMetadata
            # Each chunk repeats the usage so far: the same again changes nothing, so it is read once.
            if usage is not UNSET and usage != last_usage:
                reply.update_usage(usage, usage.get("candidatesTokenCount"))
                last_usage = usage
        return added

    def on_value(self, event: str, value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                self.on_value(event, item)
            return
        payload = as_dict(value)
        reply = self.reply
        if "error" in payload:
            reply.error(describe_error(payload))
        for candidate in as_list(payload.get("candidates")):
            candidate = as_dict(candidate)
            index = candidate.get("index", 0)
            for part in as_list(as_dict(candidate.get("content")).get("parts")):
                self._read_part(as_dict(part), index)
            finish_reason = candidate.get("finishReason")
            if finish_reason:
                reply.set_finish_reason(finish_reason, index)
                reply.mark_complete()
        usage = as_dict(payload.get("usageMetadata"))
        reply.update_usage(usage, usage.get("candidatesTokenCount"))
        block_reason = as_dict(payload.get("promptFeedback")).get("blockReason")
        if block_reason:
            reply.error(f"prompt blocked: {block_reason}")

    def _read_part(self, part: dict[str, Any], index: Any) -> None:
        text = part.get("text")
        if text:
            if part.get("thought"):
                self.reply.add_reasoning(text, index)
            else:
                self.reply.add_text(text, index)
        function_call = part.get("functionCall")
        if isinstance(function_call, dict):
            self._read_function_call(function_call, index)

    def _read_function_call(self, function_call: dict[str, Any], index: Any) -> None:
        name = function_call.get("name")
        streaming = self._open.get(index)
        if streaming is not None and (name or not function_call):
            # A new named call, or the empty part that ends the stream of arguments.
            self._close(index)
            streaming = None
        if not function_call:
            return
        if streaming is None:
            self._call_count += 1
            call = self.reply.tool_call(self._call_count, index, function_call.get("id"), name)
            if not function_call.get("willContinue") and "partialArgs" not in function_call:
                call.set_arguments_value(function_call.get("args", {}))
                return
            arguments = dict(as_dict(function_call.get("args")))
            streaming = self._open[index] = (self._call_count, call, arguments)
        key, call, arguments = streaming
        for partial in as_list(function_call.get("partialArgs")):
            self._apply(as_dict(partial), arguments, call)
        call.set_arguments_building(arguments)
        self.reply.tool_call(key, index)  # counts as a change, so a live view redraws the arguments

    def _apply(self, partial: dict[str, Any], arguments: dict[str, Any], call: ToolCallBuilder) -> None:
        has_value, value = partial_value(partial)
        path = partial.get("jsonPath")
        if not has_value or not isinstance(path, str):
            return
        try:
            apply_partial(arguments, parse_path(path), value)
        except BadPath as exc:
            self.reply.note(f"gemini: tool call {call.name or '?'}: {exc}; that argument part was skipped")

    def _close(self, index: Any) -> None:
        key, _, _ = self._open.pop(index)
        self.reply.close_tool_call(key, index)

    def finish(self) -> None:
        for index in list(self._open):
            self._close(index)
