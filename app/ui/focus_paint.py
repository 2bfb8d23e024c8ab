"""A screen whose focus changes repaint only the widgets whose looks change, not the whole screen.

Textual 8.2 declares `Screen.focused` as a plain `Reactive`, which repaints by default: every focus
change (each response tab key moves the focus to the tab's content) clears the screen's own render
cache and marks the whole screen dirty, so the next frame re-composes every widget on it. The widgets
that gain and lose the focus are restyled and repainted anyway (`Widget._on_focus` / `_on_blur`,
the `:focus` rules), and the bindings (the footer) are refreshed by the reactive's watcher, which still
runs. Measured in benchmarks/bench_flood.py: a tab key's frame re-rendered the whole screen's
background and every widget's cached lines, about a fifth of the UI thread's time in a flood.
"""

from __future__ import annotations

from typing import TypeVar

from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

ResultType = TypeVar("ResultType")


class QuietFocusScreen(Screen[ResultType]):
    """A `Screen` that does not repaint itself when the focus moves (see the module docstring)."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """The focused widget (as on `Screen`), without a repaint of the screen when it changes."""
