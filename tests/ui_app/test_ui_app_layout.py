"""The workbench's layout from the keyboard: hide, resize and maximise panes (remembered in the settings), and
never leave the focus (or the keys typed next) in a pane just hidden; Ctrl+R shows the History even when the
tree's column was hidden after it."""

from __future__ import annotations

from pathlib import Path

from helpers_ui_app import burst, wait_until

from app.ui.app import SluiceApp
from app.ui.collection.dialogs import ConfirmDialog
from app.ui.history.panel import HistoryPanel
from app.ui.screens.footer import WorkbenchFooter
from app.ui.settings import load_settings

SIZE = (120, 40)


async def test_layout_and_theme_are_remembered(collection: Path, settings_dir: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(app.main_screen.collection_tree.root.children))
        await pilot.pause()
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert not app.main_screen.query_one("#sidebar").display
        await pilot.press("alt+down")
        app.theme = "sluice-light"
        await pilot.pause()
    settings = load_settings(settings_dir)
    assert settings.theme == "sluice-light"
    assert settings.layout.tree_visible is False
    assert settings.layout.editor_height == 50
    assert settings.last_collection == str(collection.resolve())

    again = SluiceApp(collection)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "sluice-light"
        assert not again.main_screen.query_one("#sidebar").display


async def test_a_narrow_terminal_gives_the_tree_at_most_a_third_and_keeps_the_chosen_width(
        collection: Path, settings_dir: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: bool(app.main_screen.collection_tree.root.children))
        sidebar = app.main_screen.query_one("#sidebar")
        await wait_until(pilot, lambda: sidebar.size.width == 33)
        await pilot.resize_terminal(160, 45)
        await wait_until(pilot, lambda: sidebar.size.width == app.main_screen.layout_settings.tree_width == 38)
        await pilot.press("alt+right")
        await wait_until(pilot, lambda: sidebar.size.width == 42)
    assert load_settings(settings_dir).layout.tree_width == 42


async def test_maximise_and_restore_the_focused_pane(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(app.main_screen.collection_tree.root.children))
        screen = app.main_screen
        screen.action_focus_url()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.maximized is screen.editor
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.maximized is None


async def test_the_maximised_tree_takes_the_whole_screen(collection: Path) -> None:
    """The sidebar's width is the tree's (set by the layout): maximised, it stood 38 columns wide in the middle."""
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: bool(app.main_screen.collection_tree.root.children))
        screen = app.main_screen
        sidebar = screen.query_one("#sidebar")
        narrow = sidebar.size.width
        assert narrow < 40
        await pilot.press("ctrl+t", "ctrl+o")
        await wait_until(pilot, lambda: screen.maximized is sidebar)
        await wait_until(pilot, lambda: sidebar.size.width == 100)
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: screen.maximized is None and sidebar.size.width == narrow)


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


async def test_a_maximised_pane_keeps_the_footer_of_its_keys(collection: Path) -> None:
    # Textual keeps its own `Footer` in a maximised view; the workbench's footer was hidden with the rest.
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        screen = app.main_screen
        footer = screen.query_one(WorkbenchFooter)
        for keys in ("ctrl+g", "ctrl+l", "ctrl+t"):  # the response, the editor, the tree
            await pilot.press(keys, "ctrl+o")
            await wait_until(pilot, lambda: screen.maximized is not None)
            await pilot.pause()
            assert footer.region.height == 1 and footer.region.y == 29, (screen.maximized, footer.region)
            await pilot.press("ctrl+o")
            await wait_until(pilot, lambda: screen.maximized is None)

