"""`SluiceApp`: themes, settings, the command palette and the demo server around the main screen."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from app.ui.key_order import OrderedKeysApp
from app.ui.settings import Settings, load_settings, save_settings
from app.ui.themes import THEME_VARIABLE_DEFAULTS, load_themes

if TYPE_CHECKING:
    from app.demo.server import DemoServer
    from app.ui.screens.layout import LayoutActions
    from app.ui.screens.main import MainScreen

DEMO_ENVIRONMENT = "demo"

# (title, help, screen action) for the palette: every key of the main screen is also a command.
PALETTE_ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("Send request / connect", "Send the request in the editor (Ctrl+J)", "send"),
    ("Cancel / disconnect", "Cancel the running request or close the WebSocket (Esc)", "cancel"),
    ("Save request", "Write the request to its TOML file (Ctrl+S)", "save"),
    ("Copy as curl", "Copy the request as a curl command, secrets masked (Alt+C)", "copy_as_curl"),
    ("Switch environment", "Cycle through the collection's environments (Ctrl+E)", "choose_environment"),
    ("Toggle collection tree", "Show or hide the tree (Ctrl+B)", "toggle_tree"),
    ("Toggle history", "Show or hide the history of sent requests (Ctrl+R)", "toggle_history"),
    ("Maximise pane", "Maximise the focused pane, or restore (Ctrl+O)", "toggle_maximise"),
    ("Focus URL", "Move the cursor to the URL field (Ctrl+L)", "focus_url"),
    ("Focus tree", "Move the cursor to the collection tree (Ctrl+T)", "focus_tree"),
    ("Focus response", "Move the cursor to the Timeline of the response (Ctrl+G)", "focus_response"),
    ("Wider tree", "Alt+Right", "resize_tree(4)"),
    ("Narrower tree", "Alt+Left", "resize_tree(-4)"),
    ("Taller editor", "Alt+Down", "resize_editor(5)"),
    ("Shorter editor", "Alt+Up", "resize_editor(-5)"),
)

# The tree's keys, as palette commands acting on the entry under the tree's cursor.
TREE_PALETTE_ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("New request", "Create a request in the folder under the tree's cursor (n)", "new_request"),
    ("New folder", "Create a folder (N)", "new_folder"),
    ("Rename", "Rename the request or folder under the tree's cursor (r)", "rename"),
    ("Duplicate request", "Copy the request under the tree's cursor (d)", "duplicate"),
    ("Delete", "Delete the entry under the tree's cursor, after confirmation (Del)", "delete"),
    ("Filter tree", "Show only entries whose name contains some text (/)", "filter"),
)


def tune_for_streaming() -> None:
    """Keep keys responsive while a worker thread parses a flood (figures from benchmarks/bench_tui.py).

    A flood creates objects faster than the default collector thresholds like, and full collections
    paused the UI for 40-250 ms each: start-up's objects are parked outside the collector and young ones
    collected less often (6-8 such pauses per 200,000 events became 1-2). The UI thread also has to win
    the GIL back from the worker after every wait; a 1 ms switch interval instead of 5 ms took the key
    latency p95 from about 130 ms to about 100 ms.
    """
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    sys.setswitchinterval(0.001)


class SluiceApp(OrderedKeysApp[int]):
    """The Sluice workbench. `collection` is the folder to open; `demo` also starts the demo server.

    Keys are handled strictly in the order typed (`OrderedKeysApp`: Textual 8.2 reorders bound keys).
    """

    TITLE = "Sluice"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Keys", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
    ]

    def __init__(self, collection: Path | None = None, *, demo: bool = False,
                 settings_dir: Path | None = None, environment: str | None = None) -> None:
        super().__init__()
        self.collection_path = collection
        self.demo = demo
        self.environment = environment if environment is not None else DEMO_ENVIRONMENT if demo else None
        """The environment to activate when the collection opens (None: the collection's default)."""
        self.demo_server: DemoServer | None = None
        self._settings_dir = settings_dir
        self.settings: Settings = load_settings(settings_dir)
        self.previous_collection = self.settings.last_collection
        """The collection open when Sluice last ran (offered in the palette)."""
        self.theme_problems: list[str] = []
        self._register_themes()

    def _register_themes(self) -> None:
        from app.ui.resources import themes_path

        try:
            themes, self.theme_problems = load_themes(themes_path())
        except FileNotFoundError as error:
            themes, self.theme_problems = [], [str(error)]
        for theme in themes:
            self.register_theme(theme)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        elif "sluice-dark" in self.available_themes:
            self.theme = "sluice-dark"

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(THEME_VARIABLE_DEFAULTS)

    def on_mount(self) -> None:
        from app.ui.screens.main import MainScreen

        self.push_screen(MainScreen(self.settings.layout))
        for problem in self.theme_problems:
            self.notify(problem, title="Theme not loaded", severity="warning")
        # The collection loads after the first frame, and the demo server (whose imports take a few hundred
        # milliseconds of CPU) only once the collection is on screen, so neither delays what the user sees.
        self.call_after_refresh(self._open_collection)

    @property
    def main_screen(self) -> MainScreen:
        from app.ui.screens.main import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("the main screen is not open")

    def _collection_root(self) -> Path:
        if self.demo:
            from app.ui.resources import sample_collections_path

            return sample_collections_path()
        path = self.collection_path or Path.cwd()
        return path.parent if path.is_file() else path

    def _open_collection(self) -> None:
        tune_for_streaming()
        selected = self.collection_path if self.collection_path and self.collection_path.is_file() else None
        if not self.open_collection(self._collection_root(), select=selected) or not self.demo:
            return
        self.main_screen.hold_sending("The demo server is still starting: try again in a moment.")
        self.call_after_refresh(self._start_demo_server)

    def open_collection(self, root: Path, *, select: Path | None = None) -> bool:
        """Show the collection at `root` in the workbench; False (and a message) if it cannot be read."""
        from app.ui.collection.loader import load_collection_view

        try:
            view = load_collection_view(root)
        except OSError as error:
            self.notify(f"Cannot open {root}: {error}", severity="error", timeout=10)
            return False
        screen = self.main_screen
        if screen.workspace.collection is not None and screen.workspace.collection.root != view.root:
            screen.current = None
        screen.show_collection(view, select=select, environment=self.environment)
        if self.environment is not None and self.environment not in view.environments:
            self.notify(f"This collection has no environment named {self.environment!r}.", severity="warning")
        if not self.demo:
            self._remember(last_collection=str(view.root))
        return True

    @work(thread=True, exclusive=True, group="demo-server")
    def _start_demo_server(self) -> None:
        from app.demo.server import DemoServer

        server = DemoServer()
        server.start()
        self.demo_server = server
        self.call_from_thread(self._demo_server_ready, server.base_url, server.ws_url)

    def _demo_server_ready(self, base_url: str, ws_url: str) -> None:
        self.main_screen.set_run_variables({"base_url": base_url, "ws_url": ws_url})
        self.main_screen.hold_sending(None)
        self.notify(f"Demo server running at {base_url}", timeout=4)

    def on_unmount(self) -> None:
        server = self.demo_server
        if server is not None:
            server.stop()

    # -- settings --------------------------------------------------------------------------------

    def _remember(self, **changes: object) -> None:
        self.settings = self.settings.with_changes(**changes)
        try:
            save_settings(self.settings, self._settings_dir)
        except OSError as error:
            self.notify(f"Could not save settings: {error}", severity="warning")

    def watch_theme(self, theme: str) -> None:
        if theme != self.settings.theme:
            self._remember(theme=theme)

    def on_layout_actions_layout_changed(self, event: LayoutActions.LayoutChanged) -> None:
        self._remember(layout=event.layout)

    # -- help and the command palette ------------------------------------------------------------

    def action_help(self) -> None:
        """Show every key."""
        from app.ui.help_screen import HelpScreen

        self.push_screen(HelpScreen(self.key_groups()))

    def key_groups(self) -> list[tuple[str, Iterable[BindingType]]]:
        """Bindings to list on the help screen, by where they apply."""
        from app.ui.collection.tree import CollectionTree
        from app.ui.history.panel import HistoryPanel
        from app.ui.response.body_view import BodyView
        from app.ui.response.detail import EventDetailScreen
        from app.ui.response.pane import ResponsePane
        from app.ui.response.timeline import TimelineView
        from app.ui.response.timeline_panel import TimelinePanel
        from app.ui.screens.main import MainScreen

        return [
            ("Everywhere", [*self.BINDINGS, Binding("ctrl+p", "command_palette", "Command palette")]),
            ("Workbench", MainScreen.BINDINGS),
            ("Collection tree", CollectionTree.BINDINGS),
            ("History", HistoryPanel.BINDINGS),
            ("Response", ResponsePane.BINDINGS),
            ("Timeline", [*TimelineView.BINDINGS, *TimelinePanel.BINDINGS]),
            ("Body", BodyView.BINDINGS),
            ("Event detail", EventDetailScreen.BINDINGS),
        ]

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Keys", "Show every key binding (?)", self.action_help)
        from app.ui.screens.main import MainScreen

        if isinstance(screen, MainScreen):
            for title, help_text, action in PALETTE_ACTIONS:
                yield SystemCommand(title, help_text, lambda action=action: screen.run_action(action))
            for title, help_text, action in TREE_PALETTE_ACTIONS:
                yield SystemCommand(title, help_text, lambda action=action: screen.collection_tree.run_action(action))
            last = self.previous_collection
            current = screen.workspace.collection
            if last and (current is None or str(current.root) != last) and Path(last).is_dir():
                yield SystemCommand("Open last collection", last, lambda: self.open_collection(Path(last)))
