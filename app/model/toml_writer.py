"""Writing TOML the way people read it: `dumps_toml` is tomli-w with multi-line text as literal `\'\'\'`
strings, and `InlineTable` marks a table that stays inline (`{ value = "x", enabled = false }`).
"""

from __future__ import annotations

from typing import Any

import tomli_w


class InlineTable(dict[str, Any]):
    """A table written inline (`{ value = "x", enabled = false }`) where tomli-w would open a section."""


def dumps_toml(document: dict[str, Any]) -> str:
    """tomli-w, with multi-line text as literal `'''` strings so JSON bodies read (and diff) as written.

    tomli-w only writes basic strings, which escape every quote of a JSON body; multi-line values are
    swapped for placeholders before dumping and written back as literal strings after.
    """
    literals: dict[str, str] = {}
    text = tomli_w.dumps(_swap_literals(document, literals), multiline_strings=True)
    for placeholder, written in literals.items():
        text = text.replace(f'"{placeholder}"', written, 1)
    return text


def _one_line_string(value: str) -> str:
    # A CR inside a multi-line string may be read back as a plain LF (TOML lets parsers normalise line
    # ends there), so text holding one is written as an escaped single-line string.
    return tomli_w.dumps({"v": value}).partition(" = ")[2].rstrip("\n")


def _literal_safe(value: str) -> bool:
    if "\n" not in value or "'''" in value or value.endswith("'"):
        return False
    return all(char in "\t\n" or (" " <= char and char != "\x7f") for char in value)


def _swap_literals(value: Any, literals: dict[str, str], in_array: bool = False) -> Any:
    if isinstance(value, InlineTable) and not in_array:
        # tomli-w writes a table inside a table as a `[section]`; inside an array it is already inline.
        placeholder = f"@@sluice-literal-{len(literals)}@@".ljust(100, "_")
        literals[placeholder] = tomli_w.dumps({"v": [dict(value)]}).partition("[\n    ")[2].rpartition(",\n]")[0]
        return placeholder
    if isinstance(value, str) and (_literal_safe(value) or "\r" in value):
        # Longer than a line so tomli-w never folds the enclosing table inline.
        placeholder = f"@@sluice-literal-{len(literals)}@@".ljust(100, "_")
        literals[placeholder] = f"'''\n{value}'''" if _literal_safe(value) else _one_line_string(value)
        return placeholder
    if isinstance(value, dict):
        return {key: _swap_literals(item, literals) for key, item in value.items()}
    if isinstance(value, list):
        return [_swap_literals(item, literals, True) for item in value]
    return value
