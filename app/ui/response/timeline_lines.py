"""The Timeline's lines: a Line-API view of one response's events, one row per event, however many.

Rows are built from the store only when they scroll into view, through a small LRU cache; the pane's
timer calls `sync()` a few times a second to take in new events (at most one scroll per tick, and while
following a fast stream, a `virtual_size` change only every `RESIZE_INTERVAL`), so a flood of events
never reaches the widget's message queue. The keys, the filter's search and the jumps are the
`TimelineView`'s (`timeline.py`), on top of this.

Until a response is attached, there is no store and no filter: the first screen's empty Timeline is drawn
without importing the event model behind them (its two dozen dataclasses, the store, the metrics core:
about 8% of the instructions to the first paint). The first filter or key that needs a store makes an
empty one (`store`).
"""

from __future__ import annotations

from array import array
from time import monotonic
from typing import TYPE_CHECKING

from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from app.ui.response.timeline_row import TimelineColumns, TimelineRowRenderer
from app.vocabulary import DEFAULT_STALL_SECONDS

if TYPE_CHECKING:
    from app.store import EventQuery, EventStore
    from app.store.matches import MatchIndex

FLOOD_REDRAW_SECONDS = 0.15
"""While following a flood, the rows are redrawn at most this often (about 7 times a second)."""

RESIZE_INTERVAL = 0.25
"""While following, the scroll range is brought up to date at most this often (seconds)."""


class TimelineLines(ScrollView):
    """The rows of one response's events, filtered or marked by a `MatchIndex`, with a cursor; follows the
    tail while the cursor is on the last row. Drawn with the component classes of `TimelineView`."""

    class ColumnsChanged(Message):
        """The columns changed (a longer name arrived, an id, a toggle, a resize): the header follows."""

        def __init__(self, columns: TimelineColumns) -> None:
            super().__init__()
            self.columns = columns

    class FilterApplied(Message):
        """A filter finished: `matches` events of `total` match `query`."""

        def __init__(self, query: EventQuery, matches: int, total: int) -> None:
            super().__init__()
            self.query = query
            self.matches = matches
            self.total = total

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._store: EventStore | None = None
        """The events shown: None until a response is attached or a store is first asked for (`store`)."""
        self._matches: MatchIndex | None = None
        """Indices of matching events (ascending), meaningful only while a query is set; None until a filter
        is first set on this store (`match_index`): no filter."""
        self._search_running = False
        self._filter_only = True
        self._cursor = 0
        """The cursor's row (in the visible rows, filtered or not)."""
        self.following = True
        """True while new events should move the cursor and the view to the tail."""
        self._line_cache: LRUCache[tuple[int, bool, bool, bool, int, TimelineColumns], Strip] = LRUCache(1024)
        self._rows = TimelineRowRenderer(self)
        self.hidden_columns: frozenset[str] = frozenset()
        """Optional columns (`OPTIONAL_COLUMNS`) the user switched off; kept across responses."""
        self._columns: TimelineColumns | None = None
        self._drawn_at = 0.0
        self._rows_drawn = 0
        self._redraw_pending = False
        self._scrolling_myself = False
        self._resized_at = 0.0
        self._frame: tuple[int, int, TimelineColumns] | None = None
        """The frame's geometry while `render_lines` runs (see there)."""

    # --- data in -------------------------------------------------------------------------------

    @property
    def store(self) -> EventStore:
        """The events shown (an empty store until a response is attached)."""
        if self._store is None:
            from app.store import EventStore  # the event model: not before the first paint (module docstring)

            self._store = EventStore()
        return self._store

    @property
    def match_index(self) -> MatchIndex:
        """The filter in force and its matches (an empty filter, matching everything, until one is set)."""
        if self._matches is None:
            from app.store.matches import MatchIndex

            self._matches = MatchIndex()
        return self._matches

    @property
    def filter_query(self) -> EventQuery:
        """The filter in force (empty: none)."""
        return self.match_index.query

    @property
    def matches(self) -> array:
        """Store indices of the events matching the filter, ascending."""
        return self.match_index.indices

    @property
    def _has_filter(self) -> bool:
        return self._matches is not None and not self._matches.query.is_empty

    def attach(
        self, store: EventStore, *, following: bool = True, stall_threshold: float = DEFAULT_STALL_SECONDS
    ) -> None:
        """Show another store (another response), unfiltered: a filter was meant for the events it was typed on."""
        had_filter = self._has_filter
        self._store = store
        self._rows.stall_threshold = stall_threshold
        self._drawn_at = 0.0
        self._rows_drawn = 0
        self._line_cache.clear()
        self._matches = None  # unfiltered (an index is made by the next filter)
        self._filter_only = True
        self._search_running = False
        self.following = following
        self._cursor = 0
        self._scroll_quietly(0)
        self.sync()
        if had_filter:
            self.post_message(self.FilterApplied(self.filter_query, 0, len(store)))

    def sync(self) -> None:
        """Take in events appended to the store since the last call (called by the pane's timer)."""
        matches = self._matches
        if matches is not None and not matches.query.is_empty and not self._search_running \
                and matches.extend(self.store):
            # Keep "n of total" current while the stream goes on (one message a tick at most).
            self.post_message(self.FilterApplied(matches.query, len(matches), len(self.store)))
        rows = self.row_count
        stale = self.virtual_size.height != rows
        if rows < self.virtual_size.height:
            self._resized_at = 0.0  # fewer rows (another store): blank space must not wait
        # While following a fast stream the rows are drawn from the tail anyway (see `_tail_shift`),
        # so the scroll range only needs to catch up a few times a second.
        if stale and (not self.following or monotonic() - self._resized_at >= RESIZE_INTERVAL):
            self._update_virtual_size()
        if self.following and rows:
            self._cursor = rows - 1
            self._scroll_quietly()
        self._check_columns()
        # A flood replaces every visible row on each sync, and redrawing them all is what the UI spends
        # its time on (not taking the events in): while more than a screenful arrives between draws,
        # draw at FLOOD_REDRAW_SECONDS, and let the keys have the rest.
        now = monotonic()
        flooding = self.following and rows - self._rows_drawn > self.scrollable_content_region.height
        if flooding and now - self._drawn_at < FLOOD_REDRAW_SECONDS:
            self._redraw_pending = True
            return
        self._redraw_pending = False
        self._drawn_at = now
        self._rows_drawn = rows
        self.refresh()

    @property
    def columns(self) -> TimelineColumns:
        """The columns the rows are drawn with now."""
        return TimelineColumns.fit(self._store, self.scrollable_content_region.width, self.hidden_columns)

    def _check_columns(self) -> None:
        columns = self.columns
        if columns != self._columns:
            self._columns = columns
            self.post_message(self.ColumnsChanged(columns))

    def on_resize(self) -> None:
        self._check_columns()

    def _update_virtual_size(self) -> None:
        self._resized_at = monotonic()
        rows = self.row_count
        if self.virtual_size.height != rows:
            self._set_scroll_range(rows)

    def _set_scroll_range(self, rows: int) -> None:
        """Make `rows` scrollable without a layout pass.

        Assigning `virtual_size` lays out the whole screen (it is a layout reactive): 0.1-0.3 s on a
        busy machine, several times a second in a flood, and every widget repainted each time. Only
        this widget's scroll range changes, and its vertical scrollbar is always shown (overflow-y:
        scroll), so nothing else on the screen can move: set the value and redraw the scrollbar.
        """
        self.set_reactive(ScrollView.virtual_size, Size(self.scrollable_content_region.width, rows))
        scrollbar = self.vertical_scrollbar
        scrollbar.window_virtual_size = rows
        scrollbar.window_size = self.scrollable_content_region.height
        scrollbar.refresh()
        self.refresh()

    @property
    def _tail_shift(self) -> int:
        """Rows the view is drawn below its scroll position: while following, so the tail shows."""
        if not self.following:
            return 0
        height = self.scrollable_content_region.height
        first_of_tail = max(0, self.row_count - height)
        return max(0, first_of_tail - max(0, self.virtual_size.height - height))

    @property
    def scroll_range_stale(self) -> bool:
        """True while the scroll range or the drawing lags the rows (the pane syncs again even without
        new events)."""
        return self._redraw_pending or self.virtual_size.height != self.row_count

    @property
    def row_count(self) -> int:
        if self._filtered:
            return len(self.match_index)
        return len(self._store) if self._store is not None else 0

    @property
    def cursor_index(self) -> int | None:
        """The store index of the event under the cursor."""
        rows = self.row_count
        if not rows:
            return None
        return self._index_of_row(min(self._cursor, rows - 1))

    @property
    def _filtered(self) -> bool:
        return self._filter_only and self._has_filter

    def _index_of_row(self, row: int) -> int:
        return self.match_index.indices[row] if self._filtered else row

    def _row_of_index(self, index: int) -> int | None:
        if not self._filtered:
            return index
        return self.match_index.position_of(index)

    @property
    def filter_only(self) -> bool:
        """True when only matching events are shown; False when all are, matches marked."""
        return self._filter_only

    # --- cursor --------------------------------------------------------------------------------

    def move_cursor(self, row: int) -> None:
        """Put the cursor on `row` and bring it into view; on the last row, follow the tail again."""
        rows = self.row_count
        if not rows:
            return
        self._update_virtual_size()
        row = max(0, min(row, rows - 1))
        previous = self._cursor
        self._cursor = row
        self.following = row == rows - 1
        self.refresh_line(previous)
        self.refresh_line(row)
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height
        if row < top:
            self._scroll_quietly(row)
        elif row >= top + height:
            self._scroll_quietly(row - height + 1)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._scrolling_myself:
            return
        # The user scrolled (wheel, scrollbar): up means "let me read", back to the bottom resumes. Down to
        # the new bottom is Textual keeping the scroll in range as the view grew taller (a filter box closed,
        # the pane maximised): following stays as it was (it stopped following the tail).
        if new_value < old_value:
            if new_value < self.max_scroll_y:
                self.following = False
        elif new_value >= self.max_scroll_y and self.row_count:
            self.following = True
            self._cursor = self.row_count - 1

    def _scroll_quietly(self, y: int | None = None) -> None:
        """Scroll to row `y` (None: the end) without it counting as the user's scrolling."""
        self._scrolling_myself = True
        try:
            if y is None:
                self.scroll_end(animate=False, immediate=True, x_axis=False)
            else:
                self.scroll_to(y=y, animate=False)
        finally:
            self._scrolling_myself = False

    # --- rendering -----------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_cache.clear()
        self._rows.clear()

    def watch_has_focus(self, has_focus: bool) -> None:
        # Instead of Textual's restyle of the widget, its component classes and its scrollbar on every
        # focus change (a `:focus` rule; 3-4 ms a time, twice a tab key): the rows draw the focus, and
        # rows drawn before in this state come from the line cache (its key has the focus).
        self._rows.focused = has_focus
        self.refresh()

    def _frame_geometry(self) -> tuple[int, int, TimelineColumns]:
        """The first row drawn, the width and the columns: the same for every line of one frame."""
        width = self.scrollable_content_region.width
        columns = TimelineColumns.fit(self._store, width, self.hidden_columns)
        return round(self.scroll_y) + self._tail_shift, width, columns

    def render_lines(self, crop: Region) -> list[Strip]:
        # The geometry behind every line is worked out once a frame, not once a line (the region
        # properties walk the styles: a fifth of a row's cost in a flood, where every row is new).
        self._frame = self._frame_geometry()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        top, width, columns = self._frame or self._frame_geometry()
        row = top + y
        if row >= self.row_count:
            return Strip.blank(width, self._rows.base_style())
        index = self._index_of_row(row)
        is_cursor = row == self._cursor
        is_match = not self._filter_only and self._has_filter and self.match_index.position_of(index) is not None
        key = (index, is_cursor, is_match, self._rows.focused, width, columns)
        strip = self._line_cache.get(key)
        if strip is None:
            # No text-selection offsets (`Strip.apply_offsets`, a quarter of a row's cost): the Timeline
            # is not selectable (ALLOW_SELECT); `c`/`Y` and the detail view copy.
            strip = self._rows.render(self.store.summary(index), columns, is_cursor, is_match, width)
            self._line_cache[key] = strip
        return strip
