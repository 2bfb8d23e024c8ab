"""Which events of a store match a filter, kept current as the store grows (no UI)."""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right

from app.store.event_store import EventStore
from app.store.query import EventQuery


class MatchIndex:
    """The ascending store indices matching `query`, searched up to `searched_until`."""

    def __init__(self, query: EventQuery | None = None) -> None:
        self.query = query or EventQuery()
        self.indices = array("q")
        self.searched_until = 0

    def __len__(self) -> int:
        return len(self.indices)

    def reset(self, query: EventQuery) -> None:
        """Start over with another query (nothing searched yet)."""
        self.query = query
        self.indices = array("q")
        self.searched_until = 0

    def adopt(self, indices: array, searched_until: int) -> None:
        """Take the result of a search run elsewhere (a thread) over [0, searched_until)."""
        self.indices = indices
        self.searched_until = searched_until

    def extend(self, store: EventStore) -> bool:
        """Search the events appended since the last call; True if any were searched."""
        total = len(store)
        if total <= self.searched_until:
            return False
        self.indices.extend(store.search(self.query, self.searched_until, total))
        self.searched_until = total
        return True

    def position_of(self, index: int) -> int | None:
        """Where store `index` is among the matches, or None if it does not match."""
        position = bisect_left(self.indices, index)
        if position < len(self.indices) and self.indices[position] == index:
            return position
        return None

    def last_at_or_before(self, index: int) -> int:
        """Position of the last match at or before store `index` (0 when there is none)."""
        return max(0, bisect_right(self.indices, index) - 1)

    def next_after(self, index: int) -> int | None:
        """The first matching store index after `index`."""
        position = bisect_right(self.indices, index)
        return self.indices[position] if position < len(self.indices) else None

    def previous_before(self, index: int) -> int | None:
        """The last matching store index before `index`."""
        position = bisect_left(self.indices, index)
        return self.indices[position - 1] if position > 0 else None
