"""Assertions on a stream: `[[expect]]` tables checked live as events arrive, for `sluice test` and the TUI."""

from app.assertions.checker import AssertionChecker
from app.assertions.checks import AssertionResult, Verdict

__all__ = ["AssertionChecker", "AssertionResult", "Verdict"]
