"""Which merge script a request uses: its own `[stream] merge_script`, else its innermost folder's
`merge_script` (folder.toml), else the collection's (collection.toml). Paths are relative to the
collection's root (a request outside any collection: to its own directory). Finding the file runs
nothing; whether it may run is the caller's decision (trust)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.model.collection import Collection
from app.model.request_definition import RequestDefinition


@dataclass(frozen=True, slots=True)
class MergeScriptRef:
    """A merge script named by a collection: where it is, as written, and the collection it belongs to."""

    path: Path
    shown: str
    collection_root: Path


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
    return MergeScriptRef((root / named).resolve(), named, root.resolve())
