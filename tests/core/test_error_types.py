"""One vocabulary of error types for every transport, each documented in the README's table."""

from __future__ import annotations

from pathlib import Path

from app.events import ErrorType

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_error_type_has_a_row_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [member.value for member in ErrorType if f"| `{member.value}` |" not in text]
    assert missing == []
