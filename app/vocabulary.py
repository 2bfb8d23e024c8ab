"""The words two layers share: how a body is framed, how a WebSocket message is written, a custom merge rule.

`app.model` (request files) and `app.streams` (parsers, the merge engine) both need these, so they live
below both and neither layer imports the other. Every tier above (the editor's draft, the CLI flags)
takes its choices from these enums instead of re-declaring the strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

Extra = tuple[tuple[str, Any], ...]
"""Keys Sluice does not know, in file order, written back untouched."""

DEFAULT_MAX_EVENT_SIZE = 64 * 1024 * 1024
"""Bytes one event may reach (an SSE event's data, an NDJSON line, a JSON-array element) before it is
dropped with an `event_too_large` error: what keeps memory bounded on a hostile stream. A request file
sets its own with `[options] max_event_size`, `sluice run` with `--max-event-size`."""

DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024
"""Bytes one WebSocket message may reach (`[websocket] max_message_size` in a request file)."""

DEFAULT_STALL_SECONDS = 2.0
"""A silence between two data events (or fragments) longer than this is a stall. Two seconds: an LLM
that pauses that long mid-answer is visibly stuck to a person, while ordinary token jitter and a slow
first token (which is time to first event, not a gap) stay well below it. The metrics core
(`app.streams.stream_metrics`) counts stalls by it, the Timeline colours them: here, below both, so the
first screen's Timeline does not import the metrics core and the event model behind it."""


class ParseMode(StrEnum):
    """How a response body is framed into events. `auto` decides from the content type."""

    AUTO = "auto"
    SSE = "sse"
    NDJSON = "ndjson"
    JSON_ARRAY = "json-array"
    RAW = "raw"


class WsFormat(StrEnum):
    """How a composed WebSocket message is written; `base64` and `hex` become binary frames."""

    TEXT = "text"
    JSON = "json"
    XML = "xml"
    HTML = "html"
    BASE64 = "base64"
    HEX = "hex"

    @property
    def is_binary(self) -> bool:
        return self in (WsFormat.BASE64, WsFormat.HEX)


class RuleMode(StrEnum):
    """How a custom rule's matches build the text."""

    DELTA = "delta"
    """Each match is appended."""
    SNAPSHOT = "snapshot"
    """Each match is the whole text so far."""


@dataclass(frozen=True, slots=True)
class MergeRule:
    """A custom JSONPath merge rule (e.g. `$.choices[0].delta.content`): saved with a request, read by
    the merge engine. Empty strings mean "not set"."""

    text: str
    """JSONPath of the text in each payload."""
    reasoning: str = ""
    """JSONPath of the reasoning, if the stream carries any."""
    event: str = ""
    """Only events with this SSE event name (or NDJSON/WebSocket `type`) are read; empty reads all."""
    mode: RuleMode = RuleMode.DELTA
    extra: Extra = ()
