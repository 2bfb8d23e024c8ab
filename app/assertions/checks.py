"""One class per assertion kind: each watches the events, and decides pass or fail as early as it can.

A check is decided by one event (the status by the `open` event, `max_count` by the event that went one
over, `within_ms` by the first matching event or the first event too late for it); whatever is still
open when the response ends is decided by its last event. A check never changes its mind once decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.events import (
    BodyReceived,
    ConnectionFailed,
    JsonArrayItem,
    NdjsonValue,
    ResponseOpened,
    SseMessage,
    StreamClosed,
    TimelineEvent,
)
from app.model.expectations import Expectation
from app.streams.json_payload import dump_json, parse_json
from app.streams.merge import MergeEngine
from app.user_jsonpath import parse_jsonpath
from app.user_regex import PatternError, UserRegex
from app.ws_events import WsClosed, WsMessage, WsOpened

PREVIEW_CHARS = 60
ERROR_EVENT_KINDS = frozenset({"error", "ndjson_error", "json_error"})
"""What `no_errors` fails on, besides errors inside the stream; a `diagnostic` is advice, not an error."""


class Verdict(StrEnum):
    """Where an assertion stands."""

    PENDING = "pending"
    PASSED = "pass"
    FAILED = "fail"


@dataclass(frozen=True, slots=True)
class AssertionResult:
    """One assertion's outcome: what it checked, what was seen, and the event that decided it."""

    label: str
    verdict: Verdict
    detail: str = ""
    """What was seen, in plain words (`got 404`, `first at 812 ms`)."""
    seq: int | None = None
    """The deciding event's sequence number (None while pending, or when no event arrived at all)."""
    kind: str = ""
    t: float | None = None

    @property
    def passed(self) -> bool:
        return self.verdict is Verdict.PASSED

    @property
    def decided_by(self) -> str:
        """`event #12 (sse) at 0.512 s`, or empty."""
        if self.seq is None:
            return ""
        return f"event #{self.seq} ({self.kind}) at {self.t:.3f} s"


def _shorten(text: str) -> str:
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def _preview(text: str) -> str:
    return repr(_shorten(text))


def payload_value(payload: object) -> Any:
    """The JSON value a data event carries (SSE data, NDJSON line, array item, received WS text); else a sentinel."""
    if isinstance(payload, (NdjsonValue, JsonArrayItem)):
        return payload.value
    if isinstance(payload, SseMessage):
        text = payload.data
    elif isinstance(payload, WsMessage) and payload.direction == "recv" and isinstance(payload.data, str):
        text = payload.data
    else:
        return _NO_VALUE
    try:
        return parse_json(text)
    except ValueError:
        return _NO_VALUE


_NO_VALUE: Any = object()


def event_name(payload: object) -> str | None:
    """An SSE event's name; the `type` (else `event`) field of a JSON payload."""
    if isinstance(payload, SseMessage):
        return payload.event
    if isinstance(payload, (NdjsonValue, JsonArrayItem, WsMessage)):
        if isinstance(payload, WsMessage) and (payload.direction != "recv" or not isinstance(payload.data, str)):
            return None
        value = payload_value(payload)
        if isinstance(value, dict):
            name = value.get("type", value.get("event"))
            return name if isinstance(name, str) else None
    return None


def json_equal(left: Any, right: Any) -> bool:
    """Equality as JSON means it: `true` is not `1`, `1` is `1.0`, tables compare key by key."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equal(left[key], right[key]) for key in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(json_equal(a, b) for a, b in zip(left, right))
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    return type(left) is type(right) and left == right


class Check:
    """Base of every assertion: `observe` each event, `end` once the response is over."""

    def __init__(self) -> None:
        self.label = ""
        self.result = AssertionResult("", Verdict.PENDING)

    def named(self, label: str) -> Check:
        """Give the check the label its results carry."""
        self.label = label
        self.result = AssertionResult(label, Verdict.PENDING)
        return self

    @property
    def decided(self) -> bool:
        return self.result.verdict is not Verdict.PENDING

    def decide(self, passed: bool, detail: str, event: TimelineEvent | None) -> None:
        if self.decided:
            return
        verdict = Verdict.PASSED if passed else Verdict.FAILED
        if event is None:
            self.result = AssertionResult(self.label, verdict, detail)
        else:
            self.result = AssertionResult(self.label, verdict, detail, event.seq, event.kind, event.t)

    def observe(self, event: TimelineEvent, engine: MergeEngine | None) -> None:
        """One event, after the merge engine has read it."""

    def end(self, last: TimelineEvent | None, engine: MergeEngine | None) -> None:
        """The response is over; decide if still pending."""


class StatusCheck(Check):
    def __init__(self, expected: int) -> None:
        super().__init__()
        self.expected = expected

    def observe(self, event: TimelineEvent, engine: MergeEngine | None) -> None:
        payload = event.payload
        if isinstance(payload, (ResponseOpened, WsOpened)):
            self.decide(payload.status == self.expected, f"got {payload.status}", event)
        elif isinstance(payload, ConnectionFailed):
            self.decide(False, f"no response: {payload.type}", event)

    def end(self, last: TimelineEvent | None, engine: MergeEngine | None) -> None:
        self.decide(False, "no response arrived", last)


class EventCountCheck(Check):
    def __init__(self, name: str, minimum: int, maximum: int | None) -> None:
        super().__init__()
        self.name, self.minimum, self.maximum = name, minimum, maximum
        self.count = 0

    def observe(self, event: TimelineEvent, engine: MergeEngine | None) -> None:
        if event_name(event.payload) != self.name:
            return
        self.count += 1
        if self.maximum is not None and self.count > self.maximum:
            self.decide(False, f"{self.count} so far, more than {self.maximum}", event)
        elif self.maximum is None and self.count == self.minimum:
            self.decide(True, f"{self.count} arrived", event)

    def end(self, last: TimelineEvent | None, engine: MergeEngine | None) -> None:
        self.decide(self.count >= self.minimum, f"{self.count} arrived", last)


class EventWithinCheck(Check):
    def __init__(self, name: str, within_ms: float) -> None:
        super().__init__()
        self.name, self.within_ms = name, within_ms

    def observe(self, event: TimelineEvent, engine: MergeEngine | None) -> None:
        late = event.t * 1000 > self.within_ms
        if event_name(event.payload) == self.name:
            self.decide(not late, f"first at {event.t * 1000:.0f} ms", event)
        elif late:
            self.decide(False, f"none within {self.within_ms:g} ms", event)

    def end(self, last: TimelineEvent | None, engine: MergeEngine | None) -> None:
        self.decide(False, "never arrived", last)


class MergedTextCheck(Check):
    """`merged_text_contains` (a substring) or `merged_text_matches` (a regex), on the final merged text."""

    def __init__(self, needle: str, regex: bool) -> None:
        super().__init__()
        self.needle = needle
        self.pattern: UserRegex | None = None
        self.error = ""
        if regex:
            try:
                self.pattern = UserRegex(needle)
            except PatternError as error:  # a file's pattern was refused when read; this is one built in code
                self.error = f"bad regex: {error}"

    def end(self, last: TimelineEvent | None, engine: MergeEngine | None) -> None:
        if self.error:
            self.decide(False, self.error, last)
            return
        text = engine.reply.text if engine is not None else ""
        found = bool(self.pattern.search(text)) if self.pattern is not None else self.needle in text
        self.decide(found, f"merged text {_preview(text)} ({len(text)} chars)", last)


class CompleteCheck(Check):
    def __init__(self, expected: bool) -> None:
        super().__init__()
        self.expected = expected

    def end(self, last: TimelineEvent | None, engine: MergeEngine | None) -> None:
        complete = engine is not None and engine.reply.complete
        marker = engine.terminal_marker if engine is not None else "the terminal marker"
        detail = f"{marker} arrived" if complete else f"ended without {marker}"
        self.decide(complete == self.expected, detail, last)


class NoErrorsCheck(Check):
    def __init__(self, expected: bool) -> None:
        super().__init__()
        self.expected = expected

    def observe(self, event: TimelineEvent, engine: MergeEngine | None) -> None:
        payload = event.payload
        if payload.kind in ERROR_EVENT_KINDS:
            self.decide(not self.expected, f"{event.kind}: {_error_text(payload)}", event)
        elif isinstance(payload, WsClosed) and payload.code not in (1000, 1001):
            self.decide(not self.expected, f"closed by {payload.by} with {payload.code}", event)

    def end(self, last: TimelineEvent | None, engine: MergeEngine | None) -> None:
        errors = engine.reply.errors if engine is not None else ()
        if errors:
            self.decide(not self.expected, f"error in the stream: {errors[0]}", last)
        else:
            self.decide(self.expected, "no errors", last)


def _error_text(payload: object) -> str:
    for name in ("message", "error"):
        value = getattr(payload, name, None)
        if isinstance(value, str) and value:
            return value
    return ""


class TtftCheck(Check):
    def __init__(self, limit_ms: float) -> None:
        super().__init__()
        self.limit_ms = limit_ms

    def observe(self, event: TimelineEvent, engine: MergeEngine | None) -> None:
        ttft = engine.metrics.ttft if engine is not None else None
        if ttft is not None and event.t >= ttft:
            self.decide(ttft * 1000 <= self.limit_ms, f"first text at {ttft * 1000:.0f} ms", event)
        elif ttft is None and event.t * 1000 > self.limit_ms:
            self.decide(False, f"no text within {self.limit_ms:g} ms", event)

    def end(self, last: TimelineEvent | None, engine: MergeEngine | None) -> None:
        self.decide(False, "no text arrived", last)


class DurationCheck(Check):
    def __init__(self, limit_ms: float) -> None:
        super().__init__()
        self.limit_ms = limit_ms

    def observe(self, event: TimelineEvent, engine: MergeEngine | None) -> None:
        payload = event.payload
        if isinstance(payload, (StreamClosed, WsClosed)):
            duration = payload.duration if isinstance(payload, StreamClosed) else event.t
            self.decide(duration * 1000 <= self.limit_ms, f"took {duration * 1000:.0f} ms", event)
        elif event.t * 1000 > self.limit_ms:
            self.decide(False, f"still running at {event.t * 1000:.0f} ms", event)

    def end(self, last: TimelineEvent | None, engine: MergeEngine | None) -> None:
        self.decide(False, "the response did not end", last)


class JsonPathCheck(Check):
    """`jsonpath` (+ `equals`), on the last data payload that has the path (or the whole JSON body)."""

    def __init__(self, path: str, expected: Any) -> None:
        super().__init__()
        self.path, self.expected = path, expected
        self.error = ""
        self.expression: Any = None
        """The parsed path, None when it does not parse (`Any`: jsonpath-ng is typed only in newer releases)."""
        try:
            self.expression = parse_jsonpath(path)
        except PatternError as error:
            self.error = f"bad JSONPath: {error}"
        self.found: Any = _NO_VALUE
        self.found_event: TimelineEvent | None = None
        self.body = bytearray()
        self.last_body: TimelineEvent | None = None

    def observe(self, event: TimelineEvent, engine: MergeEngine | None) -> None:
        payload = event.payload
        if isinstance(payload, BodyReceived):
            self.body += payload.data
            self.last_body = event
            return
        if self.expression is None:
            return
        value = payload_value(payload)
        if value is _NO_VALUE:
            return
        matches = self.expression.find(value)
        if matches:
            self.found, self.found_event = matches[0].value, event

    def end(self, last: TimelineEvent | None, engine: MergeEngine | None) -> None:
        if self.expression is None:
            self.decide(False, self.error, last)
            return
        if self.body and self.found is _NO_VALUE:
            try:
                matches = self.expression.find(parse_json(bytes(self.body)))
            except ValueError:
                matches = []
            if matches:
                self.found, self.found_event = matches[0].value, self.last_body
        if self.found is _NO_VALUE:
            self.decide(False, "no payload had this path", last)
        elif self.expected is None:
            self.decide(True, f"found {_shorten(dump_json(self.found))}", self.found_event)
        else:
            self.decide(json_equal(self.found, self.expected), f"found {_shorten(dump_json(self.found))}", self.found_event)


def checks_for(expectation: Expectation) -> list[Check]:
    """The assertions one `[[expect]]` table makes, each with its label."""
    made: list[tuple[str, Check]] = []
    e = expectation
    if e.status is not None:
        made.append((f"status = {e.status}", StatusCheck(e.status)))
    if e.event:
        if e.min_count is not None or e.max_count is not None or e.within_ms is None:
            minimum = e.min_count if e.min_count is not None else 1
            made.append((_count_label(e.event, minimum, e.max_count), EventCountCheck(e.event, minimum, e.max_count)))
        if e.within_ms is not None:
            made.append((f'first "{e.event}" within {e.within_ms:g} ms', EventWithinCheck(e.event, e.within_ms)))
    if e.merged_text_contains:
        made.append((f"merged text contains {e.merged_text_contains!r}", MergedTextCheck(e.merged_text_contains, False)))
    if e.merged_text_matches:
        made.append((f"merged text matches /{e.merged_text_matches}/", MergedTextCheck(e.merged_text_matches, True)))
    if e.complete is not None:
        made.append((f"complete = {str(e.complete).lower()}", CompleteCheck(e.complete)))
    if e.no_errors is not None:
        made.append(("no errors" if e.no_errors else "some error", NoErrorsCheck(e.no_errors)))
    if e.ttft_ms_max is not None:
        made.append((f"time to first text ≤ {e.ttft_ms_max:g} ms", TtftCheck(e.ttft_ms_max)))
    if e.duration_ms_max is not None:
        made.append((f"duration ≤ {e.duration_ms_max:g} ms", DurationCheck(e.duration_ms_max)))
    if e.jsonpath:
        what = f"{e.jsonpath} = {dump_json(e.equals)}" if e.equals is not None else f"{e.jsonpath} exists"
        made.append((what, JsonPathCheck(e.jsonpath, e.equals)))
    if not e.name:
        return [check.named(label) for label, check in made]
    if len(made) == 1:
        return [made[0][1].named(e.name)]
    return [check.named(f"{e.name}: {label}") for label, check in made]


def _count_label(name: str, minimum: int, maximum: int | None) -> str:
    if maximum is None:
        return f'event "{name}" arrives' if minimum == 1 else f'event "{name}" at least {minimum} times'
    if minimum == 0:
        return f'event "{name}" at most {maximum} times'
    return f'event "{name}" {minimum} to {maximum} times'
