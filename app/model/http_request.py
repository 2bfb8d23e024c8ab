"""The resolved HTTP request a connection worker sends: every variable already substituted."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

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

    @property
    def full_url(self) -> str:
        """The URL as sent: `params` after the URL's own query (what copy-as-curl shows too)."""
        return url_with_params(self.url, self.params)


def url_with_params(url: str, params: tuple[tuple[str, str], ...]) -> str:
    """`url` with `params` appended after its own query, which stays byte for byte as written.

    httpx's `params=` would replace the URL's query (a typed `?n=6` vanished whenever the request also
    had a `[params]` table), and its merge re-encodes the query and drops repeated names."""
    if not params:
        return url
    parts = urlsplit(url)
    extra = urlencode(list(params))
    return urlunsplit(parts._replace(query=f"{parts.query}&{extra}" if parts.query else extra))
