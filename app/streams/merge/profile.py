"""The shape every merge profile shares, and helpers for reading provider payloads defensively."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, ClassVar

from app.nesting import MAX_JSON_DEPTH, deeper_than
from app.streams.json_payload import parse_json
from app.streams.merge.builder import ReplyBuilder
from app.strict_json import parse_checked_json


class MergeProfile:
    """Turns one provider's stream payloads into fragments on a `ReplyBuilder`.

    `on_data` receives raw text payloads (SSE `data`, WebSocket text frames) and `on_value` parsed JSON
    values (NDJSON lines, JSON-array elements, or decoded text). `event` is the SSE event name, or `""`
    where the transport has none. Profiles never raise on odd input: they skip it or leave a note.
    """

    name: ClassVar[str] = "none"
    terminal_marker: ClassVar[str] = "the end of the stream"
    """How the format says "finished", for the "incomplete" message."""
    complete_on_close: ClassVar[bool] = False
    """Formats without a terminal marker count as complete when the connection ends normally."""

    def __init__(self, reply: ReplyBuilder) -> None:
        self.reply = reply

    def on_data(self, event: str, data: str) -> None:
        try:
            value = parse_json(data)
        except ValueError:
            self.on_non_json(event, data)
            return
        self.on_value(event, value)

    def on_non_json(self, event: str, data: str) -> None:
        """A text payload that is not JSON (other than a known marker); most formats have none."""
        if data.strip():
            self.reply.note(f"{self.name}: skipped a payload that is not JSON: {_sample(data)}")

    def on_value(self, event: str, value: Any) -> None:
        error = stream_error(value)
        if error is not None:
            self.reply.error(error)

    def on_values(self, event: str, values: list[Any]) -> int:
        """Several parsed values in a row (the NDJSON lines of one chunk), each as `on_value` takes it;
        returns how many of them added text or reasoning. Profiles override it with a tighter loop for
        their commonest payload; the result must stay what one `on_value` per value gives."""
        reply = self.reply
        on_value = self.on_value
        added = 0
        for value in values:
            before = reply.fragments
            on_value(event, value)
            if reply.fragments != before:
                added += 1
        return added

    def on_lines(self, event: str, texts: list[str]) -> int:
        """Several NDJSON lines in a row, as their checked JSON texts (`NdjsonValue.text`), each as
        `on_value` takes its value; returns what `on_values` returns. Profiles override it to read the
        fields they need straight from the texts."""
        return self.on_values(event, list(map(parse_checked_json, texts)))

    def on_messages(self, events: list[str], datas: list[str]) -> int:
        """Several text payloads in a row (the SSE messages of one chunk) with their event names, each as
        `on_data` takes it; returns how many added text or reasoning (see `on_values`)."""
        reply = self.reply
        on_data = self.on_data
        added = 0
        for event, data in zip(events, datas):
            before = reply.fragments
            on_data(event, data)
            if reply.fragments != before:
                added += 1
        return added

    def finish(self) -> None:
        """The stream ended: last chance to close what is open."""


def decoded_run(decode: Callable[[str], list[Any]], datas: list[str]) -> list[Any] | None:
    """A run of text payloads (a chunk's SSE datas) decoded in one call by `decode`: a msgspec decoder of
    a list of the profile's commonest payload, which builds the fields the profile reads and skips (but
    checks) the rest. None when any payload is not that one, or is one `parse_json` refuses (nested too
    deeply): then each goes its own way through `on_data`, which the result must equal."""
    if max(map(len, datas)) > MAX_JSON_DEPTH and any(
        deeper_than(data, MAX_JSON_DEPTH) for data in datas if len(data) > MAX_JSON_DEPTH
    ):
        return None
    try:
        values = decode(f"[{','.join(datas)}]")
    except (ValueError, RecursionError):  # msgspec's DecodeError and ValidationError are ValueErrors
        return None
    # Each payload one JSON value (`1,2` would be two): otherwise the array's elements are not the payloads.
    return values if len(values) == len(datas) else None


def stream_error(value: Any) -> str | None:
    """The error an in-stream payload reports, or None: `{"error": …}` (OpenAI, Gemini, …) or a top-level
    error object (Mistral's `{"object": "error", "message": …, "type": …, "code": …}`)."""
    if type(value) is not dict:
        return None
    if value.get("error"):
        return describe_error(value)
    if value.get("object") == "error":
        return describe_error(value)
    return None


def describe_error(value: Any) -> str:
    """One readable line from the error shapes providers use (`{"error": {...}}`, `{"error": "..."}`, ...)."""
    error = value.get("error", value) if isinstance(value, dict) else value
    if isinstance(error, str):
        return error
    if isinstance(error, dict):
        message = error.get("message") or error.get("msg") or error.get("detail")
        kind = error.get("type") or error.get("code") or error.get("status")
        if message and kind:
            return f"{kind}: {message}"
        if message or kind:
            return str(message or kind)
    return json.dumps(error, ensure_ascii=False)[:500]


def as_dict(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one, so lookups chain without checks."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def base64_size(text: str) -> int:
    """How many bytes a base64 text decodes to, counted without decoding it (audio and images arrive as
    megabytes of base64 that the merge only measures)."""
    length = len(text)
    if length % 4:
        return length * 3 // 4  # unpadded: 2 or 3 characters left over carry 1 or 2 bytes
    return length * 3 // 4 - text.endswith("==") - text.endswith("=")


def _sample(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")
