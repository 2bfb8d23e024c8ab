"""The workbench: collection tree left, request editor top right, response pane bottom right.

The screen wires the panes together: opening a request loads it into the editor, sending hands a new
response session to the pane and the history, and the tree's file operations reload the collection.
Sending itself lives in `sending.py`, pane layout in `layout.py`, file operations in
`collection/operations.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, TabbedContent

from app.model.collection import Collection, RequestFile
from app.terminal_text import safe_line
from app.ui.collection.dialogs import ConfirmDialog, MessageDialog
from app.ui.collection.tree import CollectionTree
from app.ui.history.panel import HistoryEntry, HistoryPanel
from app.ui.request.bridge import draft_from_definition
from app.ui.request.editor import FIRST_FIELD, RequestEditor
from app.ui.request.tabs import TAB_TITLES
from app.ui.request.url_bar import UrlInput, VariableHighlighter
from app.ui.request.websocket_tabs import MessagesTab
from app.ui.response.pane import ResponsePane
from app.ui.screens import requests as request_actions
from app.ui.screens.layout import LAYOUT_BINDINGS, LayoutActions
from app.ui.screens.sending import LiveRequest
from app.ui.settings import Layout


@dataclass(slots=True)
class Workspace:
    """What the screen is working on: the collection, the environment and run-time variables."""

    collection: Collection | None = None
    environment: str | None = None
    run_variables: dict[str, str] = field(default_factory=dict)
    """Values that win over every scope: the demo server's address, values extracted from responses."""


class MainScreen(LayoutActions):
    """The one screen of the workbench."""

    DEFAULT_CSS = """
    MainScreen #body { height: 1fr; }
    MainScreen #sidebar { width: 38; }
    MainScreen #sidebar CollectionTree { height: 1fr; border: round $panel; border-title-color: $text-muted; }
    MainScreen #sidebar CollectionTree:focus { border: round $primary; }
    MainScreen #tree-filter { display: none; }
    MainScreen #tree-filter.-visible { display: block; }
    MainScreen #workspace { width: 1fr; }
    MainScreen #editor { height: 45%; }
    MainScreen #response { height: 1fr; }
    """

    BINDINGS = [
        Binding("ctrl+j,ctrl+enter", "send", "Send", priority=True, id="request.send",
                tooltip="Send the request; for a WebSocket: connect, then send the composed message"),
        Binding("escape", "cancel", "Cancel", id="request.cancel",
                tooltip="Cancel the running request / disconnect the WebSocket; close the filter"),
        Binding("ctrl+s", "save", "Save", priority=True, id="request.save",
                tooltip="Save the request to its TOML file"),
        Binding("ctrl+e", "choose_environment", "Environment", show=False, id="app.environment",
                tooltip="Switch to the next environment"),
        Binding("ctrl+l", "focus_url", "URL", show=False, id="request.focus_url",
                tooltip="Focus the URL field (paste a curl command there to import it)"),
        Binding("ctrl+t", "focus_tree", "Tree", show=False, id="app.focus_tree",
                tooltip="Focus the collection tree"),
        Binding("ctrl+g", "focus_response", "Response", show=False, id="app.focus_response",
                tooltip="Go to the response: the Timeline (then 1-5 switch tabs)"),
        # Not Alt+digit: terminals send it as Esc+digit, which Textual reads as a macOS Option character.
        Binding("ctrl+pagedown", "editor_tab(1)", "Next editor tab", show=False, priority=True, id="request.next_tab",
                tooltip="Request editor: the next tab (Params, Headers, Body, Auth, Stream, Messages, Extract)"),
        Binding("ctrl+pageup", "editor_tab(-1)", "Previous editor tab", show=False, priority=True,
                id="request.previous_tab",
                tooltip="Request editor: the previous tab"),
        Binding("alt+c", "copy_as_curl", "Copy curl", show=False, id="request.copy_curl",
                tooltip="Copy the request as a curl command (secrets masked)"),
        *LAYOUT_BINDINGS,
    ]

    def __init__(self, layout: Layout) -> None:
        super().__init__()
        self.layout_settings = layout
        self.workspace = Workspace()
        self.live: LiveRequest | None = None
        self.sending_held: str | None = None
        """Why sending must wait (the demo server still starting), or None."""
        self.current: RequestFile | None = None
        self._known_variable = lambda name: False
        self.highlighter = VariableHighlighter(lambda name: self._known_variable(name))

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield Input(placeholder="Filter by name (Esc closes)", id="tree-filter", compact=True)
                tree = CollectionTree(id="tree")
                tree.border_title = "Collection"
                yield tree
                yield HistoryPanel(id="history")
            with Vertical(id="workspace"):
                yield RequestEditor(self.highlighter, id="editor")
                yield ResponsePane(id="response")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.apply_layout()
        self.set_interval(1.0, self._refresh_history)
        self.set_interval(0.25, self._check_finished)
        self._update_header()

    # -- collection ------------------------------------------------------------------------------

    @property
    def collection_tree(self) -> CollectionTree:
        return self.query_one(CollectionTree)

    @property
    def editor(self) -> RequestEditor:
        return self.query_one(RequestEditor)

    @property
    def response_pane(self) -> ResponsePane:
        return self.query_one(ResponsePane)

    def show_collection(self, view: Collection, *, select: Path | None = None,
                        environment: str | None = None) -> None:
        """Display a loaded collection; the first request (or `select`) opens in the editor."""
        self.workspace.collection = view
        names = view.environment_names
        if environment is not None or self.workspace.environment not in names:
            chosen = environment if environment is not None else view.default_environment
            self.workspace.environment = chosen if chosen in names else None
        self.collection_tree.show_collection(view, select=select)
        if self.focused is None or self.focused.id == "tree-filter":
            self.collection_tree.focus()
        if select is not None:
            target = view.request(select)
        elif self.current is not None:
            target = view.request(self.current.path)  # reloaded: pick up the file's new stamp
        else:
            target = next(iter(view.requests()), None)
        # Never replace unsaved edits: the tree moves, the editor keeps what the user typed.
        if target is not None and not self.editor.is_dirty:
            self.open_request(target)
        self._update_header()
        self.refresh_variables()

    def reload_collection(self, select: Path | None = None) -> None:
        if self.workspace.collection is None:
            return
        from app.model.collection import load_collection

        self.show_collection(load_collection(self.workspace.collection.root), select=select)

    def open_request(self, entry: RequestFile) -> None:
        self.current = entry
        draft = draft_from_definition(entry.definition)
        self.editor.load(draft, entry.path)
        if draft.is_websocket:
            # What a WebSocket request is for: its composer and saved messages.
            self.editor.show_tab("tab-messages")
        self.refresh_variables()

    def set_run_variables(self, values: dict[str, str]) -> None:
        """Variables that override every scope (the demo server's `base_url` and `ws_url`)."""
        self.workspace.run_variables.update(values)
        self.refresh_variables()

    def hold_sending(self, reason: str | None) -> None:
        """Refuse to send (saying `reason`) until called again with None."""
        self.sending_held = reason

    def _update_header(self) -> None:
        view = self.workspace.collection
        self.title = f"Sluice — {safe_line(view.name)}" if view else "Sluice"
        self.sub_title = f"env: {safe_line(self.workspace.environment or 'none')}"

    def refresh_variables(self) -> None:
        self._known_variable = request_actions.variable_checker(self)
        # The demo server can report before the editor is composed: refresh whatever exists.
        for url in self.query("#url"):
            url.refresh()

    @on(CollectionTree.RequestChosen)
    def _request_chosen(self, event: CollectionTree.RequestChosen) -> None:
        if self.editor.is_dirty and self.current is not None and event.entry.path != self.current.path:
            def answered(discard: bool | None) -> None:
                if discard:
                    self.open_request(event.entry)
            self.app.push_screen(ConfirmDialog(f"Discard unsaved changes to {self.current.title}?"), answered)
            return
        self.open_request(event.entry)

    @on(MessagesTab.PingRequested)
    def _ping(self) -> None:
        request_actions.ping(self)

    @on(MessagesTab.CloseRequested)
    def _close_socket(self, event: MessagesTab.CloseRequested) -> None:
        request_actions.close_socket(self, event.code, event.reason)

    @on(CollectionTree.BrokenChosen)
    def _broken_chosen(self, event: CollectionTree.BrokenChosen) -> None:
        self.app.push_screen(MessageDialog(f"Cannot load {event.entry.path.name}", str(event.entry)))

    @on(CollectionTree.FileAction)
    def _file_action(self, event: CollectionTree.FileAction) -> None:
        request_actions.file_action(self, event)

    @on(CollectionTree.FilterRequested)
    def _show_filter(self) -> None:
        box = self.query_one("#tree-filter", Input)
        box.add_class("-visible")
        box.focus()

    @on(Input.Changed, "#tree-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.collection_tree.set_filter(event.value)

    @on(Input.Submitted, "#tree-filter")
    def _filter_done(self) -> None:
        # Enter in the filter opens the first match (the cursor is on it), not merely the tree.
        self.collection_tree.focus()
        self.collection_tree.open_cursor()

    @on(UrlInput.CurlPasted)
    def _curl_pasted(self, event: UrlInput.CurlPasted) -> None:
        request_actions.import_curl(self, event.command)

    @on(Input.Submitted, "#url")
    def _url_submitted(self, event: Input.Submitted) -> None:
        if event.value.lstrip().startswith("curl "):
            request_actions.import_curl(self, event.value)
        else:
            self.action_send()

    @on(HistoryPanel.SessionChosen)
    def _history_chosen(self, event: HistoryPanel.SessionChosen) -> None:
        self.response_pane.show(event.entry.session)

    def _check_finished(self) -> None:
        if self.live is not None and not self.live.extracted:
            request_actions.apply_extractions_when_finished(self)

    def _refresh_history(self) -> None:
        if self.live is not None or self.layout_settings.history_visible:
            self.query_one(HistoryPanel).refresh_statuses()

    # -- actions ---------------------------------------------------------------------------------

    def action_send(self) -> None:
        """Send the request (HTTP), connect or send the composed message (WebSocket)."""
        request_actions.send(self)

    def action_cancel(self) -> None:
        """Cancel the running request or disconnect the WebSocket; close the filter box."""
        box = self.query_one("#tree-filter", Input)
        if box.has_focus:
            box.value = ""
            box.remove_class("-visible")
            self.collection_tree.focus()
            return
        request_actions.cancel(self)

    def action_save(self) -> None:
        """Write the request to its TOML file."""
        request_actions.save(self)

    def action_copy_as_curl(self) -> None:
        """Copy the request as a curl command."""
        request_actions.copy_as_curl(self)

    def action_focus_url(self) -> None:
        self.query_one("#url").focus()

    def action_editor_tab(self, step: int) -> None:
        tab_ids = [tab_id for tab_id, _ in TAB_TITLES]
        current = tab_ids.index(self.editor.query_one(TabbedContent).active)
        self.editor.show_tab(tab_ids[(current + step) % len(tab_ids)], focus=FIRST_FIELD)

    def action_focus_response(self) -> None:
        self.response_pane.action_show_tab("tab-timeline")

    def action_focus_tree(self) -> None:
        if not self.layout_settings.tree_visible:
            self.action_toggle_tree()
        self.collection_tree.focus()

    def action_choose_environment(self) -> None:
        """Pick the active environment."""
        view = self.workspace.collection
        names = list(view.environment_names) if view else []
        if not names:
            self.notify("This collection has no environments (add environments/NAME.toml).", severity="warning")
            return
        current = self.workspace.environment
        following = names[(names.index(current) + 1) % len(names)] if current in names else names[0]
        self.workspace.environment = following
        self._update_header()
        self.refresh_variables()
        self.notify(f"Environment: {following}")

    def record_sent(self, live: LiveRequest) -> None:
        """A request went out: show its session and list it in the history."""
        self.live = live
        self.response_pane.show(live.session)
        self.query_one(HistoryPanel).add(HistoryEntry(live.title, datetime.now(), live.session))
