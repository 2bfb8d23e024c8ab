"""A tool call as its fragments arrive: its id, name and arguments (text fragments or a whole value),
snapshotted as a `ToolCall` whose arguments are parsed once it is closed."""

from __future__ import annotations

import json
from typing import Any

from app.streams.json_payload import parse_json
from app.streams.merge.reply import ToolCall

_NO_VALUE: Any = object()


class ToolCallBuilder:
    """One tool call being assembled: argument text fragments, or a whole value sent at once."""

    __slots__ = ("_parsed", "_parsed_ok", "_parts", "_value", "closed", "error", "free_text", "id", "name")

    def __init__(self, call_id: str | None, name: str | None) -> None:
        self.id = call_id
        self.name = name
        self.free_text = False
        """The input is plain text, not JSON (an OpenAI custom tool's): complete as it stands at `close`."""
        self._parts: list[str] = []
        self._value: Any = _NO_VALUE
        self.closed = False
        self._parsed: Any = None
        self._parsed_ok = False
        self.error: str | None = None

    def add_arguments(self, fragment: str) -> None:
        self._parts.append(fragment)
        self.closed = False

    def set_arguments_value(self, value: Any) -> None:
        """Arguments that arrived whole as a JSON value (Ollama, Gemini): complete at once."""
        self._value = value
        self.closed = True
        self._parsed, self._parsed_ok, self.error = value, True, None

    def set_arguments_building(self, value: Any) -> None:
        """Arguments assembled piece by piece as a JSON value (Gemini `partialArgs`): complete at `close`."""
        self._value = value
        self.closed = False

    def set_arguments_text(self, text: str) -> None:
        """The full argument text, sent as a final confirmation (replaces the fragments)."""
        self._parts = [text]
        self.closed = False

    @property
    def arguments_text(self) -> str:
        if self._value is not _NO_VALUE:
            return json.dumps(self._value, ensure_ascii=False)
        return "".join(self._parts)

    def close(self) -> None:
        """The call is finished: parse its arguments once."""
        if self.closed:
            return
        self.closed = True
        if self._value is not _NO_VALUE:
            self._parsed, self._parsed_ok, self.error = self._value, True, None
            return
        text = "".join(self._parts)
        if self.free_text:
            self._parsed, self._parsed_ok, self.error = text, True, None
            return
        if not text.strip():
            # A call without parameters streams no argument text at all.
            self._parsed, self._parsed_ok, self.error = {}, True, None
            return
        try:
            self._parsed, self._parsed_ok, self.error = parse_json(text), True, None
        except ValueError as exc:
            self._parsed, self._parsed_ok = None, False
            self.error = f"tool call {self.name or self.id or '?'}: arguments are not valid JSON ({exc})"

    def snapshot(self) -> ToolCall:
        complete = self.closed and self._parsed_ok
        return ToolCall(self.id, self.name, self.arguments_text, self._parsed if complete else None, complete)
