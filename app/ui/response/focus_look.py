"""Response views whose looks do not depend on the focus skip Textual's restyle when it moves.

Textual 8.2 restyles a widget and every widget inside it whenever it gains or loses the focus
(`Widget.watch_has_focus`), whether or not any style depends on `:focus`. A response tab key moves the
focus from one tab's view to the next, so each key restyled two views with their children: about a
fifth of a tab key's time on the UI thread in a flood (benchmarks/bench_flood.py), where that thread
shares the interpreter with the stream's parser. The Headers, Metrics and Assertions views have no
`:focus` style (the focus shows in the footer's keys and the tab bar), so for them the restyle changes
nothing; tests/ui_response/test_focus_look.py checks that they look the same focused or not. (The
Merged view keeps the restyle: without it its scrolling keys did nothing on a reply that had just
arrived in a small window, tests/ui_response/test_merged_tab.py; not understood yet.)
"""

from __future__ import annotations

from textual.widget import Widget


class FocusBlindView(Widget):
    """A view none of whose styles (nor its children's) depend on the focus: a focus change only repaints it."""

    def watch_has_focus(self, has_focus: bool) -> None:
        # Instead of `Widget.watch_has_focus` (a restyle of this view and its children): see the module docstring.
        return None
