"""A request as the user keeps it in a collection: variables unresolved, unknown keys kept.

`RequestDefinition` is what the editor edits and what a request file holds. It becomes an `HttpRequest`
or a `WsRequest` only through `app.model.resolve`, once every `{{variable}}` has a value.
Each part keeps the keys Sluice does not know in `extra` so saving never drops them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from app.model.expectations import Expectation
from app.vocabulary import DEFAULT_MAX_EVENT_SIZE, DEFAULT_MAX_MESSAGE_SIZE, Extra, MergeRule, ParseMode, WsFormat

__all__ = ["Extra", "MergeRule", "ParseMode", "WsFormat"]  # re-exported: the file model's vocabulary

Pairs = tuple[tuple[str, str], ...]
"""Ordered name/value pairs; a name may repeat (query parameters, headers)."""


@dataclass(frozen=True, slots=True)
class DisabledPair:
    """A parameter or header switched off (`# Name: value` in the editor, `enabled = false` on disk):
    kept with the request, never sent. `position` is its place among all the lines, enabled or not,
    so it is written back where it was."""

    position: int
    name: str
    value: str


Disabled = tuple[DisabledPair, ...]


def pair_lines(pairs: Pairs, disabled: Disabled) -> list[tuple[str, str, bool]]:
    """Enabled and disabled pairs merged back into their order, as `(name, value, enabled)`."""
    lines = [(name, value, True) for name, value in pairs]
    for item in sorted(disabled, key=lambda item: item.position):
        lines.insert(min(item.position, len(lines)), (item.name, item.value, False))
    return lines


def split_pair_lines(lines: list[tuple[str, str, bool]]) -> tuple[Pairs, Disabled]:
    """The inverse of `pair_lines`."""
    pairs = tuple((name, value) for name, value, enabled in lines if enabled)
    disabled = tuple(
        DisabledPair(position, name, value) for position, (name, value, enabled) in enumerate(lines) if not enabled
    )
    return pairs, disabled


class BodyType(StrEnum):
    """How `Body.content` becomes bytes on the wire."""

    NONE = "none"
    JSON = "json"
    TEXT = "text"
    FORM = "form"
    """`Body.form` pairs, urlencoded."""
    BASE64 = "base64"
    """Binary bytes kept as base64 text so the TOML file stays text."""


class AuthType(StrEnum):
    """Where credentials go: the `Authorization` header, or an API key in a header or query parameter."""

    NONE = "none"
    BEARER = "bearer"
    BASIC = "basic"
    API_KEY = "api_key"


class ExtractSource(StrEnum):
    """What an extraction rule reads from a finished response."""

    BODY = "body"
    """The whole JSON body (or the streamed JSON array's items as one list)."""
    SSE = "sse"
    """The JSON data of the last SSE event with the rule's `event` name."""
    NDJSON = "ndjson"
    """The last NDJSON value whose `type` (or `event`) equals the rule's `event`; any line if no event."""
    HEADER = "header"
    """A response header; `path` is the header name."""


_LEADING_VARIABLE = re.compile(r"\s*\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")
_WS_WORDS = frozenset({"ws", "wss", "websocket"})


def is_websocket_url(url: str) -> bool:
    """True for a `ws://`/`wss://` URL, or one that starts with a variable named for a WebSocket address
    (`{{ws_url}}/chat`, `{{CHAT_WSS}}`, `{{websocket_base}}`): the one rule for the tree badge, the
    editor and the runner, before any variable is resolved."""
    if url.strip().lower().startswith(("ws://", "wss://")):
        return True
    match = _LEADING_VARIABLE.match(url)
    return match is not None and not _WS_WORDS.isdisjoint(re.split(r"[_.-]", match.group(1).lower()))


@dataclass(frozen=True, slots=True)
class Body:
    """The request body as written: text content (JSON or plain), form pairs, or base64 bytes."""

    type: BodyType = BodyType.NONE
    content: str = ""
    form: Pairs = ()
    extra: Extra = ()


@dataclass(frozen=True, slots=True)
class Auth:
    """Credentials, usually `{{variables}}` whose values live in `.env` or the OS environment."""

    type: AuthType = AuthType.NONE
    token: str = ""
    username: str = ""
    password: str = ""
    key_name: str = ""
    key_value: str = ""
    location: str = "header"
    """For API keys: `header` or `query`."""
    extra: Extra = ()


@dataclass(frozen=True, slots=True)
class StreamSettings:
    """How the response is framed and merged."""

    parse_mode: ParseMode = ParseMode.AUTO
    merge_profile: str = "auto"
    rules: tuple[MergeRule, ...] = ()
    merge_script: str = ""
    """A merge script, relative to the collection (`scripts/plain_tokens.py`); "" uses the folder's or
    the collection's, if any."""
    reconnect: bool = False
    """Resume an SSE stream that ends or drops (EventSource style, `Last-Event-ID`); opt-in: it re-sends."""
    max_reconnects: int | None = None
    """At most this many reconnections (None: the default, 10)."""
    extra: Extra = ()


@dataclass(frozen=True, slots=True)
class ExtractionRule:
    """Sets `variable` from a finished response, for the next request of a chain."""

    variable: str
    source: ExtractSource = ExtractSource.BODY
    path: str = "$"
    """A JSONPath for body/sse/ndjson sources; the header name for `header`."""
    event: str = ""
    extra: Extra = ()


@dataclass(frozen=True, slots=True)
class SavedMessage:
    """A WebSocket message: a template kept with the request, the composer's text, or a `--send` flag.

    `content` is as the user wrote it (variables unresolved until `resolve_ws_message`)."""

    content: str
    format: WsFormat = WsFormat.TEXT
    name: str = ""
    extra: Extra = ()


MAX_FILE_SIZE_LIMIT = 256 * 1024 * 1024
"""The most a request file may raise `max_event_size` or `max_message_size` to: the limits are what keeps
memory bounded on a hostile stream, and a cloned collection's `max_event_size = 100000000000` would lift
them. `sluice run --max-event-size` (the user's own command line) may go further."""
MAX_FILE_RECONNECTS = 100
"""The most reconnections a request file may ask for: each waits what the server's `retry` says."""
MAX_FILE_CONNECT_TIMEOUT = 300.0
"""The longest connect (or WebSocket handshake) timeout a request file or a pasted curl command may set,
in seconds: curl's own connect limit. `connect_timeout = 0` (curl's `--connect-timeout 0`) means this."""
MAX_FILE_READ_TIMEOUT = 3600.0
"""The longest silence between two reads a request file or a pasted curl command may allow, in seconds.
`read_timeout = 0` (TOML has no null; curl's `--max-time 0`) means this, not "forever": a cloned
collection must not park `sluice run` in CI on a server that opens a stream and says nothing. An hour is
far beyond the keep-alive interval of any streaming API (15-30 s); `sluice run --timeout` (the user's own
command line) may go further."""


@dataclass(frozen=True, slots=True)
class WebSocketSettings:
    """Handshake extras and saved messages of a WebSocket request."""

    subprotocols: tuple[str, ...] = ()
    origin: str = ""
    cookies: Pairs = ()
    auto_reconnect: bool = False
    """Reconnect after a drop, waiting 0.5, 1, 2, 4 and 8 s between tries."""
    max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE
    """The largest message accepted, in bytes; a larger one closes the socket with 1009."""
    messages: tuple[SavedMessage, ...] = ()
    extra: Extra = ()


@dataclass(frozen=True, slots=True)
class RequestOptions:
    """Transport settings; the defaults match `HttpRequest`'s."""

    connect_timeout: float = 10.0
    """Seconds; 0 sends with `MAX_FILE_CONNECT_TIMEOUT`."""
    read_timeout: float | None = 60.0
    """Seconds; None (`read_timeout = 0` in the file) sends with `MAX_FILE_READ_TIMEOUT`."""
    follow_redirects: bool = True
    verify_tls: bool = True
    http2: bool = False
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE
    """Bytes one streamed event may reach before it is dropped with an error (`[options] max_event_size`)."""
    extra: Extra = ()


@dataclass(frozen=True, slots=True)
class RequestDefinition:
    """One saved request (one `*.toml` file): what the editor edits and `resolve_*` turns into a request."""

    name: str
    url: str
    method: str = "GET"
    description: str = ""
    params: Pairs = ()
    headers: Pairs = ()
    disabled_params: Disabled = ()
    disabled_headers: Disabled = ()
    body: Body = field(default_factory=Body)
    auth: Auth = field(default_factory=Auth)
    stream: StreamSettings = field(default_factory=StreamSettings)
    extract: tuple[ExtractionRule, ...] = ()
    expect: tuple[Expectation, ...] = ()
    """`[[expect]]` tables: what `sluice test` and the Assertions tab check."""
    websocket: WebSocketSettings = field(default_factory=WebSocketSettings)
    options: RequestOptions = field(default_factory=RequestOptions)
    variables: Pairs = ()
    extra: Extra = ()

    @property
    def is_websocket(self) -> bool:
        """See `is_websocket_url`; `method = "WS"` also marks one."""
        return is_websocket_url(self.url) or self.method.upper() == "WS"

    def header(self, name: str) -> str | None:
        """The first header with this name (case-insensitive), or None."""
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None
