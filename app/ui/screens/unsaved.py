"""The question asked before unsaved edits would be lost: Save, Discard or Cancel."""

from __future__ import annotations

from enum import StrEnum

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from app.terminal_text import safe_line


class Leave(StrEnum):
    """What to do with unsaved edits before leaving them."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"
    """Stay: nothing is saved, nothing is lost, the switch, reload or quit does not happen."""


class UnsavedChangesDialog(ModalScreen[Leave]):
    """Save / Discard / Cancel (keys `s`, `d`, Esc; Enter presses the focused button, Save at first)."""

    DEFAULT_CSS = """
    UnsavedChangesDialog { align: center middle; }
    UnsavedChangesDialog > Vertical {
        width: 72; max-width: 95%; height: auto; padding: 1 2; background: $panel; border: thick $warning;
    }
    UnsavedChangesDialog Label { width: 100%; }
    UnsavedChangesDialog .buttons { height: auto; align-horizontal: right; margin-top: 1; }
    UnsavedChangesDialog Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("s", "answer('save')", "Save", id="unsaved.save"),
        Binding("d", "answer('discard')", "Discard", id="unsaved.discard"),
        Binding("escape,c", "answer('cancel')", "Cancel", id="unsaved.cancel"),
    ]

    def __init__(self, name: str, doing: str) -> None:
        super().__init__()
        self._question = f"“{safe_line(name)}” has unsaved changes. Save them before {doing}?"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._question, markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id=Leave.SAVE.value)
                yield Button("Discard", variant="error", id=Leave.DISCARD.value)
                yield Button("Cancel", id=Leave.CANCEL.value)

    def on_mount(self) -> None:
        self.query_one(f"#{Leave.SAVE.value}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(Leave(event.button.id or Leave.CANCEL.value))

    def action_answer(self, answer: str) -> None:
        self.dismiss(Leave(answer))
