"""The request as the editor holds it: plain text fields, free of the on-disk model.

The editor edits a `RequestDraft`; `bridge.py` converts it to and from the collection model, so a change
in the model's shape touches one module, not every widget. Key/value tables are kept as text, one
`name: value` (headers) or `name=value` (params) per line, with `#` disabling a line — quick to type and
to read in a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
BODY_TYPES = ("none", "json", "text", "form")
AUTH_TYPES = ("none", "bearer", "basic", "api-key")
PARSE_MODES = ("auto", "sse", "ndjson", "json-array", "raw")
WS_FORMATS = ("text", "json", "xml", "html", "base64", "hex")


@dataclass(frozen=True, slots=True)
class SavedMessage:
    """A WebSocket message template kept with the request."""

    name: str
    content: str
    format: str = "text"


@dataclass(frozen=True, slots=True)
class AuthDraft:
    """Authentication settings; which fields matter depends on `type`."""

    type: str = "none"
    token: str = ""
    username: str = ""
    password: str = ""
    key_name: str = "x-api-key"
    key_value: str = ""
    key_in: str = "header"
    """`header` or `query`, for an API key."""


@dataclass(frozen=True, slots=True)
class RequestDraft:
    """An editable request: what the editor shows and what a save writes back."""

    name: str = "New request"
    method: str = "GET"
    url: str = ""
    params: str = ""
    headers: str = ""
    body_type: str = "none"
    body: str = ""
    auth: AuthDraft = field(default_factory=AuthDraft)
    parse_mode: str = "auto"
    merge_profile: str = ""
    merge_rules: str = ""
    """Custom JSONPath merge rule lines, `text = $.path` / `reasoning = $.path`."""
    messages: tuple[SavedMessage, ...] = ()
    extract: str = ""
    """Extraction rule lines, `variable = source expression`."""
    description: str = ""

    @property
    def is_websocket(self) -> bool:
        return self.url.strip().lower().startswith(("ws://", "wss://", "{{ws_url}}"))

    @property
    def badge(self) -> str:
        """The tree's badge: WS, the stream format when set to stream, else the method."""
        if self.is_websocket:
            return "WS"
        if self.parse_mode in ("sse", "ndjson"):
            return self.parse_mode.upper()
        return self.method.upper()

    def with_changes(self, **changes: Any) -> RequestDraft:
        return replace(self, **changes)


def parse_pairs(text: str, separator: str) -> tuple[tuple[str, str], ...]:
    """Lines of `name<sep>value` into pairs, skipping blank and `#`-disabled lines."""
    pairs: list[tuple[str, str]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        name, found, value = stripped.partition(separator)
        pairs.append((name.strip(), value.strip() if found else ""))
    return tuple(pairs)


def format_pairs(pairs: tuple[tuple[str, str], ...] | list[tuple[str, str]], separator: str) -> str:
    """Pairs back into editable lines (`: ` for headers, `=` for params)."""
    return "\n".join(f"{name}{separator}{value}" for name, value in pairs)
