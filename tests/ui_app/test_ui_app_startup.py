"""What `sluice --demo` defers past its first screen (issue 12's cold start), checked by structure, not time.

The TUI's entry modules import neither the network layer nor the demo server's web stack, nor does the
first paint; the demo server's port listens before the first frame but serves only once the collection is
on screen, and a request sent in between waits for it; a server that cannot start says so instead of
failing later. (Keys typed during start-up: `test_ui_app_startup_keys.py`; what the first layout and paint
know: `test_ui_app_first_paint.py`.)
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from helpers_ui_app import wait_until

from app.demo.process import DemoServerProcess
from app.ui.app import SluiceApp
from app.ui.demo_launch import DemoServerLauncher

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
