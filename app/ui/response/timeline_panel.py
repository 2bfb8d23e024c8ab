"""The Timeline tab: the Timeline itself, its filter input, and a line saying what the filter kept."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from app.terminal_text import safe_line
from app.ui.fields import Input
from app.ui.response.timeline import TimelineView
from app.ui.response.timeline_row import TimelineColumns, header_text


class TimelinePanel(Vertical):
    """Holds the Timeline and shows the filter input on `/` (Enter applies, Escape closes)."""

    DEFAULT_CSS = """
    TimelinePanel {
        height: 1fr;
        & > TimelineView { height: 1fr; }
        & > #timeline-header { height: 1; color: $text-muted; text-style: bold; background: $surface; }
        & > #timeline-filter { display: none; height: 3; }
        & > #timeline-filter-status { display: none; height: 1; color: $text-muted; padding: 0 1; }
        &.-filtering > #timeline-filter { display: block; }
        &.-filtered > #timeline-filter-status { display: block; }
    }
    """

    _filter_input: Input | None = None
    """The filter's box, once it was first opened."""

    BINDINGS = [
        Binding("escape", "close_filter", "Close filter", id="timeline.close_filter",
                tooltip="Close the Timeline filter: its box, then the filter it applied (a second Esc cancels the request)"),
    ]

    def compose(self) -> ComposeResult:
        # Drawn from the start (not only when the Timeline reports its columns), so the first frame has it.
        yield Static(Text(header_text(TimelineColumns.fit(None, 0, frozenset()))), id="timeline-header")
        yield TimelineView(id="timeline")
        # The filter's Input is made on first use (`_open_filter`): hidden, it cost as much at start-up.
        yield Static(id="timeline-filter-status")

    @property
    def timeline(self) -> TimelineView:
        return self.query_one(TimelineView)

    @on(TimelineView.FilterRequested)
    async def _open_filter(self) -> None:
        if self._filter_input is None:
            # Awaited: the keys typed after `/` are let in once this is handled (key_order.py) and go into it.
            self._filter_input = Input(placeholder="filter: words  event:NAME  kind:KIND   (empty clears)",
                                       id="timeline-filter")
            await self.mount(self._filter_input, after=self.timeline)
        filter_input = self._filter_input
        filter_input.value = self.timeline.filter_query.source
        self.add_class("-filtering")
        self.refresh_bindings()
        filter_input.focus()

    @on(Input.Submitted, "#timeline-filter")
    def _apply_filter(self, event: Input.Submitted) -> None:
        event.stop()
        from app.store import EventQuery, QueryError  # the event model: not before the first paint

        try:
            query = EventQuery.parse(event.value)
        except QueryError as error:
            self.notify(str(error), title="Filter", severity="error")
            return
        self.remove_class("-filtering")
        self.refresh_bindings()
        self.timeline.set_query(query)
        self.timeline.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Esc closes the filter only while there is one (its box open, or applied); otherwise it goes on
        # to the screen (cancel).
        if action == "close_filter":
            return self.has_class("-filtering") or self.has_class("-filtered")
        return True

    def action_close_filter(self) -> None:
        if self.has_class("-filtering"):
            self.remove_class("-filtering")  # the box closes; what it applied stays
        else:
            # An applied filter, from the Timeline: Esc clears it, as it does the tree's (`/` then an
            # empty box was the only way, and Esc here did nothing with no request running).
            from app.store import EventQuery

            self.timeline.set_query(EventQuery())
        self.refresh_bindings()
        self.timeline.focus()

    @on(TimelineView.ColumnsChanged)
    def _show_columns(self, event: TimelineView.ColumnsChanged) -> None:
        # One row whatever it says (`height: 1`): a new text needs a repaint, not a layout of the screen
        # (the Timeline reports its columns after the first layout: that layout again at start-up).
        self.query_one("#timeline-header", Static).update(Text(header_text(event.columns)), layout=False)

    @on(TimelineView.FilterApplied)
    def _show_filter_status(self, event: TimelineView.FilterApplied) -> None:
        self.set_class(not event.query.is_empty, "-filtered")
        self.refresh_bindings()
        self.query_one("#timeline-filter-status", Static).update(
            Text(
                f"filter “{safe_line(event.query.source)}”: {event.matches:,} of {event.total:,} events"
                "  ·  n/N next/previous  ·  f only matches/all  ·  / change"
            )
        )
