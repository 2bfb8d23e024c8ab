"""A collection on disk: a directory tree of request files, loaded so that one bad file breaks nothing else.

```
collection.toml          name, description, default environment, variables, headers
environments/*.toml      one environment per file
.env                     secrets (written by Sluice only to move a secret there when asked)
some-folder/folder.toml  optional: order, description, headers, variables
some-folder/chat.toml    one request per file
```
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Union

from app.model.dotenv import DOTENV_FILE, load_dotenv
from app.model.environment import ENVIRONMENTS_DIR, Environment, files_signature, load_environment
from app.model.request_definition import Extra, Pairs, RequestDefinition
from app.model.storage import FileStamp, link_out_of, read_regular, read_stamped, save_checked
from app.model.toml_format import dumps_request, loads_request
from app.model.toml_location import FileFormatError
from app.model.toml_table import TableReader, parse_toml

COLLECTION_FILE = "collection.toml"
DEFAULT_ENVIRONMENT_KEY = "default_environment"
"""The `collection.toml` key naming the environment used without `--env` (edited by `collection_file.py`)."""
FOLDER_FILE = "folder.toml"


@dataclass(frozen=True, slots=True)
class BrokenFile:
    """A file that could not be loaded; shown in the tree with its error, never hidden."""

    path: Path
    line: int
    column: int
    message: str

    @property
    def title(self) -> str:
        return self.path.stem if self.path.suffix == ".toml" else self.path.name

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True, slots=True)
class RequestFile:
    """A loaded request file and the stamp a save checks against."""

    path: Path
    definition: RequestDefinition
    stamp: FileStamp | None = None

    @property
    def title(self) -> str:
        return self.definition.name or self.path.stem


@dataclass(frozen=True, slots=True)
class Folder:
    """A subdirectory, with the settings of its optional `folder.toml`."""

    path: Path
    name: str
    description: str = ""
    order: tuple[str, ...] = ()
    headers: Pairs = ()
    variables: Pairs = ()
    children: tuple[CollectionNode, ...] = ()
    problem: BrokenFile | None = None
    """Set when `folder.toml` itself is broken (the folder's requests still load)."""
    merge_script: str = ""
    """The merge script of the requests under this folder that name none (relative to the collection)."""
    extra: Extra = ()

    @property
    def title(self) -> str:
        return self.name


CollectionNode = Union[Folder, RequestFile, BrokenFile]


@dataclass(frozen=True, slots=True)
class Collection:
    """A whole collection: its tree, settings, environments and `.env` values."""

    root: Path
    name: str
    description: str = ""
    default_environment: str = ""
    variables: Pairs = ()
    headers: Pairs = ()
    children: tuple[CollectionNode, ...] = ()
    environments: tuple[Environment, ...] = ()
    dotenv: dict[str, str] = field(default_factory=dict)
    problems: tuple[BrokenFile, ...] = ()
    """Broken files outside the tree: `collection.toml`, environment files, `.env`."""
    merge_script: str = ""
    """The merge script of every request that names none itself nor in a folder (relative to the root)."""
    extra: Extra = ()
    environments_signature: tuple[tuple[str, int, int], ...] = ()
    """The environment files and `.env` as they were when loaded (`refresh_environments` compares)."""

    def walk(self) -> Iterator[CollectionNode]:
        """Every node, depth first, in display order."""
        yield from _walk(self.children)

    def requests(self) -> list[RequestFile]:
        return [node for node in self.walk() if isinstance(node, RequestFile)]

    def broken_files(self) -> list[BrokenFile]:
        """Every broken file: in the tree, `folder.toml`s, and the collection-level ones."""
        broken = [node for node in self.walk() if isinstance(node, BrokenFile)]
        broken += [node.problem for node in self.walk() if isinstance(node, Folder) and node.problem]
        return [*self.problems, *broken]

    def find(self, path: Path) -> CollectionNode | None:
        resolved = path.resolve()
        return next((node for node in self.walk() if node.path.resolve() == resolved), None)

    def request(self, path: Path) -> RequestFile | None:
        """The loaded request file at `path`, or None (not there, or broken)."""
        node = self.find(path)
        return node if isinstance(node, RequestFile) else None

    def folders_above(self, path: Path) -> list[Folder]:
        """The folders containing `path`, outermost first."""
        resolved = path.resolve()
        chain: list[Folder] = []
        children = self.children
        while True:
            folder = next(
                (node for node in children if isinstance(node, Folder) and node.path.resolve() in resolved.parents),
                None,
            )
            if folder is None:
                return chain
            chain.append(folder)
            children = folder.children

    @property
    def environment_names(self) -> tuple[str, ...]:
        return tuple(environment.name for environment in self.environments)

    def environment(self, name: str) -> Environment | None:
        return next((environment for environment in self.environments if environment.name == name), None)


def _walk(nodes: tuple[CollectionNode, ...]) -> Iterator[CollectionNode]:
    for node in nodes:
        yield node
        if isinstance(node, Folder):
            yield from _walk(node.children)


def _broken(path: Path, error: FileFormatError | OSError | UnicodeDecodeError) -> BrokenFile:
    if isinstance(error, FileFormatError):
        return BrokenFile(path, error.line, error.column, error.message)
    if isinstance(error, UnicodeDecodeError):
        line, column = _decode_position(error)
        return BrokenFile(path, line, column, f"not UTF-8 text: {error.reason} (byte {error.start} of the file)")
    return BrokenFile(path, 1, 1, error.strerror or str(error))


def _decode_position(error: UnicodeDecodeError) -> tuple[int, int]:
    """The line and column (1-based, in characters) of the first byte that is not UTF-8: what comes
    before it on its line decoded, so it is counted as an editor counts it."""
    data = bytes(error.object)
    line_start = data.rfind(b"\n", 0, error.start) + 1
    before = data[line_start:error.start].decode("utf-8", errors="replace")
    return data.count(b"\n", 0, error.start) + 1, len(before) + 1


def _link_out(path: Path, target: Path) -> BrokenFile:
    # A cloned `shared -> ~` or `x.toml -> ~/.config/…` would read local files nobody asked for.
    return BrokenFile(path, 1, 1, f"a link to {target}, outside the collection: not followed")


def load_request_file(path: Path) -> RequestFile | BrokenFile:
    """One request file, or a `BrokenFile` saying what is wrong and where."""
    try:
        data, stamp = read_stamped(path)
        return RequestFile(path, loads_request(data.decode("utf-8")), stamp)
    except (FileFormatError, OSError, UnicodeDecodeError) as error:
        return _broken(path, error)


def _read_settings(path: Path) -> tuple[TableReader | None, BrokenFile | None]:
    # Only a name that is not there at all means "no settings": a FIFO, a folder or a dangling link by
    # that name is a broken file (read_regular says which, without blocking on a FIFO).
    if not path.exists() and not path.is_symlink():
        return None, None
    if (outside := link_out_of(path, path.parent.resolve())) is not None:
        return None, _link_out(path, outside)
    try:
        text = read_regular(path).decode("utf-8")
        return TableReader(text, parse_toml(text)), None
    except (FileFormatError, OSError, UnicodeDecodeError) as error:
        return None, _broken(path, error)


def _is_listed(path: Path) -> bool:
    return not path.name.startswith((".", "_"))


MAX_FOLDER_DEPTH = 32
"""Folders deeper than this are not loaded (reported instead): no collection nests so far, and loading
recurses once per level."""


def _load_children(
    directory: Path, order: tuple[str, ...], is_root: bool, ancestors: tuple[Path, ...]
) -> tuple[CollectionNode, ...]:
    folders: list[CollectionNode] = []
    requests: list[CollectionNode] = []
    try:
        entries = sorted(directory.iterdir(), key=lambda item: item.name.lower())
    except OSError as error:
        return (_broken(directory, error),)
    for entry in entries:
        if not _is_listed(entry):
            continue
        if entry.is_dir():
            if is_root and entry.name == ENVIRONMENTS_DIR:
                continue
            # A link to a folder that is already being loaded (`ln -s .. up`) would load forever, or
            # (to the root) load a second copy of everything: it is shown as broken, never followed.
            target = entry.resolve()
            if target in ancestors or (entry.is_symlink() and target.is_relative_to(ancestors[0])):
                folders.append(BrokenFile(entry, 1, 1, "a link to a folder of this collection: not followed"))
            elif (outside := link_out_of(entry, ancestors[0])) is not None:
                folders.append(_link_out(entry, outside))
            elif len(ancestors) > MAX_FOLDER_DEPTH:
                folders.append(BrokenFile(entry, 1, 1, f"folders nested more than {MAX_FOLDER_DEPTH} deep: not loaded"))
            else:
                folder = load_folder(entry, (*ancestors, target))
                if not _holds_only_other_files(folder):
                    folders.append(folder)
        elif entry.suffix == ".toml" and entry.name not in (COLLECTION_FILE, FOLDER_FILE):
            outside = link_out_of(entry, ancestors[0])
            requests.append(load_request_file(entry) if outside is None else _link_out(entry, outside))
    # Folders first, each group by the name shown (a request's `name`, not its file name).
    children = sorted(folders, key=_display_key) + sorted(requests, key=_display_key)
    rank = {name: index for index, name in enumerate(order)}
    # Listed names first in their order; the rest keep that display order.
    return tuple(sorted(children, key=lambda node: rank.get(node.path.name, len(rank))))


def _holds_only_other_files(folder: Folder) -> bool:
    """Whether `folder` is not a folder of requests: nothing in it loads (no request, no folder, no broken
    file), it has no `folder.toml`, yet it holds other files, such as a collection's merge scripts
    (`scripts/plain_tokens.py`) or test data. Such a folder is left out of the tree; an empty folder (one
    just made with `N`) and a folder with settings are folders of requests still to come, and are kept."""
    if folder.children or folder.problem is not None or (folder.path / FOLDER_FILE).exists():
        return False
    try:
        return any(_is_listed(child) for child in folder.path.iterdir())
    except OSError:
        return False


def _display_key(node: CollectionNode) -> tuple[str, str]:
    return node.title.casefold(), node.path.name


def load_folder(directory: Path, ancestors: tuple[Path, ...] = ()) -> Folder:
    """A folder and everything under it; a broken `folder.toml` is reported on the folder, not fatal.

    `ancestors` are the resolved folders being loaded above it, the collection root first."""
    if not ancestors:
        ancestors = (directory.resolve(),)
    reader, problem = _read_settings(directory / FOLDER_FILE)
    settings: dict[str, Any] = {}
    if reader is not None:
        try:
            settings = _shared_settings(reader, directory.name)
        except FileFormatError as error:
            settings, problem = {}, _broken(directory / FOLDER_FILE, error)
    settings.setdefault("name", directory.name)
    children = _load_children(directory, settings.get("order", ()), False, ancestors)
    return Folder(path=directory, children=children, problem=problem, **settings)


def _shared_settings(reader: TableReader, default_name: str) -> dict[str, Any]:
    """What `collection.toml` and `folder.toml` both hold (name, description, order, headers, variables,
    merge script), and the keys neither knows (`extra`, kept on save): read last, once every key the file
    type knows has been read."""
    settings: dict[str, Any] = {
        "name": reader.text("name", default_name),
        "description": reader.text("description"),
        "order": reader.strings("order"),
        "headers": reader.header_pairs("headers"),
        "variables": reader.pairs("variables"),
        "merge_script": reader.text("merge_script"),
    }
    settings["extra"] = reader.extra()
    return settings


def load_collection(root: Path) -> Collection:
    """Load the collection at `root`. Broken files become `BrokenFile` entries; everything else loads."""
    root = root.resolve()
    problems: list[BrokenFile] = []
    settings: dict[str, Any] = {"name": root.name}
    reader, problem = _read_settings(root / COLLECTION_FILE)
    if problem:
        problems.append(problem)
    if reader is not None:
        try:
            default_environment = reader.text(DEFAULT_ENVIRONMENT_KEY)
            settings = {**_shared_settings(reader, root.name), "default_environment": default_environment}
        except FileFormatError as error:
            problems.append(_broken(root / COLLECTION_FILE, error))
    environments, dotenv, secret_problems = load_environments(root)
    problems += secret_problems
    order = settings.pop("order", ())
    return Collection(
        root=root,
        children=_load_children(root, order, True, (root,)) if root.is_dir() else (),
        environments=environments,
        dotenv=dotenv,
        problems=tuple(problems),
        environments_signature=files_signature(root),
        **settings,
    )


def load_environments(root: Path) -> tuple[tuple[Environment, ...], dict[str, str], list[BrokenFile]]:
    """The collection's `environments/*.toml` and `.env`, each broken file reported (the others load)."""
    problems: list[BrokenFile] = []
    environments: list[Environment] = []
    environments_dir = root / ENVIRONMENTS_DIR
    if (outside := link_out_of(environments_dir, root.resolve())) is not None:
        problems.append(_link_out(environments_dir, outside))
    elif environments_dir.is_dir():
        for path in sorted(environments_dir.glob("*.toml")):
            if path.name.startswith("."):
                continue  # an editor's or a save's temporary file
            if (outside := link_out_of(path, root.resolve())) is not None:
                problems.append(_link_out(path, outside))
                continue
            try:
                environments.append(load_environment(path))
            except (FileFormatError, OSError, UnicodeDecodeError) as error:
                problems.append(_broken(path, error))
    dotenv: dict[str, str] = {}
    try:
        dotenv = load_dotenv(root / DOTENV_FILE)
    except (FileFormatError, OSError, UnicodeDecodeError) as error:
        problems.append(_broken(root / DOTENV_FILE, error))
    return tuple(environments), dotenv, problems


def refresh_environments(collection: Collection) -> Collection:
    """`collection` with its environments and `.env` read again if any was added, removed or changed on
    disk since it was loaded (a few `stat` calls when none was: cheap enough before every send); the
    same object otherwise. The tree is not reloaded."""
    signature = files_signature(collection.root)
    if signature == collection.environments_signature:
        return collection
    environments, dotenv, secret_problems = load_environments(collection.root)
    others = tuple(problem for problem in collection.problems if not _is_secret_file(collection.root, problem.path))
    return replace(collection, environments=environments, dotenv=dotenv, problems=(*others, *secret_problems),
                   environments_signature=signature)


def _is_secret_file(root: Path, path: Path) -> bool:
    return path == root / DOTENV_FILE or path.parent == root / ENVIRONMENTS_DIR


def save_request(path: Path, definition: RequestDefinition, expected: FileStamp | None) -> RequestFile:
    """Write a request atomically. `expected` is the stamp from loading (None for a new file);
    raises `SaveConflict` if the file on disk is no longer what was loaded."""
    stamp = save_checked(path, dumps_request(definition).encode("utf-8"), expected)
    return RequestFile(path, definition, stamp)


def find_collection_root(path: Path) -> Path | None:
    """The nearest directory at or above `path` holding `collection.toml`, or None.

    Any entry by that name counts (a FIFO, a folder, a dangling link: `lexists`, which opens nothing):
    `is_file()` passed over them, and a clone's requests ran in the collection above it, its `.env` too.
    Loading names such a file as broken."""
    start = path.resolve()
    for directory in (start, *start.parents) if start.is_dir() else start.parents:
        if os.path.lexists(directory / COLLECTION_FILE):
            return directory
    return None
