"""No merge: the stream is shown as events only. In-stream `{"error": …}` payloads are still reported."""

from __future__ import annotations

from app.streams.merge.profile import MergeProfile


class NoMergeProfile(MergeProfile):
    """Keeps no text; a normal end of the connection counts as complete."""

    name = "none"
    complete_on_close = True

    def on_data(self, event: str, data: str) -> None:
        # Only an `error` key or an `"object": "error"` is looked for, and either spells "error": a
        # payload without it cannot report one, so a flood of unknown JSON is not parsed just to say so
        # (the JSON parse was three quarters of the TUI's cost per event in a 1,000,000-event flood).
        if "error" in data:
            super().on_data(event, data)

    def on_messages(self, events: list[str], datas: list[str]) -> int:
        # No "error" spans a newline: one search over a run's joined payloads tells whether any could
        # report one (a flood's read of unknown JSON was a call per message, ~1k instructions each).
        if "error" in "\n".join(datas):
            return super().on_messages(events, datas)
        return 0

    def on_lines(self, event: str, texts: list[str]) -> int:
        # The same for a chunk of NDJSON lines (no line holds a newline): parsing every line of an unknown
        # format, only to find no error in it, tripled the cost of `sluice run --jsonl` on such a stream.
        if "error" in "\n".join(texts):
            return super().on_lines(event, texts)
        return 0

    def on_non_json(self, event: str, data: str) -> None:
        """Without a format there is nothing to say about a text payload."""
