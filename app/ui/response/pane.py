"""The response pane: a status line over the Timeline, Merged, Headers, Body/Raw and Metrics tabs.

One timer (15 Hz) drives everything: it pumps every live session it has shown, then refreshes only
what the shown session changed. Nothing happens per event.
"""

from __future__ import annotations

import asyncio
from functools import partial
from time import monotonic
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from app.terminal_text import safe_line
from app.ui.response.tab_stack import PaneStack, StackedPane, TabBar, TabSpec
from app.ui.response.timeline import TimelineView
from app.ui.response.timeline_panel import TimelinePanel

if TYPE_CHECKING:
    from app.ui.response.body_view import BodyView
    from app.ui.response.session import ResponseSession, SessionState

REFRESH_HZ = 15
PUMP_SLICE_EVENTS = 500
STEP_SECONDS = 0.006
MERGE_BUDGET_PER_TICK = 0.025
SLOW_VIEW_INTERVAL = 0.5
LIVE_REFRESH_SECONDS = 0.1
"""During a catch-up longer than a tick, the status line and the Timeline are redrawn this often."""

TABS = (
    TabSpec("tab-timeline", "Timeline", "Time"),
    TabSpec("tab-merged", "Merged", "Merge"),
    TabSpec("tab-headers", "Headers", "Head"),
    TabSpec("tab-body", "Body/Raw", "Body"),
    TabSpec("tab-metrics", "Metrics", "Stats"),
    TabSpec("tab-assertions", "Assertions", "Checks"),
)
"""The tabs, in the order of their number keys."""

CONTENT = "TimelineView, MergedView, HeadersView, BodyView, MetricsView, AssertionsView"
"""The widget in each tab that takes the focus when the tab is shown."""


def _tab_content(tab_id: str) -> list[Widget]:
    """What a tab other than the Timeline shows, built when the tab is first shown. Each view's module is
    imported then too (with `statistics`, `http` and the body's parsers): the first screen shows only the
    Timeline (with the request editor's WebSocket tabs, about 2% of the instructions to the first frame)."""
    if tab_id == "tab-merged":
        from app.ui.response.merged_view import MergedView

        return [MergedView()]
    if tab_id in ("tab-headers", "tab-metrics"):
        from app.ui.response.info_views import HeadersView, MetricsView

        return [HeadersView() if tab_id == "tab-headers" else MetricsView()]
    if tab_id == "tab-body":
        from app.ui.response.body_view import BodyView

        return [Vertical(Static(id="body-description"), BodyView())]
    from app.ui.response.assertions_view import AssertionsView

    return [AssertionsView()]


class ResponsePane(Widget):
    """Shows one `ResponseSession` at a time; `show()` switches (that is how history re-opens one)."""

    class SessionChanged(Message):
        """A live session moved on (connecting → open → closed, cancelled or failed) or counted more data
        events: at most one per session per tick, however many events the tick stored."""

        def __init__(self, session: ResponseSession) -> None:
            super().__init__()
            self.session = session

    DEFAULT_CSS = """
    ResponsePane {
        height: 1fr;
        & > #response-status { height: 1; padding: 0 1; background: $panel; }
        & #body-description { height: 1; color: $text-muted; padding: 0 1; }
        & BodyView { height: 1fr; }
    }
    """

    BINDINGS = [
        Binding("1", "show_tab('tab-timeline')", "Timeline", show=False, id="response.timeline"),
        Binding("2", "show_tab('tab-merged')", "Merged", show=False, id="response.merged"),
        Binding("3", "show_tab('tab-headers')", "Headers", show=False, id="response.headers"),
        Binding("4", "show_tab('tab-body')", "Body", show=False, id="response.body"),
        Binding("5", "show_tab('tab-metrics')", "Metrics", show=False, id="response.metrics"),
        Binding("6", "show_tab('tab-assertions')", "Assertions", show=False, id="response.assertions"),
        Binding("J", "export('timeline')", "Save timeline as JSONL", show=False, id="response.save_jsonl"),
        Binding("Y", "copy_events", "Copy all events (JSONL)", show=False, id="response.copy_events"),
        Binding("W", "export('recording')", "Record response (for sluice mock)", show=False, id="response.record"),
        Binding("H", "export('har')", "Export response as HAR", show=False, id="response.har"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.session: ResponseSession | None = None
        """The session shown now."""
        self._live: list[ResponseSession] = []
        self._timer: Timer | None = None
        self._seen_version = -1
        self._seen_merge_version = -1
        self._seen_body_version = -1
        self._drawn_at: dict[str, float] = {}
        self._metrics_version = -1
        self._shown_status = ""
        self._states: dict[ResponseSession, tuple[SessionState, int]] = {}
        """Each live session's state and data events when last pumped (to say when they changed)."""

    def compose(self) -> ComposeResult:
        yield Static(Text("No response yet: send a request.", style="dim"), id="response-status")
        yield TabBar(TABS, id="response-tabs")
        with PaneStack(id="response-panes"):
            with StackedPane(id="tab-timeline"):
                yield TimelinePanel()
            # The other tabs are built when first shown (`_switch_tab`).
            for spec in TABS[1:]:
                yield StackedPane(id=spec.id, build=partial(_tab_content, spec.id))

    def on_mount(self) -> None:
        self._timer = self.set_interval(1 / REFRESH_HZ, self._tick)

    @property
    def timeline(self) -> TimelineView:
        return self.query_one(TimelineView)

    @property
    def body_view(self) -> BodyView:
        from app.ui.response.body_view import BodyView  # built with its tab (`_tab_content`)

        return self.query_one(BodyView)

    def show(self, session: ResponseSession) -> None:
        """Show `session` (a new one, or one from history); it keeps being pumped while it is live."""
        if session not in self._live and not session.finished:
            self._live.append(session)
        session.pump()
        self.session = session
        self._seen_version = self._seen_merge_version = self._seen_body_version = -1
        self._metrics_version = -1
        self._drawn_at.clear()
        self.timeline.attach(session.store, following=True, stall_threshold=session.metrics.stall_threshold)
        self._refresh_views(force=True)

    @property
    def active_tab(self) -> str:
        """The id of the tab shown (`tab-timeline`, `tab-merged` …)."""
        return self.query_one(PaneStack).active

    async def action_show_tab(self, tab_id: str) -> None:
        """Switch tab and put the focus on its content (so its keys, and these, keep working)."""
        screen = self.screen
        if tab_id == self.active_tab:
            screen.set_focus(self._content(tab_id))
            return
        # The focus leaves the old content while that is still on the screen, and reaches the new content
        # once that is (after the scroll that shows it): each focus change refreshes both widgets, and a
        # widget refreshed out of view makes Textual arrange the whole screen to find it and forget which
        # widgets were in view, so the frame after the next scroll repainted the whole screen (about 8 ms
        # of the UI thread on the main screen; benchmarks/bench_flood.py). Set at once, not queued as
        # `focus()` does: the next key is let in after this callback (key_order.py) and goes to the content.
        screen.set_focus(None)
        await self._switch_tab(tab_id)
        self.call_after_refresh(screen.set_focus, self._content(tab_id))

    def _content(self, tab_id: str) -> Widget:
        return self.query_one(f"#{tab_id}", StackedPane).query(CONTENT).first()

    def action_export(self, what: str) -> None:
        """Save the shown response: its Timeline as JSONL, a recording, or a HAR file (`app.ui.response.exports`)."""
        # The exporters (HAR, recordings, JSONL) are imported when used, not at start-up.
        from app.ui.response.exports import export_with_notice, save_session_recording, save_sessions_har, save_timeline

        session = self.session
        if session is None:
            self.notify("No response to export yet.", severity="warning")
            return
        export = {
            "timeline": lambda: save_timeline(session),
            "recording": lambda: save_session_recording(session),
            "har": lambda: save_sessions_har([session], session.title),
        }[what]
        export_with_notice(self, export)

    def action_copy_events(self) -> None:
        if self.session is not None:
            from app.ui.response.exports import copy_all_events

            copy_all_events(self, self.session)

    async def _tick(self) -> None:
        # Store everything that arrived, in slices, yielding to the event loop whenever a stretch of
        # work passes STEP_SECONDS: a key press waits for one stretch, never for a whole flood, and
        # no backlog of live event objects builds up. (Yielding after every slice instead costs a
        # thread switch each time when the worker runs on its own thread.) A catch-up that lasts longer
        # than a tick redraws the status line and the Timeline as it goes, so neither freezes.
        step_started = refreshed = monotonic()

        async def breathe() -> None:
            nonlocal step_started, refreshed
            if monotonic() - step_started >= STEP_SECONDS:
                await asyncio.sleep(0)
                step_started = monotonic()
                if step_started - refreshed >= LIVE_REFRESH_SECONDS:
                    refreshed = step_started
                    self._refresh_views(force=False)

        for session in self._live:
            session.pump(PUMP_SLICE_EVENTS, merge_budget=0)
            while session.has_backlog:
                await breathe()
                session.pump(PUMP_SLICE_EVENTS, merge_budget=0, drain=False)
            # The merge engine catches up in slices too, within a budget per tick.
            deadline = monotonic() + MERGE_BUDGET_PER_TICK
            while session.merging_behind and monotonic() < deadline:
                await breathe()
                session.pump(0, drain=False)
        for session in self._live:
            seen = (session.state, session.data_events)
            if self._states.get(session) != seen:
                self._states[session] = seen
                self.post_message(self.SessionChanged(session))
        self._live = [session for session in self._live if not session.finished]
        self._states = {session: state for session, state in self._states.items() if session in self._live}
        if self.session is not None:
            self._refresh_views(force=False)

    def _refresh_views(self, *, force: bool) -> None:
        session = self.session
        if session is None:
            return
        # With the first response shown: the session's module (and the event model) came with it.
        from app.ui.response.status_line import status_text

        status_line = self.query_one("#response-status", Static)
        status = status_text(session, status_line.content_region.width or None)
        if status.plain != self._shown_status:
            self._shown_status = status.plain
            # A one-line status never changes size: skip the layout pass (it costs a whole screen).
            status_line.update(status, layout=False)
        changed = session.version != self._seen_version or force
        if changed or self.timeline.scroll_range_stale:
            self._seen_version = session.version
            self.timeline.sync()
        self._refresh_active_tab(changed)

    def _refresh_active_tab(self, changed: bool = True) -> None:
        session = self.session
        if session is None:
            return
        active = self.active_tab
        # Each view's module was imported when its tab was built (`_tab_content`): the imports below are
        # lookups.
        if active == "tab-merged" and (session.merge_version != self._seen_merge_version):
            from app.ui.response.merged_view import MergedView

            self._seen_merge_version = session.merge_version
            self.query_one(MergedView).show_session(session)
        elif active == "tab-headers" and changed:
            from app.ui.response.info_views import HeadersView

            self.query_one(HeadersView).show_session(session)
        elif active == "tab-body" and session.body_version != self._seen_body_version:
            # A body still growing is reloaded whole: at most a couple of times a second.
            if self._seen_body_version < 0 or session.received_all or self._due("body"):
                grew = self._seen_body_version >= 0
                self._seen_body_version = session.body_version
                self._load_body(session, keep_scroll=grew)
        elif active == "tab-assertions":
            from app.ui.response.assertions_view import AssertionsView

            self.query_one(AssertionsView).show_checker(session.assertions)
        elif (
            active == "tab-metrics"
            and (session.version != self._metrics_version or not session.finished)
            and self._due("metrics")
        ):
            # A couple of times a second is plenty for a person; a live stream is redrawn even when
            # nothing arrives, so a stall shows as it happens.
            from app.ui.response.info_views import MetricsView

            self._metrics_version = session.version
            self.query_one(MetricsView).show_session(session)

    def _due(self, view: str) -> bool:
        now = monotonic()
        if now - self._drawn_at.get(view, 0.0) < SLOW_VIEW_INTERVAL:
            return False
        self._drawn_at[view] = now
        return True

    def _load_body(self, session: ResponseSession, *, keep_scroll: bool) -> None:
        if not session.has_body:
            self.body_view.load(b"")
            return
        content_type = session.response.header("content-type") if session.response else None
        self.body_view.load(session.body(), content_type, keep_scroll=keep_scroll)

    async def _switch_tab(self, tab_id: str) -> None:
        if tab_id != self.active_tab:
            # A tab shown for the first time is built first (awaited: a key typed next goes to its content;
            # the App lets it in only once this action is done, `app/ui/key_order.py`).
            await self.query_one(f"#{tab_id}", StackedPane).build()
            self.query_one(PaneStack).show(tab_id)
            self.query_one(TabBar).active = tab_id
            self._drawn_at.clear()
            self._metrics_version = -1
            self._refresh_active_tab()

    @on(TabBar.Chosen)
    async def _tab_chosen(self, event: TabBar.Chosen) -> None:
        # Clicked or stepped to on the bar: the focus stays there, as on Textual's own tabs.
        event.stop()
        await self._switch_tab(event.tab_id)

    def on_body_view_described(self, event: BodyView.Described) -> None:
        # Named, not `@on(BodyView.Described)`: the view's module is imported with its tab, not at start-up.
        description = event.description
        if self.session is not None and not self.session.has_body:
            description = "No plain body: this response streamed events (see the Timeline)."
        self.query_one("#body-description", Static).update(Text(safe_line(description)))

    @on(TimelineView.DetailRequested)
    def _open_detail(self, event: TimelineView.DetailRequested) -> None:
        from app.ui.response.detail import EventDetailScreen  # rich.syntax and pygments: not at start-up

        self.app.push_screen(EventDetailScreen(event.store, event.index))
