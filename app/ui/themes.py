"""Sluice's themes: TOML files turned into Textual `Theme`s, plus the semantic colour tokens widgets use.

A theme file holds the Textual base colours (`primary`, `background`, …) at the top level and Sluice's
own tokens (`method-get`, `variable-unresolved`, …) under `[variables]`; a token a theme leaves out
falls back to `THEME_VARIABLE_DEFAULTS`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.theme import Theme

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
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, RecursionError, UnicodeDecodeError) as error:
        raise ThemeFileError(f"{path}: {error}") from error
    name = raw.get("name")
    primary = raw.get("primary")
    if not isinstance(name, str) or not isinstance(primary, str):
        raise ThemeFileError(f"{path}: a theme needs string keys `name` and `primary`")
    base = {key: raw[key] for key in _BASE_KEYS if isinstance(raw.get(key), str)}
    variables = raw.get("variables", {})
    if not isinstance(variables, dict):
        raise ThemeFileError(f"{path}: [variables] must be a table")
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
