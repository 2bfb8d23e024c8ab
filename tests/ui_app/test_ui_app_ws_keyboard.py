"""The WebSocket composer's buttons work from the keyboard: Tab to Ping and Enter pings (as a click does)."""

from __future__ import annotations

from pathlib import Path

from helpers_ui_app import connect_echo, wait_until
from textual.widgets import Button, Label

from app.ui.app import SluiceApp

SIZE = (160, 45)


async def test_enter_on_the_ping_button_pings(demo_collection: Path) -> None:
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await connect_echo(pilot, app)
        screen = app.main_screen
        editor = screen.editor
        await wait_until(pilot, lambda: bool(editor.query("#ws-ping")))
        status = editor.query_one("#ws-status", Label)
        await pilot.press("ctrl+l", "tab", "tab", "tab", "tab", "tab")
        await wait_until(pilot, lambda: app.focused is editor.query_one("#ws-ping", Button))
        await pilot.press("enter")
        await wait_until(pilot, lambda: "pong in" in str(status.render()))
