"""Helpers for the response-side tests: a host app for the pane, an event feeder, waiting, screen text."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.pilot import Pilot

from app.bus import EventBus
from app.events import EventPayload, TimelineEvent
from app.ui.response import ResponsePane


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


HANG_GUARD_SECONDS = 60.0


async def wait_until(pilot: Pilot, condition: Callable[[], bool], attempts: int = 400) -> None:
    """Let the app run until `condition()` holds.

    Bounded so that a broken app fails instead of hanging; the bound is generous (at least `attempts`
    pauses and at least {HANG_GUARD_SECONDS} s) because a loaded CI machine is slow, and this is a
    guard against hangs, not an assertion on speed.
    """
    deadline = time.monotonic() + HANG_GUARD_SECONDS
    tries = 0
    while tries < attempts or time.monotonic() < deadline:
        if condition():
            return
        tries += 1
        await pilot.pause(0.01)
    raise AssertionError("the condition never became true")


def screen_text(app: App) -> str:
    """The screen as plain text (for debugging and for asserting what a user would read)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
