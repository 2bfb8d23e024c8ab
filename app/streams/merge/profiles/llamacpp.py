"""llama.cpp server `/completion`: `data: {"content", "stop"}` chunks; errors in a non-standard `error:` field.

The `error:` line is not an SSE event (the spec ignores unknown fields); the engine reports every
`SseUnknownField` named `error` as an error, whatever the profile. Several prompts in one request stream
interleaved, each chunk naming its prompt's `index`: each prompt is a choice of its own.
(Its OpenAI-compatible `/v1/chat/completions` and `/v1/completions` are read by the `openai` profile.)
"""

from __future__ import annotations

from typing import Any

from app.streams.merge.profile import MergeProfile, as_dict, describe_error

_STOPPED_FLAGS = (("stopped_eos", "eos"), ("stopped_word", "word"), ("stopped_limit", "limit"))
"""How servers before `stop_type` (early 2025) said why they stopped, in `stop_type`'s words."""


class LlamaCppProfile(MergeProfile):
    """Text from `content`; `stop: true` ends a prompt's reply with `stop_type`, token counts and timings."""

    name = "llamacpp"
    terminal_marker = '"stop": true'

    def __init__(self, reply: Any) -> None:
        super().__init__(reply)
        self._streaming: set[Any] = set()
        """The prompts (by `index`) seen without their `stop: true` yet."""

    def on_value(self, event: str, value: Any) -> None:
        payload = as_dict(value)
        reply = self.reply
        if "error" in payload:
            reply.error(describe_error(payload))
            return
        index = payload.get("index", 0)
        reply.add_text(payload.get("content"), index)
        if payload.get("stop") is not True:
            if index not in self._streaming:
                self._streaming.add(index)
                if reply.complete:  # another prompt's reply began after every one seen had stopped
                    reply.complete = False
                    reply.changes += 1
            return
        timings = as_dict(payload.get("timings"))
        usage: dict[str, Any] = {key: payload[key] for key in ("tokens_predicted", "tokens_evaluated") if key in payload}
        if timings:
            usage["timings"] = timings
        reply.update_usage(usage, payload.get("tokens_predicted", timings.get("predicted_n")))
        # The reason as the server named it, or none (never a guessed "stop": a cut at n_predict is "limit").
        reason = payload.get("stop_type") or next((word for flag, word in _STOPPED_FLAGS if payload.get(flag) is True), None)
        reply.set_finish_reason(reason, index)
        if payload.get("truncated") is True:
            reply.note("llama.cpp: the context size was exceeded (truncated: true): the prompt and reply did not fit in n_ctx")
        self._streaming.discard(index)
        if not self._streaming:
            reply.mark_complete()
