"""The seed diagnostic chat (`POST /v1/chats`): `delta` events with `output.content`, then `done` with it all."""

from __future__ import annotations

import json
from typing import Any

from app.streams.merge.profile import MergeProfile, as_dict, describe_error


class SeedChatProfile(MergeProfile):
    """`done` carries the whole ChatResponse: its text is compared with the merged deltas."""

    name = "seed-chat"
    terminal_marker = "event: done"

    def on_value(self, event: str, value: Any) -> None:
        payload = as_dict(value)
        reply = self.reply
        if event == "error" or ("error" in payload and "output" not in payload):
            reply.error(describe_error(payload))
            return
        output = as_dict(payload.get("output"))
        if event == "done" or (event in ("", "message") and "created_at" in payload):
            content = output.get("content")
            if isinstance(content, str):
                reply.check_final_text(content)
            elif output:
                # A diagnosis has no text: show its structured output as the reply.
                reply.check_final_text(json.dumps(output, ensure_ascii=False, indent=2))
            reply.set_finish_reason(output.get("type") or "done")
            reply.mark_complete()
        else:
            reply.add_text(output.get("content"))
