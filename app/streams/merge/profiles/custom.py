"""User-written merge rules (the seed's "JSONPath extraction rules"): a JSONPath for the text, optionally
one for the reasoning, an event-name filter, and `delta` or `snapshot` mode.

A rule never stops the stream: a bad JSONPath becomes an error in the reply, a payload that is not JSON
a note, and both say what was wrong.
"""

from __future__ import annotations

from typing import Any

from jsonpath_ng.exceptions import JSONPathError

from app.streams.json_payload import parse_json
from app.streams.merge.builder import ReplyBuilder
from app.streams.merge.profile import MergeProfile
from app.user_jsonpath import parse_jsonpath
from app.user_regex import PatternError
from app.vocabulary import MergeRule, RuleMode


class CustomProfile(MergeProfile):
    """Applies a `MergeRule` to every JSON payload (SSE data, NDJSON line, array element, WS message)."""

    name = "custom"
    complete_on_close = True

    def __init__(self, reply: ReplyBuilder, rule: MergeRule) -> None:
        super().__init__(reply)
        self.rule = rule
        self._text_path = self._compile(rule.text, "text")
        self._reasoning_path = self._compile(rule.reasoning, "reasoning") if rule.reasoning else None
        self._snapshot = rule.mode is RuleMode.SNAPSHOT
        self._non_json_count = 0

    def _compile(self, path: str, what: str) -> Any:
        try:
            return parse_jsonpath(path)
        except PatternError as exc:
            self.reply.error(f"custom rule: the {what} JSONPath {path!r} is not valid ({exc})")
            return None

    def on_data(self, event: str, data: str) -> None:
        if self._skips(event, None):
            return
        if data.strip() == "[DONE]":
            self.reply.mark_complete()
            return
        try:
            value = parse_json(data)
        except ValueError:
            self.on_non_json(event, data)
            return
        self._apply(value)

    def on_non_json(self, event: str, data: str) -> None:
        self._non_json_count += 1
        if self._non_json_count == 1:
            sample = data if len(data) <= 80 else data[:80] + "…"
            self.reply.note(f"custom rule: payload is not JSON, skipped ({sample!r})")

    def on_value(self, event: str, value: Any) -> None:
        if not self._skips(event, value):
            self._apply(value)

    def finish(self) -> None:
        if self._non_json_count > 1:
            self.reply.note(f"custom rule: {self._non_json_count} payloads were not JSON and were skipped")

    def _skips(self, event: str, value: Any) -> bool:
        wanted = self.rule.event
        if not wanted:
            return False
        if event and event != "message":
            return event != wanted
        if isinstance(value, dict) and ("type" in value or "event" in value):
            # Transports without event names (NDJSON, WebSocket) usually name the event in the payload.
            return value.get("type", value.get("event")) != wanted
        return event != wanted

    def _apply(self, value: Any) -> None:
        if self._text_path is not None:
            for text in self._matches(self._text_path, value):
                if self._snapshot:
                    self.reply.replace_text(text)
                else:
                    self.reply.add_text(text)
        if self._reasoning_path is not None:
            for text in self._matches(self._reasoning_path, value):
                self.reply.add_reasoning(text)

    def _matches(self, path: Any, value: Any) -> list[str]:
        try:
            return _string_matches(path, value)
        except (JSONPathError, ValueError, TypeError, KeyError, AttributeError) as exc:
            # Filters can fail on payloads of an unexpected shape; one payload must not stop the merge.
            self.reply.note(f"custom rule: JSONPath {str(path)!r} failed on a payload ({exc})")
            return []


def _string_matches(path: Any, value: Any) -> list[str]:
    texts = []
    for match in path.find(value):
        found = match.value
        if isinstance(found, str):
            texts.append(found)
        elif isinstance(found, (int, float)) and not isinstance(found, bool):
            texts.append(str(found))
    return texts
