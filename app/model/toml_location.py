"""File positions for errors: `tomllib` reports syntax errors by line and column but not where a key is,
so type errors find their key by scanning the text for its table header and `key =` line."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tomllib  # a type only: `sluice run URL` never reads TOML

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_TOMLLIB_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOMLLIB_END = re.compile(r"\(at end of document\)")


class FileFormatError(Exception):
    """A request, folder, collection or environment file Sluice cannot use, with where the problem is."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message, line, column)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.message}"


def toml_lines(text: str) -> list[str]:
    """The lines of a TOML text as TOML counts them (a final line break opens no line): only LF ends one,
    and a CR before it is left out. `str.splitlines` would also end one at U+2028, U+2029, U+0085, FF …,
    which a TOML string may hold raw, and every position after them would be off."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def syntax_error(error: tomllib.TOMLDecodeError, text: str) -> FileFormatError:
    """Turn tomllib's message into a positioned error (Python 3.11 keeps the position only in the text)."""
    message = str(error)
    match = _TOMLLIB_POSITION.search(message)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        message = message[: match.start()].rstrip()
    elif _TOMLLIB_END.search(message):
        lines = toml_lines(text)
        line, column = len(lines), len(lines[-1]) + 1
        message = message[: _TOMLLIB_END.search(message).start()].rstrip()  # type: ignore[union-attr]
    else:
        line, column = 1, 1
    return FileFormatError(f"invalid TOML: {message}", line, column)


def _normalise_table(name: str) -> str:
    return ".".join(part.strip().strip('"').strip("'") for part in name.split("."))


def locate(text: str, table: str = "", key: str | None = None, occurrence: int = 0) -> tuple[int, int]:
    """Line and column (1-based) of `key` inside `[table]` (the `occurrence`-th one for `[[arrays]]`).

    Falls back to the table header, then to a dotted `table.key =` line, then to 1:1.
    """
    lines = toml_lines(text)
    current = ""
    seen = 0 if table == "" else -1
    header_position: tuple[int, int] | None = None
    key_pattern = None
    if key is not None:
        key_pattern = re.compile(r"^(\s*)([\"']?)" + re.escape(key) + r"\2\s*=")
    for number, line in enumerate(lines, start=1):
        header = _HEADER.match(line)
        if header:
            current = _normalise_table(header.group(1))
            if current == table:
                seen += 1
                if seen == occurrence:
                    header_position = (number, header.start(1) + 1)
            continue
        if key_pattern and current == table and seen == occurrence:
            found = key_pattern.match(line)
            if found:
                return number, len(found.group(1)) + 1
    if header_position:
        return header_position
    if key is not None and table:
        dotted = re.compile(r"^(\s*)" + re.escape(f"{table}.{key}") + r"\s*=")
        for number, line in enumerate(lines, start=1):
            found = dotted.match(line)
            if found:
                return number, len(found.group(1)) + 1
    return 1, 1
