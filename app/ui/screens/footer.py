"""The workbench's footer: the keys that matter most first, and only whole keys that fit.

Textual's `Footer` lists the focused widget's keys first and clips the row at the right edge, so at 100
columns Esc (cancel) was cut to `es` behind the tree's file keys. This footer puts the keys for the
request's lifecycle first (cancel, send, save, help), then the rest in Textual's order, and leaves out
whole keys that do not fit instead of cutting one in half; everything left out is on the help screen (`?`)
and in the command palette.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer

FIRST_ACTIONS = ("close_filter", "close_tree_filter", "cancel", "send", "save", "help")
"""Actions listed before all others, in this order (the screen's actions are named without namespace)."""

GAP = 1
"""Cells between two keys."""


def _action_name(action: str) -> str:
    return action.rsplit(".", 1)[-1].split("(", 1)[0]


def _is_key(widget: Widget) -> bool:
    # Textual's FooterKey is not exported: recognised by what it carries.
    return hasattr(widget, "key_display") and hasattr(widget, "action") and not widget.has_class("-command-palette")


def _width(widget: Widget) -> int:
    description = str(getattr(widget, "description", ""))
    return cell_len(str(getattr(widget, "key_display", ""))) + (cell_len(description) + 1 if description else 0) + GAP


class WorkbenchFooter(Footer):
    """A compact footer that orders keys by importance and drops whole keys that do not fit."""

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        keys = [widget for widget in widgets if _is_key(widget)]
        rest = [widget for widget in widgets if not _is_key(widget)]
        rank = {action: position for position, action in enumerate(FIRST_ACTIONS)}
        keys.sort(key=lambda key: rank.get(_action_name(str(getattr(key, "action", ""))), len(rank)))
        room = self.size.width - sum(_width(widget) for widget in rest)
        if self.size.width > 0:
            fitting = []
            for key in keys:
                if _width(key) <= room:
                    fitting.append(key)
                    room -= _width(key)
            keys = fitting
        self.styles.grid_size_columns = len(keys)
        yield from keys
        yield from rest

    _composed_width = -1

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._composed_width:
            self._composed_width = event.size.width
            self.call_after_refresh(self.recompose)
