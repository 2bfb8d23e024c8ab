"""`sluice run URL`: build the request from curl-like flags, run the worker, feed the headless consumers."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Protocol

from app.bus import EventBus
from app.connections.http_worker import stream_http
from app.events import ConnectionFailed, StreamClosed, TimelineEvent
from app.model.http_request import HttpRequest
from app.vocabulary import ParseMode

BACKPRESSURE_EVENTS = 8192
"""The worker pauses when the printer is this many events behind, so memory stays flat on any stream."""


class Consumer(Protocol):
    """Anything that takes the bus's batches: printers, the merge engine, metrics."""

    def feed(self, events: list[TimelineEvent]) -> object: ...


class UsageError(Exception):
    """A flag combination that cannot make a request (exit code 2)."""


def parse_header(text: str) -> tuple[str, str]:
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise UsageError(f"header {text!r} is not of the form 'Name: value'")
    return name.strip(), value.strip()


def _read_data(value: str) -> bytes:
    """`-d` as curl reads it: `@file` (`@-` for stdin) with CR and LF removed, else the text itself."""
    if not value.startswith("@"):
        return value.encode("utf-8")
    source = value[1:]
    raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    return raw.replace(b"\r", b"").replace(b"\n", b"")


def build_http_request(args: argparse.Namespace) -> HttpRequest:
    """The request that `sluice run URL [flags]` sends, following curl's rules for method and body."""
    headers = [parse_header(text) for text in args.header]
    names = {name.lower() for name, _ in headers}
    body: bytes | None = None
    if args.json is not None and args.data:
        raise UsageError("use either -d/--data or --json, not both")
    if args.json is not None:
        body = _read_data(args.json)
        if "content-type" not in names:
            headers.append(("Content-Type", "application/json"))
        if "accept" not in names:
            headers.append(("Accept", "application/json"))
    elif args.data:
        body = b"&".join(_read_data(value) for value in args.data)
        if "content-type" not in names:
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    method = (args.request or ("POST" if body is not None else "GET")).upper()
    timeout = args.timeout
    return HttpRequest(
        url=args.target[0],
        method=method,
        headers=tuple(headers),
        body=body,
        connect_timeout=timeout if timeout is not None else 10.0,
        read_timeout=timeout if timeout is not None else 60.0,
        follow_redirects=not args.no_follow,
        verify_tls=not args.insecure,
        http2=args.http2,
        parse_mode=ParseMode(args.parse),
    )


class RunOutcome:
    """Watches for the terminal event: the run succeeded if the response was read to its end."""

    def __init__(self) -> None:
        self.closed: StreamClosed | None = None
        self.failure: ConnectionFailed | None = None

    def feed(self, events: list[TimelineEvent]) -> None:
        # A worker publishes its terminal event last, so only the end of a batch can hold it.
        payload = events[-1].payload
        if isinstance(payload, StreamClosed):
            self.closed = payload
        elif isinstance(payload, ConnectionFailed):
            self.failure = payload

    @property
    def exit_code(self) -> int:
        return 0 if self.closed is not None and self.closed.reason == "complete" else 1


async def run_http(request: HttpRequest, consumers: list[Consumer]) -> RunOutcome:
    """Stream `request` through the bus to `consumers` and report how it ended."""
    bus = EventBus()
    subscription = bus.subscribe(max_pending=BACKPRESSURE_EVENTS)
    outcome = RunOutcome()
    consumers = [*consumers, outcome]
    worker = asyncio.create_task(stream_http(request, bus))
    try:
        async for batch in subscription.batches():
            for consumer in consumers:
                consumer.feed(batch)
        await worker
    finally:
        if not worker.done():
            worker.cancel()
            await asyncio.gather(worker, return_exceptions=True)
    return outcome
