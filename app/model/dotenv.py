"""The `.env` file beside `collection.toml`: secrets as `KEY=value` lines.

Read as docker/compose and python-dotenv read it. Sluice writes it only when the user asks it to move a
secret out of a TOML file (an environment variable or a request's credential): the value is appended as a
new line under a free name and the TOML file keeps a `{{name}}` reference, so the secret stays out of the
files people commit. The rest of the file is kept byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path

from app.model.storage import FileStamp, link_out_of, read_regular, read_stamped, save_checked
from app.model.toml_location import FileFormatError

DOTENV_FILE = ".env"

_DOTENV_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_DOTENV_LINE = re.compile(rf"^\s*(?:export\s+)?({_DOTENV_KEY.pattern})\s*=\s*(.*?)\s*$")
_DOUBLE_QUOTE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$"}
_BARE_VALUE = re.compile(r"[A-Za-z0-9_\-.:/+=@%~,^]*")
_LINE_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
"""What `str.splitlines` also breaks at: such a value could not be read back from one `KEY="…"` entry."""
NEW_DOTENV_MODE = 0o600
"""A `.env` Sluice creates holds secrets: readable by its owner only."""


def parse_dotenv(text: str) -> dict[str, str]:
    """`KEY=value` lines as docker/compose and python-dotenv read them: `export`, quotes, `#` comments."""
    return {key: value for key, value, _first, _end in _entries(text.splitlines())}


def _entries(lines: Sequence[str]) -> Iterator[tuple[str, str, int, int]]:
    """Each `KEY=value` of `lines` (a `.env`'s `splitlines()`): key, value, and the lines it stands on,
    from `first` up to (not including) `end` (a quoted value may span lines). A plain tuple: no class to
    build when the collection's first import reads `.env`."""
    index = 0
    while index < len(lines):
        line = lines[index]
        first = index
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
            yield key, _unescape_double(inner) if quote == '"' else inner, first, index
        else:
            yield key, re.split(r"\s+#", raw, maxsplit=1)[0].strip(), first, index


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
    """The `.env` file's values, or an empty mapping when there is none; a link out of its folder is
    refused (`FileFormatError`)."""
    if not path.exists():
        return {}
    _refuse_link_out(path)
    # Checked again on the opened file: a link swapped in after the check above is not read.
    return parse_dotenv(read_regular(path, inside=path.parent.resolve()).decode("utf-8"))


def _refuse_link_out(path: Path) -> None:
    target = link_out_of(path, path.parent.resolve())
    if target is not None:
        raise FileFormatError(f"{path.name} is a link to {target}, outside the collection: not read nor written")


def dotenv_line(key: str, value: str) -> str:
    """One `KEY=value` line that `parse_dotenv` reads back as exactly `value` (quoted when it must be).

    Raises `ValueError` for a value no `.env` line can hold (a vertical tab, U+2028, … break lines)."""
    if not _DOTENV_KEY.fullmatch(key):
        raise ValueError(f"{key!r} cannot be a .env name")
    if _LINE_BREAKS.search(value):
        raise ValueError(f"the value of {key} holds a line break .env cannot keep")
    if _BARE_VALUE.fullmatch(value):
        return f"{key}={value}\n"
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
               .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
    return f'{key}="{escaped}"\n'


def variable_name(wanted: str) -> str:
    """`wanted` made into a `{{name}}` that works in every file (`X-Api-Key` → `x_api_key`)."""
    name = re.sub(r"[^A-Za-z0-9_]+", "_", wanted).strip("_").lower() or "secret"
    return f"_{name}" if name[0].isdigit() else name


def store_secrets(path: Path, secrets: Sequence[tuple[str, str]], avoid: Collection[str] = ()) -> list[str]:
    """Keep each (wanted name, value) in the `.env` file at `path`; returns the name each one is kept
    under, in order. A value `.env` already holds keeps its name; a new one gets `wanted` (made a valid
    name) or, when that is taken there or in `avoid` (names other scopes define), `wanted_2`, `wanted_3`….

    Atomic, and never over a `.env` changed while this ran (`SaveConflict`); a broken `.env` raises
    `FileFormatError` and is left alone. A new `.env` is created readable by its owner only."""
    text, stamp = _read_text(path)
    existing = parse_dotenv(text)
    by_value = {value: key for key, value in existing.items() if key not in avoid}
    names: list[str] = []
    added: list[str] = []
    for wanted, value in secrets:
        if value in by_value:
            names.append(by_value[value])
            continue
        base = variable_name(wanted)
        name, counter = base, 2
        while name in existing or name in avoid:
            name, counter = f"{base}_{counter}", counter + 1
        added.append(dotenv_line(name, value))
        existing[name] = value
        by_value[value] = name
        names.append(name)
    if added:
        separator = "" if not text or text.endswith("\n") else "\n"
        data = f"{text}{separator}{''.join(added)}".encode()
        save_checked(path, data, stamp, new_mode=NEW_DOTENV_MODE)
    return names


def remove_secrets(path: Path, names: Collection[str]) -> list[str]:
    """Take the entries `names` out of the `.env` file at `path` (every line of each, a quoted value
    spanning lines included); returns the names removed, in the file's order. The rest of the file is kept
    byte for byte, the comments above a removed entry too (they may speak of others).

    Atomic, and never over a `.env` changed while this ran (`SaveConflict`); a broken `.env` raises
    `FileFormatError` and is left alone; no `.env`, or none of `names` in it, writes nothing."""
    text, stamp = _read_text(path)
    lines = text.splitlines(keepends=True)  # the same lines `parse_dotenv` reads, each with its ending
    removed: list[str] = []
    dropped: set[int] = set()
    for key, _value, first, end in _entries(text.splitlines()):
        if key in names:
            removed.append(key)
            dropped.update(range(first, end))
    if not removed:
        return []
    kept = "".join(line for index, line in enumerate(lines) if index not in dropped)
    save_checked(path, kept.encode(), stamp)
    return list(dict.fromkeys(removed))


def _read_text(path: Path) -> tuple[str, FileStamp | None]:
    _refuse_link_out(path)  # saving would copy the file it leads to into the collection
    try:
        data, stamp = read_stamped(path)
    except FileNotFoundError:
        return "", None
    return data.decode("utf-8"), stamp
