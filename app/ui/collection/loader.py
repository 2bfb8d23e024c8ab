"""Load a collection through the model and shape it for the tree; build the variable scopes for a request."""

from __future__ import annotations

from pathlib import Path

from app.model.collection import BrokenFile, Folder, RequestFile, load_collection
from app.model.scopes import RunScopes, scopes_for
from app.ui.collection.entries import BrokenEntry, CollectionView, Entry, FolderEntry, RequestEntry
from app.ui.request.bridge import draft_from_definition


def _entry(node: object) -> Entry:
    if isinstance(node, RequestFile):
        return RequestEntry(node.path, draft_from_definition(node.definition), node)
    if isinstance(node, BrokenFile):
        return BrokenEntry(node.path, str(node))
    assert isinstance(node, Folder)
    children = tuple(_entry(child) for child in node.children)
    if node.problem is not None:
        children = (BrokenEntry(node.problem.path, str(node.problem)), *children)
    return FolderEntry(node.path, node.name, children)


def load_collection_view(root: Path) -> CollectionView:
    """Read the collection at `root`; broken files appear as entries, never as an exception."""
    collection = load_collection(root)
    entries = tuple(_entry(node) for node in collection.children)
    # Problems outside the tree (collection.toml, environments, .env) are listed at the top.
    in_tree = {entry.path for entry in _walk_entries(entries) if isinstance(entry, BrokenEntry)}
    loose = tuple(BrokenEntry(problem.path, str(problem)) for problem in collection.problems if problem.path not in in_tree)
    return CollectionView(
        root=collection.root,
        name=collection.name,
        entries=loose + entries,
        environments=tuple(environment.name for environment in collection.environments),
        default_environment=collection.default_environment or None,
        model=collection,
    )


def _walk_entries(entries: tuple[Entry, ...]) -> list[Entry]:
    found: list[Entry] = []
    for entry in entries:
        found.append(entry)
        if isinstance(entry, FolderEntry):
            found.extend(_walk_entries(entry.children))
    return found


def request_scopes(
    view: CollectionView | None, request_path: Path | None, environment: str | None, run: dict[str, str]
) -> RunScopes:
    """The scopes a request at `request_path` resolves against; `run` holds overrides and extracted values."""
    return scopes_for(view.model if view is not None else None, request_path, environment or "", run=run)
