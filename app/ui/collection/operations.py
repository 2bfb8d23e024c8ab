"""File operations behind the tree's keys: new request or folder, rename, duplicate, delete.

Requests are written through the model (`save_request`: atomic, canonical TOML); folders are plain
directories. Every function returns the path the tree should select afterwards.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

from app.model.collection import BrokenFile, Collection, CollectionNode, Folder, RequestFile, save_request
from app.model.request_definition import RequestDefinition


class OperationError(Exception):
    """A file operation that cannot be done (the name is taken, the file vanished, …)."""


def file_stem(name: str) -> str:
    """A file name for a request called `name`: lower-case words joined by dashes."""
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return stem or "request"


def _free_path(folder: Path, stem: str, suffix: str = ".toml") -> Path:
    candidate = folder / f"{stem}{suffix}"
    counter = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{counter}{suffix}"
        counter += 1
    return candidate


def new_request(folder: Path, name: str, url: str = "{{base_url}}/") -> Path:
    """Write a new GET request called `name` in `folder`."""
    path = _free_path(folder, file_stem(name))
    save_request(path, RequestDefinition(name=name, url=url), None)
    return path


def save_new_request(folder: Path, definition: RequestDefinition) -> RequestFile:
    """Write a request that has no file yet (typed from scratch or imported from curl)."""
    return save_request(_free_path(folder, file_stem(definition.name)), definition, None)


def new_folder(parent: Path, name: str) -> Path:
    path = parent / file_stem(name)
    if path.exists():
        raise OperationError(f"{path.name} already exists in {parent}")
    path.mkdir()
    return path


def rename(entry: CollectionNode, name: str) -> Path:
    """Rename a request (its `name` and its file) or a folder (its directory)."""
    if isinstance(entry, RequestFile):
        request = entry
        target = entry.path if file_stem(name) == entry.path.stem else _free_path(entry.path.parent, file_stem(name))
        save_request(entry.path, replace(request.definition, name=name), request.stamp)
        if target != entry.path:
            entry.path.rename(target)
        return target
    new_name = file_stem(name) if isinstance(entry, Folder) else name.strip()
    if not new_name or new_name in (".", "..") or "/" in new_name or "\\" in new_name or "\0" in new_name:
        raise OperationError(f"{name!r} cannot be a file name (no '/', '\\', '.' or '..')")
    target = entry.path.with_name(new_name)
    if target.exists():
        raise OperationError(f"{target.name} already exists")
    entry.path.rename(target)
    return target


def duplicate(entry: CollectionNode) -> Path:
    """Copy a request next to itself as "<name> copy"."""
    if not isinstance(entry, RequestFile):
        raise OperationError("only requests can be duplicated")
    request = entry
    copy_name = f"{request.definition.name} copy"
    path = _free_path(entry.path.parent, file_stem(copy_name))
    save_request(path, replace(request.definition, name=copy_name), None)
    return path


def delete(entry: CollectionNode, view: Collection) -> Path:
    """Remove a request file, a broken file or a whole folder of the collection `view`; returns what the
    tree selects then: the entry after it in its folder, else the one before, else the folder."""
    siblings = _siblings(view, entry)
    index = next(i for i, node in enumerate(siblings) if node.path == entry.path)
    neighbours = [*siblings[index + 1:], *reversed(siblings[:index])]
    if isinstance(entry, Folder):
        shutil.rmtree(entry.path)
    elif isinstance(entry, (RequestFile, BrokenFile)):
        entry.path.unlink(missing_ok=True)
    return neighbours[0].path if neighbours else entry.path.parent


def requests_inside(folder: Folder) -> int:
    """How many request files a folder holds, at any depth (a delete question says so)."""
    return sum(1 if isinstance(child, RequestFile) else requests_inside(child) if isinstance(child, Folder) else 0
               for child in folder.children)


def _siblings(view: Collection, entry: CollectionNode) -> tuple[CollectionNode, ...]:
    """The entries of `entry`'s folder in display order (`entry` among them)."""
    parent = next((folder for folder in view.folders_above(entry.path) if entry in folder.children), None)
    children = parent.children if parent is not None else view.children
    return children if any(node.path == entry.path for node in children) else (entry,)
