"""`?`: every key Sluice answers to, grouped by where it applies."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

_KEY_NAMES = {"slash": "/", "question_mark": "?", "delete": "Del", "escape": "Esc", "enter": "Enter"}


def _key_label(keys: str) -> str:
    labels = []
    for key in keys.split(","):
        key = key.strip()
        label = _KEY_NAMES.get(key, key)
        label = label.replace("ctrl+", "Ctrl+").replace("alt+", "Alt+").replace("shift+", "Shift+")
        labels.append(label[:-len(label.split("+")[-1])] + label.split("+")[-1].capitalize() if "+" in label else label)
    return " / ".join(labels)


def _as_bindings(bindings: Iterable[BindingType]) -> list[Binding]:
    found: list[Binding] = []
    for binding in bindings:
        if isinstance(binding, Binding):
            found.append(binding)
        else:
            key, action, *rest = binding
            found.append(Binding(key, action, rest[0] if rest else ""))
    return found


def bindings_table(groups: list[tuple[str, Iterable[BindingType]]]) -> Table:
    """A two-column table of keys and what they do, one section per group."""
    table = Table(box=None, show_header=False, padding=(0, 2), expand=True)
    table.add_column("key", style="bold", no_wrap=True, width=24)
    table.add_column("action")
    for title, bindings in groups:
        rows = [binding for binding in _as_bindings(bindings) if binding.description]
        if not rows:
            continue
        table.add_row(f"[reverse] {title} [/reverse]", "")
        for binding in rows:
            table.add_row(_key_label(binding.key), binding.tooltip or binding.description)
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    """Lists every key binding; Escape, `q` or `?` closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; height: 85%; background: $panel; border: thick $primary; padding: 1 2;
    }
    """
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
        Binding("j", "scroll_down", "Down", show=False, id="help.down"),
        Binding("k", "scroll_up", "Up", show=False, id="help.up"),
    ]

    def __init__(self, groups: list[tuple[str, Iterable[BindingType]]]) -> None:
        super().__init__()
        self._groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys  (the command palette, Ctrl+P, lists every action too)"
            yield Static(bindings_table(self._groups))

    def action_scroll_down(self) -> None:
        self.query_one(VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one(VerticalScroll).scroll_up()
