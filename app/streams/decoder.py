"""The shape every framing parser shares: bytes in, parsed payloads out, however the bytes are chunked."""

from __future__ import annotations

from typing import Protocol

from app.events import Parsed


class StreamDecoder(Protocol):
    """An incremental parser. Pure: no I/O, no clock, no UI."""

    def feed(self, chunk: bytes) -> list[Parsed]:
        """Parse the next bytes; return every payload they complete, in order."""
        ...

    def finish(self) -> list[Parsed]:
        """The stream ended: return what the format says a final, unterminated piece becomes."""
        ...
