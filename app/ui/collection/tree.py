"""The collection tree: folders and requests with a badge for the kind, broken files shown as broken."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from app.model.collection import BrokenFile, Collection, CollectionNode, Folder, RequestFile
from app.model.request_definition import RequestDefinition
from app.terminal_text import safe_line
from app.ui.bindings import key_named
from app.ui.themes import method_token
from app.vocabulary import ParseMode

BADGE_WIDTH = 7
_STREAM_BADGES = frozenset({ParseMode.SSE, ParseMode.NDJSON})


def badge(definition: RequestDefinition) -> str:
    """The tree's badge: WS, the stream format when set to stream, else the method."""
    if definition.is_websocket:
        return "WS"
    if definition.stream.parse_mode in _STREAM_BADGES:
        return definition.stream.parse_mode.value.upper()
    return definition.method.upper()


def badge_label(entry: RequestFile, colours: dict[str, str]) -> Text:
    """`POST  name`, `SSE   name`, `WS    name` with the badge coloured by a theme token."""
    kind = badge(entry.definition)
    if kind == "WS":
        token = "badge-ws"
    elif kind in ("SSE", "NDJSON"):
        token = "badge-stream"
    else:
        token = method_token(kind)
    return Text.assemble((safe_line(kind).ljust(BADGE_WIDTH), f"bold {colours.get(token, '')}"), safe_line(entry.title))


def broken_label(entry: BrokenFile, colours: dict[str, str]) -> Text:
    colour = colours.get("tree-broken", "red")
    return Text.assemble(("BROKEN".ljust(BADGE_WIDTH), f"bold {colour}"), (safe_line(entry.path.name), colour))


def matches_filter(node: CollectionNode, needle: str) -> bool:
    """True when the node's shown name (or, for a folder, any descendant's) contains `needle`."""
    if not needle:
        return True
    lowered = needle.casefold()
    if lowered in node.title.casefold():
        return True
    if isinstance(node, Folder):
        return any(matches_filter(child, needle) for child in node.children)
    return False


def tree_nodes(collection: Collection) -> tuple[CollectionNode, ...]:
    """What the tree lists: broken collection-level files first, then the tree (a folder's broken
    `folder.toml` as its first child)."""
    return (*collection.problems, *(_with_problem(node) for node in collection.children))


def _with_problem(node: CollectionNode) -> CollectionNode:
    if not isinstance(node, Folder):
        return node
    children = tuple(_with_problem(child) for child in node.children)
    return replace(node, children=(node.problem, *children) if node.problem is not None else children)


class CollectionTree(Tree[CollectionNode]):
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
                tooltip="Delete the request, or the folder and everything in it (asks first, saying how many "
                        "requests go); the cursor moves to the next entry"),
        Binding("slash", "filter", "Filter", id="tree.filter",
                tooltip="Filter the tree by name"),
    ]

    class RequestChosen(Message):
        """The user opened a request (Enter or click)."""

        def __init__(self, entry: RequestFile) -> None:
            super().__init__()
            self.entry = entry

    class BrokenChosen(Message):
        """The user opened a broken file: the app shows why it is broken."""

        def __init__(self, entry: BrokenFile) -> None:
            super().__init__()
            self.entry = entry

    class FileAction(Message):
        """A file operation on the entry under the cursor (`new_request`, `new_folder`, `rename`, …)."""

        def __init__(self, action: str, entry: CollectionNode | None, folder: Path) -> None:
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
        self._view: Collection | None = None
        self._filter = ""
        self._colours: dict[str, str] = {}

    def on_mount(self) -> None:
        # Badge colours come from the theme: rebuild the labels when the theme changes.
        self.watch(self.app, "theme", lambda _theme: self._rebuild(self._cursor_path()), init=False)

    def render_label(self, node: TreeNode[CollectionNode], base_style: Style, style: Style) -> Text:
        # A name wider than the tree is cut with `…`: cut bare, `Diagnostic chat (SSE ` read as whole, and
        # the keyboard has no way to scroll the tree sideways to the rest.
        label = super().render_label(node, base_style, style)
        room = self._label_room(node)
        if label.cell_len > room:
            label.truncate(room, overflow="ellipsis")
        return label

    def get_label_width(self, node: TreeNode[CollectionNode]) -> int:
        # As cut: no line wider than the tree, so no sideways scroll bar under it.
        return min(super().get_label_width(node), self._label_room(node))

    def _label_room(self, node: TreeNode[CollectionNode]) -> int:
        depth = 0
        parent = node.parent
        while parent is not None:
            depth += 1
            parent = parent.parent
        guides = max(0, depth - (0 if self.show_root else 1)) * self.guide_depth
        return max(1, self.scrollable_content_region.width - guides)

    def _cursor_path(self) -> Path | None:
        entry = self.cursor_entry
        return entry.path if entry is not None else None

    @property
    def collection(self) -> Collection | None:
        return self._view

    def show_collection(self, view: Collection, *, select: Path | None = None) -> None:
        """Display a (re)loaded collection, keeping the cursor on `select` when given."""
        self._view = view
        self._rebuild(select)

    def move_cursor_to(self, path: Path) -> None:
        """Put the cursor on the entry at `path` if the tree shows it (a filter may hide it)."""
        pending = list(self.root.children)
        while pending:
            node = pending.pop()
            if node.data is not None and node.data.path == path:
                if node.line >= 0:
                    self.cursor_line = node.line
                    self.scroll_to_node(node, animate=False)
                return
            pending.extend(node.children)

    def set_filter(self, needle: str) -> None:
        """Show only entries whose name contains `needle` (folders stay when a descendant matches).

        The cursor lands on the first matching request (so Enter opens it, not its folder); clearing
        the filter keeps the cursor where it was instead of jumping to the top."""
        current = self._cursor_path()
        self._filter = needle
        select = current
        if needle and self._view is not None:
            first = next((node for node in _walk(tree_nodes(self._view), needle) if isinstance(node, RequestFile)), None)
            select = first.path if first is not None else current
        self._rebuild(select)

    def _rebuild(self, select: Path | None) -> None:
        self.clear()
        if self._view is None:
            return
        self._colours = {key: str(value) for key, value in self.app.get_css_variables().items()}
        # Names come from cloned files: escaped, and a Text so that `[...]` in a name is not markup.
        self.root.label = Text(safe_line(self._view.name))
        wanted: TreeNode[CollectionNode] | None = None
        for entry in tree_nodes(self._view):
            found = self._add(self.root, entry, select)
            wanted = wanted or found
        if self._filter and not self.root.children:
            # An empty box read as "the collection is gone"; this says why, and Esc brings all back.
            shows_all = key_named(self, "app.close_tree_filter")  # the screen's key, as the keymap has it
            note = Text(f"No name contains “{safe_line(self._filter)}” ({shows_all} shows all)", style="italic")
            note.stylize(self._colours.get("text-muted", ""))
            self.root.add_leaf(note)
        target = wanted if wanted is not None else (self.root.children[0] if self.root.children else None)
        # The lines are built now rather than at the first render (`last_line` builds them): the scroll
        # bars they call for are then part of the screen's next layout (found at the render, they laid
        # out and painted the screen again), and the cursor, which needs its node's line, is set at once.
        if self.last_line >= 0 and target is not None:
            self.cursor_line = target.line
            # Scrolled to once the tree has its size (before its first layout, a scroll put the cursor's
            # line at the top).
            self.call_after_refresh(self.scroll_to_node, target, animate=False)

    def _add(
        self, parent: TreeNode[CollectionNode], entry: CollectionNode, select: Path | None
    ) -> TreeNode[CollectionNode] | None:
        if not matches_filter(entry, self._filter):
            return None
        wanted: TreeNode[CollectionNode] | None = None
        if isinstance(entry, Folder):
            node = parent.add(Text(safe_line(entry.title), style="bold"), entry, expand=True)
            for child in entry.children:
                found = self._add(node, child, select)
                wanted = wanted or found
        elif isinstance(entry, RequestFile):
            node = parent.add_leaf(badge_label(entry, self._colours), entry)
        else:
            node = parent.add_leaf(broken_label(entry, self._colours), entry)
        if select is not None and entry.path == select:
            wanted = node
        return wanted

    def on_tree_node_selected(self, event: Tree.NodeSelected[CollectionNode]) -> None:
        event.stop()
        if event.node.data is not None:
            self._choose(event.node.data)

    def _choose(self, entry: CollectionNode) -> None:
        if isinstance(entry, RequestFile):
            self.post_message(self.RequestChosen(entry))
        elif isinstance(entry, BrokenFile):
            self.post_message(self.BrokenChosen(entry))

    @property
    def cursor_entry(self) -> CollectionNode | None:
        """The request, broken file or folder under the cursor."""
        node = self.cursor_node
        return node.data if node is not None else None

    def _target_folder(self) -> Path:
        entry = self.cursor_entry
        if isinstance(entry, Folder):
            return entry.path
        if entry is not None:
            return entry.path.parent
        return self._view.root if self._view is not None else Path.cwd()

    def _ask(self, action: str) -> None:
        self.post_message(self.FileAction(action, self.cursor_entry, self._target_folder()))

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


def _walk(nodes: tuple[CollectionNode, ...], needle: str) -> list[CollectionNode]:
    """The nodes the filter `needle` shows, depth first in display order."""
    found: list[CollectionNode] = []
    for node in nodes:
        if matches_filter(node, needle):
            found.append(node)
            if isinstance(node, Folder):
                found.extend(_walk(node.children, needle))
    return found
