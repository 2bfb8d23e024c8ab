"""The environment files of a collection as the environments screen lists them, broken ones included."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.model.environment import Environment


@dataclass(frozen=True, slots=True)
class EnvironmentEntry:
    """One environment file as the screen lists it; `problem` says why a broken one does not load (its
    text is still shown, to be fixed here)."""

    environment: Environment
    problem: str = ""


def read_entries(root: Path) -> list[EnvironmentEntry]:
    """Every `environments/*.toml` of the collection at `root`, broken ones included, by name."""
    from app.model.environment import ENVIRONMENTS_DIR, load_environment
    from app.model.storage import read_stamped
    from app.model.toml_location import FileFormatError

    directory = root / ENVIRONMENTS_DIR
    try:
        paths = sorted(path for path in directory.glob("*.toml") if not path.name.startswith("."))
    except OSError:
        return []
    entries = []
    for path in paths:
        try:
            entries.append(EnvironmentEntry(load_environment(path)))
        except FileFormatError as error:
            try:
                data, stamp = read_stamped(path)
                text = data.decode("utf-8")
            except (OSError, UnicodeDecodeError):
                text, stamp = "", None
            entries.append(EnvironmentEntry(Environment(path.stem, path, {}, text, stamp), str(error)))
        except (OSError, UnicodeDecodeError) as error:
            entries.append(EnvironmentEntry(Environment(path.stem, path), f"cannot read it: {error}"))
    return entries
