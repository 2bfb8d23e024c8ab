"""Where the data files shipped with Sluice live: inside the package when installed, the repo root in a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[2]


def _find(folder: str) -> Path:
    # A regular install carries the folder as package data under `app/`; a checkout keeps it at the root.
    packaged = Path(str(resources.files("app"))) / folder
    if packaged.is_dir():
        return packaged
    in_repo = _REPO_ROOT / folder
    if in_repo.is_dir():
        return in_repo
    raise FileNotFoundError(f"Sluice's {folder}/ folder is missing (looked in {packaged} and {in_repo})")


def sample_collections_path() -> Path:
    """The root of the sample collection that `sluice --demo` opens."""
    return _find("sample_collections")


def themes_path() -> Path:
    """The folder of built-in TOML theme files."""
    return _find("themes")
