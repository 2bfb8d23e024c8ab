"""Timeline columns a debugger expects: full event names (cut with … past the cap), id and retry when the
stream has them, toggles; the detail view lists every field and never prints raw control bytes."""

from __future__ import annotations

from helpers_ui_response import EventFeeder, PaneHost, screen_text, wait_until
from hypothesis import given
from hypothesis import strategies as st

from app.bus import EventBus
from app.connections.http_worker import stream_http
from app.demo.server import DemoServer
from app.events import RequestSent, ResponseOpened, SseMessage
from app.model.http_request import HttpRequest
from app.store import EventStore
from app.ui.response import ResponseSession
from app.ui.response.detail import EventDetailScreen
from app.ui.response.timeline_row import OPTIONAL_COLUMNS, TimelineColumns


@given(st.integers(0, 400), st.frozensets(st.sampled_from(OPTIONAL_COLUMNS)))
def test_the_columns_before_any_response_are_those_of_an_empty_store(width: int, hidden: frozenset[str]) -> None:
    # The first screen's Timeline has no store (its event model is not imported before the first paint).
    assert TimelineColumns.fit(None, width, hidden) == TimelineColumns.fit(EventStore(), width, hidden)


def _header(pane_host: PaneHost) -> str:
    return next(row for row in screen_text(pane_host).splitlines() if " time " in row and " delta " in row)


async def test_ids_and_retry_are_columns(demo_server: DemoServer, pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(160, 30)) as pilot:
        bus = EventBus()
        session = ResponseSession(bus, "ids")
        pane_host.pane.show(session)
        await stream_http(HttpRequest(f"{demo_server.base_url}/sse/ids"), bus)
        await wait_until(pilot, lambda: session.finished)
        await wait_until(pilot, lambda: " id retry " in _header(pane_host))
        rows = screen_text(pane_host).splitlines()
        update = next(row for row in rows if " update " in row)
        assert " 10 " in update
        assert any("↻3000" in row for row in rows)
        pane_host.pane.timeline.focus()
        await pilot.press("I", "R")
        await wait_until(pilot, lambda: " id " not in _header(pane_host) and "retry" not in _header(pane_host))
        assert "↻3000" not in screen_text(pane_host)
        await pilot.press("I")
        await wait_until(pilot, lambda: " id " in _header(pane_host))


async def test_long_event_names_are_whole_up_to_the_cap_then_marked(pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(160, 20)) as pilot:
        bus = EventBus()
        session = ResponseSession(bus, "names")
        pane_host.pane.show(session)
        long_name = "response.function_call_arguments.delta.with.more"
        EventFeeder(bus).publish([
            SseMessage("content_block_start", "{}"),
            SseMessage("content_block_stop", "{}"),
            SseMessage(long_name, "{}"),
        ])
        await wait_until(pilot, lambda: "content_block_start" in screen_text(pane_host))
        shown = screen_text(pane_host)
        assert "content_block_stop" in shown
        assert long_name not in shown
        cut = next(word for word in shown.split() if word.endswith("…"))
        assert cut.endswith("…") and long_name.startswith(cut[:-1]) and len(cut) >= 38  # a quarter of the row


async def test_a_narrow_row_keeps_provider_and_sluice_kind_names_whole(pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(64, 20)) as pilot:  # the response pane's width at 100 columns
        bus = EventBus()
        session = ResponseSession(bus, "narrow")
        pane_host.pane.show(session)
        EventFeeder(bus).publish([SseMessage("content_block_start", "{}"), SseMessage("content_block_stop", "{}")])
        await wait_until(pilot, lambda: "content_block_start" in screen_text(pane_host))
        assert "content_block_stop" in screen_text(pane_host)


async def test_detail_lists_every_field_and_escapes_control_bytes(pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(120, 40)) as pilot:
        bus = EventBus()
        session = ResponseSession(bus, "detail")
        pane_host.pane.show(session)
        EventFeeder(bus).publish([SseMessage("tick", "bad \x1b[2J\x07 bytes", id="7", retry=1500)])
        await wait_until(pilot, lambda: len(session.store) == 1)
        pane_host.pane.timeline.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pane_host.screen, EventDetailScreen))
        await pilot.pause()
        shown = screen_text(pane_host)
        for field in ("seq", "kind", "event", "data", "id", "retry"):
            assert f" {field} " in shown or f"│{field} " in shown, field
        assert "1500" in shown and "\x1b" not in shown and "\x07" not in shown
        assert "\\x1b" in shown or "␛" in shown or "\\u001b" in shown


async def test_rows_that_carry_nothing_leave_the_size_blank(pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(120, 20)) as pilot:
        bus = EventBus()
        session = ResponseSession(bus, "sizes")
        pane_host.pane.show(session)
        EventFeeder(bus).publish([RequestSent("GET", "http://h/x", (), 0), ResponseOpened(200, "HTTP/1.1", ()),
                                  SseMessage("message", "{}")], size=0)
        await wait_until(pilot, lambda: " message " in screen_text(pane_host))
        rows = [row for row in screen_text(pane_host).splitlines() if row.strip()[:1].isdigit()]  # Timeline rows
        request = next(row for row in rows if " request " in row)
        opened = next(row for row in rows if " open " in row)
        assert " 0 B " in request  # a request's size is its body: none here
        assert " B " not in opened, opened
