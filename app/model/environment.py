"""Environments (`environments/*.toml`), the `.env` file beside a collection, and the OS environment.

An environment file is flat: each top-level key is a variable (`base_url = "http://127.0.0.1:8765"`).
Secrets belong in `.env` or the OS environment, which Sluice reads but never writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from app.model.storage import read_regular
from app.model.toml_format import parse_toml
from app.model.toml_location import FileFormatError, locate

_DOTENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.\-]*)\s*=\s*(.*?)\s*$")
_DOUBLE_QUOTE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$"}


@dataclass(frozen=True, slots=True)
class Environment:
    """A named set of variables, e.g. `demo` or `staging`."""

    name: str
    path: Path | None = None
    variables: dict[str, str] = field(default_factory=dict)


def load_environment(path: Path) -> Environment:
    """Read one environment file; numbers and booleans become their TOML text (`8765`, `true`)."""
    text = read_regular(path).decode("utf-8")
    data = parse_toml(text)
    variables: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, bool):
            variables[key] = "true" if value else "false"
        elif isinstance(value, (str, int, float)):
            variables[key] = str(value)
        else:
            line, column = locate(text, "", key)
            if isinstance(value, dict):
                line, column = locate(text, key)
            raise FileFormatError(f"environment variable '{key}' should be a string, number or boolean", line, column)
    return Environment(path.stem, path, variables)


def parse_dotenv(text: str) -> dict[str, str]:
    """`KEY=value` lines as docker/compose and python-dotenv read them: `export`, quotes, `#` comments."""
    values: dict[str, str] = {}
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _DOTENV_LINE.match(line)
        if match is None:
            raise FileFormatError("expected KEY=value", index, len(line) - len(line.lstrip()) + 1)
        key, raw = match.group(1), match.group(2)
        quote = raw[:1]
        if quote in ("'", '"'):
            # A quoted value may span lines until its closing quote. Each line is scanned once (an escape
            # never crosses a line: a backslash at the end escapes the newline itself), so an unterminated
            # quote costs one pass over the file, not one per line.
            parts = [raw]
            end = _closing_index(raw, quote, 1)
            offset = len(raw) + 1
            while end == -1 and index < len(lines):
                following = lines[index]
                index += 1
                parts.append(following)
                found = _closing_index(following, quote, 0)
                end = -1 if found == -1 else offset + found
                offset += len(following) + 1
            if end == -1:
                raise FileFormatError(f"unterminated {quote} quote in value of {key}", index, 1)
            raw = "\n".join(parts)
            inner = raw[1:end]
            values[key] = _unescape_double(inner) if quote == '"' else inner
        else:
            values[key] = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
    return values


def _closing_index(raw: str, quote: str, start: int) -> int:
    """Where the closing `quote` is in `raw` from `start` (a double-quoted value has backslash escapes)."""
    if quote == "'":
        return raw.find("'", start)
    position = start
    while True:
        quote_at = raw.find('"', position)
        if quote_at == -1:
            return -1
        backslash_at = raw.find("\\", position, quote_at)
        if backslash_at == -1:
            return quote_at
        position = backslash_at + 2


def _unescape_double(text: str) -> str:
    return re.sub(r"\\(.)", lambda match: _DOUBLE_QUOTE_ESCAPES.get(match.group(1), "\\" + match.group(1)), text)


def load_dotenv(path: Path) -> dict[str, str]:
    """The `.env` file's values, or an empty mapping when there is none."""
    if not path.exists():
        return {}
    return parse_dotenv(read_regular(path).decode("utf-8"))
