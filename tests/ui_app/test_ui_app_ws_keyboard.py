"""The WebSocket composer's buttons work from the keyboard: Tab to Ping and Enter pings (as a click does)."""

from __future__ import annotations

from pathlib import Path

from helpers_ui_app import wait_until
from textual.widgets import Button, Label

from app.ui.app import SluiceApp

SIZE = (160, 45)


async def test_enter_on_the_ping_button_pings(demo_collection: Path) -> None:
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        screen = app.main_screen
        screen.open_request(next(e for e in screen.workspace.collection.requests() if e.title == "Echo"))
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: screen.live is not None and str(screen.live.session.state) == "open")
        editor = screen.editor
        await wait_until(pilot, lambda: bool(editor.query("#ws-ping")))
        status = editor.query_one("#ws-status", Label)
        await pilot.press("ctrl+l", "tab", "tab", "tab", "tab", "tab")
        await wait_until(pilot, lambda: app.focused is editor.query_one("#ws-ping", Button))
        await pilot.press("enter")
        await wait_until(pilot, lambda: "pong in" in str(status.render()))
