"""The workbench's footer: lifecycle keys first, whole keys only, the palette's at the right edge; a click
on a key presses it."""

from __future__ import annotations

from pathlib import Path

from helpers_ui_app import wait_until

from app.ui.app import SluiceApp
from app.ui.help_screen import HelpScreen
from app.ui.screens.footer import FooterEntry, WorkbenchFooter, order_and_fit


def entry(key: str, description: str, action: str) -> FooterEntry:
    return FooterEntry(key, key, description, action, True, description)


def test_lifecycle_keys_come_first_and_whole_keys_that_do_not_fit_are_left_out() -> None:
    new, send, cancel = entry("n", "New", "new_request"), entry("^j", "Send", "screen.send"), entry("esc", "Cancel", "cancel")
    palette = entry("^p", "palette", "command_palette")
    assert order_and_fit([new, send, cancel], palette, 0) == [cancel, send, new]
    # 11 cells for the palette, 11 for Cancel, 8 for Send: New (6) does not fit in 32.
    assert order_and_fit([new, send, cancel], palette, 32) == [cancel, send]


async def test_the_row_shows_every_key_whole_and_the_palette_at_the_right_edge(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        await pilot.pause()
        footer = app.main_screen.query_one(WorkbenchFooter)
        row = str(footer.render())
        assert len(row) == 100
        assert row.startswith("esc Cancel ^j Send ^s Save ? Keys ")
        assert row.endswith("▏^p palette ")
        for shown in footer.entries:
            assert f"{shown.display} {shown.description}" in row


async def test_a_click_on_a_key_presses_it(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        await pilot.pause()
        row = str(app.main_screen.query_one(WorkbenchFooter).render())
        await pilot.click(WorkbenchFooter, offset=(row.index("? Keys") + 2, 0))
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))



async def test_once_esc_closed_the_tree_filter_from_the_tree_the_footer_says_esc_cancels_again(collection: Path) -> None:
    # After `/ name Enter` the focus is on the tree; Esc there closed the filter, but the footer was not
    # told that its keys changed and kept showing "esc Close filter" (the row is only repainted then).
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.main_screen
        await wait_until(pilot, lambda: screen.current is not None)
        footer = screen.query_one(WorkbenchFooter)
        await pilot.press("ctrl+t", "slash", *"Echo", "enter")
        await wait_until(pilot, lambda: screen.collection_tree.has_focus and "esc Close filter" in str(footer.render()))
        told: list[object] = []
        screen.bindings_updated_signal.subscribe(footer, told.append)
        await pilot.press("escape")
        await wait_until(pilot, lambda: bool(told))
        assert str(footer.render()).startswith("esc Cancel")
