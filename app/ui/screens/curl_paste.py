"""The question asked when a curl command is pasted over a saved request: replace it, or make a new one?"""

from __future__ import annotations

from enum import StrEnum

from app.terminal_text import safe_line
from app.ui.choice_dialog import Choice, ChoiceDialog


class PasteChoice(StrEnum):
    """Where a curl command pasted into a saved request's URL field goes."""

    REPLACE = "replace"
    """Into the open request: its method, URL, headers, body, auth and options (saved with `request.save`)."""
    NEW = "new"
    """Into a new, unsaved request in the same folder."""
    CANCEL = "cancel"


class CurlPasteDialog(ChoiceDialog[PasteChoice]):
    """Replace this request / New request / Cancel (keys `r`, `n`, Esc; Enter presses the focused button)."""

    DEFAULT_CSS = "CurlPasteDialog > Vertical { border: thick $primary; }"
    CHOICES = (Choice(PasteChoice.REPLACE, "r", "Replace this request", "warning", "paste.replace"),
               Choice(PasteChoice.NEW, "n", "New request", "primary", "paste.new"),
               Choice(PasteChoice.CANCEL, "escape,c", "Cancel", "default", "paste.cancel"))
    FOCUSED = PasteChoice.NEW
    """The safe answer first: a new request loses nothing."""

    def __init__(self, name: str, save_key: str) -> None:
        super().__init__(
            f"Import the pasted curl command into “{safe_line(name)}” (its name, stream settings, extraction "
            f"and checks stay; {save_key} saves), or as a new request beside it?"
        )
