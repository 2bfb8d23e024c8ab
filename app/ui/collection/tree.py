"""The collection tree: folders and requests with a badge for the kind, broken files shown as broken."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from app.terminal_text import safe_line
from app.ui.collection.entries import BrokenEntry, CollectionView, Entry, FolderEntry, RequestEntry, matches_filter
from app.ui.themes import method_token

BADGE_WIDTH = 7


def badge_label(entry: RequestEntry, colours: dict[str, str]) -> Text:
    """`POST  name`, `SSE   name`, `WS    name` with the badge coloured by a theme token."""
    badge = entry.draft.badge
    if badge == "WS":
        token = "badge-ws"
    elif badge in ("SSE", "NDJSON"):
        token = "badge-stream"
    else:
        token = method_token(badge)
    return Text.assemble((badge.ljust(BADGE_WIDTH), f"bold {colours.get(token, '')}"), safe_line(entry.name))


def broken_label(entry: BrokenEntry, colours: dict[str, str]) -> Text:
    colour = colours.get("tree-broken", "red")
    return Text.assemble(("BROKEN".ljust(BADGE_WIDTH), f"bold {colour}"), (safe_line(entry.name), colour))


class CollectionTree(Tree[Entry]):
    """Browse a collection; Enter opens a request. File operations are asked for with messages."""

    DEFAULT_CSS = """
    CollectionTree { background: $surface; }
    """

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="tree.down"),
        Binding("k", "cursor_up", "Up", show=False, id="tree.up"),
        Binding("g", "scroll_home", "Top", show=False, id="tree.top"),
        Binding("G", "scroll_end", "Bottom", show=False, id="tree.bottom"),
        Binding("n", "new_request", "New", id="tree.new_request",
                tooltip="New request in the folder under the cursor"),
        Binding("N", "new_folder", "New folder", show=False, id="tree.new_folder",
                tooltip="New folder"),
        Binding("r", "rename", "Rename", id="tree.rename"),
        Binding("d", "duplicate", "Duplicate", id="tree.duplicate"),
        Binding("delete,x", "delete", "Delete", id="tree.delete",
                tooltip="Delete (asks first)"),
        Binding("slash", "filter", "Filter", id="tree.filter",
                tooltip="Filter the tree by name"),
    ]

    class RequestChosen(Message):
        """The user opened a request (Enter or click)."""

        def __init__(self, entry: RequestEntry) -> None:
            super().__init__()
            self.entry = entry

    class BrokenChosen(Message):
        """The user opened a broken file: the app shows why it is broken."""

        def __init__(self, entry: BrokenEntry) -> None:
            super().__init__()
            self.entry = entry

    class FileAction(Message):
        """A file operation on the entry under the cursor (`new_request`, `new_folder`, `rename`, …)."""

        def __init__(self, action: str, entry: Entry | None, folder: Path) -> None:
            super().__init__()
            self.action = action
            self.entry = entry
            self.folder = folder
            """The folder a new item goes into."""

    class FilterRequested(Message):
        """The user pressed `/`: the sidebar shows its filter box."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Collection", id=id)
        self.show_root = False
        self.guide_depth = 2
        self._view: CollectionView | None = None
        self._filter = ""
        self._colours: dict[str, str] = {}

    def on_mount(self) -> None:
        # Badge colours come from the theme: rebuild the labels when the theme changes.
        self.watch(self.app, "theme", lambda _theme: self._rebuild(self._cursor_path()), init=False)

    def _cursor_path(self) -> Path | None:
        entry = self._cursor_entry()
        return entry.path if entry is not None else None

    @property
    def collection(self) -> CollectionView | None:
        return self._view

    def show_collection(self, view: CollectionView, *, select: Path | None = None) -> None:
        """Display a (re)loaded collection, keeping the cursor on `select` when given."""
        self._view = view
        self._rebuild(select)

    def set_filter(self, needle: str) -> None:
        """Show only entries whose name contains `needle` (folders stay when a descendant matches)."""
        self._filter = needle
        self._rebuild(None)

    def _rebuild(self, select: Path | None) -> None:
        self.clear()
        if self._view is None:
            return
        self._colours = {key: str(value) for key, value in self.app.get_css_variables().items()}
        # Names come from cloned files: escaped, and a Text so that `[...]` in a name is not markup.
        self.root.label = Text(safe_line(self._view.name))
        wanted: TreeNode[Entry] | None = None
        for entry in self._view.entries:
            found = self._add(self.root, entry, select)
            wanted = wanted or found
        target = wanted if wanted is not None else (self.root.children[0] if self.root.children else None)
        if target is not None:
            # Node lines are laid out on the next refresh; moving the cursor before that has no effect.
            self.call_after_refresh(self.move_cursor, target)

    def _add(self, parent: TreeNode[Entry], entry: Entry, select: Path | None) -> TreeNode[Entry] | None:
        if not matches_filter(entry, self._filter):
            return None
        wanted: TreeNode[Entry] | None = None
        if isinstance(entry, FolderEntry):
            node = parent.add(Text(safe_line(entry.name), style="bold"), entry, expand=True)
            for child in entry.children:
                found = self._add(node, child, select)
                wanted = wanted or found
        elif isinstance(entry, RequestEntry):
            node = parent.add_leaf(badge_label(entry, self._colours), entry)
        else:
            node = parent.add_leaf(broken_label(entry, self._colours), entry)
        if select is not None and entry.path == select:
            wanted = node
        return wanted

    def on_tree_node_selected(self, event: Tree.NodeSelected[Entry]) -> None:
        event.stop()
        entry = event.node.data
        if isinstance(entry, RequestEntry):
            self.post_message(self.RequestChosen(entry))
        elif isinstance(entry, BrokenEntry):
            self.post_message(self.BrokenChosen(entry))

    def _cursor_entry(self) -> Entry | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def _target_folder(self) -> Path:
        entry = self._cursor_entry()
        if isinstance(entry, FolderEntry):
            return entry.path
        if entry is not None:
            return entry.path.parent
        return self._view.root if self._view is not None else Path.cwd()

    def _ask(self, action: str) -> None:
        self.post_message(self.FileAction(action, self._cursor_entry(), self._target_folder()))

    def action_new_request(self) -> None:
        """Create a request in the folder under the cursor."""
        self._ask("new_request")

    def action_new_folder(self) -> None:
        """Create a folder in the folder under the cursor."""
        self._ask("new_folder")

    def action_rename(self) -> None:
        """Rename the entry under the cursor."""
        self._ask("rename")

    def action_duplicate(self) -> None:
        """Copy the request under the cursor."""
        self._ask("duplicate")

    def action_delete(self) -> None:
        """Delete the entry under the cursor (after confirmation)."""
        self._ask("delete")

    def action_filter(self) -> None:
        """Filter the tree by name."""
        self.post_message(self.FilterRequested())
