"""The response pane's tabs: number keys, clicks and Left/Right show one pane; Tab never walks into a hidden one."""

from __future__ import annotations

from helpers_ui_response import EventFeeder, PaneHost, screen_text, show_closed_session, wait_until

from app.bus import EventBus
from app.events import RequestSent, ResponseOpened, SseMessage, StreamClosed
from app.ui.response import ResponseSession
from app.ui.response.pane import TABS
from app.ui.response.tab_stack import PaneStack, StackedPane, TabBar


def _in_view(app: PaneHost) -> list[str]:
    """The panes any part of which is on the screen."""
    stack = app.query_one(PaneStack).region
    return [pane.id or "" for pane in app.query(StackedPane) if pane.region.overlaps(stack)]


def _owning_pane(app: PaneHost) -> StackedPane | None:
    focused = app.focused
    return next((node for node in focused.ancestors if isinstance(node, StackedPane)), None) if focused else None


async def test_number_keys_show_exactly_that_pane_and_focus_its_content(pane_host):
    async with pane_host.run_test(size=(120, 40)) as pilot:
        await show_closed_session(pane_host, pilot, "tabs")
        bar = pane_host.query_one(TabBar)
        for key in "213465":
            tab = TABS[int(key) - 1]
            await pilot.press(key)
            await wait_until(pilot, lambda tab=tab: _in_view(pane_host) == [tab.id])
            assert pane_host.pane.active_tab == tab.id
            assert bar.active == tab.id
            owner = _owning_pane(pane_host)
            assert owner is not None and owner.id == tab.id
        await pilot.press("3")
        await wait_until(pilot, lambda: "text/event-stream" in screen_text(pane_host))
        assert "hello" not in screen_text(pane_host)  # the Timeline's rows are out of view


async def test_clicking_a_label_shows_its_pane(pane_host):
    async with pane_host.run_test(size=(120, 40)) as pilot:
        await show_closed_session(pane_host, pilot, "tabs")
        bar = pane_host.query_one(TabBar)
        line = "".join(f" {tab.label} " for tab in TABS)
        await pilot.click(TabBar, offset=(line.index("Headers") + 2, 0))
        await wait_until(pilot, lambda: _in_view(pane_host) == ["tab-headers"])
        assert bar.active == "tab-headers"
        await pilot.click(TabBar, offset=(line.index("Merged") + 1, 1))  # the underline row counts too
        await wait_until(pilot, lambda: _in_view(pane_host) == ["tab-merged"])


async def test_left_and_right_on_the_focused_bar_step_through_the_tabs(pane_host):
    async with pane_host.run_test(size=(120, 40)) as pilot:
        await show_closed_session(pane_host, pilot, "tabs")
        bar = pane_host.query_one(TabBar)
        bar.focus()
        await wait_until(pilot, lambda: pane_host.focused is bar)
        await pilot.press("left")
        await wait_until(pilot, lambda: _in_view(pane_host) == ["tab-assertions"])
        assert pane_host.focused is bar
        await pilot.press("right", "right")
        await wait_until(pilot, lambda: _in_view(pane_host) == ["tab-merged"])


async def test_tab_never_focuses_a_widget_of_a_hidden_pane(pane_host):
    async with pane_host.run_test(size=(120, 40)) as pilot:
        await show_closed_session(pane_host, pilot, "tabs")
        for key in "14":
            await pilot.press(key)
            await wait_until(pilot, lambda key=key: _in_view(pane_host) == [TABS[int(key) - 1].id])
            for _ in range(6):
                await pilot.press("tab")
                await pilot.pause()
                owner = _owning_pane(pane_host)
                assert owner is None or owner.id == pane_host.pane.active_tab, (owner, pane_host.focused)
            assert _in_view(pane_host) == [TABS[int(key) - 1].id]


async def test_the_shown_pane_stays_in_view_when_the_terminal_is_resized(pane_host):
    async with pane_host.run_test(size=(120, 40)) as pilot:
        await show_closed_session(pane_host, pilot, "tabs")
        await pilot.press("5")
        await wait_until(pilot, lambda: _in_view(pane_host) == ["tab-metrics"])
        for size in ((90, 30), (150, 45)):
            await pilot.resize_terminal(*size)
            await wait_until(pilot, lambda: _in_view(pane_host) == ["tab-metrics"])
            assert "time to first byte" in screen_text(pane_host)


async def test_narrow_bar_uses_the_short_labels(pane_host):
    async with pane_host.run_test(size=(50, 30)) as pilot:
        await show_closed_session(pane_host, pilot, "tabs")
        first_line = screen_text(pane_host).splitlines()[1]
        assert all(tab.short in first_line for tab in TABS), first_line


async def test_the_headers_and_metrics_tabs_scroll_with_the_keys_once_their_content_arrived(pane_host):
    from app.ui.response.info_views import HeadersView, MetricsView

    async with pane_host.run_test(size=(40, 10)) as pilot:
        for key, view_type in (("3", HeadersView), ("5", MetricsView)):
            await pilot.press(key)
            bus = EventBus()
            session = ResponseSession(bus, "long")
            pane_host.pane.show(session)
            headers = tuple((f"x-header-{i}", "v") for i in range(30))
            EventFeeder(bus).publish([RequestSent("GET", "http://127.0.0.1/sse", headers),
                                      ResponseOpened(200, "HTTP/1.1", headers), SseMessage("message", "hello"),
                                      StreamClosed(5, 1, 0.1, 0.01, 0.02, None)])
            bus.close()
            await wait_until(pilot, lambda session=session: session.finished)
            view = pane_host.query_one(view_type)
            await wait_until(pilot, lambda view=view: pane_host.focused is view and view.max_scroll_y > 2)
            await pilot.press("down", "down")
            await wait_until(pilot, lambda view=view: view.scroll_y == 2)
