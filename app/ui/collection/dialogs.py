"""Small modal dialogs: ask for a name, confirm a deletion, show a message. Each dismisses with its answer.

Prompts and messages name files and entries from a collection someone else may have written: they are
shown through the sanitiser, as Text (never read as markup)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, Static

from app.terminal_text import safe_line, safe_lines
from app.ui.fields import Input

_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 76; max-width: 95%; height: auto; max-height: 90%; padding: 1 2;
    background: $panel; border: thick $primary;
}}
{name} Label {{ width: 100%; }}
{name} .buttons {{ height: auto; align-horizontal: right; margin-top: 1; }}
{name} Button {{ margin-left: 2; }}
{name} #body {{ height: auto; max-height: 20; overflow-y: auto; }}
{name} Footer {{ dock: none; margin-top: 1; background: $panel; }}
{name} .enter-key {{ margin-top: 1; color: $text-muted; }}
"""


def enter_key(what: str) -> Label:
    """What Enter does in a dialog of text fields (the field takes Enter itself, so no footer lists it)."""
    return Label(Text.assemble(("⏎", "bold"), f" {what}"), classes="enter-key")


def _fitted(*texts: str) -> Vertical:
    """The dialog's box, as wide as its longest line (plus border and padding) within 50..120 columns; the
    CSS `max-width` keeps it on a small screen, where the text wraps."""
    longest = max((len(line) for text in texts for line in text.splitlines()), default=0)
    box = Vertical()
    box.styles.width = min(max(longest + 6, 50), 120)
    return box


class NameDialog(ModalScreen[str | None]):
    """Ask for a name; Enter accepts, Escape cancels (answer None)."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="NameDialog")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, prompt: str, value: str = "") -> None:
        super().__init__()
        self._prompt = prompt
        self._value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(safe_line(self._prompt)))
            yield Input(self._value, id="name")
            yield enter_key("OK")
            yield Footer(compact=True, show_command_palette=False)  # its keys, not the workbench's behind it

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        self.dismiss(value or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question, wrapped to the dialog's width, with optional details below it (one item a line:
    paths, sizes); `y` or Enter on Yes confirms, `n` or Escape declines."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="ConfirmDialog")
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="dialog.yes"),
        Binding("n,escape", "answer(False)", "No", id="dialog.no"),
    ]

    def __init__(self, question: str, details: str = "") -> None:
        super().__init__()
        self._question = question
        self._details = details

    def compose(self) -> ComposeResult:
        with _fitted(self._question, self._details):
            yield Label(Text(safe_line(self._question)))
            if self._details:
                yield Static(safe_lines(self._details), id="body", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("No", id="no")
                yield Button("Yes", variant="error", id="yes")
            yield Footer(compact=True, show_command_palette=False)  # its keys, not the workbench's behind it

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class MessageDialog(ModalScreen[None]):
    """A titled message (an error with its details); any of Enter/Escape closes it."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="MessageDialog")
    BINDINGS = [Binding("escape,enter,q", "close", "Close", id="dialog.close")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self._title = title
        self._body = body

    def compose(self) -> ComposeResult:
        with _fitted(self._title, self._body):
            yield Label(Text(safe_line(self._title), style="bold"))
            yield Static(safe_lines(self._body), id="body", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
