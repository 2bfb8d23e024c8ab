"""`sluice run ws://…`: open the socket, make the sends in order, stop on the until-condition.

The run ends when the condition is met (the client then closes with 1000), when the server closes, or on
an error. Exit code 0 for a clean end; 1 for a refused or failed handshake, a dropped connection, or a
server close with an error code.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any, Protocol

from jsonpath_ng import JSONPath
from jsonpath_ng.ext import parse as parse_jsonpath

from app.bus import EventBus
from app.cli.http_run import UsageError, parse_header
from app.connections.websocket import WsConnection, WsNotOpen
from app.events import ConnectionFailed, TimelineEvent, WsClosed, WsMessage
from app.model.request_definition import SavedMessage
from app.model.ws_request import WsRequest
from app.streams.ws_formats import WsFormatError, encode_message

BACKPRESSURE_EVENTS = 8192
"""The worker pauses when the printer is this many events behind, so memory stays flat on any flood."""
CLEAN_CLOSE_CODES = frozenset({1000, 1001, 1005})
"""Normal closure, going away, and a close frame without a code: ends a script need not worry about."""
EXIT_OK, EXIT_FAILED = 0, 1


class Printer(Protocol):
    """A headless consumer of the bus (`JsonlPrinter`, `HumanPrinter`); `finish()` is optional."""

    def feed(self, events: list[TimelineEvent]) -> object: ...


def ws_request_from_cli(url: str, headers: list[str], subprotocols: list[str], insecure: bool) -> WsRequest:
    """The request `sluice run ws://… -H 'Name: value' --subprotocol P [--insecure]` describes."""
    if not url.lower().startswith(("ws://", "wss://")):
        raise UsageError(f"{url!r} is not a WebSocket URL: use ws:// or wss://")
    parsed_headers = tuple(parse_header(header) for header in headers)
    origin = next((value for name, value in parsed_headers if name.lower() == "origin"), None)
    return WsRequest(
        url=url,
        headers=tuple((name, value) for name, value in parsed_headers if name.lower() != "origin"),
        origin=origin,
        subprotocols=tuple(subprotocols),
        verify_tls=not insecure,
    )


def encode_sends(sends: list[SavedMessage]) -> list[str | bytes]:
    """Every message's frame payload, checked before connecting; a bad one is a `UsageError` naming it."""
    payloads: list[str | bytes] = []
    for position, outgoing in enumerate(sends, start=1):
        try:
            payloads.append(encode_message(outgoing.content, outgoing.format))
        except WsFormatError as error:
            label = outgoing.name or f"message {position} ({outgoing.format})"
            raise UsageError(f"{label}: {error}") from None
    return payloads


def compile_until_jsonpath(expression: str) -> JSONPath:
    """A `--until-jsonpath` expression, or a `UsageError` saying why it does not parse."""
    try:
        return parse_jsonpath(expression)
    except Exception as error:  # jsonpath-ng raises plain Exception on lexing errors, its own on parsing
        raise UsageError(f"--until-jsonpath {expression!r} is not a JSONPath expression: {error}") from None


def _jsonpath_matcher(expression: JSONPath) -> Callable[[str | bytes], bool]:
    """A message matches when the expression finds anything in it. A filter such as
    `$[?(@.type == "done")]` only looks inside arrays, so an object message is also tried as `[message]`:
    that is what someone filtering messages means."""

    def matches(data: str | bytes) -> bool:
        try:
            value: Any = json.loads(data)
        except ValueError:
            return False
        if expression.find(value):
            return True
        return isinstance(value, dict) and bool(expression.find([value]))

    return matches


class _UntilCondition:
    """Counts received messages and watches for the stop condition; stops printing past it."""

    def __init__(self, until_count: int | None, matcher: Callable[[str | bytes], bool] | None) -> None:
        self._remaining = until_count
        self._matcher = matcher
        self.met = False

    @property
    def active(self) -> bool:
        return self._remaining is not None or self._matcher is not None

    def filter(self, batch: list[TimelineEvent]) -> list[TimelineEvent]:
        """The batch up to and including the message that meets the condition (later frames are dropped)."""
        if self.met:
            return [event for event in batch if not _is_received(event)]
        if not self.active:
            return batch
        for index, event in enumerate(batch):
            if not _is_received(event):
                continue
            if self._remaining is not None:
                self._remaining -= 1
                self.met = self._remaining <= 0
            elif self._matcher is not None:
                self.met = self._matcher(event.payload.data)  # type: ignore[union-attr]
            if self.met:
                rest = batch[index + 1 :]
                return batch[: index + 1] + [later for later in rest if not _is_received(later)]
        return batch


def _is_received(event: TimelineEvent) -> bool:
    payload = event.payload
    return isinstance(payload, WsMessage) and payload.direction == "recv"


def exit_code_for(outcome: object) -> int:
    """0 when the socket closed cleanly (or the client closed it), 1 otherwise."""
    if isinstance(outcome, WsClosed):
        return EXIT_OK if outcome.by == "client" or outcome.code in CLEAN_CLOSE_CODES else EXIT_FAILED
    return EXIT_FAILED


async def _send_in_order(connection: WsConnection, payloads: list[str | bytes], interval: float) -> None:
    if not payloads or not await connection.wait_open():
        return
    for index, payload in enumerate(payloads):
        if index and interval > 0:
            await asyncio.sleep(interval)
        try:
            await connection.send(payload)
        except WsNotOpen:
            return


async def _close_after(connection: WsConnection, duration: float) -> None:
    if await connection.wait_open():
        await asyncio.sleep(duration)
        await _close_quietly(connection)


async def _close_quietly(connection: WsConnection) -> None:
    try:
        await connection.close(1000, "")
    except WsNotOpen:
        return


async def run_ws(
    request: WsRequest,
    sends: list[SavedMessage],
    send_interval: float,
    until_count: int | None,
    until_jsonpath: str | None,
    duration: float | None,
    printer: Printer,
) -> int:
    """Run one WebSocket session headlessly, feeding every event to `printer`; returns the exit code.

    Bad input (a message that does not match its format, an unparsable JSONPath, a non-positive count)
    raises `UsageError` before anything connects.
    """
    if until_count is not None and until_count < 1:
        raise UsageError(f"--until-count must be at least 1, got {until_count}")
    if duration is not None and duration <= 0:
        raise UsageError(f"--duration must be positive, got {duration}")
    payloads = encode_sends(sends)
    matcher = _jsonpath_matcher(compile_until_jsonpath(until_jsonpath)) if until_jsonpath else None
    until = _UntilCondition(until_count, matcher)

    bus = EventBus()
    subscription = bus.subscribe(max_pending=BACKPRESSURE_EVENTS)
    connection = WsConnection(request, bus)
    helpers = [asyncio.create_task(_send_in_order(connection, payloads, send_interval))]
    if duration is not None:
        helpers.append(asyncio.create_task(_close_after(connection, duration)))
    worker = asyncio.create_task(connection.run(), name="ws-worker")
    try:
        async for batch in subscription.batches():
            was_met = until.met
            visible = until.filter(batch)
            if visible:
                printer.feed(visible)
            if until.met and not was_met:
                # Its own task: closing waits for the handshake, which needs this loop to keep draining.
                helpers.append(asyncio.create_task(_close_quietly(connection)))
        await worker
    finally:
        for task in (worker, *helpers):
            if not task.done():
                task.cancel()
        await asyncio.gather(worker, *helpers, return_exceptions=True)
    finish = getattr(printer, "finish", None)
    if callable(finish):
        finish()
    outcome = connection.outcome
    if isinstance(outcome, ConnectionFailed):
        return EXIT_FAILED
    return exit_code_for(outcome)
