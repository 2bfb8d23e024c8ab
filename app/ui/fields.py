"""The app's text fields: Textual's `Input` and `TextArea`, writing no C0 control to the terminal.

Editable fields keep the real characters of what they hold (a cloned request's URL, headers, body,
auth, saved WebSocket messages; a name being renamed), so that editing and saving change nothing. But
Textual writes a field's characters as they are: `url = "http://x/\\u001b]52;c;…\\u001b\\\\"` in a cloned
file put ESC on the terminal, and with it a clipboard write (OSC 52 ended by ST), a cursor move or a
cleared screen, the moment the request was opened (found by `tests/security/test_tui_pty_probes.py`).
C0 controls and DEL are zero cells wide to Textual (it never moves the cursor for them), so taking them
out of each rendered line keeps every column where Textual put it; the C1 controls and bidi overrides
are taken out of everything written, in `app.ui.terminal_output`. Same names as Textual's, so CSS type
selectors and queries for Textual's classes find these.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Input as _Input
from textual.widgets import TextArea as _TextArea

_C0_AND_DEL = re.compile("[\x00-\x1f\x7f]")


def without_controls(strip: Strip) -> Strip:
    """`strip` with the C0 controls and DEL taken out of its text (the usual line, none: one search)."""
    if _C0_AND_DEL.search(strip.text) is None:
        return strip
    segments = [segment if segment.control else Segment(_C0_AND_DEL.sub("", segment.text), segment.style)
                for segment in strip]
    return Strip(segments, strip.cell_length)


class Input(_Input):
    """Textual's `Input`, whose rendered line holds no control character."""

    def render_line(self, y: int) -> Strip:
        return without_controls(super().render_line(y))


class TextArea(_TextArea):
    """Textual's `TextArea`, whose rendered lines hold no control character."""

    def render_line(self, y: int) -> Strip:
        return without_controls(super().render_line(y))
