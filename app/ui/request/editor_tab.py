"""The base of every request-editor tab: built from a draft, able to show another and to collect its edits."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

from textual.containers import Vertical
from textual.widgets import Input, Select, TextArea

from app.ui.request.draft import RequestDraft
from app.ui.request.url_bar import VariableHighlighter

E = TypeVar("E", bound=Enum)


@dataclass(frozen=True, slots=True)
class EditorKeys:
    """The keys the editor's hints name (`request.reveal`, `request.send`, `request.save`), as the help
    shows them with the user's keymap applied: a rebinding changes the hints too."""

    reveal: str
    send: str
    save: str

    @property
    def reveal_hint(self) -> str:
        """How a masked field says that `****` stands for a credential."""
        return f"{self.reveal} reveals ****"


class EditorTab(Vertical):
    """One tab's content: built from a draft, able to show another and to collect its edits."""

    def __init__(self, draft: RequestDraft, highlighter: VariableHighlighter) -> None:
        super().__init__()
        self._draft = draft
        self._highlighter = highlighter

    def on_mount(self) -> None:
        self.show(self._draft)

    def show(self, draft: RequestDraft) -> None:
        """Put `draft`'s fields into the widgets."""
        raise NotImplementedError

    def collect(self, draft: RequestDraft) -> RequestDraft:
        """`draft` with this tab's fields as edited."""
        raise NotImplementedError

    def reveal(self, shown: bool) -> None:
        """Show the tab's credentials in clear (True) or masked (False, the default); most tabs have none."""

    def _text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", TextArea).text

    def _input(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def _select(self, widget_id: str, default: str) -> str:
        value = self.query_one(f"#{widget_id}", Select).value
        return str(value) if value is not Select.BLANK else default

    def _choice(self, widget_id: str, kind: type[E], default: E) -> E:
        value = self.query_one(f"#{widget_id}", Select).value
        return kind(value) if value is not Select.BLANK else default

    def _set_text(self, widget_id: str, text: str) -> None:
        area = self.query_one(f"#{widget_id}", TextArea)
        if area.text != text:
            area.load_text(text)
