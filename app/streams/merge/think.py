"""Split `<think>…</think>` out of streamed text, for servers that leave reasoning inline."""

from __future__ import annotations

OPEN_TAG = "<think>"
CLOSE_TAG = "</think>"


class ThinkSplitter:
    """Routes text fragments to reasoning or text; a tag cut across two fragments is still recognised."""

    __slots__ = ("_pending", "inside")

    def __init__(self) -> None:
        self.inside = False
        self._pending = ""

    def split(self, fragment: str) -> list[tuple[bool, str]]:
        """Pieces of `fragment` as `(is_reasoning, text)`, holding back a possible partial tag."""
        buffer = self._pending + fragment
        self._pending = ""
        pieces: list[tuple[bool, str]] = []
        while buffer:
            tag = CLOSE_TAG if self.inside else OPEN_TAG
            found = buffer.find(tag)
            if found >= 0:
                if found:
                    pieces.append((self.inside, buffer[:found]))
                self.inside = not self.inside
                buffer = buffer[found + len(tag) :]
                continue
            held = _partial_tag_length(buffer, tag)
            if len(buffer) > held:
                pieces.append((self.inside, buffer[: len(buffer) - held]))
            self._pending = buffer[len(buffer) - held :]
            break
        return pieces

    def flush(self) -> list[tuple[bool, str]]:
        """The stream ended: what was held back is plain content after all."""
        pending, self._pending = self._pending, ""
        return [(self.inside, pending)] if pending else []


def _partial_tag_length(buffer: str, tag: str) -> int:
    for length in range(min(len(tag) - 1, len(buffer)), 0, -1):
        if buffer.endswith(tag[:length]):
            return length
    return 0
