"""A response with thousands of headers (h11 takes up to 100 KiB of them: ~10,000 short ones) keeps the
TUI responsive: the Headers tab draws the first `SHOWN_HEADERS` of each table and says how many more
there are (`--jsonl` and HAR carry them all). Drawing all 10,000 as one Rich table took 5-10 s, during
which no key was answered; a server chooses how many it sends.
"""

from __future__ import annotations

import asyncio

from pilot_waits import wait_until
from raw_loopback_server import RawServer, http_response
from textual.app import App, ComposeResult

from app.bus import EventBus
from app.connections.http_worker import stream_http
from app.model.http_request import HttpRequest
from app.ui.response import ResponsePane, ResponseSession
from app.ui.response.info_views import SHOWN_HEADERS

_COUNT = 9000


class PaneHost(App[None]):
    def compose(self) -> ComposeResult:
        yield ResponsePane()


async def test_the_headers_tab_shows_a_flood_cut_and_counted(raw_server: RawServer, sluice) -> None:
    raw_server.routes["/flood"] = http_response("200 OK", [(f"x{index}", "") for index in range(_COUNT)], b"ok")
    host = PaneHost()
    async with host.run_test(size=(140, 40)) as pilot:
        pane = host.query_one(ResponsePane)
        bus = EventBus()
        session = ResponseSession(bus, "flood")
        task = asyncio.create_task(stream_http(HttpRequest(f"{raw_server.base_url}/flood"), bus))
        pane.show(session)
        await task
        await wait_until(pilot, lambda: session.finished)
        await pane.action_show_tab("tab-headers")
        await pilot.pause()
        view = pane.query_one("#headers-content")
        height = view.size.height
        assert height < 1000, height  # lines drawn: 9,000 and more without the cut
        shown = "\n".join(strip.text for strip in host.screen._compositor.render_strips())
        assert "x0" in shown
    result = sluice("run", f"{raw_server.base_url}/flood", "--jsonl")
    (opened,) = [line for line in result.lines if line["kind"] == "open"]
    assert len(opened["headers"]) == _COUNT + 1  # Connection: close too


def test_the_cut_says_how_many_more() -> None:
    from app.ui.response.info_views import _table

    table = _table("Response", tuple((f"x{index}", "v") for index in range(SHOWN_HEADERS + 25)))
    assert table.row_count == SHOWN_HEADERS + 1
    last = table.columns[0]._cells[-1]
    assert "25 more" in str(last)
