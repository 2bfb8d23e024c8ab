"""What the collection tree shows: folders, requests and broken files, independent of the model's classes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Union

from app.model.collection import Collection, RequestFile
from app.ui.request.draft import RequestDraft


@dataclass(frozen=True, slots=True)
class RequestEntry:
    """A request file: its draft (for the badge and the editor) and the model object it came from."""

    path: Path
    draft: RequestDraft
    definition: RequestFile | None = None
    """The file as the model loaded it (definition and stamp), handed back to the model on save."""

    @property
    def name(self) -> str:
        return self.draft.name or self.path.stem


@dataclass(frozen=True, slots=True)
class BrokenEntry:
    """A file that could not be loaded, shown with the reason."""

    path: Path
    message: str

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True, slots=True)
class FolderEntry:
    """A folder and what it holds, in display order."""

    path: Path
    name: str
    children: tuple[Entry, ...] = ()


Entry = Union[FolderEntry, RequestEntry, BrokenEntry]


@dataclass(frozen=True, slots=True)
class CollectionView:
    """A loaded collection as the app uses it."""

    root: Path
    name: str
    entries: tuple[Entry, ...] = ()
    environments: tuple[str, ...] = ()
    default_environment: str | None = None
    model: Collection | None = None
    """The model's `Collection`, kept for resolving variables."""

    def requests(self) -> list[RequestEntry]:
        """Every request, depth first, in display order."""
        found: list[RequestEntry] = []
        stack: list[Entry] = list(reversed(self.entries))
        while stack:
            entry = stack.pop()
            if isinstance(entry, RequestEntry):
                found.append(entry)
            elif isinstance(entry, FolderEntry):
                stack.extend(reversed(entry.children))
        return found

    def find(self, path: Path) -> RequestEntry | None:
        for entry in self.requests():
            if entry.path == path:
                return entry
        return None


def matches_filter(entry: Entry, needle: str) -> bool:
    """True when the entry's name (or, for a folder, any descendant's) contains `needle`."""
    if not needle:
        return True
    lowered = needle.lower()
    if lowered in entry.name.lower():
        return True
    if isinstance(entry, FolderEntry):
        return any(matches_filter(child, needle) for child in entry.children)
    return False
