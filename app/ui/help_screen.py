"""`?`: every key Sluice answers to, grouped by where it applies, with the id a `[keymap]` rebinds it by.

The rows are made from the widgets' `BINDINGS` with the keymap applied (`app/ui/keys.py`); nothing here
names a key.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


@dataclass(frozen=True, slots=True)
class KeyRow:
    """One line of the help: the keys as displayed, what they do, the binding id (may be empty)."""

    keys: str
    description: str
    binding_id: str


def bindings_table(groups: list[tuple[str, list[KeyRow]]]) -> Table:
    """A table of keys, what they do and their binding ids, one section per group."""
    table = Table(box=None, show_header=False, padding=(0, 2), expand=True)
    table.add_column("key", style="bold", no_wrap=True, width=18)
    table.add_column("action", ratio=1)
    table.add_column("id", style="dim", no_wrap=True)
    for title, rows in groups:
        if not rows:
            continue
        table.add_row(Text(f" {title} ", style="reverse"), "", "")
        for row in rows:
            table.add_row(Text(row.keys), Text(row.description), Text(row.binding_id))
        table.add_row("", "", "")
    return table


HELP_GROUP = "Help"
"""The title `app/ui/keys.py` gives this screen's own keys."""


class HelpScreen(ModalScreen[None]):
    """Lists every key binding; Escape, `q` or `?` closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 110; max-width: 100%; height: 85%; background: $panel; border: thick $primary; padding: 1 2;
    }
    """
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
        Binding("j", "scroll_down", "Down", show=False, id="help.down"),
        Binding("k", "scroll_up", "Up", show=False, id="help.up"),
    ]

    def __init__(self, groups: list[tuple[str, list[KeyRow]]]) -> None:
        super().__init__()
        self._groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys  (Ctrl+P lists every action by name; \\[keymap] in settings.toml rebinds by id)"
            # Its own keys at the foot (the workbench's footer behind it lists the workbench's), keymap applied.
            own = next((rows for title, rows in self._groups if title == HELP_GROUP), [])
            if own:
                scroll.border_subtitle = Text("  ·  ".join(f"{row.keys} {row.description}" for row in own))
            yield Static(bindings_table(self._groups))

    def action_scroll_down(self) -> None:
        self.query_one(VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one(VerticalScroll).scroll_up()
