"""The Body/Raw tab: a response body of any size on the Line API, pretty-printed lazily.

Only the rows on screen are formatted before the first paint; an async worker formats the rest in small
slices (yielding to the event loop between them), so a 10 MB body is readable at once and keys never
wait behind the formatting.
"""

from __future__ import annotations

import asyncio
from time import monotonic

from rich.highlighter import JSONHighlighter
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from app.store.body_lines import MAX_ROW_CHARS, PrettyJsonLines, RawLines, looks_like_json
from app.streams.ws_formats import hexdump
from app.terminal_text import safe_block

BINARY_HEXDUMP_LIMIT = 1024 * 1024
FORMAT_SLICE_TOKENS = 4000
RESIZE_INTERVAL = 0.25


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


class BodyView(ScrollView, can_focus=True):
    """A body as rows; `p` switches between pretty JSON and the raw text."""

    DEFAULT_CSS = """
    BodyView {
        background: $surface;
        &:focus { background-tint: $foreground 4%; }
    }
    """

    BINDINGS = [
        Binding("p", "toggle_pretty", "Pretty/raw", id="body.toggle_pretty"),
        Binding("j,down", "scroll_down", "Down", show=False, id="body.down"),
        Binding("k,up", "scroll_up", "Up", show=False, id="body.up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="body.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="body.bottom"),
        Binding("c", "copy_body", "Copy body", id="body.copy"),
    ]

    class Described(Message):
        """What the view shows now (for the line above it): mode, rows, progress, problems."""

        def __init__(self, description: str) -> None:
            super().__init__()
            self.description = description

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = ""
        self._is_json = False
        self._pretty = True
        self._lines: RawLines | PrettyJsonLines = RawLines("")
        self._binary_rows: list[str] | None = None
        self._cache: LRUCache[int, Strip] = LRUCache(512)
        self._highlighter = JSONHighlighter()

    @property
    def rows(self) -> list[str]:
        """The rows known so far (all of them once formatting completes)."""
        return self._binary_rows if self._binary_rows is not None else self._lines.rows

    @property
    def formatting_complete(self) -> bool:
        return self._binary_rows is not None or self._lines.complete

    @property
    def showing_pretty(self) -> bool:
        return self._binary_rows is None and self._is_json and self._pretty

    def load(self, data: bytes, content_type: str | None = None, *, keep_scroll: bool = False) -> None:
        """Show `data` (replacing what was shown), pretty when it is JSON.

        `keep_scroll` keeps the reader's place (a body that grew while it streamed).
        """
        text = _decode(data)
        if text is None:
            self._text = ""
            self._lines = RawLines("")
            self._binary_rows = hexdump(data[:BINARY_HEXDUMP_LIMIT])
            if len(data) > BINARY_HEXDUMP_LIMIT:
                self._binary_rows.append(f"… {len(data) - BINARY_HEXDUMP_LIMIT:,} more bytes")
            self._is_json = False
        else:
            self._text = text
            self._binary_rows = None
            self._is_json = looks_like_json(text, content_type)
        self._rebuild(keep_scroll=keep_scroll)

    def action_toggle_pretty(self) -> None:
        if not self._is_json:
            self.notify("The body is not JSON: it is shown as it is", timeout=2)
            return
        self._pretty = not self._pretty
        self._rebuild()

    def action_copy_body(self) -> None:
        if self._binary_rows is not None:
            self.notify("A binary body cannot go to the clipboard as text", severity="warning", timeout=3)
            return
        self.app.copy_to_clipboard(self._text)
        self.notify("Body copied", timeout=2)

    def _rebuild(self, *, keep_scroll: bool = False) -> None:
        self._cache.clear()
        if self._binary_rows is None:
            self._lines = PrettyJsonLines(self._text) if self.showing_pretty else RawLines(self._text)
        if not keep_scroll:
            self.scroll_to(0, 0, animate=False)
        self._ensure_rows(round(self.scroll_y) + self.scrollable_content_region.height + 1)
        if not self.formatting_complete:
            self._format_rest()
        self._describe()

    def _ensure_rows(self, count: int) -> None:
        lines = self._lines
        if not lines.complete and len(lines.rows) < count:
            lines.ensure(count)
        self._update_size()

    def _update_size(self) -> None:
        rows = self.rows
        width = min(MAX_ROW_CHARS, max((len(row) for row in rows[:2000]), default=0)) + 1
        self.virtual_size = Size(max(width, self.scrollable_content_region.width), len(rows))

    @work(exclusive=True, group="body-format")
    async def _format_rest(self) -> None:
        lines = self._lines
        resized_at = monotonic()
        while isinstance(lines, PrettyJsonLines) and not lines.finish_slice(FORMAT_SLICE_TOKENS):
            if lines is not self._lines:
                return
            # Give keys and repaints their turn between slices; grow the scroll range now and then
            # only, since each change of it costs a layout of the whole screen.
            await asyncio.sleep(0)
            if monotonic() - resized_at >= RESIZE_INTERVAL:
                resized_at = monotonic()
                self.virtual_size = Size(self.virtual_size.width, len(lines.rows))
                self._describe()
        if lines is self._lines:
            self._update_size()
            self.refresh()
            self._describe()

    def _describe(self) -> None:
        rows = len(self.rows)
        if self._binary_rows is not None:
            description = f"binary · hexdump · {rows:,} rows"
        elif self.showing_pretty:
            state = "" if self._lines.complete else " (formatting…)"
            description = f"pretty JSON · {rows:,} lines{state} · p: raw"
        else:
            hint = " · p: pretty" if self._is_json else ""
            description = f"raw · {rows:,} lines{hint}"
        if self._lines.error:
            description += f" · {self._lines.error}"
        self.post_message(self.Described(description))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        width = self.scrollable_content_region.width
        if row >= len(self.rows) and not self.formatting_complete:
            self._ensure_rows(row + self.scrollable_content_region.height + 1)
        rows = self.rows
        if row >= len(rows):
            return Strip.blank(width, self.rich_style)
        strip = self._cache.get(row)
        if strip is None:
            line = safe_block(rows[row].expandtabs())
            text = Text(line, no_wrap=True, style=self.rich_style, end="")
            if self.showing_pretty:
                self._highlighter.highlight(text)
            strip = Strip(text.render(self.app.console))
            self._cache[row] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style).apply_offsets(scroll_x, row)
