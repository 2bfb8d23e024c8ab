"""The shape every framing parser shares: bytes in, parsed payloads out, however the bytes are chunked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from app.events import EventPayload, Parsed


@dataclass(frozen=True, slots=True)
class ParsedBatch:
    """What one chunk completed, by columns: payload `i` was made from `sizes[i]` raw bytes. The usual
    chunk's payloads are a `PayloadColumn` (all NDJSON values, or SSE messages differing only in their
    data), whose type says what every payload is without a look at each.

    Columns because a chunk often completes hundreds of payloads and the bus carries them as columns
    (`app.event_runs.EventRun`): pairs zipped by the parser and unzipped by the worker cost a tuple each."""

    payloads: Sequence[EventPayload]
    sizes: Sequence[int]

    @classmethod
    def of(cls, parsed: list[Parsed]) -> ParsedBatch:
        if not parsed:
            return EMPTY_BATCH
        payloads, sizes = zip(*parsed)
        return cls(list(payloads), list(sizes))

    def pairs(self) -> list[Parsed]:
        return list(zip(self.payloads, self.sizes))

    def after(self, parsed: list[Parsed]) -> ParsedBatch:
        """`parsed` followed by this batch."""
        if not parsed:
            return self
        return ParsedBatch.of([*parsed, *self.pairs()])

    def then(self, parsed: list[Parsed]) -> ParsedBatch:
        """This batch followed by `parsed`."""
        if not parsed:
            return self
        return ParsedBatch.of([*self.pairs(), *parsed])


EMPTY_BATCH = ParsedBatch([], [])


class StreamDecoder(Protocol):
    """An incremental parser. Pure: no I/O, no clock, no UI. A worker reads batches; `feed`/`finish` give
    the same payloads as pairs."""

    def feed_batch(self, chunk: bytes) -> ParsedBatch:
        """Parse the next bytes; return every payload they complete, in order."""
        ...

    def finish_batch(self) -> ParsedBatch:
        """The stream ended: return what the format says a final, unterminated piece becomes."""
        ...

    def feed(self, chunk: bytes) -> list[Parsed]: ...

    def finish(self) -> list[Parsed]: ...


class BatchesFromPairs:
    """For a parser that builds pairs (`feed`, `finish`): the batches a worker reads."""

    def feed(self, chunk: bytes) -> list[Parsed]:
        raise NotImplementedError

    def finish(self) -> list[Parsed]:
        raise NotImplementedError

    def feed_batch(self, chunk: bytes) -> ParsedBatch:
        return ParsedBatch.of(self.feed(chunk))

    def finish_batch(self) -> ParsedBatch:
        return ParsedBatch.of(self.finish())
