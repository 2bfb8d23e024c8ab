"""Writing TOML the way people read it: `dumps_toml` is tomli-w with multi-line text as literal `\'\'\'`
strings, and `InlineTable` marks a table that stays inline (`{ value = "x", enabled = false }`).

What is written holds no terminal control, whatever the text kept (a pasted curl command, a Postman
export): TOML requires C0 controls and DEL to be escaped, tomli-w escapes those, but it lets C1 controls
(U+009B is CSI on many terminals) and the bidi overrides stand raw, and `sluice import curl` prints the
file to the terminal (as `cat` does a saved one). `dumps_basic` writes them as `\\uXXXX` escapes, the same
syntax as JSON's (`json_line_safe`), which read back as the same text.
"""

from __future__ import annotations

from typing import Any

import tomli_w

from app.terminal_text import json_line_safe


class InlineTable(dict[str, Any]):
    """A table written inline (`{ value = "x", enabled = false }`) where tomli-w would open a section."""


def dumps_basic(document: dict[str, Any], *, multiline_strings: bool = False) -> str:
    """tomli-w's text for `document` with C1 and bidi controls escaped (every string it writes is a basic
    string, where `\\uXXXX` is an escape)."""
    return json_line_safe(tomli_w.dumps(document, multiline_strings=multiline_strings))


def dumps_toml(document: dict[str, Any]) -> str:
    """tomli-w, with multi-line text as literal `'''` strings so JSON bodies read (and diff) as written.

    tomli-w only writes basic strings, which escape every quote of a JSON body; multi-line values are
    swapped for placeholders before dumping and written back as literal strings after.
    """
    literals: dict[str, str] = {}
    text = dumps_basic(_swap_literals(document, literals), multiline_strings=True)
    for placeholder, written in literals.items():
        text = text.replace(f'"{placeholder}"', written, 1)
    return text


def _one_line_string(value: str) -> str:
    # A CR inside a multi-line string may be read back as a plain LF (TOML lets parsers normalise line
    # ends there), so text holding one is written as an escaped single-line string.
    return dumps_basic({"v": value}).partition(" = ")[2].rstrip("\n")


def _literal_safe(value: str) -> bool:
    if "\n" not in value or "'''" in value or value.endswith("'") or json_line_safe(value) != value:
        return False  # (a literal string has no escapes: a C1 or bidi control would stand raw)
    return all(char in "\t\n" or (" " <= char and char != "\x7f") for char in value)


def _swap_literals(value: Any, literals: dict[str, str], in_array: bool = False) -> Any:
    if isinstance(value, InlineTable) and not in_array:
        # tomli-w writes a table inside a table as a `[section]`; inside an array it is already inline.
        placeholder = f"@@sluice-literal-{len(literals)}@@".ljust(100, "_")
        literals[placeholder] = dumps_basic({"v": [dict(value)]}).partition("[\n    ")[2].rpartition(",\n]")[0]
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
