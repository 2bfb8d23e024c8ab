"""The Merged tab against real demo streams: every choice, HTTP errors with their body, why a reply is
incomplete (only once it ended), copy and the scrolling keys."""

from __future__ import annotations

import json

from helpers_ui_response import EventFeeder, PaneHost, screen_text, wait_until

from app.bus import EventBus
from app.connections.http_worker import stream_http
from app.demo.framing import DEMO_API_KEY
from app.demo.server import DemoServer
from app.events import ResponseOpened, SseMessage
from app.model.http_request import HttpRequest, ParseMode
from app.ui.response import ResponseSession
from app.ui.response.merged_view import MergedView


async def _run(pane_host: PaneHost, request: HttpRequest) -> ResponseSession:
    bus = EventBus()
    session = ResponseSession(bus, request.url)
    pane_host.pane.show(session)
    await stream_http(request, bus)
    return session


def _chat(base_url: str, **fields: object) -> HttpRequest:
    body = {"model": "gpt-4o-mini", "stream": True, "messages": [{"role": "user", "content": "hi"}], **fields}
    return HttpRequest(
        f"{base_url}/v1/chat/completions",
        method="POST",
        headers=(("content-type", "application/json"),),
        body=json.dumps(body).encode(),
        parse_mode=ParseMode.SSE,
    )


async def test_every_choice_is_shown(demo_server: DemoServer, pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(120, 50)) as pilot:
        await pilot.press("2")
        session = await _run(pane_host, _chat(demo_server.base_url, n=2))
        await wait_until(pilot, lambda: session.finished)
        await pilot.pause()
        choices = session.reply.choices
        assert len(choices) == 2 and choices[0].text != choices[1].text
        shown = " ".join(screen_text(pane_host).split())
        assert "choice 0" in shown and "choice 1" in shown
        for choice in choices:
            assert " ".join(choice.text.split())[:30] in shown


async def test_a_forced_parse_mode_does_not_hide_an_http_error(demo_server: DemoServer, pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        request = HttpRequest(
            f"{demo_server.base_url}/v1/chat/stream",
            method="POST",
            params=(("status", "429"),),
            headers=(("x-api-key", DEMO_API_KEY), ("content-type", "application/json")),
            body=b'{"sessionId": "user-123", "message": "hi"}',
            parse_mode=ParseMode.NDJSON,
        )
        session = await _run(pane_host, request)
        await wait_until(pilot, lambda: session.finished)
        await pilot.pause()
        shown = screen_text(pane_host)
        assert "HTTP 429" in shown and "Too many requests" in shown
        assert "no known stream format" not in shown
        assert session.has_body  # the body is kept whole for Body/Raw


async def test_a_400_is_named_with_its_body(demo_server: DemoServer, pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        request = HttpRequest(f"{demo_server.base_url}/v1/chat/completions", method="POST", body=b"not json")
        session = await _run(pane_host, request)
        await wait_until(pilot, lambda: session.finished)
        await pilot.pause()
        shown = screen_text(pane_host)
        assert "HTTP 400 Bad Request" in shown
        assert "no known stream format" not in shown


async def test_incomplete_has_a_reason_only_once_the_stream_ended(pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(120, 30)) as pilot:
        bus = EventBus()
        session = ResponseSession(bus, "cut short")
        pane_host.pane.show(session)
        await pilot.press("2")
        chunk = '{"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hello"}}]}'
        feeder = EventFeeder(bus)
        feeder.publish([ResponseOpened(200, "HTTP/1.1", (("content-type", "text/event-stream"),)), SseMessage("message", chunk)])
        await wait_until(pilot, lambda: "Hello" in screen_text(pane_host))
        assert "incomplete" not in screen_text(pane_host)
        bus.close()
        await wait_until(pilot, lambda: "incomplete" in screen_text(pane_host))
        assert "[incomplete: the stream ended without" in screen_text(pane_host)


async def test_copy_and_scrolling_keys(demo_server: DemoServer, pane_host: PaneHost) -> None:
    async with pane_host.run_test(size=(40, 10)) as pilot:
        await pilot.press("2")
        session = await _run(pane_host, _chat(demo_server.base_url, n=2))
        await wait_until(pilot, lambda: session.finished)
        await pilot.pause()
        view = pane_host.query_one(MergedView)
        view.focus()
        await pilot.press("g")
        assert view.scroll_y == 0
        await pilot.press("j", "j")
        assert view.scroll_y == 2
        await pilot.press("k")
        assert view.scroll_y == 1
        await pilot.press("G")
        assert view.scroll_y == view.max_scroll_y > 0
        copied: list[str] = []
        pane_host.copy_to_clipboard = copied.append  # type: ignore[method-assign]
        await pilot.press("c")
        assert copied and session.reply.choices[1].text.split()[0] in copied[0]
