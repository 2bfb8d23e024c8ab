"""Which merge script a request uses: its own `[stream] merge_script`, else its innermost folder's
`merge_script` (folder.toml), else the collection's (collection.toml). Paths are relative to the
collection's root (a request outside any collection: to its own directory). Finding the file runs
nothing; whether it may run is the caller's decision (trust).

A collection is cloned from anywhere: a script it names that resolves outside it (`../../x.py`, an
absolute path, a link out) or that is no regular file of sane size (`/dev/zero`, a FIFO) carries a
`problem`, and is then never read (not even for the trust dialog's preview) nor run. Those checks are
made again on the opened file when it is read (`read_merge_script`): the path checked here may be a
different file by then."""

from __future__ import annotations

import errno
import stat
from dataclasses import dataclass
from pathlib import Path

from app.model.collection import Collection
from app.model.request_definition import RequestDefinition
from app.model.storage import MAX_FILE_BYTES, read_regular


@dataclass(frozen=True, slots=True)
class MergeScriptRef:
    """A merge script named by a collection: where it is, as written, and the collection it belongs to."""

    path: Path
    shown: str
    collection_root: Path
    problem: str = ""
    """Why it is never read nor run, whatever the trust ("" when it may be, once trusted)."""


def merge_script_for(
    collection: Collection | None, request_path: Path | None, definition: RequestDefinition
) -> MergeScriptRef | None:
    """The merge script `definition` (saved at `request_path`) merges with, or None."""
    named = definition.stream.merge_script
    if not named and collection is not None and request_path is not None:
        for folder in reversed(collection.folders_above(request_path)):
            if folder.merge_script:
                named = folder.merge_script
                break
    if not named and collection is not None:
        named = collection.merge_script
    if not named:
        return None
    if collection is not None:
        root = collection.root
    elif request_path is not None:
        root = request_path.resolve().parent
    else:
        root = Path.cwd()
    path, root = (root / named).resolve(), root.resolve()
    return MergeScriptRef(path, named, root, _problem(named, path, root))


def _problem(named: str, path: Path, root: Path) -> str:
    if not path.is_relative_to(root):  # resolved: `..`, an absolute path and a link out all end up here
        return f"{named} is outside the collection ({path}); a collection's merge script must be inside it"
    try:
        status = path.stat()
    except OSError:
        return ""  # missing or unreadable: reading it says so
    if not stat.S_ISREG(status.st_mode):
        return f"{named} is not a regular file"
    if status.st_size > MAX_FILE_BYTES:
        return f"{named} is over {MAX_FILE_BYTES // (1024 * 1024)} MB"
    return ""


def read_merge_script(ref: MergeScriptRef) -> bytes:
    """The script's bytes, from one open file checked itself (regular, at most `MAX_FILE_BYTES`, inside
    the collection): what is hashed for trust and shown in the preview is what was checked. `OSError`
    saying why otherwise."""
    if ref.problem:
        raise OSError(errno.EPERM, ref.problem, str(ref.path))
    return read_regular(ref.path, inside=ref.collection_root)
