"""The resolved preview of the open request: each variable's value and where it came from.

Values that are secrets (from `.env` or `$env`, or used where credentials go) are masked until `v`
reveals them; everything shown passes the terminal sanitiser (values come from files and responses).
"""

from __future__ import annotations

import re

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from app.model.request_definition import RequestDefinition
from app.model.scopes import RunScopes
from app.model.secrets import mask_url
from app.model.variable_report import VariableUse, variable_report
from app.model.variables import VARIABLE_PATTERN
from app.terminal_text import safe_line, safe_lines
from app.ui.bindings import key_named


def resolved_url(url: str, uses: list[VariableUse], reveal: bool) -> str:
    """`url` with each resolved variable's value in place (masked secrets unless `reveal`); unresolved
    ones stay `{{name}}`."""
    by_name = {use.name: use for use in uses}

    def replace(match: re.Match[str]) -> str:
        found = by_name.get(match.group(1))
        if found is None or not found.resolved or found.value is None:
            return match.group(0)
        return found.shown_value(reveal)

    shown = VARIABLE_PATTERN.sub(replace, url)
    return shown if reveal else mask_url(shown)


def report_table(uses: list[VariableUse], reveal: bool) -> Table:
    """Variable, value, where it came from, where the request uses it."""
    table = Table(box=None, padding=(0, 2), expand=True, header_style="bold")
    table.add_column("variable", no_wrap=True, style="bold")
    table.add_column("value", ratio=2, overflow="fold")
    table.add_column("from", ratio=2, min_width=24, overflow="fold")
    table.add_column("used in", ratio=1, overflow="fold", style="dim")
    for use in uses:
        if use.problem:
            value, origin = Text(safe_line(use.problem), style="red"), Text(safe_line(use.origin or ""))
        elif not use.resolved:
            value, origin = Text("not defined in any scope", style="bold red"), Text("—")
        elif use.value is None:
            value, origin = Text("a fresh value on every use", style="dim"), Text(safe_line(use.origin or ""))
        else:
            value = Text(safe_line(use.shown_value(reveal)), style="yellow" if use.secret and not reveal else "")
            origin = Text(safe_line(use.origin or ""), style="green")
        table.add_row(Text(safe_line(f"{{{{{use.name}}}}}")), value, origin, Text(safe_line(", ".join(use.where))))
    return table


class ResolvedScreen(ModalScreen[None]):
    """Every variable of the open request with its value and origin; `v` reveals secrets, Esc closes."""

    DEFAULT_CSS = """
    ResolvedScreen { align: center middle; }
    ResolvedScreen > VerticalScroll {
        width: 120; max-width: 100%; height: auto; max-height: 90%;
        background: $panel; border: thick $primary; border-title-color: $text; padding: 0 1;
    }
    ResolvedScreen #resolved-report { height: auto; }
    """
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="resolved.close", tooltip="Close the resolved preview"),
        Binding("v", "toggle_reveal", "Reveal", id="resolved.reveal", tooltip="Show / mask the secret values"),
        Binding("j", "scroll_down", "Down", show=False, id="resolved.down"),
        Binding("k", "scroll_up", "Up", show=False, id="resolved.up"),
    ]

    def __init__(self, title: str, definition: RequestDefinition, scopes: RunScopes, environment: str | None) -> None:
        super().__init__()
        self._title = title
        self._definition = definition
        self._environment = environment
        self.uses = variable_report(definition, scopes)
        self.reveal = False

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = f"Resolved — {safe_line(self._title)}"
            yield Static(self._render_report(), id="resolved-report")
            yield Footer(compact=True)

    def _render_report(self) -> Group:
        heading = Text.assemble(
            ("environment ", "dim"), (safe_line(self._environment or "none"), "bold"),
            ("   secrets ", "dim"), ("shown" if self.reveal else f"masked ({key_named(self, 'resolved.reveal')} reveals)", "bold"))
        url = Text.assemble(("URL  ", "bold"), safe_line(resolved_url(self._definition.url, self.uses, self.reveal)))
        # The whole description: under the URL the editor has room for its first line only, and its hints
        # ("run Job 1 first") are often about where a variable comes from.
        description = self._definition.description.strip()
        parts = [heading, url, *([Text(safe_lines(description), style="italic")] if description else [])]
        if not self.uses:
            return Group(*parts, Text("This request uses no {{variables}}.", style="dim"))
        return Group(*parts, Text(""), report_table(self.uses, self.reveal))

    def action_toggle_reveal(self) -> None:
        self.reveal = not self.reveal
        self.query_one("#resolved-report", Static).update(self._render_report())

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll_down(self) -> None:
        self.query_one(VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one(VerticalScroll).scroll_up()
