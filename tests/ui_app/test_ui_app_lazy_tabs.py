"""The response pane's hidden tabs are built when first shown: keys typed in a burst at start-up, into tabs
that do not exist yet, still land where they were typed."""

from __future__ import annotations

from pathlib import Path

from helpers_ui_app import wait_until

from app.ui.app import SluiceApp
from app.ui.response.body_view import BodyView
from app.ui.response.info_views import HeadersView
from app.ui.response.tab_stack import StackedPane

SIZE = (120, 40)


async def test_a_burst_at_start_up_builds_each_tab_before_its_keys_arrive(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.main_screen.response_pane
        hidden = [stacked for stacked in pane.query(StackedPane) if stacked.id != "tab-timeline"]
        assert hidden and not any(stacked.built or stacked.children for stacked in hidden)
        # Typed before the collection is on screen: held, then handled in order.
        await pilot.press("ctrl+g", "3", "v", "4", "p")
        await wait_until(pilot, lambda: isinstance(app.focused, BodyView))
        assert pane.query_one(HeadersView).reveal, "`v` reached the Headers tab built by `3`"
        await wait_until(pilot, lambda: any("not JSON" in str(toast.message) for toast in app._notifications))
        assert [stacked.id for stacked in hidden if stacked.built] == ["tab-headers", "tab-body"]


async def test_a_tab_chosen_on_its_bar_is_built_and_shown(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        pane = app.main_screen.response_pane
        pane.query_one("#response-tabs").focus()
        await pilot.press("right")
        await wait_until(pilot, lambda: pane.active_tab == "tab-merged")
        assert pane.query_one("#tab-merged", StackedPane).children
