"""Esc cancels from anywhere; where Esc first closes something (a filter, a dialog), a second Esc cancels."""

from __future__ import annotations

from pathlib import Path

from helpers_ui_app import burst, open_named, wait_until
from textual.widgets import Input

from app.ui.app import SluiceApp
from app.ui.collection.dialogs import NameDialog

SIZE = (120, 40)



def footer_keys(app: SluiceApp) -> dict[str, str]:
    """Key -> description of what the footer lists as enabled now."""
    return {key: active.binding.description for key, active in app.screen.active_bindings.items()
            if active.enabled and active.binding.show}


async def start_drip(pilot, app: SluiceApp) -> None:
    await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
    open_named(app, "Drip")
    await pilot.press("ctrl+j")
    await wait_until(pilot, lambda: app.main_screen.running and app.main_screen.live.session.event_count > 2)


async def first_escape_closes_then_the_second_cancels(pilot, app: SluiceApp, closed) -> None:
    """Esc closes what is open (`closed()` says it is gone) and leaves the request running; Esc again cancels it."""
    await pilot.press("escape")
    await wait_until(pilot, closed)
    assert app.main_screen.running
    await pilot.press("escape")
    await wait_until(pilot, lambda: not app.main_screen.running)


async def test_escape_cancels_with_the_timeline_focused(demo_collection: Path) -> None:
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await start_drip(pilot, app)
        screen = app.main_screen
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: app.focused is screen.response_pane.timeline)
        assert footer_keys(app).get("escape") == "Cancel"
        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen.running)
        assert str(screen.live.session.state) == "cancelled"
        await wait_until(pilot, lambda: "escape" not in footer_keys(app))


async def test_first_escape_closes_the_timeline_filter_the_second_cancels(demo_collection: Path) -> None:
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await start_drip(pilot, app)
        screen = app.main_screen
        await pilot.press("ctrl+g", "slash")
        await wait_until(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "timeline-filter")
        assert footer_keys(app).get("escape") == "Close filter"
        await first_escape_closes_then_the_second_cancels(pilot, app, lambda: app.focused is screen.response_pane.timeline)


async def test_escape_clears_an_applied_timeline_filter_then_cancels(demo_collection: Path) -> None:
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await start_drip(pilot, app)
        screen = app.main_screen
        timeline = screen.response_pane.timeline
        await burst(pilot, "ctrl+g", "slash", *"message", "enter")  # typed in a burst: applied, back in the Timeline
        await wait_until(pilot, lambda: app.focused is timeline and not timeline.filter_query.is_empty)
        await wait_until(pilot, lambda: footer_keys(app).get("escape") == "Close filter")
        await first_escape_closes_then_the_second_cancels(pilot, app, lambda: timeline.filter_query.is_empty)
        assert not screen.query_one("#timeline-filter-status").display


async def test_escape_from_the_tree_filter_closes_it_then_cancels(demo_collection: Path) -> None:
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await start_drip(pilot, app)
        screen = app.main_screen
        await pilot.press("ctrl+t", "slash", "d")
        await wait_until(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "tree-filter")
        await first_escape_closes_then_the_second_cancels(pilot, app, lambda: app.focused is screen.collection_tree)


async def test_escape_closes_a_dialog_first(demo_collection: Path) -> None:
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await start_drip(pilot, app)
        screen = app.main_screen
        await pilot.press("ctrl+t", "n")
        await wait_until(pilot, lambda: isinstance(app.screen, NameDialog))
        await first_escape_closes_then_the_second_cancels(pilot, app, lambda: app.screen is screen)


async def test_escape_cancels_in_a_maximised_pane_then_restores(demo_collection: Path) -> None:
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await start_drip(pilot, app)
        screen = app.main_screen
        await pilot.press("ctrl+g", "ctrl+o")
        await wait_until(pilot, lambda: screen.maximized is not None)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen.running)
        assert screen.maximized is not None
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.maximized is None)
