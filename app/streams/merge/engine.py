"""The merge engine: a bus consumer that turns a response's events into a growing `MergedReply`.

Feed it every batch the bus delivers (events, or items with runs: `app.event_runs`); `feed` says whether the reply changed, so a UI redraws only then.
Until a profile is forced or recognised, data payloads wait in a short queue; once detection decides
they are replayed, so nothing is lost. The engine also keeps the response's `StreamMetrics`.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from app.event_runs import BusItem, EventRun, NdjsonTexts, SseDatas, WsTexts, expand_runs
from app.events import (
    BodyReceived,
    ConnectionFailed,
    EventPayload,
    JsonArrayError,
    JsonArrayItem,
    NdjsonError,
    NdjsonValue,
    ResponseOpened,
    SseComment,
    SseMessage,
    SseUnknownField,
    StreamClosed,
    TimelineEvent,
)
from app.streams.json_payload import parse_json
from app.streams.merge.builder import ReplyBuilder
from app.streams.merge.detect import detect_profile
from app.streams.merge.detection import NOT_JSON, DetectionQueue
from app.streams.merge.profile import MergeProfile, describe_error
from app.streams.merge.registry import check_profile_name, make_profile
from app.streams.merge.reply import MergedReply, ReplyDelta
from app.streams.stream_metrics import DEFAULT_STALL_SECONDS, StreamMetrics
from app.vocabulary import MergeRule
from app.ws_events import WsClosed, WsMessage, WsOpened

if TYPE_CHECKING:  # a merge script's machinery loads only for a request that names one
    from app.streams.merge.script import MergeScriptSpec
    from app.streams.merge.script_merge import ScriptMerge

SCRIPT_FINISH_SECONDS = 30.0
"""How long `finish` waits for a slow merge script to catch up with a stream that already ended."""
BODY_LIMIT = 1_000_000
"""Bytes of a non-stream body kept to read it as one JSON reply (or an HTTP error) at the end."""

_GROUPED_MIN = 16
"""Batches shorter than this are merged event by event (grouping them would cost more than it saves)."""
_TIME = attrgetter("t")
_PAYLOAD = attrgetter("payload")
_TEXT = attrgetter("text")
_EVENT_NAME = attrgetter("event")
_DATA = attrgetter("data")
_UNJOINED = "\u2063unjoined\u2063"
"""The first choice's text in `final_line`'s snapshot: not empty, so that the choice counts as having text."""


class MergeEngine:
    """Merges one response. `profile` forces a format by name; `rule` applies a custom JSONPath rule;
    `script` merges with a merge script instead (if it is trusted; `script_wait` is how long `finish`
    waits for it)."""

    def __init__(
        self,
        profile: str | None = None,
        rule: MergeRule | None = None,
        *,
        split_think: bool = False,
        stall_threshold: float = DEFAULT_STALL_SECONDS,
        metrics: StreamMetrics | None = None,
        script: MergeScriptSpec | None = None,
        script_wait: float = SCRIPT_FINISH_SECONDS,
    ) -> None:
        if profile is not None:
            check_profile_name(profile)
        if rule is not None and profile in (None, "custom"):
            profile = "custom"
        self._builder = ReplyBuilder(profile or "auto", split_think)
        self._profile: MergeProfile | None = None
        self._rule = rule
        self._detection = DetectionQueue()
        self._content_type: str | None = None
        self._hint: str | None = None
        self._status: int | None = None
        self._body = bytearray()
        self._closed_normally = False
        self._finished = False
        self._snapshot: MergedReply | None = None
        self._snapshot_version = -1
        self.metrics = metrics if metrics is not None else StreamMetrics(stall_threshold)
        """Fed with the reply's fragments; a consumer that measures the events too passes its own."""
        self._script: ScriptMerge | None = None
        self._script_wait = script_wait
        self._run_t = 0.0
        self._run = 0
        """Events that added fragments at `_run_t`, not yet added to the metrics (within one `feed`)."""
        if script is not None:
            from app.streams.merge.script_merge import ScriptMerge

            merge = ScriptMerge(script, self._builder, self.metrics)
            if merge.runner is not None:
                # A trusted script replaces the profiles; an untrusted one is only reported.
                self._script = merge
                self._use_profile("none")
                self._builder.profile = "script"
        if profile is not None and self._script is None:
            self._use_profile(profile)

    @property
    def terminal_marker(self) -> str:
        """What the current format sends when it is finished (for "stream incomplete" messages)."""
        return self._profile.terminal_marker if self._profile is not None else "the end of the stream"

    @property
    def reply(self) -> MergedReply:
        """The merged reply so far (a new snapshot only when something changed)."""
        builder = self._builder
        if self._snapshot is None or self._snapshot_version != builder.changes:
            self._snapshot = builder.snapshot()
            self._snapshot_version = builder.changes
        return self._snapshot

    def take_delta(self) -> ReplyDelta:
        """Text and reasoning the first choice gained since the last call (what a chat printer prints)."""
        return self._builder.first.take_delta()

    @property
    def script_pending(self) -> bool:
        """True while a merge script still works through events (feed `[]` to collect what it returns)."""
        return self._script is not None and self._script.pending

    def feed(self, items: Sequence[BusItem]) -> bool:
        """Merge a batch of events (and runs of a chunk's events: `app.event_runs`); True if the reply changed."""
        builder = self._builder
        before = builder.changes
        if self._script is not None:
            self._feed_script(expand_runs(list(items)))
            return builder.changes != before
        self._run_t = 0.0
        self._run = 0
        events: list[TimelineEvent] = []
        for item in items:
            if type(item) is EventRun:
                if events:
                    self._feed_events(events)
                    events = []
                # A run shares one time: once the format is known, its payloads go to the profile in one call.
                if self._profile is None or not self._feed_group(item.t, item.payloads, item.kind):
                    self._feed_each(item.events())
            else:
                events.append(item)  # type: ignore[arg-type]
        if events:
            self._feed_events(events)
        if self._run:
            self.metrics.fragments.add(self._run_t, self._run)
        if items:
            self.metrics.observe_event(items[-1].t)
        builder.compact()
        return builder.changes != before

    def _feed_events(self, events: list[TimelineEvent]) -> None:
        if self._profile is not None and len(events) >= _GROUPED_MIN and len(set(map(_TIME, events))) * 8 <= len(events):
            # Events parsed from one chunk share its time: a group of one time and one payload type goes to
            # the profile in one call (`on_values`, `on_messages`), the rest event by event.
            for t, grouped in groupby(events, _TIME):
                group = list(grouped)
                if not self._feed_group(t, list(map(_PAYLOAD, group))):
                    self._feed_each(group)
        else:
            self._feed_each(events)

    def _arrived(self, t: float, count: int) -> None:
        """`count` events that added fragments arrived at `t`: kept as a run, added when the time moves on."""
        if t == self._run_t:
            self._run += count
            return
        if self._run:
            self.metrics.fragments.add(self._run_t, self._run)
        self._run_t = t
        self._run = count

    def _feed_group(self, t: float, payloads: Sequence[EventPayload], kind: type | None = None) -> bool:
        """Payloads of one time, merged in one profile call if all are NDJSON values or all SSE messages
        (`kind`, when the parser knew it); False (nothing done) for any other group."""
        profile = self._profile
        assert profile is not None
        if kind is None:
            kinds = set(map(type, payloads))
            if len(kinds) != 1:
                return False
            kind = kinds.pop()
        if kind is NdjsonValue:
            added = profile.on_lines("", payloads.texts if type(payloads) is NdjsonTexts else list(map(_TEXT, payloads)))
        elif type(payloads) is SseDatas:
            added = profile.on_messages([payloads.event] * len(payloads), payloads.datas)
        elif type(payloads) is WsTexts:
            added = profile.on_messages([""] * len(payloads.texts), payloads.texts)  # each as `_read` takes it
        elif kind is SseMessage:
            added = profile.on_messages(list(map(_EVENT_NAME, payloads)), list(map(_DATA, payloads)))
        else:
            return False
        if added:
            self._arrived(t, added)
        return True

    def _feed_each(self, events: list[TimelineEvent]) -> None:
        """Event by event: detection, the rare kinds, and streams whose events each have their own time."""
        builder = self._builder
        profile = self._profile
        on_data = profile.on_data if profile is not None else None
        on_value = profile.on_value if profile is not None else None
        # An event that added fragments is one arrival (`observe_fragment`), kept in runs of one time.
        run_t = self._run_t
        run = self._run
        add_fragments = self.metrics.fragments.add
        for event in events:
            payload = event.payload
            fragments = builder.fragments
            if on_data is not None and type(payload) is SseMessage:
                # The hot paths: one call per SSE message, NDJSON line or text frame once the format is known.
                on_data(payload.event, payload.data)
            elif on_value is not None and type(payload) is NdjsonValue:
                on_value("", payload.value)
            elif on_data is not None and type(payload) is WsMessage and payload.direction == "recv" and type(payload.data) is str:
                on_data("", payload.data)
            else:
                if run:
                    # What follows may time fragments itself (a replay after detection): keep the order.
                    add_fragments(run_t, run)
                    run = 0
                if not self._read(event.t, payload):
                    continue
                profile = self._profile
                on_data = profile.on_data if profile is not None else None
                on_value = profile.on_value if profile is not None else None
            if builder.fragments != fragments:
                t = event.t
                if t == run_t:
                    run += 1
                else:
                    if run:
                        add_fragments(run_t, run)
                    run_t = t
                    run = 1
        self._run_t = run_t
        self._run = run

    def _feed_script(self, events: list[TimelineEvent]) -> None:
        script = self._script
        assert script is not None
        for event in events:
            if not script.submit(event):
                self._read(event.t, event.payload)
        script.collect()
        if events:
            self.metrics.observe_event(events[-1].t)

    def finish(self) -> MergedReply:
        """The stream is over: decide what is still open and return the final reply."""
        self._close()
        return self.reply

    def final_line(self) -> tuple[dict[str, Any], list[str] | None]:
        """`finish()`'s reply as its `--jsonl` line (`MergedReply.to_json`) and, for a reply of one choice,
        its text as the pieces it was gathered in, its place in the line left empty: written a piece at a
        time, a reply of tens of MB is never joined into one more copy of itself (a long run's peak).
        None with the text in the line."""
        self._close()
        builder = self._builder
        parts = builder.first.text_parts
        if len(builder.choices) > 1 or not any(parts):
            return self.reply.to_json(), None
        line = builder.snapshot(first_text=_UNJOINED).to_json()
        line["text"] = ""
        return line, list(parts)

    def _close(self) -> None:
        if self._finished:
            return
        self._finished = True
        if self._body:
            self._read_body()
        if self._profile is None:
            detection = self._detection
            unrecognised = bool(detection.pending) and self._script is None
            detail = detection.first_detail()  # before the replay empties the queue
            self._use_profile("none")
            if self._status is not None and self._status >= 400:
                # An error status streamed in a format no profile knows: name the status, not the format.
                if not self._builder.errors:
                    self._builder.error(f"HTTP {self._status}: {detail}" if detail else f"HTTP {self._status}")
            elif unrecognised and not self._builder.errors:
                self._builder.note("no known stream format recognised; force one with a profile or a JSONPath rule")
        assert self._profile is not None
        self._profile.finish()
        builder = self._builder
        complete_on_close = self._profile.complete_on_close
        if self._script is not None:
            said = self._script.finish(self._script_wait)
            # A script's on_end decides; without one, a normal end of the connection is complete.
            complete_on_close = said is None
            if said:
                builder.mark_complete()
        if complete_on_close and self._closed_normally and not builder.errors:
            builder.mark_complete()
        builder.close_tool_calls()
        builder.flush()
        self.metrics.output_tokens = builder.output_tokens

    def _use_profile(self, name: str) -> None:
        self._builder.profile = name
        self._profile = profile = make_profile(name, self._builder, self._rule)
        self._detection.replay(profile, self._builder, self.metrics)

    def _wait(self, t: float, event: str, text: str | None, value: Any) -> None:
        name = self._detection.add(t, event, text, value, self._content_type, self._hint, self._builder.note)
        if name is not None:
            self._use_profile(name)

    def _read(self, t: float, payload: Any) -> bool:
        """Any payload off the hot path. False when it was parked for detection (timed at replay)."""
        profile = self._profile
        kind = type(payload)
        if kind is SseMessage or kind is NdjsonValue or kind is JsonArrayItem or kind is WsMessage:
            if kind is SseMessage:
                event, text, value = payload.event, payload.data, NOT_JSON
            elif kind is WsMessage:
                if payload.direction != "recv" or not isinstance(payload.data, str):
                    return True
                event, text, value = "", payload.data, NOT_JSON
            else:
                event, text, value = "", None, payload.value
            if profile is None:
                self._wait(t, event, text, value)
                return False
            if text is not None:
                profile.on_data(event, text)
            else:
                profile.on_value(event, value)
            return True
        self._read_other(t, payload)
        return True

    def _read_other(self, t: float, payload: Any) -> None:
        builder = self._builder
        if isinstance(payload, SseComment):
            if "OPENROUTER" in payload.text.upper():
                self._hint = "openrouter"
        elif isinstance(payload, SseUnknownField):
            # llama.cpp reports failures in a non-standard `error:` field that EventSource would drop.
            if payload.name == "error":
                builder.error(_describe_field_error(payload.value))
        elif isinstance(payload, ResponseOpened):
            self._content_type = payload.header("content-type")
            self._status = payload.status
            self.metrics.observe_open(t)
        elif isinstance(payload, WsOpened):
            self.metrics.observe_open(t)
        elif isinstance(payload, BodyReceived):
            if len(self._body) < BODY_LIMIT:
                self._body.extend(payload.data[: BODY_LIMIT - len(self._body)])
        elif isinstance(payload, ConnectionFailed):
            builder.fail_transport(f"{payload.type}: {payload.message}")
        elif isinstance(payload, (NdjsonError, JsonArrayError)):
            builder.note(f"a payload could not be parsed as JSON ({payload.error}); the merge skipped it")
        elif isinstance(payload, StreamClosed):
            self.metrics.observe_end(t, payload.duration)
            self._closed_normally = payload.reason == "complete"
            if payload.reason == "cancelled":
                builder.note("the stream was cancelled before it ended")
        elif isinstance(payload, WsClosed):
            self.metrics.observe_end(t)
            self._closed_normally = payload.code in (1000, 1001)

    def _read_body(self) -> None:
        """A body that was not a stream: an HTTP error explains itself, a JSON reply is merged whole."""
        text = bytes(self._body).decode("utf-8", errors="replace")
        try:
            value = parse_json(text)
        except ValueError:
            value = NOT_JSON
        if self._status is not None and self._status >= 400:
            detail = describe_error(value) if value is not NOT_JSON else text.strip()[:300]
            self._builder.error(f"HTTP {self._status}: {detail}" if detail else f"HTTP {self._status}")
            return
        if value is NOT_JSON:
            return
        if self._profile is None:
            name = detect_profile(self._content_type, "", value, self._hint)
            if name is None:
                return
            self._use_profile(name)
        assert self._profile is not None
        self._profile.on_value("", value)
        self._builder.mark_complete()


def _describe_field_error(value: str) -> str:
    try:
        return describe_error(parse_json(value))
    except ValueError:
        return value
