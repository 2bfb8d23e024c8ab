"""A question with a few answers, each a button and a key: the shape of every Save/Discard/Cancel-like
dialog (unsaved edits, curl pasted over a request, credentials about to be written to a file)."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

Answer = TypeVar("Answer", bound=StrEnum)


class ChoiceDialog(ModalScreen[Answer], Generic[Answer]):
    """Asks `question`; dismissed with the answer of the button pressed, or of a key bound to
    `answer('<value>')` in the subclass's BINDINGS (Esc among them: the dialog is never a trap).

    A subclass names its answers (`ANSWERS`), its buttons in order (`BUTTONS`: label, answer, variant)
    and the button focused first (`FOCUSED`, the safe choice, which Enter presses)."""

    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    ChoiceDialog > Vertical {
        width: 76; max-width: 95%; height: auto; padding: 1 2; background: $panel; border: thick $warning;
    }
    ChoiceDialog #question { width: 100%; height: auto; }
    ChoiceDialog .buttons { height: auto; align-horizontal: right; margin-top: 1; }
    ChoiceDialog Button { margin-left: 2; }
    """

    ANSWERS: ClassVar[type[StrEnum]]
    BUTTONS: ClassVar[tuple[tuple[str, str, str], ...]]
    FOCUSED: ClassVar[str]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question
        """Already terminal-safe (callers pass names through `safe_line`); shown as plain text, not markup."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self._question), id="question")
            with Horizontal(classes="buttons"):
                for label, answer, variant in self.BUTTONS:
                    yield Button(label, variant=variant, id=answer)  # type: ignore[arg-type]  # a ButtonVariant

    def on_mount(self) -> None:
        self.query_one(f"#{self.FOCUSED}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer(event.button.id or "cancel")

    def action_answer(self, answer: str) -> None:
        self.dismiss(self.ANSWERS(answer))  # type: ignore[arg-type]  # an Answer: ANSWERS is its class
