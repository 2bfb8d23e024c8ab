"""Views whose looks do not depend on the focus are not restyled when it moves (app/ui/response/focus_look.py),
and a restyle would indeed change nothing about them."""

from __future__ import annotations

from helpers_ui_response import EventFeeder, PaneHost, wait_until
from textual.dom import DOMNode

from app.bus import EventBus
from app.events import RequestSent, ResponseOpened, SseMessage, StreamClosed
from app.ui.response import ResponseSession
from app.ui.response.assertions_view import AssertionsView
from app.ui.response.focus_look import FocusBlindView
from app.ui.response.info_views import HeadersView, MetricsView

OPENED = ResponseOpened(200, "HTTP/1.1", (("content-type", "text/event-stream"),))
BLIND = {"3": HeadersView, "5": MetricsView, "6": AssertionsView}


async def _closed_session(app: PaneHost, pilot) -> ResponseSession:
    bus = EventBus()
    session = ResponseSession(bus, "focus")
    app.pane.show(session)
    app.pane.timeline.focus()
    EventFeeder(bus).publish([RequestSent("GET", "http://127.0.0.1/sse"), OPENED, SseMessage("message", "hello"),
                              StreamClosed(5, 1, 0.1, 0.01, 0.02, None)])
    bus.close()
    await wait_until(pilot, lambda: session.finished)
    return session


def _lines(app: PaneHost) -> list[tuple[tuple[str, object], ...]]:
    """The screen's cells with their styles."""
    return [tuple((segment.text, segment.style) for segment in strip) for strip in app.screen._compositor.render_strips()]


async def test_a_tab_key_restyles_neither_the_view_it_leaves_nor_the_one_it_shows(pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(120, 40)) as pilot:
        await _closed_session(pane_host, pilot)
        restyled: list[DOMNode] = []
        original = pane_host.update_styles

        def update_styles(node: DOMNode, animate: bool = True) -> None:
            restyled.append(node)
            original(node, animate=animate)

        pane_host.update_styles = update_styles  # type: ignore[method-assign]
        for key in "356":
            await pilot.press(key)
            await wait_until(pilot, lambda key=key: isinstance(pane_host.focused, BLIND[key]))
        await pilot.pause()
        assert [node for node in restyled if isinstance(node, FocusBlindView)] == []


async def test_the_focus_blind_views_look_the_same_when_restyled_with_the_focus(pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(120, 40)) as pilot:
        await _closed_session(pane_host, pilot)
        for key, view_type in BLIND.items():
            await pilot.press(key)
            view = pane_host.query_one(view_type)
            await wait_until(pilot, lambda view=view: pane_host.focused is view and not pane_host.screen._dirty_widgets)
            await pilot.pause()
            skipped = _lines(pane_host)
            # What Textual would have done: apply every rule again, now that the view has the focus.
            pane_host.update_styles(view)
            await pilot.pause()
            await wait_until(pilot, lambda: not pane_host.screen._dirty_widgets)
            assert _lines(pane_host) == skipped, view_type.__name__


async def test_the_timeline_draws_the_focus_itself_without_a_restyle(pane_host: PaneHost) -> None:
    from textual.color import Color

    from app.ui.response.timeline import TimelineView

    async with pane_host.run_test(size=(120, 40)) as pilot:
        await _closed_session(pane_host, pilot)
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
