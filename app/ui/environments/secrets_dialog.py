"""The one offer to move credentials written out in a TOML file into `.env`.

Asked when an environment is saved with values that look like secrets and when a request is saved with
a literal credential (typed in the Auth tab, or pasted with curl's `-H 'Authorization: Bearer …'` / `-u`):
the values go to `.env` and the file keeps `{{name}}` (`app/model/dotenv.py`). What counts as a secret
is `app/model/secrets.py`'s one definition.
"""

from __future__ import annotations

from enum import StrEnum

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from app.terminal_text import safe_line


class SecretsAnswer(StrEnum):
    """What to do with the credentials found in a file about to be saved."""

    MOVE = "move"
    """Into `.env`; the file keeps `{{name}}` references."""
    KEEP = "keep"
    """Save the file with the values written out."""
    CANCEL = "cancel"
    """Do not save."""


class MoveSecretsDialog(ModalScreen[SecretsAnswer]):
    """Move to .env (`m`, or Enter: the first button) / Keep in the file (`k`) / Cancel (Esc)."""

    DEFAULT_CSS = """
    MoveSecretsDialog { align: center middle; }
    MoveSecretsDialog > Vertical {
        width: 76; max-width: 95%; height: auto; padding: 1 2; background: $panel; border: thick $warning;
    }
    MoveSecretsDialog #secrets-question { width: 100%; height: auto; }
    MoveSecretsDialog .buttons { height: auto; align-horizontal: right; margin-top: 1; }
    MoveSecretsDialog Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("m", "answer('move')", "Move to .env", id="secrets.move",
                tooltip="Move the credentials into .env; the file keeps {{name}} references"),
        Binding("k", "answer('keep')", "Keep in file", id="secrets.keep",
                tooltip="Save the file with the credentials written out"),
        Binding("escape", "answer('cancel')", "Cancel", id="secrets.cancel", tooltip="Do not save"),
    ]

    def __init__(self, file_name: str, found: list[str]) -> None:
        super().__init__()
        listed = ", ".join(found)
        self._question = (
            f"{safe_line(file_name)} would hold credentials written out ({safe_line(listed)}). "
            "Move them into .env, beside collection.toml, so the file keeps {{variables}} instead "
            "(and the secrets stay out of git: keep .env out of it too)?"
        )

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self._question), id="secrets-question")
            with Horizontal(classes="buttons"):
                yield Button("Move to .env", variant="primary", id=SecretsAnswer.MOVE.value)
                yield Button("Keep in file", variant="warning", id=SecretsAnswer.KEEP.value)
                yield Button("Cancel", id=SecretsAnswer.CANCEL.value)

    def on_mount(self) -> None:
        self.query_one(f"#{SecretsAnswer.MOVE.value}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(SecretsAnswer(event.button.id or SecretsAnswer.CANCEL.value))

    def action_answer(self, answer: str) -> None:
        self.dismiss(SecretsAnswer(answer))
