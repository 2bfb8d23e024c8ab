"""No merge: the stream is shown as events only. In-stream `{"error": …}` payloads are still reported."""

from __future__ import annotations

from app.streams.merge.profile import MergeProfile


class NoMergeProfile(MergeProfile):
    """Keeps no text; a normal end of the connection counts as complete."""

    name = "none"
    complete_on_close = True

    def on_non_json(self, event: str, data: str) -> None:
        """Without a format there is nothing to say about a text payload."""
