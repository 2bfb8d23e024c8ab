"""Nothing an editable field shows reaches the terminal as a C1 control or a bidi override.

Labels, rows and messages pass text through `app.terminal_text`; the text areas and inputs (a request's
body, headers, URL; the composer; the environments editor) show what a cloned file or a paste holds,
and leave only its C0 controls out of what they render (`app.ui.fields`). U+0080-U+009F are single-character controls on many terminals
(U+009B is CSI), and the bidi overrides reorder what is shown. Both are zero cells wide to Textual, so
taking them out of what is written keeps every column where Textual put it; Textual's own escape
sequences are 7-bit, so nothing it means is lost.
"""

from __future__ import annotations

import re

from textual.driver import Driver

_INVISIBLE_CONTROLS = re.compile("[\x80-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(data: str) -> str:
    """`data` without C1 controls and bidi overrides (the common case, none, costs one C-speed search)."""
    if data.isascii() or _INVISIBLE_CONTROLS.search(data) is None:
        return data
    return _INVISIBLE_CONTROLS.sub("", data)


def terminal_safe_driver(driver_class: type[Driver]) -> type[Driver]:
    """`driver_class`, writing everything through `terminal_safe`."""

    class TerminalSafeDriver(driver_class):  # type: ignore[valid-type,misc]
        def write(self, data: str) -> None:
            super().write(terminal_safe(data))

    TerminalSafeDriver.__name__ = f"TerminalSafe{driver_class.__name__}"
    return TerminalSafeDriver
