"""The user's own copy of the sample collection, which `sluice --demo` opens and saves into.

The bundled collection lives inside the installed package: saving a demo edit there dirtied the source tree
of an editable install, and a site-packages install may be read-only. The demo works on a copy in Sluice's
config directory instead, made at the first demo start and kept across sessions (the user's edits stay);
`sluice --demo-reset` replaces it with a fresh one.

The copy is written to a temporary folder beside its place and renamed into it once complete, so a copy cut
short (a full disk) is never taken for the user's copy: the next start copies again.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

DEMO_COLLECTION_FOLDER = "demo-collection"
"""The copy's folder in the config directory."""

SKIPPED = frozenset({"__pycache__"})
"""Folders of the bundled collection not copied: bytecode of its merge scripts, written by a checkout's runs."""


class DemoCopyFailed(Exception):
    """The copy could not be made (a read-only or missing config directory, a full disk): the message says
    where and why."""


def demo_collection(source: Path, target: Path, *, fresh: bool = False) -> Path:
    """The user's copy of the sample collection at `source`: `target`, copied from `source` if it is not
    there yet, or copied again when `fresh` (what was there is replaced only once the new copy is complete).
    Raises `DemoCopyFailed`."""
    if target.is_dir() and not fresh:
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    except OSError as error:
        raise DemoCopyFailed(f"cannot write in {target.parent}: {error.strerror or error}") from error
    try:
        _copy_folder(source, staging)
        _move_into_place(staging, target, replace=fresh)
    except OSError as error:
        raise DemoCopyFailed(f"cannot copy the sample collection to {target}: {error.strerror or error}") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # renamed away on success; a partial copy otherwise
    return target


def _copy_folder(source: Path, target: Path) -> None:
    # Contents only, not permissions (`shutil.copytree` copies both): files of a package installed
    # read-only (0444, a system or Nix store) would make a copy the user cannot save into.
    target.mkdir(exist_ok=True)
    for entry in sorted(source.iterdir()):
        if entry.is_dir():
            if entry.name not in SKIPPED:
                _copy_folder(entry, target / entry.name)
        else:
            shutil.copyfile(entry, target / entry.name)


def _move_into_place(staging: Path, target: Path, *, replace: bool) -> None:
    if not (replace and target.exists()):
        try:
            staging.rename(target)
        except OSError:
            # Another `sluice --demo` started at the same moment and put its copy there first: that one is used.
            if not target.is_dir():
                raise
        return
    # A reset: the old copy goes only once the new one is complete, and is deleted after the swap.
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
    target.rename(retired / target.name)
    try:
        staging.rename(target)
    except OSError:
        (retired / target.name).rename(target)  # the user's copy back in its place
        raise
    shutil.rmtree(retired, ignore_errors=True)  # left behind at worst: a hidden folder, the new copy is in place
