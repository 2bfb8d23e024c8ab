"""Regular expressions from files and users, matched in linear time: no pattern can hang Sluice.

A cloned collection's `merged_text_matches = "^(a|a)*$"` (or a JSONPath filter `=~ "…"` or `sub(/…/, …)`
in a check, an extraction or a merge rule) backtracks 2^n steps in Python's `re` over a reply of forty
`a`s and a `b`: `sluice test` and the TUI hung for good. Spotting such patterns by their shape is never
complete (`(a|a)*`, `(.*){1,32000}[bc]` and `\\d*\\d*\\d*x` all pass a "no nested quantifiers" rule), and a
timeout (the `regex` package) leaves the verdict to the machine's load while its compiler itself spends
minutes on `a{4294967294}`. RE2 (google-re2) matches in time linear in the text by construction and, when
compiling, refuses repeats over 1,000 and programs over its memory budget: a pattern either compiles into
something that finishes or is reported. What it gives up, backreferences and lookaround, is refused with
RE2's own reason, which names the construct.
"""

from __future__ import annotations

import re2

MAX_PATTERN_CHARS = 1_000
"""A longer pattern is refused: matching is linear in the text, times the size of the pattern."""

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 logs every refused pattern to stderr, which is the TUI's terminal.


class PatternError(ValueError):
    """A regex or JSONPath from outside that cannot be used; the message says why in plain words."""


class UserRegex:
    """One pattern from outside, compiled by RE2; `search` and `sub` finish in linear time for any text."""

    __slots__ = ("_compiled", "pattern")

    def __init__(self, pattern: str) -> None:
        """Raises `PatternError` for a pattern RE2 refuses (or one longer than `MAX_PATTERN_CHARS`)."""
        self.pattern = pattern
        if len(pattern) > MAX_PATTERN_CHARS:
            raise PatternError(f"a regex of more than {MAX_PATTERN_CHARS:,} characters")
        try:
            self._compiled = re2.compile(pattern, options=_OPTIONS)
        except re2.error as error:
            reason = error.args[0] if error.args else "refused"
            raise PatternError(reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)) from None
        except UnicodeEncodeError:
            raise PatternError("a regex holding a lone surrogate (not text)") from None

    def search(self, text: str) -> bool:
        """True when the pattern occurs anywhere in `text`."""
        try:
            return self._compiled.search(_text(text)) is not None
        except UnicodeEncodeError:
            return self._compiled.search(_without_surrogates(text)) is not None

    def sub(self, replacement: str, text: str) -> str:
        """`text` with every match replaced (`\\1` and `\\g<name>` as in `re`): what jsonpath-ng's `sub()` calls."""
        try:
            return str(self._compiled.sub(replacement, _text(text)))
        except UnicodeEncodeError:
            return str(self._compiled.sub(replacement, _without_surrogates(text)))


def _text(value: object) -> str:
    # RE2 would fail on a number with an AttributeError; `re` says TypeError, which the callers expect.
    if not isinstance(value, str):
        raise TypeError(f"a regex searches text, not {type(value).__name__}")
    return value


def _without_surrogates(text: str) -> str:
    # RE2 matches UTF-8, and JSON allows a lone surrogate (`"\\ud800"`): that one is searched as U+FFFD.
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
