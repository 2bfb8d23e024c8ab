"""Waiting in Pilot tests: the one bounded wait both UI test folders use."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot

HANG_GUARD_SECONDS = 60.0


async def wait_until(pilot: Pilot, condition: Callable[[], bool], attempts: int = 400, pause: float = 0.01) -> None:
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
        await pilot.pause(pause)
    raise AssertionError("the condition never became true")
