"""`SluiceApp`: the main screen and its first collection, themes, settings, the command palette, `--demo`."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from app.terminal_text import safe_line, safe_lines
from app.ui.app_keys import KeymapApp
from app.ui.demo_launch import (
    DEMO_ENVIRONMENT,
    DEMO_SERVER_GROUP,
    DemoServerLauncher,
    demo_copy_root,
    demo_environment_root,
    make_demo_copy,
)
from app.ui.settings import ScriptAnswer, Settings, load_settings, save_settings
from app.ui.terminal_output import terminal_safe_driver
from app.ui.themes import THEME_VARIABLE_DEFAULTS, load_themes

if TYPE_CHECKING:
    from app.demo.process import DemoServerProcess
    from app.model.collection import Collection
    from app.ui.screens.layout import LayoutActions
    from app.ui.screens.main import MainScreen
    from app.ui.screens.send import SendActions

COLLECTION_GROUP = "collection"
"""The worker group that reads the collection opened at start-up."""

def tune_for_streaming() -> None:
    """Keep keys responsive while a worker thread parses a flood (figures from benchmarks/bench_tui.py).

    A flood creates objects faster than the default collector thresholds like, and full collections
    paused the UI for 40-250 ms each: start-up's objects are parked outside the collector and young ones
    collected less often (6-8 such pauses per 200,000 events became 1-2). The UI thread also has to win
    the GIL back from the worker after every wait; a 1 ms switch interval instead of 5 ms took the key
    latency p95 from about 130 ms to about 100 ms. The collector, off during start-up (`run_tui`), is
    switched back on here.
    """
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    gc.enable()
    sys.setswitchinterval(0.001)


class SluiceApp(KeymapApp[int]):
    """The Sluice workbench. `collection` is the folder to open; `demo` opens the user's copy of the sample
    collection instead (made from the bundled one the first time; afresh with `demo_reset`) and starts the
    demo server.

    Keys are handled strictly in the order typed (`OrderedKeysApp`: Textual 8.2 reorders bound keys).
    """

    TITLE = "Sluice"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Keys", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
    ]

    def get_driver_class(self) -> type[Driver]:
        # What text areas and inputs show is written without C1 controls or bidi overrides (see module).
        return terminal_safe_driver(super().get_driver_class())

    def __init__(self, collection: Path | None = None, *, demo: bool = False,
                 settings_dir: Path | None = None, environment: str | None = None, demo_reset: bool = False) -> None:
        super().__init__()
        self.collection_path = collection
        self.demo = demo
        self.demo_reset = demo_reset
        """The demo's copy of the sample collection is replaced with a fresh one when it opens."""
        self.environment = environment if environment is not None else DEMO_ENVIRONMENT if demo else None
        """The environment to activate when the collection opens (None: the collection's default)."""
        self.environment_given = environment is not None
        """`--env NAME` was given: every collection opened must have that environment (the demo's own
        environment is the sample collection's only)."""
        self.demo_launcher = DemoServerLauncher(self)
        self._first_collection: Worker[tuple[Collection, Path | None]] | None = None
        """The worker reading the collection opened at start-up."""
        self._main_screen_ready = False
        """The main screen is composed (the first collection can be shown in it)."""
        self._first_collection_shown = False
        self._main_screen: MainScreen | None = None
        """The workbench's one screen: made at mount, pushed just after (`on_mount`)."""
        self._settings_dir = settings_dir
        self.settings: Settings = load_settings(settings_dir)
        self.previous_collection = self.settings.last_collection
        """The collection open when Sluice last ran (offered in the palette)."""
        self.theme_problems: list[str] = []
        self._register_themes()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast in the app comes here (widgets' `notify` delegate to it). Toasts carry file names,
        server messages and errors: the text is sanitised and, unlike Textual's default, not read as markup
        (a `[link=…]` in a file name is text). Callers that really build markup pass `markup=True` and
        escape what they interpolate."""
        if not markup:
            message = safe_lines(message)
        super().notify(message, title=safe_line(title), severity=severity, timeout=timeout, markup=markup)

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

        # The collection is read in a worker while the screen composes, and shown once both are done:
        # usually in the screen's first layout; a slow disk or a large collection shows the empty tree first.
        selected = self.collection_path if self.collection_path and self.collection_path.is_file() else None
        # Keys typed meanwhile wait for it (in order): on the half-built screen `/ name Enter` found
        # nothing and Ctrl+J then sent the first request, which the load opened.
        self.hold_keys()
        self._first_collection = self._load_first_collection(self._collection_root(), selected)
        self._main_screen = MainScreen(self.settings.layout, self.settings.keymap, on_composed=self._main_screen_composed)
        # Pushed from the App's queue, once Textual's start-up batch is over: pushed from here, the screen's
        # whole mount and first layout ran inside that batch, whose paint Textual throws away (0.1 s of
        # rendering for nothing), and the next paint then drew only what had changed since: part of the
        # screen, completed by a third paint.
        self.call_later(self._push_main_screen)

    def _push_main_screen(self) -> None:
        self.push_screen(self.main_screen)
        self._apply_keymap()
        for problem in self.settings.problems:
            self.notify(problem, title="Settings", severity="warning", timeout=10, markup=False)
        for problem in self.theme_problems:
            self.notify(problem, title="Theme not loaded", severity="warning")
        if self.demo:
            # The demo server serves only once the collection is on screen (from a child process: its
            # imports and work never hold the UI's GIL); its port listens already, so a request sent
            # before then waits for it.
            self._listen_for_demo()

    @property
    def demo_server(self) -> DemoServerProcess | None:
        """`--demo`'s server, once its port listens."""
        return self.demo_launcher.server

    @property
    def main_screen(self) -> MainScreen:
        if self._main_screen is None:
            raise LookupError("the main screen is not open")
        return self._main_screen

    def environment_problem(self, root: Path | None = None) -> str | None:
        """Why the environment named on the command line (`--env NAME`) cannot be used with the collection
        at `root` (default: the one to open at start), or None: `sluice --env nope` is an error, as it is
        for `sluice run`, and so is opening another collection that lacks it."""
        # The demo's own `demo` is not checked: the user's copy may have renamed it, and the demo opens then
        # with no environment active (and says so) rather than refusing to start.
        if not self.environment_given or self.environment is None:
            return None
        from app.model.scopes import UnknownEnvironment, check_environment

        if root is None:
            root = self._collection_root()
            root = demo_environment_root(root, self.demo_reset) if self.demo else root
        try:
            check_environment(root, self.environment)
        except UnknownEnvironment as error:
            return str(error)
        return None

    def _collection_root(self) -> Path:
        if self.demo:
            return demo_copy_root(self._settings_dir)
        path = self.collection_path or Path.cwd()
        return path.parent if path.is_file() else path

    @work(thread=True, exclusive=True, exit_on_error=False, group=COLLECTION_GROUP, description="loading the collection")
    def _load_first_collection(self, root: Path, select: Path | None) -> tuple[Collection, Path | None]:
        """Read the collection off the UI thread (a large one must not hold the first screen's keys); for the
        demo, copy the sample collection there first if need be (`app/demo/user_copy.py`)."""
        from app.model.collection import load_collection

        if self.demo:
            make_demo_copy(root, self.demo_reset)
        return load_collection(root), select

    def _main_screen_composed(self) -> None:
        """The main screen is composed and about to be laid out for the first time: a collection read by
        then is shown in that first layout (shown later, it cost a second layout and paint of everything)."""
        self._main_screen_ready = True
        worker = self._first_collection
        if worker is not None and worker.is_finished:
            self._first_collection_done(worker)

    def _first_collection_done(self, worker: Worker[Any]) -> None:
        if not self._main_screen_ready or self._first_collection_shown:
            return  # the screen shows it once composed / it is shown already
        self._first_collection_shown = True
        if worker.state is WorkerState.SUCCESS and isinstance(worker.result, tuple):
            view, select = worker.result
            self._show_collection(view, select)
        elif self.demo:
            # The workbench stays open on no collection: another can be opened from the palette.
            self.notify(f"The demo did not start: {worker.error}. SLUICE_CONFIG_DIR set to a folder Sluice can "
                        "write to keeps the copy there.", title="Demo", severity="error", timeout=15)
        else:
            self.notify(f"Cannot open {self._collection_root()}: {worker.error}", severity="error", timeout=10)
        tune_for_streaming()  # after the collection, so its objects are parked outside the collector too
        # Once the screen has taken the collection in; scheduled from the App's own queue: called from the
        # screen's mount, the callback would run as the screen's, and the markers that follow each key up
        # to the App (key_order.py) would be sent from the screen, where Textual stops them.
        self.call_later(self.call_after_refresh, self.release_keys)
        if worker.state is WorkerState.SUCCESS:
            self.demo_launcher.serve_later()

    def open_collection(self, root: Path, *, select: Path | None = None) -> bool:
        """Show the collection at `root` in the workbench; False (and a message) if it cannot be read."""
        from app.model.collection import load_collection

        if self._refused(root):
            return False
        try:
            view = load_collection(root)
        except OSError as error:
            self.notify(f"Cannot open {root}: {error}", severity="error", timeout=10)
            return False
        if not self.environment_given:
            self.environment = None  # the demo's environment is the sample collection's: this one has its own
        self._show_collection(view, select)
        return True

    def _refused(self, root: Path) -> bool:
        """Say so (an error, as `sluice --env NAME` exits 2) if the collection at `root` lacks `--env`'s environment."""
        problem = self.environment_problem(root)
        if problem is not None:
            self.notify(f"Not opened: {root}: {problem} (Sluice was started with --env {self.environment})",
                        title="Unknown environment", severity="error", timeout=10)
        return problem is not None

    def _show_collection(self, view: Collection, select: Path | None) -> None:
        screen = self.main_screen
        if screen.workspace.collection is not None and screen.workspace.collection.root != view.root:
            # The caller asked about unsaved edits (`leave_edits`): the other collection's request replaces them.
            from app.ui.request.draft import RequestDraft

            screen.current = None
            screen.editor.load(RequestDraft(), None)
        screen.show_collection(view, select=select, environment=self.environment)
        if self.environment is not None and self.environment not in view.environment_names:
            # `--env` is checked before opening: seen here if the file went away meanwhile (or does not load),
            # or if the user's copy of the demo collection renamed or deleted its `demo` environment.
            fresh = " (sluice --demo-reset starts the demo on a fresh copy)" if self.demo else ""
            self.notify(f"This collection has no environment named {self.environment!r}: none is active{fresh}.",
                        severity="error")
        if not self.demo:
            self._remember(last_collection=str(view.root))

    def _listen_for_demo(self) -> None:
        """Take the demo server's port and point `base_url` / `ws_url` at it, before the first frame:
        binding costs nothing; serving, in a child process, waits (`app/ui/demo_launch.py`)."""
        try:
            server = self.demo_launcher.listen()
        except OSError as error:
            self._demo_server_failed(f"The demo server cannot listen on 127.0.0.1: {error}")
            return
        screen = self.main_screen
        # The sample collection's `demo` environment's only: another collection opened from the palette, or
        # another environment made in the demo, has its own base_url.
        screen.set_run_variables({"base_url": server.base_url, "ws_url": server.ws_url}, "demo server",
                                 root=self._collection_root(), environment=DEMO_ENVIRONMENT)
        # In the header, not a toast: a toast is mounted after the screen's first layout and paint, and
        # drew the screen's last change 0.1-0.3 s after everything else (and was gone four seconds later).
        # Host and port only: at 80 columns the whole URL did not fit.
        screen.header_note = f"server {server.base_url.removeprefix('http://')}"
        screen.update_header()

    def on_send_actions_sending(self, event: SendActions.Sending) -> None:
        self.demo_launcher.serve()

    @on(Worker.StateChanged)
    async def _worker_state(self, event: Worker.StateChanged) -> None:
        finished = event.state in (WorkerState.SUCCESS, WorkerState.ERROR)
        if event.worker.group == COLLECTION_GROUP and finished:
            self._first_collection_done(event.worker)
        elif event.worker.group == DEMO_SERVER_GROUP and event.state is WorkerState.ERROR:
            # start() closed the port: a request waiting for it ends with a refused connection.
            self._demo_server_failed(f"The demo server did not start: {event.worker.error}")

    def _demo_server_failed(self, reason: str) -> None:
        self.main_screen.hold_sending(reason)
        self.notify(reason, title="Demo server", severity="error", timeout=12)

    def on_app_focus(self) -> None:
        """Back from another window (an editor, perhaps, with an environment file open): the variables are
        resolved again, with whatever environment files or `.env` changed on disk meanwhile."""
        try:
            screen = self.main_screen
        except LookupError:
            return
        screen.refresh_variables()

    def on_unmount(self) -> None:
        self.demo_launcher.stop()

    # -- settings --------------------------------------------------------------------------------

    def _remember(self, **changes: object) -> None:
        self.settings = self.settings.with_changes(**changes)
        if not self.settings.writable:
            return  # said at start-up: the file is kept as the user wrote it
        try:
            save_settings(self.settings, self._settings_dir)
        except OSError as error:
            self.notify(f"Could not save settings: {error}", severity="warning")

    def remember_script_answer(self, answer: ScriptAnswer) -> None:
        """Keep the user's answer about a merge script (see `app/ui/script_trust.py`)."""
        self._remember(script_answers=self.settings.with_script_answer(answer).script_answers)

    def watch_theme(self, theme: str) -> None:
        if theme != self.settings.theme:
            self._remember(theme=theme)

    def on_layout_actions_layout_changed(self, event: LayoutActions.LayoutChanged) -> None:
        self._remember(layout=event.layout)

    # -- quitting ------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit, after asking Save / Discard / Cancel if the open request has unsaved edits."""
        from app.ui.screens.unsaved import UnsavedChangesDialog

        if isinstance(self.screen, UnsavedChangesDialog):
            return  # already asking
        try:
            screen = self.main_screen
        except LookupError:
            self.exit()
            return
        from app.ui.environments.base import EnvironmentsBase

        # The Environments screen's unsaved variables are asked about first: they were lost without a word.
        environments = next((shown for shown in self.screen_stack if isinstance(shown, EnvironmentsBase)), None)
        if environments is None:
            screen.leave_edits(self.exit, "quitting")
        else:
            environments.leave_edits(lambda: screen.leave_edits(self.exit, "quitting"), lambda: None, "quitting")

    # -- the command palette ---------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from app.ui.palette import binding_commands
        from app.ui.screens.main import MainScreen

        # Textual's own "Keys", "Maximize", "Minimize" and "Quit" are Sluice bindings below.
        replaced = {"Keys", "Maximize", "Minimize", "Quit"}
        yield from (command for command in super().get_system_commands(screen) if command.title not in replaced)
        yield from binding_commands(self, screen, self.settings.keymap)
        if isinstance(screen, MainScreen):
            last = self.previous_collection
            current = screen.workspace.collection
            if last and (current is None or str(current.root) != last) and Path(last).is_dir():
                def open_last() -> None:
                    self.open_collection(Path(last))

                def ask_then_open_last() -> None:
                    # Refused before the unsaved-edits question: nothing is saved or discarded for nothing.
                    if not self._refused(Path(last)):
                        screen.leave_edits(open_last, "opening another collection")
                # The folder's name is a cloned repository's: shown as text.
                yield SystemCommand("Open last collection", safe_line(last), ask_then_open_last)
