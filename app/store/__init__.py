"""The event store: every event of a response kept compactly, summarised and filtered on demand (no UI)."""

from app.store.event_store import EventStore
from app.store.query import EventQuery, QueryError
from app.store.summary import EventSummary, event_kind, event_text

__all__ = [
    "EventQuery",
    "EventStore",
    "EventSummary",
    "QueryError",
    "event_kind",
    "event_text",
]
