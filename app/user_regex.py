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

import re

import re2

MAX_PATTERN_CHARS = 1_000
"""A longer pattern is refused: matching is linear in the text, times the size of the pattern."""

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 logs every refused pattern to stderr, which is the TUI's terminal.


class PatternError(ValueError):
    """A regex or JSONPath from outside that cannot be used; the message says why in plain words."""


class UserRegex:
    """One pattern from outside, compiled by RE2; `search` and `sub` finish in linear time for any text."""

    __slots__ = ("_compiled", "_has_dollar", "pattern")

    def __init__(self, pattern: str) -> None:
        """Raises `PatternError` for a pattern RE2 refuses (or one longer than `MAX_PATTERN_CHARS`)."""
        self.pattern = pattern
        self._has_dollar = "$" in pattern
        if len(pattern) > MAX_PATTERN_CHARS:
            raise PatternError(f"a regex of more than {MAX_PATTERN_CHARS:,} characters")
        try:
            self._compiled = re2.compile(_as_re_repeats(pattern), options=_OPTIONS)
        except re2.error as error:
            reason = error.args[0] if error.args else "refused"
            raise PatternError(reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)) from None
        except UnicodeEncodeError:
            raise PatternError("a regex holding a lone surrogate (not text)") from None

    def search(self, text: str) -> bool:
        """True when the pattern occurs anywhere in `text`. As in `re`, `$` also matches before a newline
        that ends the text (RE2's `$` only at the very end): a reply ending in a line break still ends in
        `done.` for `done\\.$`."""
        try:
            found = self._compiled.search(_text(text)) is not None
        except UnicodeEncodeError:
            text = _without_surrogates(text)
            found = self._compiled.search(text) is not None
        if found or not self._has_dollar or not text.endswith("\n"):
            return found
        return self._compiled.search(text[:-1]) is not None

    def check_replacement(self, replacement: str) -> None:
        """Raise `PatternError` unless `sub` can use `replacement` on any match: a reference to a group the
        pattern lacks (`\\9`, `\\g<x>`) or a bad escape raised out of a check's or a rule's JSONPath on the
        first payload it matched."""
        self._template(replacement)

    def sub(self, replacement: str, text: object) -> object:
        """`text` with every match replaced as `re.sub` replaces it (`\\1`, `\\g<name>` and
        escapes as in `re`; checked first with `check_replacement`): what jsonpath-ng's `sub()` calls. A
        value that is no text (a number) is given back as it is, which `sub()` reads as "no match".

        RE2's own `sub` differs from `re` twice, and is not used: it finds an empty match again where its
        previous search found it (`sub(/$/, "!")` gave `abc!!`), and it reads the replacement's text as
        Latin-1 (`€` became `â\x82¬`). One difference is left: after an empty match, `re` goes back for a
        non-empty match at the same place (`a*?`, `|a`: patterns preferring the empty match), RE2 moves on;
        and `$` before a newline that ends the text, which `search` finds as `re` does, is not replaced."""
        if not isinstance(text, str):
            return text
        pieces = self._template(replacement)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = _without_surrogates(text)
        out: list[str] = []
        end = 0
        previous = (-1, -1)
        for match in self._compiled.finditer(text):
            span = match.span()
            if span == previous and span[0] == span[1]:  # the same empty match, found again
                continue
            out.append(text[end:span[0]])
            out.extend(piece if isinstance(piece, str) else match.group(piece) or "" for piece in pieces)
            end, previous = span[1], span
        out.append(text[end:])
        return "".join(out)

    def _template(self, replacement: str) -> list[str | int]:
        """`replacement` as `re` reads it: literal text and group numbers, in order."""
        pieces: list[str | int] = []
        position = 0
        for found in _TEMPLATE_ESCAPE.finditer(replacement):
            pieces.append(replacement[position:found.start()])
            position = found.end()
            name, octal, number, other = found.groups()
            if name is not None:
                group = int(name) if name.isdigit() else self._compiled.groupindex.get(name, -1)
                if not name or not 0 <= group <= self._compiled.groups:
                    raise PatternError(f"the replacement {replacement!r} names group {name}, which /{self.pattern}/ lacks")
                pieces.append(group)
            elif octal is not None:
                if int(octal, 8) > 0o377:
                    raise PatternError(f"the replacement {replacement!r} has a bad escape (octal \\{octal} past \\377)")
                pieces.append(chr(int(octal, 8)))
            elif number is not None:
                if int(number) > self._compiled.groups:
                    raise PatternError(f"the replacement {replacement!r} names group {number}, which /{self.pattern}/ lacks")
                pieces.append(int(number))
            elif other in _ESCAPES:
                pieces.append(_ESCAPES[other])
            elif other is None or (other.isascii() and other.isalpha()):
                shown = "a lone \\ at the end" if other is None else f"\\{other}"
                raise PatternError(f"the replacement {replacement!r} has a bad escape ({shown})")
            else:
                pieces.append(found.group())  # `\\-`, `\\é`: kept as written, as `re` keeps them
        pieces.append(replacement[position:])
        return [piece for piece in pieces if piece != ""]


_TEMPLATE_ESCAPE = re.compile(r"\\(?:g<([^>]*)>|(0[0-7]{0,2}|[1-7][0-7]{2})|([1-9][0-9]?)|(.)|$)", re.DOTALL)
"""A backslash in a replacement, as `re` reads it: `\\g<name>`, an octal escape, `\\1`…`\\99`, `\\n` and the
other one-letter escapes, or any other character after it."""
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


_EMPTY_MIN_REPEAT = re.compile(r"\{,(\d*)\}")


def _as_re_repeats(pattern: str) -> str:
    """`pattern` with `re`'s repeats `{,n}` and `{,}` written `{0,n}` and `{0,}`: RE2 reads them as literal
    text, so `a{,2}` found the text "a{,2}" where `re` finds up to two a's. Braces in a character class or
    escaped are left as they are."""
    if "{," not in pattern:
        return pattern
    out: list[str] = []
    position, length, in_class = 0, len(pattern), False
    while position < length:
        char = pattern[position]
        if char == "\\":
            out.append(pattern[position:position + 2])
            position += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            # A `]` right after `[` or `[^` is a member, as in both engines.
            opening = 2 if pattern.startswith("[^", position) else 1
            if pattern.startswith("]", position + opening):
                opening += 1
            out.append(pattern[position:position + opening])
            position += opening
            in_class = True
            continue
        elif repeat := _EMPTY_MIN_REPEAT.match(pattern, position):
            out.append(f"{{0,{repeat.group(1)}}}")
            position = repeat.end()
            continue
        out.append(char)
        position += 1
    return "".join(out)


def _text(value: object) -> str:
    # RE2 would fail on a number with an AttributeError; `re` says TypeError.
    if not isinstance(value, str):
        raise TypeError(f"a regex searches text, not {type(value).__name__}")
    return value


def _without_surrogates(text: str) -> str:
    # RE2 matches UTF-8, and JSON allows a lone surrogate (`"\\ud800"`): that one is searched as U+FFFD.
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
