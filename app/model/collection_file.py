"""Editing `collection.toml` from the TUI: making a folder a collection, and its default environment.

The default environment is `collection.toml`'s top-level `default_environment` (`DEFAULT_ENVIRONMENT_KEY`):
what `load_collection` reads as `Collection.default_environment` and what `sluice run` without `--env`
uses. Sluice edits only that one line, atomically and never over a file changed since it was read, so the
rest of the file (comments, order, formatting) stays as the user wrote it.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.model.collection import COLLECTION_FILE, DEFAULT_ENVIRONMENT_KEY, find_collection_root
from app.model.storage import atomic_write, read_stamped, save_checked
from app.model.toml_location import FileFormatError
from app.model.toml_table import TableReader, parse_toml
from app.model.toml_writer import dumps_toml

_DEFAULT_LINE = re.compile(
    rf"^(?P<lead>[ \t]*{DEFAULT_ENVIRONMENT_KEY}[ \t]*=[ \t]*)"
    r"""(?P<value>"(?:[^"\\\n]|\\.)*"|'[^'\n]*')?(?P<rest>.*)(?:\n|$)""",
    re.MULTILINE,
)
_TABLE_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)
_NAME_LINE = re.compile(r"^[ \t]*name[ \t]*=.*\n", re.MULTILINE)


def ensure_collection_file(root: Path) -> Path | None:
    """Give a folder that Sluice is making into a collection its `collection.toml` (named after the
    folder), so `sluice run … --env NAME` finds the collection and its environments; returns the file
    written, or None when `root` is already in a collection (a `collection.toml` there or above; one is
    never rewritten)."""
    path = root / COLLECTION_FILE
    if find_collection_root(root) is not None:
        return None  # a collection already, or a folder inside one (a nested collection.toml would split it)
    atomic_write(path, dumps_toml({"name": root.name}).encode("utf-8"))
    return path


def read_default_environment(root: Path) -> str:
    """The collection's default environment as `load_collection` reads it ("" for none, or when
    `collection.toml` is missing or broken: the collection then loads with none either)."""
    try:
        text = read_stamped(root / COLLECTION_FILE)[0].decode("utf-8")
        return TableReader(text, parse_toml(text)).text(DEFAULT_ENVIRONMENT_KEY)
    except (OSError, UnicodeDecodeError, FileFormatError):
        return ""


def write_default_environment(root: Path, name: str) -> None:
    """Make `name` the collection's default environment ("": none), editing only that line of
    `collection.toml` (made first for a folder that is not a collection yet). Raises `OSError`,
    `FileFormatError` (a broken `collection.toml`: nothing is written) or `SaveConflict`."""
    path = root / COLLECTION_FILE
    ensure_collection_file(root)
    data, stamp = read_stamped(path)
    text = data.decode("utf-8")
    document = parse_toml(text)  # a broken file is reported, never edited blind
    value = dumps_toml({"v": name}).partition(" = ")[2].strip()
    first_table = next(iter(_TABLE_HEADER.finditer(text)), None)
    top_level = text[: first_table.start()] if first_table else text
    existing = _DEFAULT_LINE.search(top_level)
    line = f"{DEFAULT_ENVIRONMENT_KEY} = {value}\n" if name else ""
    candidates = []
    if existing is not None:
        if name and existing.group("value"):
            # Only the value changes: the line's spacing and trailing comment stay.
            kept = f"{existing.group('lead')}{value}{existing.group('rest')}\n"
            candidates.append(text[: existing.start()] + kept + text[existing.end():])
        candidates.append(text[: existing.start()] + line + text[existing.end():])
    if name:
        # After `name = …` when there is one, else first: a top-level key must come before any table.
        after = _NAME_LINE.search(top_level)
        at = after.end() if after else 0
        candidates += [text[:at] + line + text[at:], line + text]
    else:
        candidates.append(text)  # no default: right if no line holds the key
    # Last, as environment files do: a value that is not on one line (a multi-line string) has the file
    # written anew in canonical form, comments dropped.
    document.pop(DEFAULT_ENVIRONMENT_KEY, None)
    candidates.append(dumps_toml({DEFAULT_ENVIRONMENT_KEY: name, **document} if name else document))
    # A `default_environment = …` line inside a multi-line string is not the key: an edit must read back as meant.
    edited = next((candidate for candidate in candidates if _reads_back(candidate, name)), None)
    if edited is None:
        raise FileFormatError(f"{DEFAULT_ENVIRONMENT_KEY} could not be written: edit collection.toml by hand", 1, 1)
    if edited != text:
        save_checked(path, edited.encode("utf-8"), stamp)


def _reads_back(text: str, name: str) -> bool:
    try:
        return TableReader(text, parse_toml(text)).text(DEFAULT_ENVIRONMENT_KEY) == name
    except FileFormatError:
        return False


def rename_default_environment(root: Path, old: str, new: str) -> bool:
    """After environment `old` was renamed to `new`: if it was the default, the default follows (True);
    False, nothing written, when it was not."""
    if not old or read_default_environment(root) != old:
        return False
    write_default_environment(root, new)
    return True
