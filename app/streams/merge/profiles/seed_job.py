"""The seed async job stream: `intermediate` progress, `proposed_change`, `final`, `usage`, `error`.

Progress lines count as reasoning (what the job is doing), proposed changes as tool calls whose
arguments are the decoded `content` (a JSON document inside a JSON string), and `final`'s
`result.response` is the reply text.
"""

from __future__ import annotations

from typing import Any

from app.streams.json_payload import parse_json
from app.streams.merge.profile import MergeProfile, as_dict, describe_error


class SeedJobProfile(MergeProfile):
    """Event names come from SSE, or from the payload's `type` where the transport has none."""

    name = "seed-job"
    terminal_marker = "event: final"

    def __init__(self, reply: Any) -> None:
        super().__init__(reply)
        self._change_count = 0

    def on_value(self, event: str, value: Any) -> None:
        payload = as_dict(value)
        kind = event if event not in ("", "message") else payload.get("type", "")
        reply = self.reply
        if kind == "intermediate":
            content = payload.get("content")
            if isinstance(content, str) and content:
                reply.add_reasoning(content + "\n")
        elif kind == "proposed_change":
            self._read_change(payload.get("content"))
        elif kind == "final":
            result = as_dict(payload.get("result"))
            response = result.get("response")
            reply.check_final_text(response if isinstance(response, str) else payload.get("content"))
            usage = as_dict(result.get("usage"))
            reply.update_usage(usage, usage.get("output_tokens"))
            reply.set_finish_reason("final")
            reply.mark_complete()
        elif kind == "usage":
            reply.update_usage({key: item for key, item in payload.items() if key != "type"})
        elif kind == "error" or "error" in payload:
            reply.error(describe_error(payload))

    def _read_change(self, content: Any) -> None:
        self._change_count += 1
        key = self._change_count
        if isinstance(content, str):
            try:
                change = parse_json(content)
            except ValueError:
                call = self.reply.tool_call(key, 0, None, "proposed_change")
                call.add_arguments(content)
                self.reply.close_tool_call(key)
                return
        else:
            change = content
        change_id = as_dict(change).get("change_id")
        call = self.reply.tool_call(key, 0, change_id, "proposed_change")
        call.set_arguments_value(change)
