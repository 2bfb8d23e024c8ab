"""A question with a few answers, each a button and a key: the shape of every Save/Discard/Cancel-like
dialog (unsaved edits, curl pasted over a request, credentials about to be written to a file)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

Answer = TypeVar("Answer", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer of a `ChoiceDialog`: its button (label, variant) and its keys, bound under `binding_id`
    (what the help lists and a `[keymap]` rebinds), with what it does (`tooltip`)."""

    answer: StrEnum
    keys: str
    label: str
    variant: str
    binding_id: str
    tooltip: str = ""


class ChoiceDialog(ModalScreen[Answer], Generic[Answer]):
    """Asks `question`; dismissed with the answer of the button pressed or of its keys (Esc among the
    cancelling one's: the dialog is never a trap).

    A subclass lists its answers in button order (`CHOICES`, each with its keys: the BINDINGS are made
    from them) and the button focused first (`FOCUSED`, the safe choice, which Enter presses)."""

    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    ChoiceDialog > Vertical {
        width: 76; max-width: 95%; height: auto; padding: 1 2; background: $panel; border: thick $warning;
    }
    ChoiceDialog #question { width: 100%; height: auto; }
    ChoiceDialog .buttons { height: auto; align-horizontal: right; margin-top: 1; }
    ChoiceDialog Button { margin-left: 2; }
    ChoiceDialog Footer { dock: none; margin-top: 1; background: $panel; }
    """

    CHOICES: ClassVar[tuple[Choice, ...]] = ()
    FOCUSED: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Before Textual's own `__init_subclass__`, which merges the class's BINDINGS.
        if "CHOICES" in cls.__dict__:
            cls.BINDINGS = [Binding(choice.keys, f"answer('{choice.answer}')", choice.label, id=choice.binding_id,
                                    tooltip=choice.tooltip) for choice in cls.CHOICES]
        super().__init_subclass__(**kwargs)

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question
        """Already terminal-safe (callers pass names through `safe_line`); shown as plain text, not markup."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self._question), id="question")
            with Horizontal(classes="buttons"):
                for choice in self.CHOICES:
                    yield Button(choice.label, variant=choice.variant, id=choice.answer)  # type: ignore[arg-type]  # a ButtonVariant
            # The keys of the answers (the workbench's footer behind the dialog shows the workbench's).
            yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(f"#{self.FOCUSED}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer(event.button.id or "cancel")

    def action_answer(self, answer: str) -> None:
        chosen = next(choice.answer for choice in self.CHOICES if choice.answer == answer)
        self.dismiss(chosen)  # type: ignore[arg-type]  # an Answer: CHOICES hold the subclass's answers
