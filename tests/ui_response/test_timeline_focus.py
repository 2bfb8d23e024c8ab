"""The Timeline draws its focus (tint, block cursor) itself: a focus change does not restyle it."""

from __future__ import annotations

from helpers_ui_response import PaneHost, show_closed_session, wait_until
from textual.dom import DOMNode


async def test_the_timeline_draws_the_focus_itself_without_a_restyle(pane_host: PaneHost) -> None:
    from textual.color import Color

    from app.ui.response.timeline import TimelineView

    async with pane_host.run_test(size=(120, 40)) as pilot:
        await show_closed_session(pane_host, pilot, "focus")
        timeline = pane_host.pane.timeline
        restyled: list[DOMNode] = []
        original = pane_host.update_styles

        def update_styles(node: DOMNode, animate: bool = True) -> None:
            restyled.append(node)
            original(node, animate=animate)

        pane_host.update_styles = update_styles  # type: ignore[method-assign]
        block_cursor = Color.parse(pane_host.get_css_variables()["block-cursor-background"]).rich_color
        cursor_y = timeline.region.y + timeline._cursor

        def cursor_background() -> object:
            strip = pane_host.screen._compositor.render_strips()[cursor_y]
            return next(segment.style.bgcolor for segment in strip.crop(timeline.region.x + 2) if segment.text.strip())

        await wait_until(pilot, lambda: cursor_background() == block_cursor)
        await pilot.press("2")
        await wait_until(pilot, lambda: pane_host.pane.active_tab == "tab-merged" and not timeline.has_focus)
        await pilot.press("1")
        await wait_until(pilot, lambda: timeline.has_focus and cursor_background() == block_cursor)
        pane_host.set_focus(None)
        await wait_until(pilot, lambda: cursor_background() not in (None, block_cursor))
        assert [node for node in restyled if isinstance(node, TimelineView)] == []
