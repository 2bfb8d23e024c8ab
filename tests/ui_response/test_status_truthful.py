"""The status line, the Headers tab and the Metrics tab tell the truth: the close row's figures, a
WebSocket's handshake (open, refused, reconnected), a stall while it happens, a filter per response."""

from __future__ import annotations

import asyncio

from helpers_ui_response import EventFeeder, PaneHost, screen_text, wait_until

from app.bus import EventBus
from app.connections.http_worker import stream_http
from app.connections.websocket import WsConnection
from app.demo.server import DemoServer
from app.events import Reconnecting, ResponseOpened, SseMessage, StreamClosed
from app.model.http_request import HttpRequest, ParseMode
from app.model.ws_request import WsRequest
from app.store import EventQuery
from app.ui.response import ResponseSession, SessionState
from app.ui.response.status_line import status_text
from app.ws_events import WsClosed, WsOpened


async def _http(pane_host: PaneHost, request: HttpRequest) -> ResponseSession:
    bus = EventBus()
    session = ResponseSession(bus, request.url)
    pane_host.pane.show(session)
    await stream_http(request, bus)
    return session


async def _ws(pane_host: PaneHost, request: WsRequest, delays: tuple[float, ...] = ()) -> ResponseSession:
    bus = EventBus()
    session = ResponseSession(bus, request.url)
    pane_host.pane.show(session)
    await WsConnection(request, bus, reconnect_delays=delays).run()
    return session


async def test_status_line_counts_are_the_close_rows(demo_server: DemoServer, pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(120, 30)) as pilot:
        body = b'{"model": "x", "stream": true, "messages": [{"role": "user", "content": "hello"}]}' * 2
        request = HttpRequest(
            f"{demo_server.base_url}/sse/malformed", method="GET", body=body, parse_mode=ParseMode.SSE
        )
        session = await _http(pane_host, request)
        await wait_until(pilot, lambda: session.finished)
        await pilot.pause()
        closed = session.closed
        assert closed is not None
        status = status_text(session).plain
        assert closed.events > 1 and f"{closed.events} events" in status
        assert f"  {closed.bytes} B received  " in status
        shown = screen_text(pane_host)
        request_row = next(line for line in shown.splitlines() if " request " in line)
        assert f"{len(body)} B" in request_row  # the request row shows the body it sent


async def test_one_event_is_singular(pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(120, 20)) as pilot:
        bus = EventBus()
        session = ResponseSession(bus, "one")
        pane_host.pane.show(session)
        EventFeeder(bus).publish([ResponseOpened(200, "HTTP/1.1", ()), SseMessage("message", "x"), StreamClosed(10, 1, 0.1, 0.0, 0.01, None)])
        bus.close()
        await wait_until(pilot, lambda: session.finished)
        assert "  1 event  " in status_text(session).plain


async def test_a_stall_shows_while_it_happens(pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(120, 30)) as pilot:
        bus = EventBus()
        session = ResponseSession(bus, "stalling", stall_threshold=0.05)
        pane_host.pane.show(session)
        EventFeeder(bus, step=0.0).publish([ResponseOpened(200, "HTTP/1.1", ()), SseMessage("message", "x")])
        await pilot.press("5")
        await wait_until(pilot, lambda: "silent for" in screen_text(pane_host))
        assert "silent" in status_text(session).plain
        assert session.state is SessionState.OPEN


async def test_the_filter_does_not_carry_over_to_the_next_response(pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(120, 20)) as pilot:
        first = ResponseSession(bus := EventBus(), "first")
        pane_host.pane.show(first)
        EventFeeder(bus).publish([SseMessage("message", f"row {i}") for i in range(10)])
        await pilot.pause()
        pane_host.pane.timeline.set_query(EventQuery.parse("row 3"))
        await wait_until(pilot, lambda: pane_host.pane.timeline.row_count == 1)
        second = ResponseSession(bus2 := EventBus(), "second")
        pane_host.pane.show(second)
        EventFeeder(bus2).publish([SseMessage("message", f"other {i}") for i in range(4)])
        await wait_until(pilot, lambda: pane_host.pane.timeline.row_count == 4)
        assert pane_host.pane.timeline.filter_query.is_empty
        await pilot.pause()
        assert "filter “" not in screen_text(pane_host)


async def test_headers_tab_shows_the_101_headers_of_an_open_socket(demo_server: DemoServer, pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(120, 30)) as pilot:
        bus = EventBus()
        session = ResponseSession(bus, "echo")
        pane_host.pane.show(session)
        connection = WsConnection(WsRequest(f"{demo_server.ws_url}/ws/echo"), bus)
        worker = asyncio.create_task(connection.run())
        assert await connection.wait_open()
        await pilot.press("3")
        await wait_until(pilot, lambda: "Handshake · 101" in screen_text(pane_host))
        assert "No headers yet" not in screen_text(pane_host)
        assert "sec-websocket-accept" in screen_text(pane_host).lower()
        await connection.close()
        await worker


async def test_a_refused_handshake_shows_status_headers_and_body(demo_server: DemoServer, pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(140, 30)) as pilot:
        session = await _ws(pane_host, WsRequest(f"{demo_server.ws_url}/ws/auth"))
        await wait_until(pilot, lambda: session.finished)
        await pilot.press("3")
        await wait_until(pilot, lambda: "401" in screen_text(pane_host))
        shown = screen_text(pane_host)
        assert "Response · HTTP/1.1 401" in shown and "Bearer" in shown
        await pilot.press("4")
        await wait_until(pilot, lambda: "demo-token" in screen_text(pane_host))
        assert "● error  401" in status_text(session).plain


async def test_after_reconnects_the_status_line_spans_the_whole_run(demo_server: DemoServer, pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(140, 30)) as pilot:
        request = WsRequest(f"{demo_server.ws_url}/ws/drop", auto_reconnect=True)
        session = await _ws(pane_host, request, delays=(0.2, 0.2))
        await wait_until(pilot, lambda: session.finished)
        assert session.reconnects == 2
        last = session.store.time(len(session.store) - 1)
        assert session.elapsed >= last >= 0.4  # not frozen at the first close
        assert "↻ 2 reconnects" in status_text(session).plain


async def test_a_resumed_sse_stream_counts_every_connection(demo_server: DemoServer, pane_host: PaneHost) -> None:
    from app.run.reconnect import ReconnectPolicy, stream_http_resumable

    async with pane_host.run_test(size=(140, 30)) as pilot:
        bus = EventBus()
        session = ResponseSession(bus, "resumable")
        pane_host.pane.show(session)
        url = f"{demo_server.base_url}/sse/resumable?n=6&per=2&retry=10"
        await stream_http_resumable(HttpRequest(url), bus, ReconnectPolicy(max_reconnects=5))
        await wait_until(pilot, lambda: session.finished)
        store = session.store
        closes = [store.payload(i) for i in range(len(store)) if isinstance(store.payload(i), StreamClosed)]
        assert session.reconnects == len(closes) - 1 >= 3
        assert session.data_events == sum(close.events for close in closes) == 6
        assert session.bytes_received == sum(close.bytes for close in closes)
        assert session.elapsed >= store.time(len(store) - 1)
        assert "6 events" in status_text(session).plain


async def test_keepalives_from_the_server_are_signs_of_life_not_silence(pane_host: PaneHost) -> None:
    from app.events import SseComment, TimelineEvent, WsControl, WsMessage, WsOpened

    socket = WsOpened(101, (), None)
    cases = ((socket, WsMessage("recv", "hi"), WsControl("ws_ping", b"", by="server")),
             (socket, WsMessage("recv", "hi"), WsControl("ws_pong", b"", by="server")),
             (ResponseOpened(200, "HTTP/1.1", ()), SseMessage("message", "x"), SseComment("keepalive")))
    async with pane_host.run_test(size=(120, 20)) as pilot:
        for opened, data, keepalive in cases:
            session = ResponseSession(None, "quiet", stall_threshold=0.05)
            session.feed([TimelineEvent(0, 0.0, opened, 0), TimelineEvent(1, 0.0, data, 2)])
            pane_host.pane.show(session)
            await wait_until(pilot, lambda session=session: "silent" in status_text(session).plain)
            # Sluice's own pong to a server's ping is no news from the server; the server's frame is.
            session.feed([TimelineEvent(2, session.elapsed, WsControl("ws_pong", b"", by="client"), 0)])
            assert "silent" in status_text(session).plain
            session.feed([TimelineEvent(3, session.elapsed, keepalive, 0)])
            assert "silent" not in status_text(session).plain
            # The gaps and stalls between data events still count data alone.
            assert session.metrics.data_events == 1


async def test_a_dropped_websocket_says_so_on_the_status_line(demo_server: DemoServer, pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(160, 30)) as pilot:
        session = await _ws(pane_host, WsRequest(f"{demo_server.ws_url}/ws/drop"))
        await wait_until(pilot, lambda: session.finished)
        status = status_text(session).plain
        assert status.startswith("● closed  101")
        assert status.endswith("  1006 (abnormal closure) by server"), status
        assert status_text(session, 64).plain.endswith("1 event  1006 (abnormal closure) by server")  # 100 columns


async def test_a_websocket_closed_normally_shows_no_close_code(pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(160, 20)) as pilot:
        bus = EventBus()
        session = ResponseSession(bus, "ws")
        pane_host.pane.show(session)
        EventFeeder(bus).publish([WsOpened(101, (), None), WsClosed(1000, "bye", "server")])
        bus.close()
        await wait_until(pilot, lambda: session.finished)
        assert " by server" not in status_text(session).plain and "1000" not in status_text(session).plain


async def test_a_slow_stream_shows_its_rate_not_zero(pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(160, 20)) as pilot:
        bus = EventBus()
        session = ResponseSession(bus, "slow")
        pane_host.pane.show(session)
        EventFeeder(bus).publish([ResponseOpened(200, "HTTP/1.1", ()), SseMessage("message", "x"),
                                  StreamClosed(10, 1, 4.0, 0.0, 0.01, None)])
        bus.close()
        await wait_until(pilot, lambda: session.finished)
        assert "  0.2 ev/s" in status_text(session).plain  # 1 event in 4 s, not `0 ev/s`


async def test_the_wait_before_a_reconnect_says_reconnecting(pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(160, 20)) as pilot:
        bus = EventBus()
        session = ResponseSession(bus, "resume")
        pane_host.pane.show(session)
        feeder = EventFeeder(bus)
        feeder.publish([ResponseOpened(200, "HTTP/1.1", ()), SseMessage("message", "x"),
                        StreamClosed(10, 1, 0.1, 0.0, 0.01, None), Reconnecting(1, 3.0, None)])
        await wait_until(pilot, lambda: session.reconnects == 1)
        assert status_text(session).plain.startswith("● reconnecting  200"), status_text(session).plain
        feeder.publish([ResponseOpened(200, "HTTP/1.1", ())])
        await wait_until(pilot, lambda: str(session.state) == "open")
        bus.close()
