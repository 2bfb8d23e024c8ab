"""The event store: every event of a response kept compactly, summarised and filtered on demand (no UI)."""

from app.store.event_store import EventStore
from app.store.query import EventQuery, QueryError
from app.store.summary import EventSummary, count_of, event_kind, event_text, format_rate, format_seconds, format_size

__all__ = [
    "EventQuery",
    "EventStore",
    "EventSummary",
    "QueryError",
    "count_of",
    "event_kind",
    "event_text",
    "format_rate",
    "format_seconds",
    "format_size",
]
