"""Hiding a pane never leaves the focus (and the keys typed next) in it; Ctrl+R shows the History even when
the tree's column was hidden after it."""

from __future__ import annotations

from pathlib import Path

from helpers_ui_app import burst, wait_until

from app.ui.app import SluiceApp
from app.ui.collection.dialogs import ConfirmDialog
from app.ui.history.panel import HistoryPanel

SIZE = (120, 40)


def focus_shown(app: SluiceApp) -> bool:
    focused = app.focused
    return focused is not None and all(node.display for node in focused.ancestors_with_self)


async def test_hiding_the_tree_moves_the_focus_out_of_it(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        screen = app.main_screen
        for shown in (False, True):  # with the History hidden, then shown below the tree
            if shown:
                await pilot.press("ctrl+b", "ctrl+r")
                await wait_until(pilot, lambda: screen.query_one(HistoryPanel).display)
            screen.action_focus_tree()
            await wait_until(pilot, lambda: app.focused is screen.collection_tree)
            await burst(pilot, "ctrl+b", "x")
            await wait_until(pilot, lambda: not screen.query_one("#sidebar").display)
            assert focus_shown(app), app.focused
            assert not isinstance(app.screen, ConfirmDialog)  # `x` went to a field shown, not to the tree


async def test_ctrl_r_after_ctrl_b_shows_the_history(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        screen = app.main_screen
        history = screen.query_one(HistoryPanel)
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: app.focused is history)
        await burst(pilot, "ctrl+b", "ctrl+r")
        await wait_until(pilot, lambda: screen.query_one("#sidebar").display)
        assert history.display and app.focused is history
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: not history.display)
        assert focus_shown(app), app.focused
