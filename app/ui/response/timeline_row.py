"""How a Timeline row looks: the columns of an event summary as styled segments.

Styles come from the Timeline's component classes and are looked up once per style change (the CSS
walk behind `rich_style` costs more than building the row itself).
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from app.store import EventSummary, format_seconds, format_size
from app.terminal_text import safe_line

TIME_WIDTH = 9
GAP_WIDTH = 10
LABEL_WIDTH = 16
SIZE_WIDTH = 9
SLOW_GAP_SECONDS = 1.0


class TimelineRowRenderer:
    """Builds row strips for one Timeline widget, caching its resolved styles."""

    def __init__(self, widget: Widget) -> None:
        self._widget = widget
        self._styles: dict[str, Style] = {}

    def clear(self) -> None:
        """Forget resolved styles (the theme or CSS changed)."""
        self._styles.clear()

    def base_style(self) -> Style:
        # `rich_style` walks the CSS ancestry on every call; rows need it a hundred times a frame.
        style = self._styles.get("")
        if style is None:
            style = self._styles[""] = self._widget.rich_style
        return style

    def _foreground(self, component: str) -> Style:
        """A component's colour and text style without its background, so row backgrounds show."""
        style = self._styles.get(component)
        if style is None:
            full = self._widget.get_component_rich_style(component)
            style = Style(color=full.color, bold=full.bold, italic=full.italic, dim=full.dim)
            self._styles[component] = style
        return style

    def render(self, summary: EventSummary, is_cursor: bool, is_match: bool, width: int) -> Strip:
        """One row: time, gap, direction, label, size, preview; errors, matches and the cursor coloured."""
        component = self._widget.get_component_rich_style
        base = self.base_style()
        if summary.is_error:
            base += component("timeline--error")
        elif is_match:
            base += component("timeline--match")
        if is_cursor:
            base += component("timeline--cursor")
        gap = summary.gap
        gap_text = "" if gap is None else "+" + format_seconds(gap)
        gap_style = "timeline--slow-gap" if gap is not None and gap >= SLOW_GAP_SECONDS else "timeline--gap"
        direction_style: str | None = None
        if summary.direction == "→":
            direction_style = "timeline--send"
        elif summary.direction == "←":
            direction_style = "timeline--recv"
        # On the cursor and on error rows the row's own colours win over the column colours.
        plain = is_cursor or summary.is_error

        def part(text: str, component_name: str | None) -> Segment:
            if component_name is None or plain:
                return Segment(text, base)
            return Segment(text, base + self._foreground(component_name))

        # Labels and previews are server text (event names, ids, payloads): shown escaped, never emitted.
        label = safe_line(summary.label)[:LABEL_WIDTH]
        segments = [
            part(f"{summary.t:>{TIME_WIDTH}.3f} ", "timeline--time"),
            part(f"{gap_text:>{GAP_WIDTH}} ", gap_style),
            part(f"{summary.direction or ' '} ", direction_style),
            part(f"{label:<{LABEL_WIDTH}} ", "timeline--label"),
            part(f"{format_size(summary.size):>{SIZE_WIDTH}}  ", "timeline--size"),
            part(safe_line(summary.preview), None),
        ]
        return Strip(segments).crop_extend(0, width, base)
