"""The Assertions tab: each `[[expect]]` assertion of the request, pass / fail / pending, live.

Each row names what was seen and the event that decided it (`#12 sse at 0.512 s`), as `sluice test`
prints it. Redrawn only when a result changed (`AssertionChecker.version`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from app.terminal_text import safe_line
from app.ui.response.focus_look import FocusBlindView

if TYPE_CHECKING:
    # The checks import jsonpath-ng and the merge engine: a request with assertions imports them, not start-up.
    from app.assertions import AssertionChecker


class AssertionsView(FocusBlindView, VerticalScroll, can_focus=True):
    """The results of one response's assertion checker (or a hint when the request has none)."""

    DEFAULT_CSS = "AssertionsView { background: $surface; padding: 0 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="assertions-content")

    def show_checker(self, checker: AssertionChecker | None) -> None:
        """Draw `checker`'s results, unless they are what is shown already."""
        key = (id(checker), checker.version if checker is not None else -1)
        if key == self._shown:
            return
        self._shown = key
        content = self.query_one("#assertions-content", Static)
        if checker is None or not len(checker):
            content.update(Text("No assertions: add [[expect]] tables to the request file (see the README).", style="dim"))
            return
        from app.assertions import Verdict

        verdict_style = {Verdict.PASSED: ("PASS", "bold green"), Verdict.FAILED: ("FAIL", "bold red"),
                         Verdict.PENDING: ("…", "yellow")}
        results = checker.results
        passed = sum(result.verdict is Verdict.PASSED for result in results)
        failed = sum(result.verdict is Verdict.FAILED for result in results)
        table = Table(show_edge=False, expand=True, title_justify="left",
                      title=f"{passed} passed · {failed} failed · {len(results) - passed - failed} pending")
        table.add_column("", no_wrap=True)
        table.add_column("assertion", overflow="fold")
        table.add_column("seen", overflow="fold")
        table.add_column("decided by", no_wrap=True, style="dim")
        for result in results:
            word, style = verdict_style[result.verdict]
            table.add_row(Text(word, style=style), safe_line(result.label), safe_line(result.detail), result.decided_by)
        content.update(table)
