"""The seed chat widget NDJSON stream: `start`, `token`×N, `done` with the full `message`, or `error`."""

from __future__ import annotations

from typing import Any

from app.streams.merge.profile import MergeProfile, as_dict, describe_error


class SeedWidgetProfile(MergeProfile):
    """`done.message` is compared with the merged tokens."""

    name = "seed-widget"
    terminal_marker = '{"type": "done"}'

    def on_value(self, event: str, value: Any) -> None:
        payload = as_dict(value)
        kind = payload.get("type")
        reply = self.reply
        if kind == "token":
            reply.add_text(payload.get("token"))
        elif kind == "done":
            reply.check_final_text(payload.get("message"))
            reply.set_finish_reason("done")
            reply.mark_complete()
        elif kind == "error" or "error" in payload:
            reply.error(describe_error(payload))
