"""A tiny merge-profile plugin for the tests: plain-text tokens, `[DONE]` at the end (the `acme` format)."""

from app.streams.merge import MergeProfile


class AcmeProfile(MergeProfile):
    name = "acme"
    terminal_marker = "data: [DONE]"

    @staticmethod
    def detect(content_type, event, value):
        """Acme streams are SSE whose data is plain text, not JSON."""
        return isinstance(value, str) and bool(content_type) and "event-stream" in content_type

    def on_data(self, event, data):
        """Every payload is text, even one that happens to parse as JSON (` 18`)."""
        if data == "[DONE]":
            self.reply.mark_complete()
        else:
            self.reply.add_text(data)


NOT_A_PROFILE = object()
