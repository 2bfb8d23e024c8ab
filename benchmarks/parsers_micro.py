"""Micro-benchmark of the framing decoders: 200,000 OpenAI-style chunks fed in 64 KiB pieces.

Run from the repository root: python -m benchmarks.parsers_micro (compares with httpx-sse's decoder).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from app.streams.json_array import JsonArrayDecoder
from app.streams.ndjson import NdjsonDecoder
from app.streams.sse import SseDecoder

EVENTS = 200_000
CHUNK = 64 * 1024
PAYLOAD = b'{"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"tok"}}]}'


def chunks_of(body: bytes) -> list[bytes]:
    return [body[start : start + CHUNK] for start in range(0, len(body), CHUNK)]


def measure(name: str, body: bytes, run: Callable[[list[bytes]], int]) -> None:
    pieces = chunks_of(body)
    best = float("inf")
    for _ in range(5):
        # CPU time of this process: the machine is shared, and wall time would measure the neighbours.
        started = time.process_time()
        count = run(pieces)
        best = min(best, time.process_time() - started)
    assert count == EVENTS, (name, count)
    print(f"{name:<28} {EVENTS / best:>12,.0f} events/s  ({len(body) / best / 1e6:,.0f} MB/s)")


def run_decoder(factory: Callable[[], object]) -> Callable[[list[bytes]], int]:
    def run(pieces: list[bytes]) -> int:
        decoder = factory()
        count = 0
        for piece in pieces:
            count += len(decoder.feed(piece))
        return count + len(decoder.finish())

    return run


def run_httpx_sse(pieces: list[bytes]) -> int:
    from httpx_sse._decoders import SSEDecoder, SSELineDecoder

    lines = SSELineDecoder()
    decoder = SSEDecoder()
    count = 0
    for piece in pieces:
        for line in lines.decode(piece.decode("utf-8")):
            if decoder.decode(line) is not None:
                count += 1
    return count


def main() -> None:
    sse_body = b"data: " + PAYLOAD + b"\n\n"
    measure("SseDecoder", sse_body * EVENTS, run_decoder(SseDecoder))
    measure("SseDecoder (CRLF)", sse_body.replace(b"\n", b"\r\n") * EVENTS, run_decoder(SseDecoder))
    try:
        measure("httpx-sse SSEDecoder", sse_body * EVENTS, run_httpx_sse)
    except ImportError:
        print("httpx-sse not installed: no baseline")
    measure("NdjsonDecoder", (PAYLOAD + b"\n") * EVENTS, run_decoder(NdjsonDecoder))
    array_body = b"[" + b",\r\n".join([PAYLOAD] * EVENTS) + b"]"
    measure("JsonArrayDecoder", array_body, run_decoder(JsonArrayDecoder))
    started = time.process_time()
    for _ in range(EVENTS):
        json.loads(PAYLOAD)
    print(f"{'(json.loads alone)':<28} {EVENTS / (time.process_time() - started):>12,.0f} events/s")


if __name__ == "__main__":
    main()
