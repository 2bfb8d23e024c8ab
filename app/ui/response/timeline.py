"""The Timeline: one row per event on Textual's Line API, however many events there are.

Rows are built from the store only when they scroll into view, through a small LRU cache; the pane's
timer calls `sync()` a few times a second to take in new events (at most one scroll per tick, and while
following a fast stream, a `virtual_size` change only every `RESIZE_INTERVAL`), so a flood of events
never reaches the widget's message queue.
"""

from __future__ import annotations

from array import array
from time import monotonic

from textual import work
from textual.binding import Binding
from textual.cache import LRUCache
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from app.store import EventQuery, EventStore
from app.store.matches import MatchIndex
from app.streams.stream_metrics import DEFAULT_STALL_SECONDS
from app.ui.response.timeline_row import TimelineColumns, TimelineRowRenderer

FLOOD_REDRAW_SECONDS = 0.15
"""While following a flood, the rows are redrawn at most this often (about 7 times a second)."""

RESIZE_INTERVAL = 0.25
"""While following, the scroll range is brought up to date at most this often (seconds)."""

BACKGROUND_SEARCH_EVENTS = 50_000
"""Filters over more events than this run in a thread so the keyboard stays live."""


class TimelineView(ScrollView, can_focus=True):
    """The events of one response, one row each; follows the tail while the cursor is on the last row."""

    ALLOW_SELECT = False

    DEFAULT_CSS = """
    TimelineView {
        background: $surface;
        overflow-x: hidden;
        overflow-y: scroll;
        & > .timeline--time { color: $text-muted; }
        & > .timeline--gap { color: $text-muted; }
        & > .timeline--slow-gap { color: $warning; }
        & > .timeline--label { color: $accent; text-style: bold; }
        & > .timeline--send { color: $success; }
        & > .timeline--recv { color: $primary; }
        & > .timeline--size { color: $text-muted; }
        & > .timeline--id { color: $secondary; }
        & > .timeline--retry { color: $warning; }
        & > .timeline--error { background: $error 25%; color: $text-error; text-style: bold; }
        & > .timeline--match { background: $warning 20%; }
        & > .timeline--cursor { background: $block-cursor-blurred-background; }
        /* The focus, drawn by the rows themselves (see `watch_has_focus`): a tint, and the block cursor. */
        & > .timeline--focused { background: $foreground 4%; }
        & > .timeline--cursor-focused { background: $block-cursor-background; color: $block-cursor-foreground; }
    }
    """

    COMPONENT_CLASSES = {
        f"timeline--{part}"
        for part in (
            "time", "gap", "slow-gap", "label", "send", "recv", "size", "id", "retry", "error", "match", "cursor",
            "cursor-focused", "focused",
        )
    }

    BINDINGS = [
        Binding("j,down", "cursor_down", "Next", show=False, id="timeline.down"),
        Binding("k,up", "cursor_up", "Previous", show=False, id="timeline.up"),
        Binding("g,home", "first", "First", show=False, id="timeline.first"),
        Binding("G,end", "last", "Last · follow", id="timeline.last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="timeline.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="timeline.page_up"),
        Binding("slash", "start_filter", "Filter", id="timeline.filter"),
        Binding("n", "next_match", "Next match", id="timeline.next_match"),
        Binding("N", "previous_match", "Prev match", show=False, id="timeline.previous_match"),
        Binding("f", "toggle_filter_only", "Only matches/all", show=False, id="timeline.toggle_filter_only"),
        Binding("e", "next_error", "Next error", id="timeline.next_error"),
        Binding("E", "previous_error", "Prev error", show=False, id="timeline.previous_error"),
        Binding("enter", "open_detail", "Detail", id="timeline.detail"),
        Binding("D", "toggle_column('delta')", "Delta column on/off", show=False, id="timeline.toggle_delta"),
        Binding("I", "toggle_column('id')", "Id column on/off", show=False, id="timeline.toggle_id"),
        Binding("R", "toggle_column('retry')", "Retry column on/off", show=False, id="timeline.toggle_retry"),
        Binding("S", "toggle_column('size')", "Size column on/off", show=False, id="timeline.toggle_size"),
    ]

    class FilterRequested(Message):
        """The user pressed `/`: the container shows the filter input."""

    class DetailRequested(Message):
        """The user asked for the detail of the event at `index` in `store`."""

        def __init__(self, store: EventStore, index: int) -> None:
            super().__init__()
            self.store = store
            self.index = index

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
        self._store = EventStore()
        self._matches = MatchIndex()
        """Indices of matching events (ascending), meaningful only while a query is set."""
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
        return self._store

    @property
    def filter_query(self) -> EventQuery:
        """The filter in force (empty: none)."""
        return self._matches.query

    @property
    def matches(self) -> array:
        """Store indices of the events matching the filter, ascending."""
        return self._matches.indices

    def attach(
        self, store: EventStore, *, following: bool = True, stall_threshold: float = DEFAULT_STALL_SECONDS
    ) -> None:
        """Show another store (another response), unfiltered: a filter was meant for the events it was typed on."""
        had_filter = not self._matches.query.is_empty
        self._store = store
        self._rows.stall_threshold = stall_threshold
        self._drawn_at = 0.0
        self._rows_drawn = 0
        self._line_cache.clear()
        self._matches.reset(EventQuery())
        self._filter_only = True
        self._search_running = False
        self.following = following
        self._cursor = 0
        self._scroll_quietly(0)
        self.sync()
        if had_filter:
            self.post_message(self.FilterApplied(self._matches.query, 0, len(store)))

    def sync(self) -> None:
        """Take in events appended to the store since the last call (called by the pane's timer)."""
        matches = self._matches
        if not matches.query.is_empty and not self._search_running and matches.extend(self._store):
            # Keep "n of total" current while the stream goes on (one message a tick at most).
            self.post_message(self.FilterApplied(matches.query, len(matches), len(self._store)))
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
            return len(self._matches)
        return len(self._store)

    @property
    def cursor_index(self) -> int | None:
        """The store index of the event under the cursor."""
        rows = self.row_count
        if not rows:
            return None
        return self._index_of_row(min(self._cursor, rows - 1))

    @property
    def _filtered(self) -> bool:
        return self._filter_only and not self._matches.query.is_empty

    def _index_of_row(self, row: int) -> int:
        return self._matches.indices[row] if self._filtered else row

    def _row_of_index(self, index: int) -> int | None:
        if not self._filtered:
            return index
        return self._matches.position_of(index)

    # --- filtering -----------------------------------------------------------------------------

    def set_query(self, query: EventQuery, *, filter_only: bool = True) -> None:
        """Filter (or, with `filter_only=False`, just mark) the events matching `query`."""
        self._matches.reset(query)
        self._filter_only = filter_only
        self._search_running = False
        self._line_cache.clear()
        self._cursor = 0
        if query.is_empty:
            self._after_filter()
            return
        total = len(self._store)
        if total > BACKGROUND_SEARCH_EVENTS:
            self._search_running = True
            self._search_in_thread(self._store, query, total)
        else:
            self._matches.extend(self._store)
            self._after_filter()

    @work(thread=True, exclusive=True, group="timeline-filter")
    def _search_in_thread(self, store: EventStore, query: EventQuery, stop: int) -> None:
        found = store.search(query, 0, stop)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._search_done, store, query, found, stop)

    def _search_done(self, store: EventStore, query: EventQuery, found: array, stop: int) -> None:
        if store is not self._store or query != self._matches.query:
            return
        self._search_running = False
        self._matches.adopt(found, stop)
        self._matches.extend(self._store)
        self._after_filter()

    def _after_filter(self) -> None:
        self._line_cache.clear()
        rows = self.row_count
        self._set_scroll_range(rows)
        if self.following and rows:
            self._cursor = rows - 1
            self._scroll_quietly()
        else:
            self._cursor = 0
            self._scroll_quietly(0)
        self.refresh()
        self.post_message(self.FilterApplied(self._matches.query, len(self._matches), len(self._store)))

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

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.following = True
        self.move_cursor(self.row_count - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self._cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self.move_cursor(self._cursor - max(1, self.scrollable_content_region.height - 1))

    def action_start_filter(self) -> None:
        self.post_message(self.FilterRequested())

    def action_toggle_filter_only(self) -> None:
        """Switch between showing only the matches and showing everything with matches marked."""
        if self._matches.query.is_empty:
            self.app.bell()
            return
        index = self.cursor_index
        self._filter_only = not self._filter_only
        self._line_cache.clear()
        rows = self.row_count
        self._set_scroll_range(rows)
        self.following = False
        if index is not None:
            row = self._row_of_index(index)
            if row is None:  # the cursor's event is not a match: go to the nearest match before it
                row = self._matches.last_at_or_before(index)
            self.move_cursor(row)
        self.refresh()

    @property
    def filter_only(self) -> bool:
        """True when only matching events are shown; False when all are, matches marked."""
        return self._filter_only

    def action_next_match(self) -> None:
        self._jump_to_match(forward=True)

    def action_previous_match(self) -> None:
        self._jump_to_match(forward=False)

    def _jump_to_match(self, *, forward: bool) -> None:
        matches = self._matches
        if matches.query.is_empty or not len(matches):
            self.app.bell()
            return
        if self._filtered:
            self.move_cursor(self._cursor + (1 if forward else -1))
            return
        here = self._cursor
        target = matches.next_after(here) if forward else matches.previous_before(here)
        if target is None:
            self.app.bell()
        else:
            self.move_cursor(target)

    def action_next_error(self) -> None:
        self._jump_to_error(forward=True)

    def action_previous_error(self) -> None:
        self._jump_to_error(forward=False)

    def _jump_to_error(self, *, forward: bool) -> None:
        here = self.cursor_index
        here = -1 if here is None else here
        # Under a filter an error may be hidden: skip to the next one that is shown.
        while True:
            index = self._store.next_error(here) if forward else self._store.previous_error(here)
            if index is None:
                self.app.bell()
                return
            row = self._row_of_index(index)
            if row is not None:
                self.move_cursor(row)
                return
            here = index

    def action_toggle_column(self, column: str) -> None:
        """Show or hide one of the optional columns."""
        self.hidden_columns = self.hidden_columns ^ {column}
        self._line_cache.clear()
        self._check_columns()
        self.refresh()
        shown = column not in self.hidden_columns
        self.notify(f"{column} column {'shown' if shown else 'hidden'}", timeout=2)

    def action_open_detail(self) -> None:
        index = self.cursor_index
        if index is not None:
            self.post_message(self.DetailRequested(self._store, index))

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        self.move_cursor(round(self.scroll_y) + self._tail_shift + offset.y)
        if event.chain == 2:
            self.action_open_detail()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._scrolling_myself:
            return
        # The user scrolled (wheel, scrollbar): up means "let me read", back to the bottom resumes.
        if new_value < old_value:
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
        is_match = (
            not self._filter_only
            and not self._matches.query.is_empty
            and self._matches.position_of(index) is not None
        )
        key = (index, is_cursor, is_match, self._rows.focused, width, columns)
        strip = self._line_cache.get(key)
        if strip is None:
            # No text-selection offsets (`Strip.apply_offsets`, a quarter of a row's cost): the Timeline
            # is not selectable (ALLOW_SELECT); `c`/`Y` and the detail view copy.
            strip = self._rows.render(self._store.summary(index), columns, is_cursor, is_match, width)
            self._line_cache[key] = strip
        return strip
