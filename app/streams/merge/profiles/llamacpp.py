"""llama.cpp server `/completion`: `data: {"content", "stop"}` chunks; errors in a non-standard `error:` field.

The `error:` line is not an SSE event (the spec ignores unknown fields); the engine reports every
`SseUnknownField` named `error` as an error, whatever the profile.
"""

from __future__ import annotations

from typing import Any

from app.streams.merge.profile import MergeProfile, as_dict, describe_error


class LlamaCppProfile(MergeProfile):
    """Text from `content`; `stop: true` ends the reply with `stop_type`, token counts and timings."""

    name = "llamacpp"
    terminal_marker = '"stop": true'

    def on_value(self, event: str, value: Any) -> None:
        payload = as_dict(value)
        reply = self.reply
        if "error" in payload:
            reply.error(describe_error(payload))
            return
        reply.add_text(payload.get("content"))
        if payload.get("stop") is True:
            timings = as_dict(payload.get("timings"))
            usage: dict[str, Any] = {key: payload[key] for key in ("tokens_predicted", "tokens_evaluated") if key in payload}
            if timings:
                usage["timings"] = timings
            reply.update_usage(usage, payload.get("tokens_predicted", timings.get("predicted_n")))
            reply.set_finish_reason(payload.get("stop_type") or "stop")
            reply.mark_complete()
