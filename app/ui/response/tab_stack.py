"""The response pane's tabs: a one-widget tab bar over panes laid out once, side by side.

Textual's `TabbedContent` shows a tab by switching `display`, which lays out the whole screen and
repaints what moved, restyles its `Tab` widgets and animates the underline for 0.3 s (a repaint per
frame): 55-80 ms of the UI thread per switch on the shared machine with no stream at all, and a flood's
parser competes with it for the interpreter lock (benchmarks/bench_flood.py). Here every pane keeps its
size and place in a row as wide as all of them, and the row is scrolled to the chosen one: Textual's
scroll path arranges only what is in view, nothing is resized or restyled, and only the pane that comes
into view is painted. The bar is one widget that repaints its own two lines.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Group
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.binding import Binding
from textual.containers import Container
from textual.message import Message
from textual.reactive import reactive
from textual.renderables.bar import Bar
from textual.widget import Widget


@dataclass(frozen=True)
class TabSpec:
    """One tab: the id of its pane, its label, and the label used when the full ones do not fit."""

    id: str
    label: str
    short: str


class TabBar(Widget, can_focus=True):
    """The labels, the active one underlined; Left/Right (when focused) and clicks choose a tab.

    What it shows is `active`; choosing posts `Chosen` and whoever owns the panes switches them (and
    sets `active`)."""

    DEFAULT_CSS = """
    TabBar {
        height: 2;
        width: 1fr;
        & > .tab-bar--label { color: $foreground 50%; }
        & > .tab-bar--active { color: $foreground; }
        & > .tab-bar--bar { color: $block-cursor-background; background: $foreground 10%; }
        &:focus {
            & > .tab-bar--active {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
            & > .tab-bar--bar { background: $foreground 30%; }
        }
        &:ansi {
            & > .tab-bar--label { text-style: dim; }
            & > .tab-bar--active { text-style: not dim bold; }
            & > .tab-bar--bar { background: $border-blurred; }
        }
    }
    """

    COMPONENT_CLASSES = {"tab-bar--label", "tab-bar--active", "tab-bar--bar"}

    BINDINGS = [
        Binding("left", "step(-1)", "Previous tab", show=False, id="tabs.previous"),
        Binding("right", "step(1)", "Next tab", show=False, id="tabs.next"),
    ]

    active: reactive[str] = reactive("", layout=False)
    """The id of the tab shown."""

    class Chosen(Message):
        """A tab was clicked or stepped to (the owner shows it)."""

        def __init__(self, tab_id: str) -> None:
            super().__init__()
            self.tab_id = tab_id

    def __init__(self, tabs: tuple[TabSpec, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tabs = tabs
        self.set_reactive(TabBar.active, tabs[0].id)
        self._spans: list[tuple[int, int, str]] = []
        """Where each label was drawn (start, end, tab id), for clicks."""
        self._styles: dict[str, Style] = {}
        """The component styles, resolved once per style change: Textual's own cache of them is cleared
        by every refresh, and each lookup walks the CSS (1 ms or more a tab key in a flood)."""

    def set_tabs(self, tabs: tuple[TabSpec, ...]) -> None:
        """Show these tabs instead (a request editor's WebSocket or HTTP set); `active` stays the owner's."""
        if tabs != self.tabs:
            self.tabs = tabs
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _style(self, component: str) -> Style:
        style = self._styles.get(component)
        if style is None:
            style = self._styles[component] = self.get_component_rich_style(component)
        return style

    def render(self) -> RenderResult:
        width = self.size.width
        labels = [tab.label for tab in self.tabs]
        if sum(len(label) + 2 for label in labels) > width:
            labels = [tab.short for tab in self.tabs]
        label_style = self._style("tab-bar--label")
        active_style = self._style("tab-bar--active")
        line = Text(no_wrap=True, overflow="ellipsis")
        spans: list[tuple[int, int, str]] = []
        highlight = (0.0, 0.0)
        for tab, label in zip(self.tabs, labels, strict=True):
            start = line.cell_len
            is_active = tab.id == self.active
            line.append(f" {label} ", style=active_style if is_active else label_style)
            spans.append((start, line.cell_len, tab.id))
            if is_active:
                highlight = (start + 1, line.cell_len - 1)
        self._spans = spans
        line.truncate(width, overflow="ellipsis")
        bar = self._style("tab-bar--bar")
        # Textual's own tab underline (the same `Bar`): the active label's text, without its padding.
        return Group(line, Bar(highlight, Style.from_color(bar.color), Style.from_color(bar.bgcolor)))

    def action_step(self, step: int) -> None:
        ids = [tab.id for tab in self.tabs]
        self.post_message(self.Chosen(ids[(ids.index(self.active) + step) % len(ids)]))

    def on_click(self, event: events.Click) -> None:
        for start, end, tab_id in self._spans:
            if start <= event.x < end:
                event.stop()
                self.post_message(self.Chosen(tab_id))
                return


class StackedPane(Container):
    """One tab's content in a `PaneStack`; its widgets take the focus only while it is the one shown.

    Given `build`, the pane is empty until first shown, when it mounts what `build` returns: a tab the user
    never opens costs nothing at start-up (the response pane's five hidden tabs were about 4% of the CPU to
    the first frame)."""

    DEFAULT_CSS = "StackedPane { width: 100%; height: 1fr; }"

    shown = False
    """True while this pane is the one in view (set by its `PaneStack`)."""

    def __init__(self, *children: Widget, id: str | None = None,
                 build: Callable[[], list[Widget]] | None = None) -> None:
        super().__init__(*children, id=id)
        self._build = build
        self._mounted: asyncio.Event | None = None
        """Set once the built content is mounted."""

    @property
    def built(self) -> bool:
        """Its content is mounted (or being mounted)."""
        return self._build is None

    async def build(self) -> None:
        """Mount the content left to the first show, or wait for that mount if it is still under way (a click
        on the tab bar while a key's switch builds the pane); returns at once once it is there."""
        if self._build is not None:
            build, self._build = self._build, None
            self._mounted = asyncio.Event()
            try:
                await self.mount_all(build())
            finally:
                self._mounted.set()
        elif self._mounted is not None:
            await self._mounted.wait()

    def allow_focus_children(self) -> bool:
        # A pane out of view keeps its widgets, but Tab must not walk into them.
        return self.shown and super().allow_focus_children()

class PaneStack(Widget):
    """The tabs' panes side by side, scrolled so that exactly one fills the view (see the module docstring).

    Only `show()` moves it: a scroll asked for by anything else (a widget scrolled into view) is held
    at the shown pane."""

    DEFAULT_CSS = """
    PaneStack {
        layout: horizontal;
        overflow: hidden hidden;
        height: 1fr;
        width: 1fr;
        scrollbar-size: 0 0;
    }
    """

    def __init__(self, *panes: StackedPane, id: str | None = None) -> None:
        super().__init__(*panes, id=id)
        self._index = 0

    @property
    def active(self) -> str:
        """The id of the pane shown."""
        return self._panes[self._index].id or ""

    @property
    def _panes(self) -> list[StackedPane]:
        return list(self.query_children(StackedPane))

    def on_mount(self) -> None:
        self._panes[self._index].shown = True

    def show(self, pane_id: str) -> None:
        """Bring the pane with this id into view (no layout: a scroll of the row)."""
        panes = self._panes
        self._index = next(index for index, pane in enumerate(panes) if pane.id == pane_id)
        for index, pane in enumerate(panes):
            pane.shown = index == self._index
        self.scroll_x = self._pane_x()

    def _pane_x(self) -> float:
        return float(self._index * self.scrollable_content_region.width)

    def validate_scroll_x(self, value: float) -> float:
        return self._pane_x()

    def validate_scroll_target_x(self, value: float) -> float:
        return self._pane_x()

    def on_resize(self) -> None:
        # The panes widened or narrowed with the view: the shown one starts elsewhere now.
        self.scroll_x = self._pane_x()
