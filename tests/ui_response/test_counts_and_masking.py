"""One count and one masking definition in every response view: the close row and the History panel
count data events like the status line; request and WebSocket URLs are masked in the Timeline and the
detail view (revealed by `v`, as in the Headers tab); a narrow status line keeps its error."""

from __future__ import annotations

from helpers_ui_response import EventFeeder, PaneHost, screen_text, wait_until

from app.bus import EventBus
from app.events import ConnectionFailed, ErrorType, RequestSent, ResponseOpened, SseMessage, StreamClosed
from app.ui.history.panel import describe_session
from app.ui.response import ResponseSession
from app.ui.response.detail import EventDetailScreen
from app.ui.response.status_line import status_text
from app.ws_events import WsConnecting

SECRET_URL = "https://user:hunter2@api.example/v1/stream?api_key=abc123&token=t0k3n&page=2"

async def test_the_close_row_and_history_count_data_events_in_the_singular(pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(140, 20)) as pilot:
        bus = EventBus()
        session = ResponseSession(bus, "one")
        pane_host.pane.show(session)
        EventFeeder(bus).publish([
            RequestSent("GET", "http://127.0.0.1/one"),
            ResponseOpened(200, "HTTP/1.1", ()),
            SseMessage("message", "x"),
            StreamClosed(10, 1, 0.1, 0.0, 0.01, None),
        ])
        bus.close()
        await wait_until(pilot, lambda: session.finished and pane_host.pane.timeline.row_count == 4)
        await pilot.pause()
        close_row = next(line for line in screen_text(pane_host).splitlines() if " close " in line)
        assert "· 1 event ·" in close_row
        # Four Timeline rows, one data event: the History panel says what the status line says.
        assert describe_session(session) == "closed 200 · 1 event"
        assert "  1 event  " in status_text(session).plain

async def test_timeline_and_detail_mask_url_credentials_until_v(pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(160, 30)) as pilot:
        bus = EventBus()
        session = ResponseSession(bus, "secret")
        pane_host.pane.show(session)
        EventFeeder(bus).publish([
            RequestSent("GET", SECRET_URL, (("Authorization", "Bearer sk-secret"),)),
            WsConnecting("wss://api.example/socket?access_token=ws-secret"),
        ])
        bus.close()
        await wait_until(pilot, lambda: pane_host.pane.timeline.row_count == 2)
        await pilot.pause()
        shown = screen_text(pane_host)
        for secret in ("hunter2", "abc123", "t0k3n", "ws-secret"):
            assert secret not in shown
        assert "api_key=****&token=****&page=2" in shown and "access_token=****" in shown

        pane_host.push_screen(EventDetailScreen(session.store, 0))
        await pilot.pause()
        detail = screen_text(pane_host)
        for secret in ("hunter2", "abc123", "t0k3n", "sk-secret"):
            assert secret not in detail
        assert "credentials masked · v: reveal" in detail and "Bearer ****" in detail
        await pilot.press("v")
        await pilot.pause()
        revealed = screen_text(pane_host)
        assert "abc123" in revealed and "sk-secret" in revealed and "v: hide secrets" in revealed
        screen = pane_host.screen
        assert isinstance(screen, EventDetailScreen) and "sk-secret" in screen.raw_text  # `c` copies what is shown
        await pilot.press("v")
        await pilot.pause()
        assert "abc123" not in screen_text(pane_host)

async def test_a_narrow_status_line_keeps_the_error_whole(pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(100, 30)) as pilot:
        bus = EventBus()
        session = ResponseSession(bus, "refused")
        pane_host.pane.show(session)
        message = "All connection attempts failed to 127.0.0.1:9"
        EventFeeder(bus).publish([
            RequestSent("GET", "http://127.0.0.1:9/"),
            ConnectionFailed(ErrorType.CONNECTION_REFUSED, message),
        ])
        bus.close()
        await wait_until(pilot, lambda: session.finished)
        await pilot.pause()
        status_row = screen_text(pane_host).splitlines()[0]
        assert message in status_row
        assert "● error" in status_row
        assert "ev/s" in status_text(session).plain  # only a narrow line leaves the rate out
