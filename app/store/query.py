"""The Timeline's filter language: words to find in the payload, plus `event:` / `kind:` terms.

`delta usage` keeps events whose text or name holds both words (case-insensitive); `event:delta` keeps
SSE events named `delta`; `kind:ndjson_error` keeps one kind. Several `event:` (or `kind:`) terms are
alternatives; words and the two fields must all match.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.events import EventPayload, SseMessage
from app.store.summary import event_kind, event_text


class QueryError(ValueError):
    """A filter that cannot be understood; the message says which part."""


@dataclass(frozen=True, slots=True)
class EventQuery:
    """A parsed filter. Empty means "everything"."""

    words: tuple[str, ...] = ()
    """Lower-cased substrings that must all occur in the event's text or name."""
    event_names: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    source: str = ""

    @classmethod
    def parse(cls, source: str) -> EventQuery:
        words: list[str] = []
        event_names: set[str] = set()
        kinds: set[str] = set()
        for token in source.split():
            field, colon, value = token.partition(":")
            if colon and field in ("event", "kind"):
                if not value:
                    raise QueryError(f"`{token}` needs a value, e.g. `{field}:delta`")
                (event_names if field == "event" else kinds).add(value)
            else:
                words.append(token.lower())
        return cls(tuple(words), frozenset(event_names), frozenset(kinds), source.strip())

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.event_names or self.kinds)

    def matches(self, payload: EventPayload) -> bool:
        if self.kinds and event_kind(payload) not in self.kinds:
            return False
        if self.event_names:
            if not isinstance(payload, SseMessage) or payload.event not in self.event_names:
                return False
        if self.words:
            haystack = event_text(payload).lower()
            if isinstance(payload, SseMessage):
                haystack = f"{payload.event} {haystack}"
            else:
                haystack = f"{event_kind(payload)} {haystack}"
            return all(word in haystack for word in self.words)
        return True
