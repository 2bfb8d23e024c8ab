"""The user's remembered choices: theme, last-opened collection and pane layout, in the config directory.

The directory is `$SLUICE_CONFIG_DIR` if set, else `$XDG_CONFIG_HOME/sluice`, else `~/.config/sluice`.
A missing or unreadable settings file gives the defaults: settings are a convenience, never a reason
not to start.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

SETTINGS_FILE_NAME = "settings.toml"
DEFAULT_THEME = "sluice-dark"


def config_dir() -> Path:
    """Where Sluice keeps its settings (not created until something is saved)."""
    explicit = os.environ.get("SLUICE_CONFIG_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CONFIG_HOME")
    base = Path(xdg) if xdg else Path.home() / ".config"
    return base / "sluice"


@dataclass(frozen=True, slots=True)
class Layout:
    """Pane sizes and visibility, as the user left them."""

    tree_width: int = 38
    editor_height: int = 45
    """Percentage of the right column given to the request editor."""
    tree_visible: bool = True
    history_visible: bool = False


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything Sluice remembers between runs."""

    theme: str = DEFAULT_THEME
    last_collection: str | None = None
    layout: Layout = field(default_factory=Layout)

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def _layout_from(raw: object) -> Layout:
    if not isinstance(raw, dict):
        return Layout()
    defaults = Layout()
    values: dict[str, object] = {}
    for item in fields(Layout):
        value = raw.get(item.name, getattr(defaults, item.name))
        # Hand-edited files may hold the wrong type: keep the default rather than crash later.
        values[item.name] = value if isinstance(value, type(getattr(defaults, item.name))) else getattr(defaults, item.name)
    return Layout(**values)  # type: ignore[arg-type]


def load_settings(directory: Path | None = None) -> Settings:
    """Read the settings file; anything missing or malformed falls back to the default."""
    path = (directory or config_dir()) / SETTINGS_FILE_NAME
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return Settings()
    theme = raw.get("theme")
    last = raw.get("last_collection")
    return Settings(
        theme=theme if isinstance(theme, str) else DEFAULT_THEME,
        last_collection=last if isinstance(last, str) else None,
        layout=_layout_from(raw.get("layout")),
    )


def save_settings(settings: Settings, directory: Path | None = None) -> Path:
    """Write the settings file atomically (a crash leaves the previous file)."""
    import tomli_w

    target_dir = directory or config_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    data: dict[str, object] = {"theme": settings.theme, "layout": asdict(settings.layout)}
    if settings.last_collection is not None:
        data["last_collection"] = settings.last_collection
    path = target_dir / SETTINGS_FILE_NAME
    temporary = path.with_suffix(".toml.tmp")
    temporary.write_text(tomli_w.dumps(data), encoding="utf-8")
    os.replace(temporary, path)
    return path
