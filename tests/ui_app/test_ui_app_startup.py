"""What `sluice --demo` defers past its first screen (issue 12's cold start), checked by structure, not time.

The TUI's entry modules import neither the network layer nor the demo server's web stack; the demo
server's port listens before the first frame but serves only once the collection is on screen, and a
request sent in between waits for it; a server that cannot start says so instead of failing later; keys
typed while the collection is still being read wait for it. What the first layout needs is known before it:
a collection read by then, the editor's size, the footer's keys (each found out later cost another layout).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers_ui_app import burst, wait_until
from textual.app import RenderResult

from app.demo.process import DemoServerProcess
from app.ui.app import SluiceApp
from app.ui.demo_launch import DemoServerLauncher
from app.ui.screens.footer import WorkbenchFooter
from app.ui.screens.layout import expected_editor_size, expected_tree_size

REPO_ROOT = Path(__file__).resolve().parents[2]
SIZE = (120, 40)

DEFERRED_MODULES = (
    "httpx", "websockets", "uvicorn", "starlette", "app.demo.app", "app.demo.uvicorn_server",
    "app.run", "app.connections", "app.ui.screens.sending",
    "app.streams.merge", "app.assertions", "jsonpath_ng", "rich.syntax", "pygments", "importlib.metadata",
    "xml.dom.minidom",
    "app.ui.request.websocket_tabs", "app.ui.collection.dialogs", "app.ui.choice_dialog", "app.ui.screens.unsaved",
    "app.ui.screens.curl_paste", "app.ui.script_trust", "app.model.merge_script", "app.ui.response.merged_view",
    "app.ui.response.info_views", "app.ui.response.body_view", "app.ui.response.assertions_view",
    "textual.widgets._footer", "statistics", "http",
    "app.events", "app.ws_events", "app.slot_construction", "app.event_runs", "app.store", "app.bus", "app.streams.stream_metrics", "app.strict_json",
    "app.ui.response.session", "app.ui.response.status_line",
)
"""Modules the first screen does not need: the first send, the demo server's start, the Stream tab or the
event detail imports them (importlib.metadata: the merge-profile plugin scan; xml.dom.minidom: prettifying an
XML message); the WebSocket tabs, the response pane's other views and the dialogs are imported when first
built or opened (`statistics`, `http` and Textual's `Footer` come with them). The event model (its
dataclasses, the store, the bus, the metrics core, the response session and the status line that reads
it) comes with the first response shown, or the first filter or key in the Timeline that needs a store:
the first screen's Timeline has none."""

FIRST_SCREEN_IMPORTS = f"""
import sys
import app.cli.main, app.ui.entry, app.ui.app, app.ui.screens.main
print(" ".join(name for name in {DEFERRED_MODULES!r} if name in sys.modules))
"""

IMPORTED_BY_THE_FIRST_PAINT = f"""
import asyncio, sys
from textual.app import App
from app.ui.app import SluiceApp
from app.ui.screens.main import MainScreen

imported = []
display = App._display

def recorded(app, screen, renderable):
    if isinstance(screen, MainScreen) and renderable is not None and not imported:
        imported.append([name for name in {DEFERRED_MODULES!r} if name in sys.modules])
    display(app, screen, renderable)

App._display = recorded

async def start():
    async with SluiceApp(demo=True).run_test(size={SIZE!r}) as pilot:
        for _ in range(2000):
            if imported:
                return
            await pilot.pause()

asyncio.run(start())
print(" ".join(imported[0]) if imported else "never-painted")
"""
"""`sluice --demo` (headless) to the main screen's first paint, in a fresh interpreter: what it imported by
then, running (resize handlers, the first render), not only what its modules import."""



def footer_key_names(screen: object) -> list[str]:
    """The keys the footer shows (`n`, `ctrl+j` …), in its order."""
    return [entry.key for entry in screen.query_one(WorkbenchFooter).entries]  # type: ignore[attr-defined]


async def settled_on_the_tree(pilot, app: SluiceApp) -> None:
    """Started: a request open and the focus on the tree (where it is at start-up), every message handled."""
    await wait_until(pilot, lambda: app.main_screen.current is not None and app.focused is app.main_screen.collection_tree)
    await pilot.pause()

def test_the_tui_entry_imports_neither_the_network_layer_nor_the_demo_server() -> None:
    result = subprocess.run(
        [sys.executable, "-c", FIRST_SCREEN_IMPORTS], capture_output=True, text=True, cwd=REPO_ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []


def test_the_first_paint_imports_none_of_them_either() -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORTED_BY_THE_FIRST_PAINT], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []


def test_listening_alone_does_not_import_the_web_stack() -> None:
    script = "import sys\nfrom app.demo.server import DemoServer\nfrom app.demo.process import DemoServerProcess\n" \
             "DemoServer().listen().stop()\nDemoServerProcess().listen().stop()\n" \
             "print('uvicorn' in sys.modules, 'starlette' in sys.modules)\n"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_the_demo_server_process_serves_the_port_it_listened_on_and_stops() -> None:
    import httpx

    server = DemoServerProcess().listen()
    try:
        assert not server.running
        server.start()
        assert server.running
        assert httpx.get(f"{server.base_url}/v1/models", timeout=10).status_code == 404
    finally:
        server.stop()
    assert not server.running


class HeldDemoApp(SluiceApp):
    """`sluice --demo` whose demo server is started by the test, not by the app."""

    def __init__(self) -> None:
        super().__init__(demo=True)
        self.serve_asked_with_collection: bool | None = None
        self.demo_launcher = HeldLauncher(self)


class HeldLauncher(DemoServerLauncher):
    """Records whether the collection was on screen when the server's start was asked for; starts nothing."""

    def __init__(self, app: HeldDemoApp) -> None:
        super().__init__(app)
        self._held_app = app

    def start(self, server: DemoServerProcess) -> None:
        app = self._held_app
        app.serve_asked_with_collection = app.main_screen.workspace.collection is not None


async def test_a_request_sent_before_the_demo_server_serves_waits_for_it() -> None:
    app = HeldDemoApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.serve_asked_with_collection is not None)
        assert app.serve_asked_with_collection, "the server is started only once the collection is on screen"
        server = app.demo_server
        assert server is not None and not server.running
        screen = app.main_screen
        assert screen.scopes().chain().lookup("base_url") == (server.base_url, "demo server")
        chat = next(entry for entry in screen.workspace.collection.requests()  # type: ignore[union-attr]
                    if entry.path.name == "openai-chat.toml")
        screen.open_request(chat)
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: screen.live is not None)
        await pilot.pause()
        live = screen.live
        assert live is not None and not live.session.finished, "nothing serves yet: the request waits"

        await asyncio.to_thread(server.start)
        await wait_until(pilot, lambda: live.session.finished)
        assert live.session.http_status == 200
        assert str(live.session.state) == "closed"


async def test_the_demo_servers_address_is_in_the_header_from_the_first_frame_not_in_a_toast() -> None:
    app = HeldDemoApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.serve_asked_with_collection is not None)
        server = app.demo_server
        assert server is not None
        screen = app.main_screen
        assert screen.sub_title == f"env: demo · server 127.0.0.1:{server.port}"
        # A toast is mounted after the screen's first layout and paint: a change of the screen after it.
        assert not any(server.base_url in notification.message for notification in app._notifications)


async def test_a_demo_server_that_cannot_start_holds_sending_and_says_why(monkeypatch) -> None:
    def refuse(server: DemoServerProcess) -> DemoServerProcess:
        raise RuntimeError("the demo server did not start on 127.0.0.1")

    monkeypatch.setattr(DemoServerProcess, "start", refuse)
    app = SluiceApp(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await wait_until(pilot, lambda: screen.sending_held is not None)
        assert "did not start" in (screen.sending_held or "")
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert screen.live is None
        assert any("did not start" in notification.message for notification in app._notifications)


def mount_once_the_collection_is_read(monkeypatch, after_mount: Callable[[Any], object] | None = None) -> None:
    """The main screen mounts only once the collection (read in a thread) has been read, as it usually is
    before the first layout; `after_mount` is called with the screen once it has mounted."""
    from app.model import collection as collection_module
    from app.ui.screens.main import MainScreen

    read = collection_module.load_collection
    done = threading.Event()

    def read_and_say(root: Path) -> object:
        try:
            return read(root)
        finally:
            done.set()

    monkeypatch.setattr(collection_module, "load_collection", read_and_say)
    mounted = MainScreen.on_mount

    async def on_mount(screen: MainScreen) -> None:
        done.wait(30)
        # The read has returned; its worker is finished once the loop has heard so (which blocking here
        # would keep from happening): only then is the collection shown in the first layout.
        worker = screen.app._first_collection
        if worker is not None:
            await worker.wait()
        mounted(screen)
        if after_mount is not None:
            after_mount(screen)

    monkeypatch.setattr(MainScreen, "on_mount", on_mount)


async def test_keys_typed_before_the_collection_is_read_wait_for_it_in_order(collection: Path, monkeypatch) -> None:
    from app.model import collection as collection_module

    gate = threading.Event()
    read = collection_module.load_collection

    def read_when_let(root: Path) -> object:
        gate.wait(60)  # the test lets the load finish once the keys are typed
        return read(root)

    monkeypatch.setattr(collection_module, "load_collection", read_when_let)
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await pilot.press("slash", "d", "r", "i", "p", "enter")
        assert screen.workspace.collection is None, "typed while the collection is still being read"
        gate.set()
        await wait_until(pilot, lambda: screen.current is not None and screen.current.title == "Drip")
        assert app.focused is screen.collection_tree


async def test_a_collection_read_before_the_screen_is_composed_is_in_its_first_layout_and_keys_wait_in_order(
    collection: Path, monkeypatch
) -> None:
    shown_when_composed: list[bool] = []
    mount_once_the_collection_is_read(monkeypatch, lambda screen: shown_when_composed.append(screen.workspace.collection is not None))
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await pilot.press("slash", "d", "r", "i", "p", "enter")
        await wait_until(pilot, lambda: screen.current is not None and screen.current.title == "Drip")
        assert shown_when_composed == [True]
        assert app.focused is screen.collection_tree


@pytest.mark.parametrize("size", [(120, 40), (160, 45), (100, 30), (80, 24)])
async def test_the_editor_knows_its_size_before_the_first_layout(collection: Path, size: tuple[int, int]) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=size) as pilot:
        screen = app.main_screen
        await wait_until(pilot, lambda: screen.current is not None)
        await pilot.pause()
        assert screen.editor.outer_size == expected_editor_size(screen.layout_settings, app.size)


async def test_the_footer_is_not_repainted_when_its_keys_stay_the_same(collection: Path, monkeypatch) -> None:
    repainted: list[object] = []
    refresh = WorkbenchFooter.refresh

    def counted(footer: WorkbenchFooter, *args: Any, **kwargs: Any) -> WorkbenchFooter:
        repainted.append(footer)
        return refresh(footer, *args, **kwargs)

    monkeypatch.setattr(WorkbenchFooter, "refresh", counted)
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await settled_on_the_tree(pilot, app)
        keys = footer_key_names(screen)
        assert "n" in keys  # the tree's keys
        before = len(repainted)
        screen.refresh_bindings()
        await pilot.pause()
        assert len(repainted) == before
        screen.action_focus_url()  # other keys: repainted
        await wait_until(pilot, lambda: len(repainted) > before)
        assert "n" not in footer_key_names(screen)


async def test_the_footers_first_paint_shows_the_keys_of_the_focused_tree(collection: Path, monkeypatch) -> None:
    painted: list[list[str]] = []
    render = WorkbenchFooter.render

    def recorded(footer: WorkbenchFooter) -> RenderResult:
        painted.append([entry.key for entry in footer.entries])
        return render(footer)

    monkeypatch.setattr(WorkbenchFooter, "render", recorded)
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await settled_on_the_tree(pilot, app)
        final = footer_key_names(screen)
        assert "n" in final  # the tree's keys: the focus was on the tree before the first paint
        assert painted[0] == final, "the first paint showed other keys: the footer changed once more"


async def test_the_main_screen_is_styled_as_it_mounts_not_again_when_shown(collection: Path, monkeypatch) -> None:
    restyled: list[object] = []
    update_styles = SluiceApp.update_styles

    def recorded(app: SluiceApp, node: object, animate: bool = True) -> None:
        restyled.append(node)
        update_styles(app, node, animate)  # type: ignore[arg-type]

    monkeypatch.setattr(SluiceApp, "update_styles", recorded)
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await settled_on_the_tree(pilot, app)
        assert screen not in restyled, "each widget was styled as it mounted: a second pass over all of them"
        dark = screen.collection_tree.styles.background
        app.theme = "sluice-light"  # a theme chosen later restyles the screen all the same
        await wait_until(pilot, lambda: screen.collection_tree.styles.background != dark)


async def test_the_timelines_keys_typed_at_start_up_work_before_any_response(collection: Path) -> None:
    # The first screen's Timeline has no store (the event model is imported later): a filter, the jumps,
    # the detail and the cursor typed at once make one when they need it, in order.
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        timeline = screen.response_pane.timeline
        await burst(pilot, "ctrl+g", "slash", *"kind:open", "enter", "n", "e", "f", "j", "enter", "G")
        await wait_until(pilot, lambda: app.focused is timeline and timeline.filter_query.source == "kind:open")
        await wait_until(pilot, lambda: screen.query_one("#timeline-filter-status").display)
        assert timeline.row_count == 0 and app.screen is screen, "nothing to open a detail of"
        await pilot.press("escape")
        await wait_until(pilot, lambda: timeline.filter_query.is_empty)
        assert not screen.query_one("#timeline-filter-status").display


def test_keys_typed_during_start_up_are_not_translated_by_the_terminal_and_its_settings_come_back() -> None:
    import os
    import pty
    import termios

    from app.ui.entry import keys_typed_ahead_kept

    controller, terminal = pty.openpty()
    try:
        with os.fdopen(terminal, "rb", buffering=0, closefd=False) as stream:
            before = termios.tcgetattr(terminal)
            assert before[0] & termios.ICRNL and before[3] & termios.ECHO
            with keys_typed_ahead_kept(stream):
                during = termios.tcgetattr(terminal)
                assert not during[0] & (termios.ICRNL | termios.IXON), "Enter stays Enter, Ctrl+S/Q reach the app"
                assert not during[3] & (termios.ICANON | termios.ECHO)
                assert during[3] & termios.ISIG, "Ctrl+C still stops a start-up that hangs"
            assert termios.tcgetattr(terminal) == before
    finally:
        os.close(controller)
        os.close(terminal)


def test_without_a_terminal_start_up_leaves_stdin_alone(tmp_path: Path) -> None:
    from app.ui.entry import keys_typed_ahead_kept

    with (tmp_path / "stdin").open("w+") as stream, keys_typed_ahead_kept(stream):
        pass


async def test_a_send_before_the_demo_servers_delay_starts_it_at_once(monkeypatch) -> None:
    import app.ui.demo_launch as launch_module

    monkeypatch.setattr(launch_module, "DEMO_SERVER_DELAY_SECONDS", 3600.0)  # only the send can start it
    app = SluiceApp(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await wait_until(pilot, lambda: screen.current is not None)
        assert app.demo_server is not None and not app.demo_server.running
        chat = next(entry for entry in screen.workspace.collection.requests()  # type: ignore[union-attr]
                    if entry.path.name == "openai-chat.toml")
        screen.open_request(chat)
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: screen.live is not None and screen.live.session.finished)
        assert screen.live is not None and screen.live.session.http_status == 200


async def test_the_main_screens_first_paint_is_not_thrown_away(collection: Path, monkeypatch) -> None:
    from textual.app import App

    from app.ui.screens.main import MainScreen

    held: list[int] = []
    display = App._display

    def recorded(app: App[object], screen: object, renderable: object) -> None:
        if isinstance(screen, MainScreen) and renderable is not None:
            held.append(app._batch_count)
        display(app, screen, renderable)  # type: ignore[arg-type]

    monkeypatch.setattr(App, "_display", recorded)
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        await pilot.pause()
        # Pushed inside Textual's start-up batch, the screen's first paint was rendered and dropped, and the
        # next drew only what had changed since (part of the screen).
        assert held and held[0] == 0, "the first paint of the main screen came while the display was held"


@pytest.mark.parametrize("size", [(120, 40), (160, 45), (100, 30), (80, 24), (64, 20)])
async def test_the_trees_scroll_bars_are_in_the_first_layout(size: tuple[int, int], monkeypatch) -> None:
    from textual.screen import Screen

    from app.ui.resources import sample_collections_path
    from app.ui.screens.main import MainScreen

    # The bundled collection: long and wide enough for both scroll bars at most sizes.
    mount_once_the_collection_is_read(monkeypatch)
    bars_at_layout: list[tuple[bool, bool]] = []
    refresh_layout = Screen._refresh_layout

    def recorded(screen: Screen[object], *args: object, **kwargs: object) -> None:
        if isinstance(screen, MainScreen) and screen.is_mounted:  # the bars this layout arranges
            tree = screen.collection_tree
            bars_at_layout.append((tree.show_horizontal_scrollbar, tree.show_vertical_scrollbar))
        refresh_layout(screen, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Screen, "_refresh_layout", recorded)
    app = SluiceApp(sample_collections_path())
    async with app.run_test(size=size) as pilot:
        screen = app.main_screen
        await wait_until(pilot, lambda: screen.current is not None)
        await pilot.pause()
        tree = screen.collection_tree
        assert tree.outer_size == expected_tree_size(screen.layout_settings, app.size)
        final = (tree.show_horizontal_scrollbar, tree.show_vertical_scrollbar)
        assert bars_at_layout[0] == final, f"found after the first layout, the scroll bars cost a second one {bars_at_layout}"
