"""Rich markup from a server is shown as the text it is: a `[link=…]` or `[bold red]` in a reason phrase,
a header value, an event name or a payload must neither style the screen nor make a link (OSC 8)."""

from __future__ import annotations

import asyncio

from pilot_waits import wait_until
from raw_loopback_server import http_response
from textual.app import App, ComposeResult

from app.bus import EventBus
from app.connections.http_worker import stream_http
from app.model.http_request import HttpRequest
from app.ui.response import ResponsePane, ResponseSession

MARKUP = "[link=https://evil.example/]click[/link] [bold red]x[/] [@click=app.quit]q[/]"


class PaneHost(App[None]):
    def compose(self) -> ComposeResult:
        yield ResponsePane()


def _strips(app: App) -> list:
    return app.screen._compositor.render_strips()


async def test_markup_from_a_server_is_shown_literally(raw_server) -> None:
    body = f"event: {MARKUP}\ndata: {MARKUP}\n\n".encode()
    raw_server.routes["/markup"] = http_response(
        f"599 {MARKUP}", [("Content-Type", "text/event-stream"), ("X-Markup", MARKUP)], body
    )
    host = PaneHost()
    async with host.run_test(size=(200, 40)) as pilot:
        pane = host.query_one(ResponsePane)
        bus = EventBus()
        session = ResponseSession(bus, "markup")
        task = asyncio.create_task(stream_http(HttpRequest(f"{raw_server.base_url}/markup"), bus))
        pane.show(session)
        await task
        await wait_until(pilot, lambda: session.finished and pane.timeline.row_count == len(session.store))
        for tab in ("tab-timeline", "tab-headers", "tab-body"):
            await pane.action_show_tab(tab)
            await pilot.pause()
            await pilot.pause()
            strips = _strips(host)
            shown = "\n".join(strip.text for strip in strips)
            assert "[link=https://evil.example/]" in shown, (tab, shown)
            links = [segment.style.link for strip in strips for segment in strip if segment.style and segment.style.link]
            assert not links, (tab, links)
