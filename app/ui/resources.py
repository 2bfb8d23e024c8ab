"""Where the data files shipped with Sluice live: inside the package when installed, the repo root in a checkout."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[2]


def _find(folder: str) -> Path:
    # An install carries the folder as package data under `app/` (or as data files under
    # `<prefix>/share/sluice/`); a checkout keeps it at the repository root.
    candidates = (
        Path(str(resources.files("app"))) / folder,
        Path(sys.prefix) / "share" / "sluice" / folder,
        _REPO_ROOT / folder,
    )
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    looked = ", ".join(str(candidate) for candidate in candidates)
    raise FileNotFoundError(f"Sluice's {folder}/ folder is missing (looked in {looked})")


def sample_collections_path() -> Path:
    """The root of the sample collection that `sluice --demo` opens."""
    return _find("sample_collections")


def themes_path() -> Path:
    """The folder of built-in TOML theme files."""
    return _find("themes")
