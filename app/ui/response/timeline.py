"""The Timeline: the events of one response (`TimelineLines`), with its keys: the cursor, the filter (run
in a thread over a big store), the jumps to matches and errors, the optional columns and the detail.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding
from textual.events import Click
from textual.message import Message
from textual.worker import get_current_worker

from app.ui.response.timeline_lines import TimelineLines

if TYPE_CHECKING:
    from app.store import EventQuery, EventStore

BACKGROUND_SEARCH_EVENTS = 50_000
"""Filters over more events than this run in a thread so the keyboard stays live."""


class TimelineView(TimelineLines, can_focus=True):
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

    # --- filtering -----------------------------------------------------------------------------

    def set_query(self, query: EventQuery, *, filter_only: bool = True) -> None:
        """Filter (or, with `filter_only=False`, just mark) the events matching `query`."""
        matches, store = self.match_index, self.store
        # The event under the cursor stays under it (or the nearest match before it): Esc clearing a filter
        # put the cursor back on the first row, and the event the filter had found was lost. At the tail,
        # the cursor stays at the tail.
        keep = None if self.following else self.cursor_index
        matches.reset(query)
        self._filter_only = filter_only
        self._search_running = False
        self._line_cache.clear()
        self._cursor = 0
        if query.is_empty:
            self._after_filter(keep)
            return
        total = len(store)
        if total > BACKGROUND_SEARCH_EVENTS:
            self._search_running = True
            self._search_in_thread(store, query, total, keep)
        else:
            matches.extend(store)
            self._after_filter(keep)

    @work(thread=True, exclusive=True, group="timeline-filter")
    def _search_in_thread(self, store: EventStore, query: EventQuery, stop: int, keep: int | None) -> None:
        found = store.search(query, 0, stop)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._search_done, store, query, found, stop, keep)

    def _search_done(self, store: EventStore, query: EventQuery, found: array, stop: int, keep: int | None) -> None:
        if store is not self._store or query != self.filter_query:
            return
        self._search_running = False
        self.match_index.adopt(found, stop)
        self.match_index.extend(store)
        self._after_filter(keep)

    def _after_filter(self, keep: int | None) -> None:
        """Show the filter's rows, the cursor on the event `keep` (None: at the tail if following, else on top)."""
        self._line_cache.clear()
        rows = self.row_count
        self._set_scroll_range(rows)
        if self.following and rows:
            self._cursor = rows - 1
            self._scroll_quietly()
        else:
            self._cursor = 0
            self._scroll_quietly(0)
            if keep is not None:
                row = self._row_of_index(keep)
                self.move_cursor(self.match_index.last_at_or_before(keep) if row is None else row)
        self.refresh()
        self.post_message(self.FilterApplied(self.filter_query, len(self.match_index), len(self.store)))

    # --- keys ----------------------------------------------------------------------------------

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
        if not self._has_filter:
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
                row = self.match_index.last_at_or_before(index)
            self.move_cursor(row)
        self.refresh()

    def action_next_match(self) -> None:
        self._jump_to_match(forward=True)

    def action_previous_match(self) -> None:
        self._jump_to_match(forward=False)

    def _jump_to_match(self, *, forward: bool) -> None:
        if not self._has_filter or not len(self.match_index):
            self.app.bell()
            return
        matches = self.match_index
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
            index = self.store.next_error(here) if forward else self.store.previous_error(here)
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
            self.post_message(self.DetailRequested(self.store, index))

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        self.move_cursor(round(self.scroll_y) + self._tail_shift + offset.y)
        if event.chain == 2:
            self.action_open_detail()
