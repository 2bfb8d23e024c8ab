"""A response body as display lines, produced lazily so a 10 MB body shows its first screen at once.

`RawLines` splits the text at LF and CRLF (C speed); `PrettyJsonLines` re-indents JSON token by token and
only as far as a view has asked, so the cost of the first screen does not depend on the body's size.
Very long lines are cut into continuation rows of `MAX_ROW_CHARS`, so no row is wider than a view can
hold.
"""

from __future__ import annotations

import re

from app.nesting import MAX_JSON_DEPTH

MAX_ROW_CHARS = 2000

_TOKEN = re.compile(
    r'[ \t\r\n]*(?:("[^"\\]*(?:\\.[^"\\]*)*")|([{}\[\],:])'
    r"|(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null))",
    re.S,
)
_TRAILING_SPACE = re.compile(r"[ \t\r\n]*\Z")


def _cut(line: str, rows: list[str]) -> None:
    if len(line) <= MAX_ROW_CHARS:
        rows.append(line)
        return
    for start in range(0, len(line), MAX_ROW_CHARS):
        rows.append(line[start : start + MAX_ROW_CHARS])


def looks_like_json(text: str, content_type: str | None) -> bool:
    """JSON by content type, or by its first character when the type says nothing useful."""
    if content_type and "json" in content_type.lower():
        return True
    head = text[:64].lstrip()
    return bool(head) and head[0] in "{["


class RawLines:
    """The body's lines as they are."""

    def __init__(self, text: str) -> None:
        self.rows: list[str] = []
        # Only LF (and CRLF) end a line: `splitlines` would also break at VT, FF, U+0085, U+2028 … and
        # drop them unseen; kept in the row, the view's `safe_block` shows them as escapes.
        lines = text.replace("\r\n", "\n").split("\n")
        if lines[-1] == "":
            lines.pop()
        for line in lines:
            _cut(line, self.rows)
        self.complete = True
        self.error: str | None = None

    def ensure(self, count: int) -> None:
        """Raw lines are all known from the start."""


class PrettyJsonLines:
    """The body re-indented as JSON, two spaces a level, produced as far as `ensure` asks.

    Invalid JSON stops the formatting with `error` set (what was formatted stays); the raw view shows
    the body whole.
    """

    def __init__(self, text: str, indent: int = 2) -> None:
        self.rows: list[str] = []
        self.complete = False
        self.error: str | None = None
        self._text = text
        self._position = 0
        self._indent = " " * indent
        self._depth = 0
        self._line: list[str] = []

    def ensure(self, count: int, max_tokens: int | None = None) -> None:
        """Format until at least `count` rows exist (or `max_tokens` tokens were read, or the end)."""
        text = self._text
        rows = self.rows
        line = self._line
        indent = self._indent
        match_token = _TOKEN.match
        position = self._position
        depth = self._depth
        tokens = 0
        while len(rows) < count and not self.complete:
            if max_tokens is not None and tokens >= max_tokens:
                break
            tokens += 1
            match = match_token(text, position)
            if match is None:
                if _TRAILING_SPACE.match(text, position):
                    if line and "".join(line).strip():
                        _cut("".join(line), rows)
                    line = []
                    if depth > 0:
                        self.error = f"the body ends inside the JSON ({depth} levels still open)"
                    self.complete = True
                    break
                head = text[position : position + 256]
                where = position + len(head) - len(head.lstrip())
                self.error = f"not valid JSON at character {where:,}"
                if line:
                    _cut("".join(line), rows)
                    line = []
                self.complete = True
                break
            position = match.end()
            string, punctuation, scalar = match.groups()
            if punctuation is None:
                line.append(string if string is not None else scalar)
            elif punctuation in "{[":
                closing = "}" if punctuation == "{" else "]"
                after = match_token(text, position)
                if after is not None and after.group(2) == closing:
                    line.append(punctuation + closing)
                    position = after.end()
                    continue
                line.append(punctuation)
                _cut("".join(line), rows)
                depth += 1
                if depth > MAX_JSON_DEPTH:
                    # Indentation grows with depth: 100,000 levels would be 10^10 spaces of rows.
                    self.error = f"nested more than {MAX_JSON_DEPTH} levels deep: pretty-printing stops here (p: raw)"
                    line = []
                    self.complete = True
                    break
                line = [indent * depth]
            elif punctuation in "}]":
                if line and "".join(line).strip():
                    _cut("".join(line), rows)
                depth -= 1
                line = [indent * max(depth, 0), punctuation]
            elif punctuation == ",":
                line.append(",")
                _cut("".join(line), rows)
                line = [indent * depth]
            else:
                line.append(": ")
        self._position = position
        self._depth = depth
        self._line = line

    def finish_slice(self, max_tokens: int = 20_000) -> bool:
        """Format a bounded slice more (for background completion); True once complete."""
        self.ensure(len(self.rows) + max_tokens, max_tokens=max_tokens)
        return self.complete
