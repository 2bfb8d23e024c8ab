"""One sent request's response, living outside the widgets so history can re-open it.

Events reach the store one of two ways. A session made for a `RequestRun` (`bus=None`) is one of the
run's consumers: the run's thread stores each batch as it comes off the bus (`feed`) and merges it
there too, so a flood is compacted where it is parsed, never piles up as live objects waiting for the
UI, and costs the UI thread nothing per event; the run's end is reported with `end_feed()`. A session
given a bus subscribes to it and `pump()` moves what arrived into the store and feeds the merge engine
within a time budget (tests, replays). Either way `pump()` (called by the pane's timer, never per
event) finishes the session. The store takes one writer and readers on other threads (see
`EventStore.append`); the merge engine is used under the feed lock, which the UI thread only ever
tries (it never waits for a batch); the status fields are plain attributes, each written whole.
Widgets read the session; nothing in it knows about Textual.
"""

from __future__ import annotations

import gc
import threading
import time
from collections import deque
from datetime import datetime
from typing import TYPE_CHECKING, cast

from app.bus import EventBus
from app.event_runs import BusItem, EventRun, expand_runs
from app.events import DATA_KINDS, BodyReceived, EventPayload, TimelineEvent
from app.store import EventStore
from app.streams.stream_metrics import DEFAULT_STALL_SECONDS, RUN_DATA_TYPES, StreamMetrics
from app.ui.response.session_status import LIVE_STATES, ResponseStatus
from app.ui.response.session_status import SessionState as SessionState  # re-exported: the views import it here
from app.vocabulary import MergeRule

if TYPE_CHECKING:
    # The merge engine and the assertions are imported by the first session (a send), not at start-up.
    from app.assertions import AssertionChecker
    from app.recording.capture import Capture
    from app.streams.merge import MergedReply
    from app.streams.merge.script import MergeScriptSpec

MERGE_BUDGET_SECONDS = 0.004
"""Longest the merge engine may run per pump, so a flood never holds the keyboard up."""
FREEZE_EVERY_EVENTS = 20_000
"""How often (in stored events) a flood's events are parked outside the cyclic garbage collector."""

MERGE_SLICE = 250
_PLAIN_DATA_TYPES = RUN_DATA_TYPES - {BodyReceived}
"""Runs of these payload types (`EventRun.kind`) hold nothing the status looks at."""
SCRIPT_END_WAIT_SECONDS = 0.25
"""How long the end of a merge script (`on_end`) may hold the UI; the session waits for the script to
work through every event (pumping, never blocking) before it gets there."""


class ResponseSession(ResponseStatus):
    """State of one response: its events, merged reply, timing and status (`ResponseStatus`)."""

    def __init__(
        self,
        bus: EventBus | None,
        title: str,
        merge_profile: str | None = None,
        rule: MergeRule | None = None,
        merge_script: MergeScriptSpec | None = None,
        stall_threshold: float = DEFAULT_STALL_SECONDS,
    ) -> None:
        from app.streams.merge import MergeEngine

        super().__init__()
        self.title = title
        self.started_at = datetime.now()
        """Wall-clock time the request was sent (for the history list)."""
        self.store = EventStore()
        self.metrics = StreamMetrics(stall_threshold)
        """The one metrics core: data events fed here, fragments by the merge engine, which shares it."""
        self.merge = MergeEngine(
            profile=merge_profile, rule=rule, metrics=self.metrics, script=merge_script,
            script_wait=SCRIPT_END_WAIT_SECONDS,
        )
        self.assertions: AssertionChecker | None = None
        """The request's `[[expect]]` checks, fed as events are stored (set by whoever sends it)."""
        self.capture: Capture | None = None
        """What a recording or HAR export of this response needs (set by whoever sends it)."""
        self.merge_version = 0
        """Bumped whenever the merged reply changed (so views redraw only then)."""
        self.body_version = 0
        """Bumped whenever a body chunk arrived."""
        self.version = 0
        """Bumped on every batch stored (so views know something arrived)."""
        self._body_indices: list[int] = []
        self._subscription = bus.subscribe() if bus is not None else None
        self._feed_lock = threading.Lock()
        """Held while a batch is stored and merged on the run's thread; any other use of the merge engine takes it."""
        self._merges_on_feed = bus is None
        """True when the run's thread merges each batch as it stores it (`feed`), so nothing waits to be merged."""
        self._feed_ended = False
        """True once a fed session's run ended (`end_feed`) or it was cancelled: nothing more is stored."""
        self._merged_until = 0
        self._inbox: deque[list[TimelineEvent]] = deque()
        """Batches drained from the bus but not yet in the store."""
        self._inbox_offset = 0
        """How much of the first batch in the inbox is already stored."""
        self._merge_finished = False
        self._reply = self.merge.reply
        """The merged reply last read (shown while the run's thread is in the middle of a batch)."""

    @property
    def received_all(self) -> bool:
        """True once the bus closed (or the run ended) and every event is in the store (merging may
        still catch up)."""
        if self._subscription is None:
            return self._feed_ended
        return self._subscription.finished and not self._inbox

    def feed(self, events: list[TimelineEvent]) -> None:
        """Store and merge a batch, on the run's thread (the `Consumer` a `RequestRun` feeds; `bus=None` sessions)."""
        with self._feed_lock:
            if not self._feed_ended:
                self._take(events)
                # Merged from the live events, here: merging on the UI thread rebuilt every event from the
                # store first, 80% of the merge's cost and a quarter of the UI thread's time in a flood.
                if self.merge.feed(events):
                    self.merge_version += 1
                self._merged_until = len(self.store)
        time.sleep(0)  # offer the interpreter lock to the UI thread between batches (it may be waiting for it)

    def feed_items(self, items: list[BusItem]) -> None:
        """`feed` for a batch as the bus carries it (what a `RequestRun` hands a consumer that has this
        method): a chunk's events as one `EventRun` are stored, counted and merged from its columns, with
        no `TimelineEvent` built per event (as much work as parsing the event, on the thread that parses)."""
        if self.assertions is not None:
            self.feed(expand_runs(items))  # the checks read every event
            return
        with self._feed_lock:
            if not self._feed_ended:
                self._take_items(items)
                if self.merge.feed(items):
                    self.merge_version += 1
                self._merged_until = len(self.store)
        time.sleep(0)  # as in `feed`

    def end_feed(self) -> None:
        """The run feeding this session returned: every event it will ever have is stored."""
        with self._feed_lock:
            self._feed_ended = True

    @property
    def finished(self) -> bool:
        """True once the bus closed and every event has been pumped and merged (by a merge script too)."""
        return self.received_all and self._merged_until == len(self.store) and not self.merge.script_pending

    @property
    def event_count(self) -> int:
        """Every event stored (the Timeline's rows)."""
        return len(self.store)

    @property
    def data_events(self) -> int:
        """Data events received: what the close event counts and the status line shows."""
        return self.metrics.data_events

    @property
    def bytes_received(self) -> int:
        return self.metrics.bytes

    @property
    def events_per_second(self) -> float:
        elapsed = self.elapsed
        return self.metrics.data_events / elapsed if elapsed > 0 else 0.0

    @property
    def reply(self) -> MergedReply:
        """The merged reply so far (as of the last batch merged: the UI thread never waits for one)."""
        if self._feed_lock.acquire(blocking=False):
            try:
                self._reply = self.merge.reply
            finally:
                self._feed_lock.release()
        return self._reply

    @property
    def silence(self) -> float:
        """Seconds the open stream has said nothing at all, once data has flowed (a stall in the making).

        Any frame from the server is a sign of life: a data event, an SSE comment (a heartbeat), a
        WebSocket ping from the server or its pong to ours. A socket kept alive by pings is not called
        silent; the gaps and stalls between data events (the Metrics tab) still count data alone."""
        if self.state is not SessionState.OPEN or not self.metrics.data_events:
            return 0.0
        last = self.metrics.events.last or 0.0
        if self._heard_at is not None and self._heard_at > last:
            last = self._heard_at
        return max(0.0, self.elapsed - last)

    @property
    def incomplete_reason(self) -> str | None:
        """Why the merged reply is not complete, once everything arrived (None while it streams or if complete)."""
        if not self.received_all or self.reply.complete:
            return None
        status = self.http_status
        if self.failure is not None:
            return f"{self.failure.type}: {self.failure.message}"
        if self.state is SessionState.CANCELLED:
            return "cancelled before the stream ended"
        if status is not None and status >= 400 and self.response is not None:
            return f"the server answered HTTP {status}"
        if self.reply.errors:
            return "the stream reported an error"
        if self.reply.profile == "none":
            return "no known stream format, so no end marker to wait for"
        return f"the stream ended without {self.merge.terminal_marker}"

    def body(self) -> bytes:
        """The response body as received so far (non-stream and raw responses)."""
        payloads = self.store.payload
        return b"".join(cast(BodyReceived, payloads(index)).data for index in self._body_indices)

    @property
    def has_body(self) -> bool:
        return bool(self._body_indices)

    def pump(
        self, max_events: int | None = None, merge_budget: float = MERGE_BUDGET_SECONDS, *, drain: bool = True
    ) -> bool:
        """Take what arrived (at most `max_events` of it); True when anything changed.

        With `drain=False` only events already taken off the bus are stored (to finish a backlog
        without chasing a stream that keeps arriving).

        The store gets events first (the Timeline is what must keep up); the merge engine, which
        parses every payload, then gets at most `merge_budget` seconds and catches up when the stream
        slows. Bounded calls let the caller yield to the event loop between them (`has_backlog`).
        """
        if drain and self._subscription is not None:
            drained = self._subscription.drain()
            if drained:
                self._inbox.append(drained)
        took = self._take_inbox(max_events)
        merged = self._merge_some(merge_budget)
        if self.finished:
            self._finish(None)
        return took or merged

    @property
    def has_backlog(self) -> bool:
        """True while drained events wait for the store (call `pump` again, after yielding)."""
        return bool(self._inbox)

    def _take_inbox(self, max_events: int | None) -> bool:
        inbox = self._inbox
        took = False
        room = max_events
        while inbox and (room is None or room > 0):
            batch = inbox[0]
            start = self._inbox_offset
            # A drained batch can hold a whole flood's backlog: take it a slice at a time from an offset
            # (cutting the rest off each time copied the remainder, quadratic in the backlog).
            stop = len(batch) if room is None else min(len(batch), start + room)
            if start == 0 and stop == len(batch):
                self._take(batch)
            else:
                self._take(batch[start:stop])
            if stop == len(batch):
                inbox.popleft()
                self._inbox_offset = 0
            else:
                self._inbox_offset = stop
            took = True
            if room is not None:
                room -= stop - start
        return took

    def _take(self, batch: list[TimelineEvent]) -> None:
        first_index = len(self.store)
        self.store.append(batch)
        if first_index // FREEZE_EVERY_EVENTS != len(self.store) // FREEZE_EVERY_EVENTS:
            # Stored events live as long as the session and hold no cycles: taking them out of the cyclic
            # collector's view keeps its full collections (100+ ms over a big store) from pausing keys.
            gc.freeze()
        self.metrics.feed(batch)
        for observer in (self.assertions, self.capture):
            if observer is not None:
                observer.feed(batch)
        data_kinds = DATA_KINDS
        for offset, event in enumerate(batch):
            payload = event.payload
            if payload.kind not in data_kinds or type(payload) is BodyReceived:
                self._look_at(payload, event.t, first_index + offset)
        self.version += 1

    def _take_items(self, items: list[BusItem]) -> None:
        """`_take` from the bus's items, runs by their columns (no assertions to feed)."""
        index = first_index = len(self.store)
        self.store.append_items(items)
        if first_index // FREEZE_EVERY_EVENTS != len(self.store) // FREEZE_EVERY_EVENTS:
            gc.freeze()  # see `_take`
        self.metrics.feed_items(items)
        if self.capture is not None:
            self.capture.feed_items(items)
        look_at = self._look_at
        data_kinds = DATA_KINDS
        for item in items:
            if type(item) is EventRun:
                if item.kind in _PLAIN_DATA_TYPES:
                    index += len(item.payloads)  # the usual run: all data, known without looking at each
                    continue
                t = item.t
                for payload in item.payloads:
                    if payload.kind not in data_kinds or type(payload) is BodyReceived:
                        look_at(payload, t, index)
                    index += 1
            else:
                look_at(item.payload, item.t, index)  # type: ignore[union-attr]
                index += 1
        self.version += 1

    def _look_at(self, payload: EventPayload, t: float, index: int) -> None:
        """Note a stored event's part in the status: a body chunk's index, or a state change."""
        if payload.kind in DATA_KINDS:
            if type(payload) is BodyReceived:
                self._body_indices.append(index)
                self.body_version += 1
            return
        ended = self.note(payload, t)
        if ended is not None:
            self.end(ended)

    def _merge_some(self, budget: float) -> bool:
        # Tried, not waited for: the run's thread holds the lock while it merges a batch, and then
        # there is nothing for this call to merge anyway (only a merge script's answers to collect).
        if not self._feed_lock.acquire(blocking=False):
            return False
        try:
            return self._merge_from_store(budget)
        finally:
            self._feed_lock.release()

    def _merge_from_store(self, budget: float) -> bool:
        # The merge engine reads events rebuilt from the store, a slice at a time, so events waiting
        # for it are compact store entries rather than live objects for the garbage collector to walk.
        total = len(self.store)
        # A merge script answers on its own thread: collect what it returned since the last pump.
        script_changed = self.merge.script_pending and self.merge.feed([])
        if script_changed:
            self.merge_version += 1
        if self._merged_until >= total:
            return script_changed
        deadline = time.perf_counter() + budget
        changed = False
        while self._merged_until < total and time.perf_counter() < deadline:
            stop = min(total, self._merged_until + MERGE_SLICE)
            changed = self.merge.feed(self.store.events(self._merged_until, stop)) or changed
            self._merged_until = stop
        if changed:
            self.merge_version += 1
        return changed

    @property
    def merging_behind(self) -> int:
        """Events received but not merged yet (the Merged tab says it is catching up)."""
        if self._merges_on_feed:
            return 0  # each batch is merged as it is stored
        return len(self.store) - self._merged_until

    def cancel(self) -> None:
        """Stop listening, keeping what arrived (the worker is cancelled by whoever started it)."""
        if self._subscription is None:
            self.end_feed()
        else:
            drained = self._subscription.drain()
            if drained:
                self._inbox.append(drained)
            self._take_inbox(None)
            self._subscription.cancel()
        if self.state in LIVE_STATES:
            self.state = SessionState.CANCELLED
        self._merge_some(float("inf"))
        self._finish(None)

    def _finish(self, duration: float | None) -> None:
        if self._merge_finished:
            return
        self._merge_finished = True
        with self._feed_lock:  # the feed has ended: at most a batch arriving too late holds it, briefly
            self.merge.finish()
        if self.assertions is not None:
            self.assertions.finish()
        self.merge_version += 1
        if self._finished_elapsed is None:
            self._finished_elapsed = duration if duration is not None else time.monotonic() - self._started
        if self.state in LIVE_STATES and self.failure is None:
            self.state = SessionState.CLOSED
