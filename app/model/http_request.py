"""The resolved HTTP request a connection worker sends: every variable already substituted."""

from __future__ import annotations

from dataclasses import dataclass

from app.vocabulary import DEFAULT_MAX_EVENT_SIZE, ParseMode


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
