"""Bounded decoding of a `Content-Encoding` the server applied: inflate in small pieces, report bombs.

Sluice never asks for compression (like curl without `--compressed`: compressing proxies buffer
streams), but servers apply it anyway, and people want to read what arrived. httpx inflates each network
chunk whole, so a 64 KB chunk of a gzip bomb becomes 64 MB at once (deflate reaches about 1032:1). Here
the raw bytes are inflated at most `PIECE_BYTES` at a time (zlib's `max_length`), so memory stays flat
whatever the ratio; the parsers' own size limits then bound what they keep. A ratio above
`BOMB_RATIO`:1 is worth knowing (it is almost always a bomb or a broken server), so it is reported once.

gzip (and `x-gzip`, with concatenated members), deflate (zlib-wrapped or raw, as browsers accept) and
identity are decoded; any other coding (br, zstd, compress) is passed through raw and named, and so is a
body of more than `MAX_CODINGS` layers (each layer is one more nested generator: `Content-Encoding: gzip,
gzip, …` 1,500 times over a body gzipped as often raised `RecursionError` out of the run).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

PIECE_BYTES = 256 * 1024
BOMB_RATIO = 1000
MAX_CODINGS = 5
"""Layers decoded at most, as curl does; no server stacks more."""
BOMB_MIN_BYTES = 1024 * 1024
"""Below this many inflated bytes a high ratio is just a small, repetitive body, not worth a warning."""


class DecodingFailed(Exception):
    """The body is not valid data for its declared coding."""


class _Inflater:
    """One coding's zlib stream, fed raw bytes, giving inflated pieces of at most PIECE_BYTES."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._gzip = coding in ("gzip", "x-gzip")
        self._first = True
        self._inflater = self._new()

    def _new(self, raw_deflate: bool = False) -> zlib._Decompress:
        if self._gzip:
            return zlib.decompressobj(zlib.MAX_WBITS | 16)
        return zlib.decompressobj(-zlib.MAX_WBITS if raw_deflate else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                piece = self._inflater.decompress(data, PIECE_BYTES)
            except zlib.error as error:
                if self._first and not self._gzip:
                    # `deflate` without the zlib wrapper: what some servers send, and browsers accept.
                    self._first = False
                    self._inflater = self._new(raw_deflate=True)
                    continue
                raise DecodingFailed(f"the {self._coding} data is corrupt ({error})") from None
            self._first = False
            if piece:
                yield piece
            data = self._inflater.unconsumed_tail
            if self._inflater.eof:
                data = self._inflater.unused_data
                if data and self._gzip:
                    self._inflater = self._new()  # the next member of a multi-member gzip file
                else:
                    return

    def finish(self) -> Iterator[bytes]:
        try:
            tail = self._inflater.flush()
        except zlib.error as error:
            raise DecodingFailed(f"the {self._coding} data is corrupt ({error})") from None
        if tail:
            yield tail


class BodyDecoder:
    """Decodes a response body's `Content-Encoding` in bounded pieces and counts the ratio."""

    def __init__(self, content_encoding: str | None) -> None:
        codings = [part.strip().lower() for part in (content_encoding or "").split(",") if part.strip()]
        codings = [coding for coding in codings if coding != "identity"]
        unknown = next((coding for coding in codings if coding not in ("gzip", "x-gzip", "deflate")), None)
        too_many = f"encoded {len(codings):,} times over (more than {MAX_CODINGS} layers)" if len(codings) > MAX_CODINGS else None
        self.unsupported = f"{unknown}-encoded" if unknown else too_many
        """Why Sluice does not decode the body (it is then passed through raw), or None."""
        self._stages = [] if self.unsupported else [_Inflater(coding) for coding in reversed(codings)]
        self.codings = ", ".join(codings)
        self.raw_bytes = 0
        self.decoded_bytes = 0
        self._reported = False

    @property
    def decodes(self) -> bool:
        return bool(self._stages)

    def feed(self, raw: bytes) -> Iterator[bytes]:
        """Inflated pieces of `raw`, each at most PIECE_BYTES (raises `DecodingFailed`)."""
        self.raw_bytes += len(raw)
        yield from self._counted(self._through(0, raw))

    def finish(self) -> Iterator[bytes]:
        yield from self._counted(self._finish(0))

    def bomb_report(self) -> str | None:
        """Once, when the body has inflated beyond BOMB_RATIO:1: the sentence saying so."""
        if self._reported or self.decoded_bytes < BOMB_MIN_BYTES or self.decoded_bytes <= BOMB_RATIO * self.raw_bytes:
            return None
        self._reported = True
        return (
            f"the {self.codings} body inflates more than {BOMB_RATIO}:1 ({self.raw_bytes:,} bytes became "
            f"{self.decoded_bytes:,} so far): a decompression bomb or a broken server; it is still decoded, "
            "in bounded pieces, and oversized events are dropped"
        )

    def _counted(self, pieces: Iterator[bytes]) -> Iterator[bytes]:
        for piece in pieces:
            self.decoded_bytes += len(piece)
            yield piece

    def _through(self, stage: int, data: bytes) -> Iterator[bytes]:
        if stage == len(self._stages):
            if data:
                yield data
            return
        for piece in self._stages[stage].feed(data):
            yield from self._through(stage + 1, piece)

    def _finish(self, stage: int) -> Iterator[bytes]:
        if stage == len(self._stages):
            return
        for piece in self._stages[stage].finish():
            yield from self._through(stage + 1, piece)
        yield from self._finish(stage + 1)
