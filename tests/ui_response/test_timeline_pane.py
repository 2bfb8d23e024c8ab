"""The response pane driven by a bus fed directly: Timeline rows, following, filter, errors, detail."""

from __future__ import annotations

import json

from helpers_ui_response import EventFeeder, PaneHost, screen_text, wait_until

from app.bus import EventBus
from app.events import ConnectionFailed, NdjsonError, RequestSent, ResponseOpened, SseMessage, StreamClosed
from app.ui.response import ResponseSession, SessionState
from app.ui.response.detail import EventDetailScreen
from app.ws_events import WsMessage

OPENED = ResponseOpened(200, "HTTP/1.1", (("content-type", "text/event-stream"),))


async def _start(app: PaneHost, pilot) -> tuple[ResponseSession, EventFeeder]:
    bus = EventBus()
    session = ResponseSession(bus, "test stream")
    app.pane.show(session)
    app.pane.timeline.focus()
    feeder = EventFeeder(bus)
    feeder.publish([RequestSent("GET", "http://127.0.0.1/sse"), OPENED])
    return session, feeder


async def test_every_event_is_shown_and_the_view_follows_the_tail(pane_host):
    async with pane_host.run_test(size=(100, 20)) as pilot:
        session, feeder = await _start(pane_host, pilot)
        feeder.publish([SseMessage("message", f"chunk {i}") for i in range(5000)])
        timeline = pane_host.pane.timeline
        await wait_until(pilot, lambda: timeline.row_count == 5002)
        await pilot.pause()
        assert timeline.following
        assert timeline.cursor_index == 5001
        assert "chunk 4999" in screen_text(pane_host)
        assert session.state is SessionState.OPEN


async def test_scrolling_up_stops_following_and_end_resumes(pane_host):
    async with pane_host.run_test(size=(100, 20)) as pilot:
        session, feeder = await _start(pane_host, pilot)
        timeline = pane_host.pane.timeline
        feeder.publish([SseMessage("message", f"first {i}") for i in range(200)])
        await wait_until(pilot, lambda: timeline.row_count == 202)
        await pilot.press("k", "k")
        assert not timeline.following
        assert timeline.cursor_index == 199
        feeder.publish([SseMessage("message", f"later {i}") for i in range(300)])
        await wait_until(pilot, lambda: timeline.row_count == 502)
        await pilot.pause()
        assert timeline.cursor_index == 199  # the reader's place is kept
        assert "later 299" not in screen_text(pane_host)
        await pilot.press("end")
        assert timeline.following and timeline.cursor_index == 501
        feeder.publish([SseMessage("message", "newest")])
        await wait_until(pilot, lambda: timeline.row_count == 503)
        await pilot.pause()
        assert timeline.cursor_index == 502
        assert "newest" in screen_text(pane_host)
        await pilot.press("g")
        assert timeline.cursor_index == 0 and not timeline.following


async def test_the_view_keeps_following_when_it_grows_taller(pane_host):
    # Taller (a filter box closed, the pane maximised, the terminal resized), the view's scroll is brought
    # back within range by Textual: that was taken for the user scrolling up, and the tail was no longer
    # followed. Scrolled up, the reader's place stays.
    async with pane_host.run_test(size=(100, 20)) as pilot:
        session, feeder = await _start(pane_host, pilot)
        timeline = pane_host.pane.timeline
        feeder.publish([SseMessage("message", f"first {i}") for i in range(200)])
        await wait_until(pilot, lambda: timeline.row_count == 202)
        await pilot.resize_terminal(100, 30)
        await wait_until(pilot, lambda: timeline.scrollable_content_region.height > 15)
        await pilot.pause()
        assert timeline.following
        feeder.publish([SseMessage("message", "newest")])
        await wait_until(pilot, lambda: timeline.row_count == 203)
        await pilot.pause()
        assert timeline.cursor_index == 202 and "newest" in screen_text(pane_host)
        await pilot.press("slash", *"newest", "enter")
        await wait_until(pilot, lambda: timeline.row_count == 1)
        await pilot.press("escape")  # the filter box's rows go back to the view
        await wait_until(pilot, lambda: timeline.row_count == 203)
        await pilot.pause()
        assert timeline.following and timeline.cursor_index == 202
        await pilot.press(*"k" * 30)
        await pilot.resize_terminal(100, 40)
        await wait_until(pilot, lambda: timeline.scrollable_content_region.height > 25)
        await pilot.pause()
        assert not timeline.following and timeline.cursor_index == 172


async def test_filter_by_text_and_event_name_then_next_and_previous_match(pane_host):
    async with pane_host.run_test(size=(100, 20)) as pilot:
        session, feeder = await _start(pane_host, pilot)
        timeline = pane_host.pane.timeline
        names = ["delta", "delta", "usage", "done"]
        feeder.publish([SseMessage(names[i % 4], json.dumps({"n": i})) for i in range(40)])
        await wait_until(pilot, lambda: timeline.row_count == 42)
        await pilot.press("slash")
        await pilot.press(*"event:done")
        await pilot.press("enter")
        await wait_until(pilot, lambda: timeline.row_count == 10)
        assert timeline.has_focus
        assert "10 of 42 events" in screen_text(pane_host)
        await pilot.press("g")
        assert timeline.cursor_index == 2 + 3
        await pilot.press("n", "n")
        assert timeline.cursor_index == 2 + 11
        await pilot.press("N")
        assert timeline.cursor_index == 2 + 7
        # New events are filtered as they arrive.
        feeder.publish([SseMessage("done", "late"), SseMessage("delta", "skip")])
        await wait_until(pilot, lambda: timeline.row_count == 11)
        # Words (all of them, anywhere) search the text; an empty filter shows everything again.
        await pilot.press("slash", "ctrl+u", *'"n": 3', "enter")
        expected = [2 + n for n in range(40) if "3" in str(n)]
        await wait_until(pilot, lambda: list(timeline.matches) == expected)
        await pilot.press("slash", "ctrl+u", "enter")
        await wait_until(pilot, lambda: timeline.row_count == 44)


async def test_the_event_under_the_cursor_stays_under_it_when_the_filter_changes_or_esc_clears_it(pane_host):
    # Esc (or an empty filter) put the cursor back on the first row: the event the filter found was lost.
    async with pane_host.run_test(size=(100, 20)) as pilot:
        session, feeder = await _start(pane_host, pilot)
        timeline = pane_host.pane.timeline
        feeder.publish([SseMessage("message", "needle" if i in (5, 50, 70) else "hay") for i in range(100)])
        await wait_until(pilot, lambda: timeline.row_count == 102)
        await pilot.press("slash", *"needle", "enter")
        await wait_until(pilot, lambda: timeline.row_count == 3)
        await pilot.press("g", "j")
        assert timeline.cursor_index == 52
        await pilot.press("escape")
        await wait_until(pilot, lambda: timeline.row_count == 102)
        assert timeline.cursor_index == 52 and not timeline.following
        top = round(timeline.scroll_y)
        assert top <= 52 < top + timeline.scrollable_content_region.height, "the cursor's row is in view"
        # A filter the event does not match: the nearest match before it.
        await pilot.press(*"j" * 8)
        assert timeline.cursor_index == 60
        await pilot.press("slash", *"needle", "enter")
        await wait_until(pilot, lambda: timeline.row_count == 3)
        assert timeline.cursor_index == 52
        await pilot.press("k", "j", "j")  # the last match, the last row: following again
        assert timeline.following and timeline.cursor_index == 72, (timeline.following, timeline.cursor_index)
        await pilot.press("slash", "ctrl+u", "enter")
        await wait_until(pilot, lambda: timeline.row_count == 102)
        assert timeline.following and timeline.cursor_index == 101  # at the tail, it stays there


async def test_bad_filter_says_what_is_wrong_and_keeps_the_view(pane_host):
    async with pane_host.run_test(size=(100, 20)) as pilot:
        session, feeder = await _start(pane_host, pilot)
        timeline = pane_host.pane.timeline
        await wait_until(pilot, lambda: timeline.row_count == 2)
        await pilot.press("slash", *"kind:", "enter")
        await pilot.pause()
        assert timeline.row_count == 2
        assert any("kind:" in str(n.message) for n in pane_host._notifications)


async def test_next_error_jumps_between_errors_that_stand_out(pane_host):
    async with pane_host.run_test(size=(100, 20)) as pilot:
        session, feeder = await _start(pane_host, pilot)
        timeline = pane_host.pane.timeline
        payloads = [SseMessage("message", str(i)) for i in range(100)]
        payloads[10] = NdjsonError("{oops", "Expecting value")
        payloads[60] = NdjsonError("{again", "Expecting value")
        feeder.publish(payloads)
        await wait_until(pilot, lambda: timeline.row_count == 102)
        await pilot.press("g", "e")
        assert timeline.cursor_index == 12
        await pilot.press("e")
        assert timeline.cursor_index == 62
        await pilot.press("E")
        assert timeline.cursor_index == 12
        await pilot.press("k")  # off the error row, so the cursor colour does not cover it
        # As the rows resolve it: over the focus tint while the Timeline has the focus.
        error_background = timeline._rows._component("timeline--error").bgcolor

        def background_of(index: int) -> object:
            strip = timeline.render_line(index - round(timeline.scroll_y))
            return next(iter(strip)).style.bgcolor

        assert background_of(12) == error_background
        assert background_of(13) != error_background
        assert "2 errors" in screen_text(pane_host)


async def test_detail_screen_shows_pretty_json_and_copies(pane_host):
    async with pane_host.run_test(size=(100, 30)) as pilot:
        session, feeder = await _start(pane_host, pilot)
        timeline = pane_host.pane.timeline
        feeder.publish([SseMessage("delta", '{"choices": [{"delta": {"content": "Hi"}}]}')])
        await wait_until(pilot, lambda: timeline.row_count == 3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pane_host.screen, EventDetailScreen))
        text = screen_text(pane_host)
        assert '"content": "Hi"' in text
        await pilot.press("y")
        assert pane_host.clipboard == json.dumps(
            {"choices": [{"delta": {"content": "Hi"}}]}, indent=2
        )
        await pilot.press("c")
        assert pane_host.clipboard == '{"choices": [{"delta": {"content": "Hi"}}]}'
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(pane_host.screen, EventDetailScreen))


async def test_binary_websocket_frame_detail_has_a_hexdump(pane_host):
    async with pane_host.run_test(size=(100, 30)) as pilot:
        session, feeder = await _start(pane_host, pilot)
        timeline = pane_host.pane.timeline
        feeder.publish([WsMessage("recv", bytes(range(20)))])
        await wait_until(pilot, lambda: timeline.row_count == 3)
        assert "←" in screen_text(pane_host)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pane_host.screen, EventDetailScreen))
        assert "00000000  00 01 02 03" in screen_text(pane_host)


async def test_status_line_reports_close_and_failure(pane_host):
    async with pane_host.run_test(size=(100, 20)) as pilot:
        session, feeder = await _start(pane_host, pilot)
        feeder.publish([SseMessage("message", "x")])
        feeder.publish([StreamClosed(1234, 1, 0.5, 0.01, 0.02, None)])
        feeder.bus.close()
        await wait_until(pilot, lambda: session.state is SessionState.CLOSED)
        await pilot.pause()
        assert session.elapsed == 0.5
        assert "closed  200" in screen_text(pane_host)

        failing_bus = EventBus()
        failed = ResponseSession(failing_bus, "refused")
        pane_host.pane.show(failed)
        EventFeeder(failing_bus).publish([ConnectionFailed("connection_refused", "nothing listens on 127.0.0.1:9")])
        failing_bus.close()
        await wait_until(pilot, lambda: failed.state is SessionState.ERROR)
        await pilot.pause()
        assert "connection_refused: nothing listens" in screen_text(pane_host)
        # History: showing the first session again brings its events back.
        pane_host.pane.show(session)
        await pilot.pause()
        assert pane_host.pane.timeline.row_count == 4


async def test_mouse_wheel_up_stops_following_and_back_down_resumes(pane_host):
    async with pane_host.run_test(size=(100, 20)) as pilot:
        session, feeder = await _start(pane_host, pilot)
        timeline = pane_host.pane.timeline
        feeder.publish([SseMessage("message", f"row {i}") for i in range(300)])
        await wait_until(pilot, lambda: timeline.row_count == 302)
        await pilot.pause()
        timeline.scroll_up(animate=False)  # what the mouse wheel handler calls
        await pilot.pause()
        assert not timeline.following
        feeder.publish([SseMessage("message", "while reading")])
        await wait_until(pilot, lambda: timeline.row_count == 303)
        await pilot.pause()
        assert timeline.scroll_y < timeline.max_scroll_y
        timeline.scroll_end(animate=False)
        await pilot.pause()
        assert timeline.following


async def test_big_store_filters_in_a_thread(pane_host):
    async with pane_host.run_test(size=(100, 20)) as pilot:
        session, feeder = await _start(pane_host, pilot)
        timeline = pane_host.pane.timeline
        total = 60_000  # above BACKGROUND_SEARCH_EVENTS
        feeder.publish([SseMessage("tick" if i % 1000 else "mark", str(i)) for i in range(total)])
        await wait_until(pilot, lambda: timeline.row_count == total + 2)
        await pilot.press("slash", *"event:mark", "enter")
        await wait_until(pilot, lambda: timeline.row_count == total // 1000)
        await pilot.press("g")
        assert timeline.cursor_index == 2
        assert "60 of 60,002 events" in screen_text(pane_host)


async def test_showing_all_events_with_matches_marked_then_n_jumps(pane_host):
    async with pane_host.run_test(size=(100, 20)) as pilot:
        session, feeder = await _start(pane_host, pilot)
        timeline = pane_host.pane.timeline
        feeder.publish([SseMessage("message", "needle" if i in (5, 50, 70) else "hay") for i in range(100)])
        await wait_until(pilot, lambda: timeline.row_count == 102)
        await pilot.press("slash", *"needle", "enter")
        await wait_until(pilot, lambda: timeline.row_count == 3)
        await pilot.press("f")
        assert not timeline.filter_only and timeline.row_count == 102
        await pilot.press("g", "n")
        assert timeline.cursor_index == 7
        await pilot.press("n")
        assert timeline.cursor_index == 52
        await pilot.press("N", "N")
        assert timeline.cursor_index == 7  # nothing before the first match: the cursor stays
        match_background = timeline._rows._component("timeline--match").bgcolor  # over the focus tint
        await pilot.press("j")
        strip = timeline.render_line(7 - round(timeline.scroll_y))
        assert next(iter(strip)).style.bgcolor == match_background


async def test_headers_and_metrics_tabs(pane_host):
    async with pane_host.run_test(size=(120, 40)) as pilot:
        session, feeder = await _start(pane_host, pilot)
        feeder.publish([SseMessage("message", "a"), SseMessage("message", "b")])
        await wait_until(pilot, lambda: session.event_count == 4)
        await pilot.press("3")
        await pilot.pause()
        text = screen_text(pane_host)
        assert "content-type" in text and "text/event-stream" in text
        assert "GET http://127.0.0.1/sse" in text
        await pilot.press("5")
        await wait_until(pilot, lambda: "time to first byte" in screen_text(pane_host))
        assert "data events" in screen_text(pane_host)


async def test_the_tail_shows_while_the_scroll_range_catches_up(pane_host):
    async with pane_host.run_test(size=(100, 20)) as pilot:
        session, feeder = await _start(pane_host, pilot)
        timeline = pane_host.pane.timeline
        await wait_until(pilot, lambda: timeline.row_count == 2 and not timeline.scroll_range_stale)
        # Two bursts within one resize interval: the second leaves the scroll range behind.
        feeder.publish([SseMessage("message", f"burst one {i}") for i in range(50)])
        await wait_until(pilot, lambda: timeline.row_count == 52)
        feeder.publish([SseMessage("message", f"burst two {i}") for i in range(50)])
        await wait_until(pilot, lambda: timeline.row_count == 102)
        # A burst of more than a screenful is drawn within FLOOD_REDRAW_SECONDS, not necessarily at once.
        await wait_until(pilot, lambda: "burst two 49" in screen_text(pane_host))
        assert "burst two 40" in screen_text(pane_host)
        await wait_until(pilot, lambda: not timeline.scroll_range_stale)
        assert timeline.virtual_size.height == 102
        assert "burst two 49" in screen_text(pane_host)
