"""How a Timeline row looks: the columns of an event summary as styled segments.

Styles come from the Timeline's component classes and are looked up once per style change (the CSS
walk behind `rich_style` costs more than building the row itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip
from textual.widget import Widget

from app.figures import format_seconds, format_size
from app.terminal_text import safe_line
from app.vocabulary import DEFAULT_STALL_SECONDS

if TYPE_CHECKING:
    from app.store import EventStore, EventSummary

TIME_WIDTH = 9
GAP_WIDTH = 10
SIZE_WIDTH = 9
RETRY_WIDTH = 8
LABEL_MIN_CAP = 20
LABEL_MAX_CAP = 40
"""The label column grows to the longest name seen, up to a quarter of the row (20 to 40 characters).
Even a narrow row keeps 20: Anthropic's `content_block_start` / `content_block_stop` and Sluice's own
`sse_ignored_field` must stay whole and tell apart at 100 columns."""
ID_CAP = 24

_COLUMN_COMPONENTS = (
    "timeline--time", "timeline--gap", "timeline--slow-gap", "timeline--send", "timeline--recv",
    "timeline--label", "timeline--id", "timeline--retry", "timeline--size",
)

OPTIONAL_COLUMNS = ("delta", "id", "retry", "size")
"""Columns the user can hide (`id` and `retry` also hide themselves while the stream has none)."""


def _fit(text: str, width: int) -> str:
    """`text` in `width` cells: padded, or cut with `…` so a truncation is never mistaken for the name."""
    if len(text) <= width:
        return f"{text:<{width}}"
    return text[: width - 1] + "…"


@dataclass(frozen=True, slots=True)
class TimelineColumns:
    """The columns of a Timeline's rows: which optional ones show and how wide the variable ones are."""

    label: int
    id: int
    """0 when the id column is hidden."""
    retry: bool
    delta: bool
    size: bool

    @classmethod
    def fit(cls, store: EventStore | None, width: int, hidden: frozenset[str]) -> TimelineColumns:
        """The columns for `store`'s events in `width` cells; `store` None (no response yet): those of an
        empty store, whose longest label is `message` (tested), without importing the event model."""
        cap = max(LABEL_MIN_CAP, min(LABEL_MAX_CAP, width // 4))
        if store is None:
            longest_label, longest_id, has_retry = len("message"), 0, False
        else:
            longest_label, longest_id, has_retry = store.longest_label, store.longest_id, store.has_retry
        return cls(
            label=min(longest_label, cap),
            id=0 if "id" in hidden or not longest_id else max(2, min(longest_id, ID_CAP)),
            retry=has_retry and "retry" not in hidden,
            delta="delta" not in hidden,
            size="size" not in hidden,
        )


def header_text(columns: TimelineColumns) -> str:
    """The column titles, aligned with the rows `TimelineRowRenderer.render` builds for `columns`."""
    parts = [f"{'time':>{TIME_WIDTH}} "]
    if columns.delta:
        parts.append(f"{'delta':>{GAP_WIDTH}} ")
    parts.append("  ")
    parts.append(_fit("event", columns.label) + " ")
    if columns.id:
        parts.append(_fit("id", columns.id) + " ")
    if columns.retry:
        parts.append(f"{'retry':<{RETRY_WIDTH}} ")
    parts.append(f"{'size':>{SIZE_WIDTH}}  " if columns.size else " ")
    parts.append("payload")
    return "".join(parts)


class TimelineRowRenderer:
    """Builds row strips for one Timeline widget, caching its resolved styles."""

    def __init__(self, widget: Widget, stall_threshold: float = DEFAULT_STALL_SECONDS) -> None:
        self._widget = widget
        self._styles: dict[str, Style] = {}
        self._combined: dict[tuple[bool, bool, bool, bool], dict[str | None, Style]] = {}
        self.stall_threshold = stall_threshold
        """Gaps longer than this are coloured as stalls (the metrics core's threshold)."""
        self.focused = False
        """True while the widget has the focus: rows are tinted (`timeline--focused`) and the cursor is a
        block cursor (`timeline--cursor-focused`). Set by the widget: a `:focus` rule would restyle it,
        its twelve component classes and its scrollbar on every focus change."""

    def clear(self) -> None:
        """Forget resolved styles (the theme or CSS changed)."""
        self._styles.clear()
        self._combined.clear()

    def base_style(self) -> Style:
        # `rich_style` walks the CSS ancestry on every call; rows need it a hundred times a frame.
        key = "focused" if self.focused else ""
        style = self._styles.get(key)
        if style is None:
            style = self._widget.rich_style
            if self.focused:
                style += self._widget.get_component_rich_style("timeline--focused")
            self._styles[key] = style
        return style

    def _component(self, component: str) -> Style:
        """A component's style as Textual would resolve it over the row's background.

        Unfocused that is `get_component_rich_style`. Focused, the rows are tinted (`timeline--focused`),
        which Textual did with a `:focus` background tint under every component: a translucent colour or
        background (`$text-muted`, `$error 25%`) is composited here over the tinted background instead."""
        style = self._widget.get_component_rich_style(component)
        if not self.focused:
            return style
        styles = self._widget.get_component_styles(component)
        background = Color.from_rich_color(self.base_style().bgcolor)
        if styles.has_rule("background"):
            background += styles.background
            style += Style(bgcolor=background.rich_color)
        if styles.has_rule("color"):
            style += Style(color=(background + styles.color).rich_color)
        return style

    def _foreground(self, component: str) -> Style:
        """A component's colour and text style without its background, so row backgrounds show."""
        key = f"{component} focused" if self.focused else component
        style = self._styles.get(key)
        if style is None:
            full = self._component(component)
            style = Style(color=full.color, bold=full.bold, italic=full.italic, dim=full.dim)
            self._styles[key] = style
        return style

    def _row_styles(self, is_error: bool, is_match: bool, is_cursor: bool) -> dict[str | None, Style]:
        """Each column's style for a row in this state (the row's background under the column colour)."""
        key = (is_error, is_match, is_cursor, self.focused)
        styles = self._combined.get(key)
        if styles is not None:
            return styles
        component = self._component
        base = self.base_style()
        if is_error:
            base += component("timeline--error")
        elif is_match:
            base += component("timeline--match")
        if is_cursor:
            base += component("timeline--cursor-focused" if self.focused else "timeline--cursor")
        # On the cursor and on error rows the row's own colours win over the column colours.
        plain = is_cursor or is_error
        styles = {None: base}
        for name in _COLUMN_COMPONENTS:
            styles[name] = base if plain else base + self._foreground(name)
        self._combined[key] = styles
        return styles

    def render(
        self, summary: EventSummary, columns: TimelineColumns, is_cursor: bool, is_match: bool, width: int
    ) -> Strip:
        """One row: time, delta, direction, label, id, retry, size, preview; errors, matches and the cursor coloured."""
        styles = self._row_styles(summary.is_error, is_match, is_cursor)
        base = styles[None]
        gap = summary.gap
        direction_style: str | None = None
        if summary.direction == "→":
            direction_style = "timeline--send"
        elif summary.direction == "←":
            direction_style = "timeline--recv"

        # Labels, ids and previews are server text (event names, ids, payloads): shown escaped, never emitted.
        segments = [Segment(f"{summary.t:>{TIME_WIDTH}.3f} ", styles["timeline--time"])]
        if columns.delta:
            gap_text = "" if gap is None else "+" + format_seconds(gap)
            slow = gap is not None and gap > self.stall_threshold
            segments.append(Segment(f"{gap_text:>{GAP_WIDTH}} ", styles["timeline--slow-gap" if slow else "timeline--gap"]))
        segments.append(Segment(f"{summary.direction or ' '} ", styles[direction_style]))
        segments.append(Segment(_fit(safe_line(summary.label), columns.label) + " ", styles["timeline--label"]))
        if columns.id:
            segments.append(Segment(_fit(safe_line(summary.event_id or ""), columns.id) + " ", styles["timeline--id"]))
        if columns.retry:
            retry = "" if summary.retry is None else f"↻{summary.retry}"
            segments.append(Segment(f"{retry:<{RETRY_WIDTH}} ", styles["timeline--retry"]))
        if columns.size:
            # A row that carries nothing (open, close, error, reconnect…) leaves it blank: `0 B` down the
            # column read as empty payloads. A request's size is its body, and a frame's is its own.
            empty = not summary.size and not summary.direction and summary.label != "request"
            size = "" if empty else format_size(summary.size)
            segments.append(Segment(f"{size:>{SIZE_WIDTH}}  ", styles["timeline--size"]))
        else:
            segments.append(Segment(" ", base))
        preview = safe_line(summary.preview)
        room = width - sum(cell_len(segment.text) for segment in segments)
        if room < 0:  # narrower than the fixed columns: cut the row
            return Strip([*segments, Segment(preview, base)]).crop_extend(0, width, base)
        # The preview padded or cut to the row's width here, so the row is one exact-width Strip: every Strip
        # sets up seven caches, and `crop_extend` made two more per row, half a row's cost in a flood.
        segments.append(Segment(set_cell_size(preview, room), base))
        return Strip(segments, width)
