"""The workbench: collection tree left, request editor top right, response pane bottom right.

The screen wires the panes together; its behaviours are mixins over `WorkbenchBase` (`workbench.py`),
each with its keys beside its actions: files (`files.py`), curl (`curl_actions.py`), sending (`send.py`),
layout (`layout.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Header

from app.terminal_text import safe_line
from app.ui.collection.tree import CollectionTree
from app.ui.fields import Input
from app.ui.history.panel import HistoryPanel
from app.ui.request.editor import FIRST_FIELD, RequestEditor
from app.ui.request.editor_tab import EditorKeys
from app.ui.request.tabs import EDITOR_TABS
from app.ui.response.pane import ResponsePane
from app.ui.screens.curl_actions import CurlActions
from app.ui.screens.footer import WorkbenchFooter
from app.ui.screens.layout import LayoutActions, expected_editor_size, expected_tree_size, scroll_bars_needed
from app.ui.screens.send import SendActions
from app.ui.settings import Layout

if TYPE_CHECKING:
    from app.model.collection import Collection


def response_tab_keys() -> str:
    """`1-6`: the keys of the response pane's tabs, read from its bindings so the help stays true."""
    keys = [binding.key for binding in ResponsePane.BINDINGS
            if isinstance(binding, Binding) and binding.action.startswith("show_tab(")]
    return f"{keys[0]}-{keys[-1]}" if len(keys) > 2 else ", ".join(keys)


class MainScreen(SendActions, CurlActions, LayoutActions):
    """The one screen of the workbench."""

    ESCAPE_TO_MINIMIZE = False
    """Esc cancels the running request first (`action_cancel`), even in a maximised pane."""

    ALLOW_IN_MAXIMIZED_VIEW = "WorkbenchFooter"
    """A maximised pane keeps the footer of its keys (Textual's default keeps its own `Footer` only)."""

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

    BINDINGS: ClassVar[list[BindingType]] = [
        # Both Esc bindings live here: Textual keeps one class's bindings per key.
        Binding("escape", "close_tree_filter", "Close filter", id="app.close_tree_filter",
                tooltip="Close the tree filter, from the box or the tree (a second Esc cancels the request)"),
        Binding("escape", "cancel", "Cancel", id="request.cancel",
                tooltip="Cancel the running request / close the WebSocket, from anywhere; "
                        "with nothing running, restore a maximised pane"),
        # Not Ctrl+E: Input and TextArea bind it (end of line), so it did nothing while a field had the focus.
        Binding("ctrl+n", "choose_environment", "Environments", show=False, id="app.environment",
                tooltip="Environments: switch, create, rename, delete, choose the default, edit variables "
                        "(secrets go to .env)"),
        # Alt+V, not `v` as in the response's Headers tab: here every field types a `v`. Priority, as
        # Textual hands an Alt+letter to a focused Input as the plain letter.
        Binding("alt+v", "reveal_secrets", "Reveal request secrets", show=False, priority=True, id="request.reveal",
                tooltip="Show or mask again the credentials in the editor's URL, headers, params, auth and "
                        "cookies (masked as **** by default; the request keeps the real values)"),
        Binding("f4", "show_resolved", "Resolved", show=False, id="request.resolved",
                tooltip="Resolved preview: each variable of the request, its value (secrets masked) and where it came from"),
        Binding("ctrl+l", "focus_url", "Focus URL", show=False, id="request.focus_url",
                tooltip="Focus the URL field (paste a curl command there to import it)"),
        Binding("ctrl+t", "focus_tree", "Focus tree", show=False, id="app.focus_tree",
                tooltip="Focus the collection tree"),
        Binding("ctrl+g", "focus_response", "Focus response", show=False, id="app.focus_response",
                tooltip=f"Go to the response: the Timeline (then {response_tab_keys()} switch tabs)"),
        # Not Alt+digit: terminals send it as Esc+digit, which Textual reads as a macOS Option character.
        Binding("ctrl+pagedown", "editor_tab(1)", "Next editor tab", show=False, priority=True, id="request.next_tab",
                tooltip=f"Request editor: the next tab ({', '.join(spec.label for spec in EDITOR_TABS)}; "
                        "a WebSocket skips Body and Stream, HTTP skips Messages and Socket)"),
        Binding("ctrl+pageup", "editor_tab(-1)", "Previous editor tab", show=False, priority=True,
                id="request.previous_tab",
                tooltip="Request editor: the previous tab"),
    ]

    def __init__(self, layout: Layout, keymap: Mapping[str, str], *,
                 on_composed: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.layout_settings = layout
        self.keymap = keymap
        self._on_composed = on_composed
        """Called once the screen is composed, before its first layout (the app shows the collection)."""
        self._tree_filter: Input | None = None
        """The tree's filter box, once it was first opened."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                tree = CollectionTree(id="tree")
                tree.border_title = "Collection"
                yield tree
                yield HistoryPanel(id="history")
            with Vertical(id="workspace"):
                keys = EditorKeys(self.key_of("request.reveal"), self.key_of("request.send"), self.key_of("request.save"))
                yield RequestEditor(self.highlighter, keys=keys, id="editor",
                                    expected_size=expected_editor_size(self.layout_settings, self.app.size))
                yield ResponsePane(id="response")
        yield WorkbenchFooter(self.keymap)

    def on_mount(self) -> None:
        self.apply_layout()
        self.update_header()
        if self._on_composed is not None:
            self._on_composed()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Textual's own handler (Screen's), which restyles every widget of a screen pushed (not
        # one a dialog uncovers). This screen is pushed once, at start-up, and each of its widgets was styled
        # as it mounted: that second pass over ~100 widgets cost 90-140 ms before the first paint. A theme
        # chosen later restyles every screen itself.
        event.refresh_styles = False

    def show_collection(self, view: Collection, *, select: Path | None = None, environment: str | None = None) -> None:
        super().show_collection(view, select=select, environment=environment)
        if not self.collection_tree.size:
            self._expect_tree_scroll_bars()

    def _expect_tree_scroll_bars(self) -> None:
        """Give the tree, filled before the screen's first layout, the scroll bars that layout will find it
        needs: Textual decides them only after a layout, so the first paint had none and a second layout
        and paint added them (the start-up screen's last change). Wrong guesses are corrected by Textual in
        that second layout, as before."""
        expected = expected_tree_size(self.layout_settings, self.app.size)
        if expected is None:
            return
        tree = self.collection_tree
        styles = tree.styles
        inside = Size(max(0, expected.width - styles.gutter.width), max(0, expected.height - styles.gutter.height))
        horizontal, vertical = scroll_bars_needed(tree.virtual_size, inside, styles.scrollbar_size_vertical,
                                                  styles.scrollbar_size_horizontal)
        tree.show_horizontal_scrollbar = horizontal
        tree.show_vertical_scrollbar = vertical

    def set_run_variables(self, values: dict[str, str], source: str = "run", *, root: Path | None = None,
                          environment: str | None = None) -> None:
        """Variables that override every scope of the collection at `root` (default: the one shown) while
        `environment` is active (None: any), such as the demo server's `base_url` and `ws_url` for the
        sample collection's `demo`; `source` is what the resolved preview says they came from."""
        run = self.workspace.run_values(root, environment)
        run.values.update(values)
        run.sources.update(dict.fromkeys(values, source))
        self.refresh_variables()

    # -- the tree's filter -----------------------------------------------------------------------

    @on(CollectionTree.FilterRequested)
    async def _show_filter(self) -> None:
        box = self._tree_filter
        if box is None:
            # Made on first use, not at start-up (a hidden Input is styled and mounted all the same); awaited,
            # so the keys typed after `/` (let in once this is handled: key_order.py) go into it.
            closes = self.key_of("app.close_tree_filter")
            box = self._tree_filter = Input(placeholder=f"Filter by name ({closes} closes)", id="tree-filter",
                                            classes="-visible", compact=True)
            await self.query_one("#sidebar").mount(box, before=self.collection_tree)
        box.add_class("-visible")
        box.focus()

    @on(Input.Changed, "#tree-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.collection_tree.set_filter(event.value)

    @on(Input.Submitted, "#tree-filter")
    def _filter_done(self) -> None:
        # Enter in the filter opens the first match (the cursor is on it), not merely the tree: at once, not
        # through a message from the tree, which a key typed next (`/drip Enter Ctrl+J`) could overtake.
        self.collection_tree.focus()
        entry = self.collection_tree.cursor_entry
        if entry is not None:
            self.open_entry(entry)

    def action_close_tree_filter(self) -> None:
        """Clear and close the tree's filter box."""
        box = self._tree_filter
        if box is not None:
            box.value = ""
            box.remove_class("-visible")
        self.collection_tree.focus()
        # The focus may not move (Esc from the tree after Enter): the footer still said "esc Close filter".
        self.refresh_bindings()

    # -- sending ---------------------------------------------------------------------------------

    @on(Input.Submitted, "#url")
    def _url_submitted(self, event: Input.Submitted) -> None:
        if event.value.lstrip().startswith("curl "):
            self.import_curl(event.value)
        else:
            self.action_send()

    @on(ResponsePane.SessionChanged)
    def _session_changed(self, event: ResponsePane.SessionChanged) -> None:
        self.query_one(HistoryPanel).show_status(event.session)

    @on(HistoryPanel.SessionChosen)
    def _history_chosen(self, event: HistoryPanel.SessionChosen) -> None:
        self.response_pane.show(event.entry.session)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_tree_filter":
            # Also from the tree once Enter has left the filter (the tree stays narrowed until then).
            box = self._tree_filter
            return box is not None and (box.has_focus or (box.has_class("-visible") and self.collection_tree.has_focus))
        if action == "cancel":
            # None: listed but dimmed in the footer, and the key goes on (nothing to cancel).
            return True if self.running or self.maximized is not None else None
        return True

    # -- moving around ---------------------------------------------------------------------------

    def reveal(self, widget: Widget) -> None:
        """Focus `widget`, restoring the layout first if it is hidden behind a maximised pane."""
        if self.maximized is not None and self.maximized is not widget and self.maximized not in widget.ancestors:
            self.minimize()
            self.refresh_bindings()
        widget.focus()

    def action_focus_url(self) -> None:
        self.reveal(self.query_one("#url"))

    def action_editor_tab(self, step: int) -> None:
        if self.maximized is not None and self.maximized is not self.editor:
            self.minimize()
        tab_ids = self.editor.visible_tab_ids()
        active = self.editor.active_tab
        current = tab_ids.index(active) if active in tab_ids else 0
        self.editor.show_tab(tab_ids[(current + step) % len(tab_ids)], focus=FIRST_FIELD)

    async def action_focus_response(self) -> None:
        if self.maximized is not None and self.maximized is not self.response_pane:
            self.minimize()
        await self.response_pane.action_show_tab("tab-timeline")

    def action_focus_tree(self) -> None:
        if not self.layout_settings.tree_visible:
            self.action_toggle_tree()
        self.reveal(self.collection_tree)

    def show_history(self) -> HistoryPanel:
        """Show the History (and the tree's column, if hidden) and focus it."""
        history = self.query_one(HistoryPanel)
        if not (self.layout_settings.history_visible and self.layout_settings.tree_visible):
            self._changed(history_visible=True, tree_visible=True)
        self.reveal(history)
        return history

    def action_reveal_secrets(self) -> None:
        """Toggle the editor's credentials between `****` and clear text."""
        shown = not self.editor.secrets_revealed
        self.editor.reveal_secrets(shown)
        self.notify(f"Credentials shown in the editor ({self.key_of('request.reveal')} masks them again)." if shown
                    else "Credentials masked in the editor.", timeout=3)


    def action_choose_environment(self) -> None:
        """Open the environments: switch, create, rename, delete, choose the default, edit variables (files
        read from disk afresh)."""
        from app.ui.environments.screen import EnvironmentsScreen

        view = self.workspace.collection
        if view is None:
            self.notify("Open a collection first (sluice PATH).", severity="warning")
            return

        def closed(active: str | None) -> None:
            self.workspace.rename_environments(view.root, screen.renamed)
            previous = self.workspace.environment
            # The screen's answer first: an environment deleted there is not "no longer there" news.
            self.workspace.environment = active
            self.pick_up_environment_files()
            fresh = self.workspace.collection
            chosen = active if fresh is not None and active in fresh.environment_names else None
            if chosen != previous:
                self.notify(f"Environment: {safe_line(chosen or 'none')}")
            self.workspace.environment = chosen
            self.update_header()
            self.refresh_variables()

        avoid = [name for name, _ in view.variables]
        overridden = {environment: {name: (value, run.sources.get(name, "run")) for name, value in run.values.items()}
                      for (root, environment), run in self.workspace.runs.items()
                      if root == view.root and environment is not None and run.values}
        screen = EnvironmentsScreen(view.root, view.name, self.workspace.environment, avoid, overridden)
        self.app.push_screen(screen, closed)

    def action_show_resolved(self) -> None:
        """Show where each variable of the open request comes from, with its value (secrets masked)."""
        from app.ui.environments.resolved import ResolvedScreen
        from app.ui.request.bridge import DraftError

        try:
            definition = self.current_definition()
        except DraftError as error:
            self.notify(str(error), severity="error", timeout=8)
            return
        from app.model.scopes import UnknownEnvironment

        try:
            scopes = self.scopes()
        except UnknownEnvironment as error:
            self.notify(str(error), severity="error", timeout=8)
            return
        title = definition.name or (self.current.title if self.current else "new request")
        self.app.push_screen(ResolvedScreen(title, definition, scopes, self.workspace.environment))
