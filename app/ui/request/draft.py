"""The request as the editor holds it: text where the user types, the model's enums where the user picks.

The editor edits a `RequestDraft`; `bridge.py` converts it to and from the collection model, so a change
in the model's shape touches one module, not every widget. Every choice (body type, auth type, parse
mode, message format) is the model's own enum, so the editor offers exactly what a request file can
hold. Key/value tables are kept as text, one `name: value` (headers) or `name=value` (params) per line,
with `#` disabling a line — quick to type and to read in a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from app.model.request_definition import (
    AuthType,
    BodyType,
    SavedMessage,
    is_websocket_url,
)
from app.vocabulary import DEFAULT_MAX_MESSAGE_SIZE, ParseMode

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
"""The methods offered in the method selector (a file may hold another; the editor keeps it)."""

STREAM_BADGES = frozenset({ParseMode.SSE, ParseMode.NDJSON})


def enum_choices(kind: type[Enum]) -> list[tuple[str, Enum]]:
    """`(label, member)` pairs for a `Select` over every member of `kind`."""
    return [(str(member.value).replace("_", " "), member) for member in kind]


@dataclass(frozen=True, slots=True)
class AuthDraft:
    """Authentication settings; which fields matter depends on `type`."""

    type: AuthType = AuthType.NONE
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
    body_type: BodyType = BodyType.NONE
    body: str = ""
    auth: AuthDraft = field(default_factory=AuthDraft)
    parse_mode: ParseMode = ParseMode.AUTO
    merge_profile: str = ""
    merge_rules: str = ""
    """Custom JSONPath merge rule lines, `$.text.path | reasoning=$.path | event=name | mode=snapshot`."""
    reconnect: bool = False
    """Resume an SSE stream that ends or drops (`[stream] reconnect`)."""
    messages: tuple[SavedMessage, ...] = ()
    subprotocols: str = ""
    """WebSocket subprotocols offered, comma-separated, in order of preference."""
    origin: str = ""
    cookies: str = ""
    """Handshake cookies, one `name=value` per line."""
    auto_reconnect: bool = False
    max_message_size: str = str(DEFAULT_MAX_MESSAGE_SIZE)
    """In bytes, as typed."""
    extract: str = ""
    """Extraction rule lines, `variable = source expression`."""
    description: str = ""

    @property
    def is_websocket(self) -> bool:
        return is_websocket_url(self.url) or self.method.upper() == "WS"

    @property
    def badge(self) -> str:
        """The tree's badge: WS, the stream format when set to stream, else the method."""
        if self.is_websocket:
            return "WS"
        if self.parse_mode in STREAM_BADGES:
            return self.parse_mode.value.upper()
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


def parse_pair_lines(text: str, separator: str) -> list[tuple[str, str, bool]]:
    """Lines of `name<sep>value` into `(name, value, enabled)`; a `#` line is a disabled pair, kept."""
    lines: list[tuple[str, str, bool]] = []
    for line in text.splitlines():
        stripped = line.strip()
        enabled = not stripped.startswith("#")
        stripped = stripped.lstrip("#").strip() if not enabled else stripped
        if not stripped:
            continue
        name, found, value = stripped.partition(separator)
        lines.append((name.strip(), value.strip() if found else "", enabled))
    return lines


def format_pair_lines(lines: list[tuple[str, str, bool]], separator: str) -> str:
    """`(name, value, enabled)` back into editable lines, disabled ones behind `# `."""
    return "\n".join(f"{'' if enabled else '# '}{name}{separator}{value}" for name, value, enabled in lines)
