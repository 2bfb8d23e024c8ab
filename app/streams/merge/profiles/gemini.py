"""Google Gemini `streamGenerateContent`: SSE chunks (`alt=sse`) or elements of one streamed JSON array.

Each chunk is a whole `GenerateContentResponse`: `candidates[].content.parts[]` with `text` (reasoning when
`thought: true`) or a whole `functionCall`, `finishReason` on the last chunk, `usageMetadata`.
"""

from __future__ import annotations

from typing import Any

from app.streams.merge.profile import MergeProfile, as_dict, as_list, describe_error


class GeminiProfile(MergeProfile):
    """Candidates are kept apart as choices by their `index`."""

    name = "gemini"
    terminal_marker = "a finishReason"

    def __init__(self, reply: Any) -> None:
        super().__init__(reply)
        self._call_count = 0

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
            self._call_count += 1
            call = self.reply.tool_call(self._call_count, index, function_call.get("id"), function_call.get("name"))
            call.set_arguments_value(function_call.get("args", {}))
