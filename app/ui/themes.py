"""Sluice's themes: TOML files turned into Textual `Theme`s, plus the semantic colour tokens widgets use.

A theme file holds the Textual base colours (`primary`, `background`, …) at the top level and Sluice's
own tokens (`method-get`, `variable-unresolved`, …) under `[variables]`; a token a theme leaves out
falls back to `THEME_VARIABLE_DEFAULTS`. A theme file is read like a collection file (regular, at most
10 MB, nesting limited before the parser, errors with line and column), and every colour is parsed when
the file is read: a bad one would otherwise raise out of the app when the theme is applied.
"""

from __future__ import annotations

from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

from app.model.storage import read_regular
from app.model.toml_location import FileFormatError
from app.model.toml_table import parse_toml
from app.terminal_text import is_line_safe, safe_line

THEME_VARIABLE_DEFAULTS: dict[str, str] = {
    "method-get": "#4ec9b0",
    "method-post": "#dcdcaa",
    "method-put": "#569cd6",
    "method-patch": "#c586c0",
    "method-delete": "#f44747",
    "method-other": "#9cdcfe",
    "badge-stream": "#ce9178",
    "badge-ws": "#b5cea8",
    "variable-resolved": "#4ec9b0",
    "variable-unresolved": "#f44747",
    "tree-broken": "#f44747",
}

_BASE_KEYS = (
    "primary", "secondary", "warning", "error", "success", "accent",
    "foreground", "background", "surface", "panel", "boost",
)


class ThemeFileError(ValueError):
    """A theme file that cannot be used, with the file named."""


def theme_from_toml(path: Path) -> Theme:
    """Build a Textual theme from one TOML file."""
    try:
        raw = parse_toml(read_regular(path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, FileFormatError) as error:
        why = error.strerror if isinstance(error, OSError) else "not UTF-8" if isinstance(error, UnicodeDecodeError) else error
        raise ThemeFileError(f"{path}: {why}") from None
    name = raw.get("name")
    primary = raw.get("primary")
    if not isinstance(name, str) or not isinstance(primary, str):
        raise ThemeFileError(f"{path}: a theme needs string keys `name` and `primary`")
    if not name or not is_line_safe(name) or len(name) > 64:
        raise ThemeFileError(f"{path}: the theme's name must be 1 to 64 printable characters")
    base = {key: raw[key] for key in _BASE_KEYS if isinstance(raw.get(key), str)}
    variables = raw.get("variables", {})
    if not isinstance(variables, dict):
        raise ThemeFileError(f"{path}: [variables] must be a table")
    colours = {**base, **{key: value for key, value in variables.items() if key in THEME_VARIABLE_DEFAULTS}}
    for key, value in colours.items():
        try:
            Color.parse(value if isinstance(value, str) else "")
        except ColorParseError:
            raise ThemeFileError(f"{path}: {key} = {safe_line(repr(value))[:80]} is not a colour") from None
    return Theme(
        name=name,
        dark=bool(raw.get("dark", True)),
        variables={str(key): str(value) for key, value in variables.items()},
        **base,
    )


def load_themes(folder: Path) -> tuple[list[Theme], list[str]]:
    """Every theme in `folder`, and one message per file that could not be loaded."""
    themes: list[Theme] = []
    problems: list[str] = []
    for path in sorted(folder.glob("*.toml")):
        try:
            themes.append(theme_from_toml(path))
        except ThemeFileError as error:
            problems.append(str(error))
    return themes, problems


def method_token(method: str) -> str:
    """The theme variable that colours an HTTP method badge."""
    lowered = method.lower()
    if lowered in ("get", "post", "put", "patch", "delete"):
        return f"method-{lowered}"
    return "method-other"
