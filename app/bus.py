"""The one channel between connection workers and consumers.

A worker publishes `TimelineEvent`s in batches (one batch per chunk read off the socket, its events
as one `EventRun`); every subscriber receives every event, in order, also in batches, so a fast stream
never costs one wake-up per event. `batches()` and `drain()` give events; `item_batches()` gives the
items as published, runs included, for consumers that read a run's columns. A bounded subscription (the headless printers) makes the publisher wait when it falls
behind, so memory stays flat however fast the server is; an unbounded one (the TUI's store, drained by
a timer) never slows the worker down.

The TUI runs its workers on their own thread so that parsing never delays a key press: publishing from
another thread is safe for unbounded subscriptions (the pending list is swapped under a lock, and an
awaiting reader is woken on its own loop). A bounded subscription needs its publisher on its own loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterable

from app.event_runs import BusItem, expand_runs, item_count
from app.events import TimelineEvent


class Subscription:
    """One consumer's view of a bus: a queue of pending events, read in batches."""

    def __init__(self, bus: EventBus, max_pending: int | None) -> None:
        self._bus = bus
        self._pending: list[BusItem] = []
        self._pending_events = 0
        """How many events `_pending` stands for (what the bound counts)."""
        self._max_pending = max_pending
        self._ready = asyncio.Event()
        self._space = asyncio.Event()
        self._space.set()
        self._cancelled = False
        self._lock = threading.Lock()
        self._thread = threading.get_ident()
        try:
            self._loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None

    @property
    def finished(self) -> bool:
        """True once the bus is closed and every pending event has been taken."""
        return self._bus.closed and not self._pending

    def drain(self) -> list[TimelineEvent]:
        """Take every pending event now, without waiting (for timer-driven consumers)."""
        return expand_runs(self.drain_items())

    def drain_items(self) -> list[BusItem]:
        """`drain`, with runs left as runs."""
        if not self._pending:
            return []
        with self._lock:
            pending, self._pending = self._pending, []
            self._pending_events = 0
        self._ready.clear()
        self._space.set()
        return pending

    async def batches(self) -> AsyncIterator[list[TimelineEvent]]:
        """Yield batches of events until the bus is closed and drained."""
        async for items in self.item_batches():
            yield expand_runs(items)

    async def item_batches(self) -> AsyncIterator[list[BusItem]]:
        """`batches`, with runs left as runs."""
        while True:
            # Read "closed" before looking at what is pending: a publisher on another thread pushes its
            # last batch before it closes, so once closed is seen, nothing can arrive after the check.
            ended = self._bus.closed or self._cancelled
            if self._pending:
                yield self.drain_items()
            elif ended:
                return
            else:
                await self._ready.wait()

    async def events(self) -> AsyncIterator[TimelineEvent]:
        """Yield events one by one (convenient where batching does not matter)."""
        async for batch in self.batches():
            for event in batch:
                yield event

    def cancel(self) -> None:
        """Stop receiving; the publisher will no longer wait for this consumer."""
        self._cancelled = True
        self._pending = []
        self._pending_events = 0
        self._space.set()
        self._ready.set()
        self._bus._unsubscribe(self)

    def _push(self, items: list[BusItem], count: int) -> None:
        with self._lock:
            self._pending.extend(items)
            self._pending_events += count
        self._wake()
        if self._max_pending is not None and self._pending_events >= self._max_pending:
            self._space.clear()

    def _wake(self) -> None:
        if threading.get_ident() == self._thread or self._loop is None:
            self._ready.set()
        elif not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._ready.set)

    async def _wait_for_space(self) -> None:
        if not self._space.is_set():
            await self._space.wait()


class EventBus:
    """Publish/subscribe of `TimelineEvent`s for one connection."""

    def __init__(self) -> None:
        self._subscriptions: list[Subscription] = []
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def subscribe(self, max_pending: int | None = None) -> Subscription:
        """A new consumer. With `max_pending`, publishers wait while it holds that many events."""
        subscription = Subscription(self, max_pending)
        self._subscriptions.append(subscription)
        return subscription

    async def publish(self, events: Iterable[BusItem]) -> None:
        """Hand a batch (events, runs of events) to every subscriber; waits while a bounded subscriber is full."""
        batch = events if isinstance(events, list) else list(events)
        if not batch:
            return
        count = item_count(batch)
        subscriptions = self._subscriptions
        for subscription in subscriptions:
            subscription._push(batch, count)
        for subscription in subscriptions:
            await subscription._wait_for_space()

    def publish_nowait(self, events: Iterable[BusItem]) -> None:
        """Hand a batch to every subscriber without waiting for any of them."""
        batch = events if isinstance(events, list) else list(events)
        if batch:
            count = item_count(batch)
            for subscription in self._subscriptions:
                subscription._push(batch, count)

    def close(self) -> None:
        """No more events: consumers finish once they have taken what is pending."""
        self._closed = True
        for subscription in self._subscriptions:
            subscription._wake()

    def _unsubscribe(self, subscription: Subscription) -> None:
        if subscription in self._subscriptions:
            self._subscriptions.remove(subscription)
