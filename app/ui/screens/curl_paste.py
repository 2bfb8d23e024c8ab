"""The question asked when a curl command is pasted over a saved request: replace it, or make a new one?"""

from __future__ import annotations

from enum import StrEnum

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from app.terminal_text import safe_line


class PasteChoice(StrEnum):
    """Where a curl command pasted into a saved request's URL field goes."""

    REPLACE = "replace"
    """Into the open request: its method, URL, headers, body, auth and options (saved with Ctrl+S)."""
    NEW = "new"
    """Into a new, unsaved request in the same folder."""
    CANCEL = "cancel"


class CurlPasteDialog(ModalScreen[PasteChoice]):
    """Replace this request / New request / Cancel (keys `r`, `n`, Esc; Enter presses the focused button)."""

    DEFAULT_CSS = """
    CurlPasteDialog { align: center middle; }
    CurlPasteDialog > Vertical {
        width: 72; max-width: 95%; height: auto; padding: 1 2; background: $panel; border: thick $primary;
    }
    CurlPasteDialog Label { width: 100%; }
    CurlPasteDialog .buttons { height: auto; align-horizontal: right; margin-top: 1; }
    CurlPasteDialog Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("r", "answer('replace')", "Replace this request", id="paste.replace"),
        Binding("n", "answer('new')", "New request", id="paste.new"),
        Binding("escape,c", "answer('cancel')", "Cancel", id="paste.cancel"),
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self._question = (
            f"Import the pasted curl command into “{safe_line(name)}” (its name, stream settings, extraction "
            "and checks stay; Ctrl+S saves), or as a new request beside it?"
        )

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self._question))
            with Horizontal(classes="buttons"):
                yield Button("Replace this request", variant="warning", id=PasteChoice.REPLACE.value)
                yield Button("New request", variant="primary", id=PasteChoice.NEW.value)
                yield Button("Cancel", id=PasteChoice.CANCEL.value)

    def on_mount(self) -> None:
        # The safe answer first: a new request loses nothing.
        self.query_one(f"#{PasteChoice.NEW.value}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(PasteChoice(event.button.id or PasteChoice.CANCEL.value))

    def action_answer(self, answer: str) -> None:
        self.dismiss(PasteChoice(answer))
