"""The resolved WebSocket request a connection worker opens: every variable already substituted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.vocabulary import DEFAULT_MAX_MESSAGE_SIZE

if TYPE_CHECKING:
    from app.model.request_definition import SavedMessage


@dataclass(frozen=True, slots=True)
class WsRequest:
    """What the handshake sends, and the connection's settings."""

    url: str
    params: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    cookies: tuple[tuple[str, str], ...] = ()
    origin: str | None = None
    subprotocols: tuple[str, ...] = ()
    verify_tls: bool = True
    connect_timeout: float = 10.0
    max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE
    auto_reconnect: bool = False
    messages: tuple[SavedMessage, ...] = ()
    """Saved message templates (sent only when the user or a headless `--send` asks)."""
