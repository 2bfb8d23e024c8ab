"""Merge scripts: a user's Python file that says what each event adds to the reply.

The contract (documented with worked examples in the README, "Merge scripts"):

    def on_event(event):   # required; called once per data event, in order
        return ...         # None, a str (text), or a dict (see RESULT_KEYS)

    def on_end():          # optional; called once after the last event
        return True        # truthy: the reply is complete

`event` is a `ScriptEvent`. A result dict may hold `text` (appended), `reasoning` (appended),
`snapshot` (replaces the text so far), `error` (an error the stream reported) and `tool_call` (a fragment:
`{"index": 0, "id": …, "name": …, "arguments": "text to append", "done": True}`).

Nothing here runs the script: `script_runner` does, on its own thread, and only for a trusted script
(`MergeScriptSpec.trusted`). This module holds the pure parts: the event given to the script, and how a
returned value is checked and applied to the reply.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.streams.merge.builder import ReplyBuilder

RESULT_KEYS = ("text", "reasoning", "snapshot", "error", "tool_call")
TOOL_CALL_KEYS = ("index", "id", "name", "arguments", "done")
PREVIEW_CHARACTERS = 60


@dataclass(frozen=True, slots=True)
class MergeScriptSpec:
    """Which script a request merges with, and whether it may run.

    `shown` is the path as the user wrote it (relative to the collection), for messages; `reason` says
    why an untrusted script was not run (what to do about it)."""

    path: Path
    shown: str
    trusted: bool
    reason: str = ""
    fingerprint: str | None = None
    """The SHA-256 the user trusted (the TUI): other bytes in the file do not run."""
    inside: Path | None = None
    """The collection the script belongs to: a file that is no longer inside it when read does not run."""


@dataclass(frozen=True, slots=True)
class ScriptEvent:
    """One data event as a merge script sees it.

    `kind` is the timeline kind (`sse`, `ndjson`, `json_item`, `ws_recv`, `body`); `event` the SSE event
    name (`message` when unnamed; `""` for other kinds); `data` the payload text (a body chunk decoded as
    UTF-8); `id` the SSE last event id; `json` the parsed data when it is JSON, else None; `t` seconds since
    the request started; `seq` the event's number in the timeline."""

    kind: str
    event: str
    data: str
    id: str | None
    json: Any
    t: float
    seq: int

    def describe(self) -> str:
        """`event #12 (sse "delta", t=0.125 s): 'Hel'` — how messages name the event that caused them."""
        name = f' "{self.event}"' if self.event else ""
        data = self.data if len(self.data) <= PREVIEW_CHARACTERS else self.data[:PREVIEW_CHARACTERS] + "…"
        return f"event #{self.seq} ({self.kind}{name}, t={self.t:.3f} s): {data!r}"


def script_fingerprint(source: bytes) -> str:
    """The SHA-256 of the script's bytes: trust is given to this content, so a changed script asks again."""
    return hashlib.sha256(source).hexdigest()


def apply_result(reply: ReplyBuilder, result: Any) -> str | None:
    """Apply what `on_event` returned; a problem (wrong type, unknown key) is returned, nothing applied."""
    if result is None:
        return None
    if isinstance(result, str):
        reply.add_text(result)
        return None
    if not isinstance(result, dict):
        return f"on_event returned {type(result).__name__}; expected None, a str or a dict"
    problem = _check(result)
    if problem is not None:
        return problem
    if "snapshot" in result:
        reply.replace_text(result["snapshot"])
    reply.add_text(result.get("text"))
    reply.add_reasoning(result.get("reasoning"))
    if result.get("error"):
        reply.error(result["error"])
    fragment = result.get("tool_call")
    if fragment is not None:
        key = fragment.get("index", 0)
        call = reply.tool_call(key, 0, fragment.get("id"), fragment.get("name"))
        if fragment.get("arguments"):
            call.add_arguments(fragment["arguments"])
        if fragment.get("done"):
            reply.close_tool_call(key)
    return None


def _check(result: dict[Any, Any]) -> str | None:
    unknown = [key for key in result if key not in RESULT_KEYS]
    if unknown:
        return f"on_event returned a dict with unknown key(s) {', '.join(map(repr, unknown))}; use {', '.join(RESULT_KEYS)}"
    for key in ("text", "reasoning", "snapshot", "error"):
        if key in result and result[key] is not None and not isinstance(result[key], str):
            return f"on_event returned {key}={type(result[key]).__name__}; {key} must be a str"
    fragment = result.get("tool_call")
    if fragment is None:
        return None
    if not isinstance(fragment, dict):
        return f"on_event returned tool_call={type(fragment).__name__}; tool_call must be a dict"
    unknown = [key for key in fragment if key not in TOOL_CALL_KEYS]
    if unknown:
        return f"tool_call has unknown key(s) {', '.join(map(repr, unknown))}; use {', '.join(TOOL_CALL_KEYS)}"
    for key in ("id", "name", "arguments"):
        if fragment.get(key) is not None and not isinstance(fragment[key], str):
            return f"tool_call {key} must be a str, not {type(fragment[key]).__name__}"
    index = fragment.get("index", 0)
    if not isinstance(index, (int, str)) or isinstance(index, bool):
        return f"tool_call index must be an int or a str, not {type(index).__name__}"
    return None
