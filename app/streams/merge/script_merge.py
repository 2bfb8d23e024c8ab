"""The merge engine's side of a merge script: data events out to the script's thread, what it returned
back into the reply, and the `ScriptReport` (used or not, why, and each problem with its event)."""

from __future__ import annotations

import json
from typing import Any

from app.events import BodyReceived, JsonArrayItem, NdjsonValue, SseMessage, TimelineEvent
from app.streams.json_payload import parse_json
from app.streams.merge.builder import ReplyBuilder
from app.streams.merge.reply import ScriptReport
from app.streams.merge.script import MergeScriptSpec, ScriptEvent, apply_result
from app.streams.merge.script_runner import ScriptOutcome, ScriptRunner
from app.streams.stream_metrics import StreamMetrics
from app.ws_events import WsMessage

PROBLEMS_KEPT = 20
"""Problem messages kept in the report (a script failing on every event is counted, not listed)."""


class ScriptMerge:
    """Feeds one script and applies its outcomes to `reply`. An untrusted script is never started."""

    def __init__(self, spec: MergeScriptSpec, reply: ReplyBuilder, metrics: StreamMetrics) -> None:
        self.spec = spec
        self._reply = reply
        self._metrics = metrics
        self._problems: list[str] = []
        self._problem_count = 0
        self._ended_complete: bool | None = None
        self.runner = ScriptRunner(spec, spec.fingerprint) if spec.trusted else None
        self._used = spec.trusted
        self._report()

    @property
    def pending(self) -> bool:
        """True while the script still has events to work through or outcomes to hand back."""
        return self.runner is not None and self.runner.pending

    def submit(self, event: TimelineEvent) -> bool:
        """Hand a data event to the script; False when `event` is not one (the engine reads it instead)."""
        script_event = _script_event(event)
        if script_event is None:
            return False
        if self.runner is not None:
            self.runner.submit(script_event)
        return True

    def collect(self) -> None:
        """Apply whatever the script returned since the last call."""
        if self.runner is None:
            return
        outcomes = self.runner.take_outcomes()
        if not outcomes:
            return
        reply = self._reply
        for outcome in outcomes:
            fragments = reply.fragments
            self._apply(outcome)
            if outcome.event is not None and reply.fragments != fragments:
                self._metrics.observe_fragment(outcome.event.t)
        self._report()

    def finish(self, wait: float) -> bool | None:
        """End the script (`on_end`), waiting at most `wait` seconds. Returns what `on_end` said about
        completeness (None when the script has no `on_end`, or did not run)."""
        if self.runner is None:
            return None
        if not self.runner.finish(wait):
            self._problem(f"still busy {wait:g} s after the stream ended; the reply shows what it returned so far")
        self.collect()
        self._report()
        return self._ended_complete

    def _apply(self, outcome: ScriptOutcome) -> None:
        where = f" at {outcome.event.describe()}" if outcome.event is not None else ""
        if outcome.problem is not None:
            if outcome.problem.startswith("not used:"):
                self._used = False
            self._problem(outcome.problem + where)
            return
        if outcome.end:
            self._ended_complete = bool(outcome.value)
            return
        problem = apply_result(self._reply, outcome.value)
        if problem is not None:
            self._problem(problem + where)

    def _problem(self, message: str) -> None:
        self._problem_count += 1
        if len(self._problems) < PROBLEMS_KEPT:
            self._problems.append(f"{self.spec.shown}: {message}")

    def _report(self) -> None:
        reason = self.spec.reason or None
        if self._used is False and reason is None and self._problems:
            reason = self._problems[0]
        self._reply.script = ScriptReport(
            self.spec.shown, self._used, reason, tuple(self._problems), self._problem_count
        )
        self._reply.changes += 1


def _script_event(event: TimelineEvent) -> ScriptEvent | None:
    payload = event.payload
    if isinstance(payload, SseMessage):
        return _event("sse", payload.event, payload.data, payload.id, event)
    if isinstance(payload, WsMessage):
        if payload.direction != "recv":
            return None
        data = payload.data if isinstance(payload.data, str) else payload.data.decode("utf-8", "replace")
        return _event("ws_recv", "", data, None, event)
    if isinstance(payload, (NdjsonValue, JsonArrayItem)):
        kind = "ndjson" if isinstance(payload, NdjsonValue) else "json_item"
        text = json.dumps(payload.value, ensure_ascii=False)
        return ScriptEvent(kind, "", text, None, payload.value, event.t, event.seq)
    if isinstance(payload, BodyReceived):
        return _event("body", "", payload.data.decode("utf-8", "replace"), None, event)
    return None


def _event(kind: str, name: str, data: str, event_id: str | None, event: TimelineEvent) -> ScriptEvent:
    value: Any
    try:
        value = parse_json(data)
    except ValueError:
        value = None
    return ScriptEvent(kind, name, data, event_id, value, event.t, event.seq)
