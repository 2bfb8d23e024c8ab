"""The WebSocket payloads of the Timeline: the handshake, data frames, pings and pongs, and the close.

They are `EventPayload`s like the HTTP ones in `app.events` (which names their union), with the same
`kind` and `--jsonl` contract (`to_json`).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class WsConnecting:
    """A WebSocket handshake has started."""

    kind: ClassVar[str] = "ws_connecting"
    url: str

    def to_json(self) -> dict[str, Any]:
        return {"url": self.url}


@dataclass(frozen=True, slots=True)
class WsOpened:
    """The 101 response: the WebSocket is open."""

    kind: ClassVar[str] = "ws_open"
    status: int
    headers: tuple[tuple[str, str], ...]
    subprotocol: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "headers": [list(pair) for pair in self.headers],
            "subprotocol": self.subprotocol,
        }


@dataclass(frozen=True, slots=True)
class WsMessage:
    """A WebSocket data frame, sent or received. Text frames carry `str`, binary frames `bytes`.

    `size` in `--jsonl` is the frame's payload in bytes (a text frame's UTF-8 length)."""

    direction: str  # "send" or "recv"
    data: str | bytes

    @property
    def kind(self) -> str:
        """`ws_send` or `ws_recv`."""
        return "ws_send" if self.direction == "send" else "ws_recv"

    @property
    def opcode(self) -> str:
        return "text" if isinstance(self.data, str) else "binary"

    def to_json(self) -> dict[str, Any]:
        data = self.data
        if isinstance(data, str):
            return {"opcode": "text", "text": data, "size": len(data) if data.isascii() else len(data.encode("utf-8", "surrogatepass"))}
        return {
            "opcode": "binary",
            "b64": base64.b64encode(data).decode("ascii"),
            "size": len(data),
        }


@dataclass(frozen=True, slots=True)
class WsControl:
    """A ping or a pong (`kind_name` is `ws_ping` or `ws_pong`, also its `kind`); `by` is who sent that frame
    (`client` or `server`), as for `WsClosed`: a server's ping is `ws_ping` by server, then Sluice's `ws_pong`
    by client."""

    kind_name: str
    data: bytes = b""
    by: str = "client"

    @property
    def kind(self) -> str:
        return self.kind_name

    def to_json(self) -> dict[str, Any]:
        return {"data": self.data.hex(), "by": self.by}


@dataclass(frozen=True, slots=True)
class WsClosed:
    """The WebSocket closed: code, reason and who closed (`client` or `server`)."""

    kind: ClassVar[str] = "ws_close"
    code: int | None
    reason: str
    by: str

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "reason": self.reason, "by": self.by}

