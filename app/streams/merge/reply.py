"""What a merge produces: the reply a streaming API meant to send, assembled from its fragments.

`MergedReply` is an immutable snapshot; the engine builds a new one only when something changed. Its
`to_json` is the public `{"kind": "merged", ...}` line of `sluice run --jsonl` (documented in the README:
change it only together with the README).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A function/tool call assembled from fragments. `arguments` is the parsed JSON once complete."""

    id: str | None
    name: str | None
    arguments_text: str
    arguments: Any = None
    complete: bool = False

    def to_json(self) -> dict[str, Any]:
        # Unparsed (still streaming, or invalid JSON) arguments stay visible as the raw text.
        arguments = self.arguments if self.complete else self.arguments_text
        return {"id": self.id, "name": self.name, "arguments": arguments}


@dataclass(frozen=True, slots=True)
class MergedChoice:
    """One of several alternatives (OpenAI `n > 1`, Gemini candidates) kept apart."""

    index: int
    text: str
    reasoning: str
    tool_calls: tuple[ToolCall, ...] = ()
    finish_reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "text": self.text,
            "reasoning": self.reasoning,
            "tool_calls": [call.to_json() for call in self.tool_calls],
            "finish_reason": self.finish_reason,
        }


@dataclass(frozen=True, slots=True)
class ScriptReport:
    """What became of a request's merge script: used or not (and why), and the problems it had.

    `problems` are the first few messages (an exception or a wrong return value, each naming the event
    that caused it); `problem_count` counts them all."""

    path: str
    used: bool
    reason: str | None = None
    problems: tuple[str, ...] = ()
    problem_count: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "used": self.used,
            "reason": self.reason,
            "problems": list(self.problems),
            "problem_count": self.problem_count,
        }


@dataclass(frozen=True, slots=True)
class MergedReply:
    """The merged reply so far: the first choice's text, reasoning and tool calls, plus stream-wide facts.

    `complete` is True once the format's terminal marker arrived (`[DONE]`, `message_stop`, …) and no
    error arrived inside the stream. `errors` are those in-stream errors only; a failure of the connection
    itself (refused, TLS, timeout, dropped mid-stream) is `transport_error`.
    `mismatch` explains how a final full message disagreed with the merged fragments.
    `notes` are messages for the user that are not stream errors (e.g. a custom rule skipping a payload).
    """

    profile: str
    text: str = ""
    reasoning: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    finish_reason: str | None = None
    usage: dict[str, Any] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    complete: bool = False
    mismatch: str | None = None
    choices: tuple[MergedChoice, ...] = ()
    notes: tuple[str, ...] = ()
    transport_error: str | None = None
    script: ScriptReport | None = None

    def to_json(self) -> dict[str, Any]:
        """The `--jsonl` merged line; `choices` appears only when the stream carried several, `script` only
        when the request names a merge script."""
        line: dict[str, Any] = {
            "kind": "merged",
            "profile": self.profile,
            "text": self.text,
            "reasoning": self.reasoning,
            "tool_calls": [call.to_json() for call in self.tool_calls],
            "finish_reason": self.finish_reason,
            "usage": self.usage,
            "complete": self.complete,
            "mismatch": self.mismatch,
            "errors": list(self.errors),
            "transport_error": self.transport_error,
        }
        if len(self.choices) > 1:
            line["choices"] = [choice.to_json() for choice in self.choices]
        if self.script is not None:
            line["script"] = self.script.to_json()
        return line


@dataclass(frozen=True, slots=True)
class ReplyDelta:
    """What the first choice gained since the last time it was asked, for printers that stream.

    `restarted` means the text was replaced rather than extended (a snapshot rule whose new value does
    not start with the old one): `text` then holds the whole new text.
    """

    text: str = ""
    reasoning: str = ""
    restarted: bool = False
