"""The resolved HTTP request a connection worker sends: every variable already substituted."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ParseMode(StrEnum):
    """How a response body is framed into events. `auto` decides from the content type."""

    AUTO = "auto"
    SSE = "sse"
    NDJSON = "ndjson"
    JSON_ARRAY = "json-array"
    RAW = "raw"


DEFAULT_MAX_EVENT_SIZE = 64 * 1024 * 1024
"""Bytes one event may reach (an SSE event's data, an NDJSON line, a JSON-array element) before it is
dropped with an `event_too_large` error: what keeps memory bounded on a hostile stream."""


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """What goes on the wire. Built by `sluice run`'s arguments or resolved from a collection request."""

    url: str
    method: str = "GET"
    params: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    connect_timeout: float = 10.0
    read_timeout: float | None = 60.0
    """Longest silence allowed between two reads; None waits forever."""
    follow_redirects: bool = True
    verify_tls: bool = True
    http2: bool = False
    parse_mode: ParseMode = ParseMode.AUTO
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE
