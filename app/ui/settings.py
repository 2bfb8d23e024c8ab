"""The user's remembered choices: theme, last-opened collection, pane layout and keymap, in the config directory.

`[keymap]` rebinds keys by binding id (the ids are listed on the help screen, `?`), for example
`"request.send" = "ctrl+r"` or `"app.focus_tree" = "f2,ctrl+t"`; it is handed to `App.set_keymap`. The
file is written back by Sluice (theme, layout), and the keymap is kept as the user wrote it.

The directory is `$SLUICE_CONFIG_DIR` if set, else `$XDG_CONFIG_HOME/sluice`, else `~/.config/sluice`.
A missing or unreadable settings file gives the defaults: settings are a convenience, never a reason
not to start. It is read as carefully as a collection file (a regular file of at most 10 MB, nesting
limited before the parser: a `settings.toml` that is a FIFO hung start-up), and one that cannot be read
is named with its line and column and never written over (the keymap in it would be lost).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from app.model.storage import atomic_write, read_regular
from app.model.toml_location import FileFormatError
from app.model.toml_table import parse_toml
from app.terminal_text import is_line_safe

SETTINGS_FILE_NAME = "settings.toml"
DEFAULT_THEME = "sluice-dark"


TREE_WIDTH_RANGE = (16, 80)
EDITOR_HEIGHT_RANGE = (15, 85)
"""Percent of the right column."""


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
class ScriptAnswer:
    """The user's answer about one merge script: keyed by the collection's path and the script's content
    hash (a changed script is a new question); `script` is kept to show what was answered."""

    collection: str
    sha256: str
    script: str
    trusted: bool


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything Sluice remembers between runs."""

    theme: str = DEFAULT_THEME
    last_collection: str | None = None
    layout: Layout = field(default_factory=Layout)
    script_answers: tuple[ScriptAnswer, ...] = ()
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys (comma-separated), over the defaults in the widgets' `BINDINGS`."""
    problems: tuple[str, ...] = ()
    """What in the file was ignored and why (shown once at start-up)."""
    writable: bool = True
    """False when the file exists but could not be read: saving would replace what the user wrote."""
    document: dict[str, Any] = field(default_factory=dict, compare=False)
    """The file as read: saving writes back what Sluice does not manage as it was (a newer version's keys,
    the user's own, a `[layout]` or `[keymap]` entry this version cannot use)."""

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def script_answer(self, collection: str, sha256: str) -> bool | None:
        """Whether the user trusted this script content in this collection; None: never asked."""
        return next(
            (item.trusted for item in self.script_answers if (item.collection, item.sha256) == (collection, sha256)),
            None,
        )

    def with_script_answer(self, answer: ScriptAnswer) -> Settings:
        kept = tuple(
            item for item in self.script_answers if (item.collection, item.sha256) != (answer.collection, answer.sha256)
        )
        return replace(self, script_answers=(*kept, answer))


def _script_answers_from(raw: object) -> tuple[ScriptAnswer, ...]:
    if not isinstance(raw, list):
        return ()
    answers = []
    for item in raw:
        # A hand-edited entry of the wrong shape is dropped: the script is simply asked about again.
        if isinstance(item, dict) and all(isinstance(item.get(key), str) for key in ("collection", "sha256", "script")):
            if isinstance(item.get("trusted"), bool):
                answers.append(ScriptAnswer(item["collection"], item["sha256"], item["script"], item["trusted"]))
    return tuple(answers)


def _layout_from(raw: object) -> Layout:
    if not isinstance(raw, dict):
        return Layout()
    defaults = Layout()
    values: dict[str, object] = {}
    for item in fields(Layout):
        value = raw.get(item.name, getattr(defaults, item.name))
        # Hand-edited files may hold the wrong type: keep the default rather than crash later.
        values[item.name] = value if isinstance(value, type(getattr(defaults, item.name))) else getattr(defaults, item.name)
    # `tree_width = -5` or `editor_height = 10000` would reach the styles as they are.
    for name, (low, high) in (("tree_width", TREE_WIDTH_RANGE), ("editor_height", EDITOR_HEIGHT_RANGE)):
        values[name] = max(low, min(high, values[name]))  # type: ignore[call-overload]
    return Layout(**values)  # type: ignore[arg-type]


def load_settings(directory: Path | None = None) -> Settings:
    """Read the settings file; anything missing or malformed falls back to the default."""
    path = (directory or config_dir()) / SETTINGS_FILE_NAME
    try:
        raw = parse_toml(read_regular(path).decode("utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, FileFormatError) as error:
        why = error.strerror if isinstance(error, OSError) else "not UTF-8" if isinstance(error, UnicodeDecodeError) else error
        return Settings(problems=(f"{path}: {why}; using the defaults, and the file is not written over",), writable=False)
    theme = raw.get("theme")
    last = raw.get("last_collection")
    keymap, problems = _keymap_from(raw.get("keymap", {}))
    return Settings(
        theme=theme if isinstance(theme, str) else DEFAULT_THEME,
        last_collection=last if isinstance(last, str) else None,
        layout=_layout_from(raw.get("layout")),
        script_answers=_script_answers_from(raw.get("script_answers")),
        keymap=keymap,
        problems=tuple(f"{path}: {problem}" for problem in problems),
        document=raw,
    )


def _keymap_from(raw: object) -> tuple[dict[str, str], list[str]]:
    if not isinstance(raw, dict):
        return {}, ["[keymap] must be a table of binding id = \"keys\""]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in raw.items():
        # Key names are shown in the footer and on the help screen: a control character is no key name.
        if isinstance(keys, str) and keys.strip() and is_line_safe(keys):
            keymap[binding_id] = keys
        else:
            problems.append(f"[keymap] {binding_id}: the keys must be a non-empty string such as \"ctrl+r\"")
    return keymap, problems


def save_settings(settings: Settings, directory: Path | None = None) -> Path:
    """Write the settings file atomically (a crash leaves the previous file), keeping every key of the
    file as read (`Settings.document`) that Sluice does not manage."""
    from app.model.toml_writer import dumps_basic  # C1 and bidi controls escaped (a cloned folder's name)

    target_dir = directory or config_dir()
    data: dict[str, Any] = dict(settings.document)
    data["theme"] = settings.theme
    data["layout"] = {**_table(data.get("layout")), **asdict(settings.layout)}
    for key, value in (("last_collection", settings.last_collection),
                       ("script_answers", [asdict(answer) for answer in settings.script_answers] or None)):
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    if settings.keymap:
        # The entries this version could not use (reported at start-up) stay for the user to fix.
        data["keymap"] = {**_table(data.get("keymap")), **settings.keymap}
    path = target_dir / SETTINGS_FILE_NAME
    atomic_write(path, dumps_basic(data).encode("utf-8"))
    return path


def _table(value: object) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}
