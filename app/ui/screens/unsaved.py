"""The question asked before unsaved edits would be lost: Save, Discard or Cancel."""

from __future__ import annotations

from enum import StrEnum

from app.terminal_text import safe_line
from app.ui.choice_dialog import Choice, ChoiceDialog


class Leave(StrEnum):
    """What to do with unsaved edits before leaving them."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"
    """Stay: nothing is saved, nothing is lost, the switch, reload or quit does not happen."""


class UnsavedChangesDialog(ChoiceDialog[Leave]):
    """Save / Discard / Cancel (keys `s`, `d`, Esc; Enter presses the focused button, Save at first)."""

    CHOICES = (Choice(Leave.SAVE, "s", "Save", "primary", "unsaved.save"),
               Choice(Leave.DISCARD, "d", "Discard", "error", "unsaved.discard"),
               Choice(Leave.CANCEL, "escape,c", "Cancel", "default", "unsaved.cancel"))
    FOCUSED = Leave.SAVE

    def __init__(self, name: str, doing: str) -> None:
        super().__init__(f"“{safe_line(name)}” has unsaved changes. Save them before {doing}?")
