"""A focus change on the main screen repaints what it restyles, not the whole screen (app/ui/focus_paint.py)."""

from __future__ import annotations

from pathlib import Path

from helpers_ui_app import wait_until
from textual.widget import Widget

from app.ui.app import SluiceApp

SIZE = (120, 40)


async def test_moving_the_focus_does_not_repaint_the_whole_screen(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        screen = app.main_screen
        repaints: list[dict[str, bool]] = []
        original = screen.refresh

        def refresh(*regions: object, **flags: bool) -> Widget:
            # A repaint of the whole screen names no region (a screen below passing its dirty regions up does).
            if not regions:
                repaints.append(flags)
            return original(*regions, **flags)  # type: ignore[arg-type]

        screen.refresh = refresh  # type: ignore[method-assign]
        for key, target in (("ctrl+g", screen.response_pane.timeline), ("ctrl+t", screen.collection_tree),
                            ("ctrl+g", screen.response_pane.timeline), ("2", None)):
            await pilot.press(key)
            if target is not None:
                await wait_until(pilot, lambda target=target: app.focused is target)
        await wait_until(pilot, lambda: screen.response_pane.active_tab == "tab-merged")
        await pilot.pause()
        assert app.focused is not screen.collection_tree
        assert repaints == []
        # What gained and lost the focus still shows it (its own `:focus` styles).
        assert screen.collection_tree.has_focus is False
        assert screen.response_pane.timeline.has_focus is False
