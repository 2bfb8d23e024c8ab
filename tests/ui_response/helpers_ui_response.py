"""Helpers for the response-side tests: a host app for the pane, an event feeder, waiting, screen text."""

from __future__ import annotations

from pilot_waits import wait_until as wait_until  # re-exported: the tests of this folder import it from here
from textual.app import App, ComposeResult

from app.bus import EventBus
from app.events import EventPayload, RequestSent, ResponseOpened, SseMessage, StreamClosed, TimelineEvent
from app.ui.response import ResponsePane, ResponseSession


class PaneHost(App[None]):
    """The response pane alone, as T2's main screen will hold it."""

    def compose(self) -> ComposeResult:
        yield ResponsePane()

    @property
    def pane(self) -> ResponsePane:
        return self.query_one(ResponsePane)


class EventFeeder:
    """Publishes payloads on a bus with increasing sequence numbers and times."""

    def __init__(self, bus: EventBus, step: float = 0.01) -> None:
        self.bus = bus
        self.step = step
        self.seq = 0

    def events(self, payloads: list[EventPayload], size: int = 10) -> list[TimelineEvent]:
        batch = []
        for payload in payloads:
            batch.append(TimelineEvent(self.seq, self.seq * self.step, payload, size))
            self.seq += 1
        return batch

    def publish(self, payloads: list[EventPayload], size: int = 10) -> None:
        self.bus.publish_nowait(self.events(payloads, size))


async def show_closed_session(app: PaneHost, pilot, name: str) -> ResponseSession:
    """A finished one-message SSE session shown in the pane, its Timeline focused."""
    bus = EventBus()
    session = ResponseSession(bus, name)
    app.pane.show(session)
    app.pane.timeline.focus()
    opened = ResponseOpened(200, "HTTP/1.1", (("content-type", "text/event-stream"),))
    EventFeeder(bus).publish([RequestSent("GET", "http://127.0.0.1/sse"), opened, SseMessage("message", "hello"),
                              StreamClosed(5, 1, 0.1, 0.01, 0.02, None)])
    bus.close()
    await wait_until(pilot, lambda: session.finished)
    return session


def screen_text(app: App) -> str:
    """The screen as plain text (for debugging and for asserting what a user would read)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
