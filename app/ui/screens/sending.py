"""Sending a request: resolve it, create the bus and the response session, start the worker.

The session subscribes before the worker starts, so it sees every event. The worker runs on its own
thread and event loop (`ThreadedWorker`): parsing a flood there never delays a key press on the UI loop
(measured in benchmarks/bench_tui.py). It is kept on the `LiveRequest` so Escape can cancel it, and
WebSocket sends and closes are handed to its loop. Nothing here touches widgets.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.bus import EventBus
from app.model.request_definition import ExtractionRule, RequestDefinition
from app.model.scopes import RunScopes
from app.recording.capture import Capture
from app.ui.response.worker_thread import ThreadedWorker

if TYPE_CHECKING:
    from app.connections.websocket import WsConnection
    from app.ui.response.session import ResponseSession


class SendError(Exception):
    """The request cannot be sent as it stands (unresolved variable, bad line); nothing went out."""


@dataclass(slots=True)
class LiveRequest:
    """A request in flight: its session, the worker running it and, for WebSocket, the connection."""

    session: ResponseSession
    worker: ThreadedWorker
    connection: WsConnection | None = None
    title: str = ""
    is_websocket: bool = field(default=False)
    extract_rules: tuple[ExtractionRule, ...] = ()
    """Rules that set run variables from the finished response (a chained request's `job_id`)."""
    extracted: bool = False
    path: Path | None = None
    """The request file it was sent from (a WebSocket takes messages only while that request is open)."""

    @property
    def running(self) -> bool:
        return not self.worker.done

    def cancel(self) -> None:
        """Stop it: the HTTP worker publishes `StreamClosed(reason="cancelled")`; a WebSocket closes."""
        self.worker.cancel()


def _session(bus: EventBus, title: str, definition: RequestDefinition) -> ResponseSession:
    from app.model.resolve import resolve_merge
    from app.ui.response.session import ResponseSession

    profile, rule = resolve_merge(definition.stream)
    session = ResponseSession(bus, title, merge_profile=profile, rule=rule)
    if definition.expect:
        from app.assertions import AssertionChecker

        session.assertions = AssertionChecker(definition.expect, (profile, rule))
    return session


def start_request(definition: RequestDefinition, scopes: RunScopes) -> LiveRequest:
    """Resolve `definition` and start sending it; raises `SendError` before anything goes out."""
    from app.model.resolve import InvalidBody
    from app.model.variables import UnresolvedVariable

    title = f"{'WS' if definition.is_websocket else definition.method.upper()} {definition.name}"
    try:
        if definition.is_websocket:
            from app.model.resolve import resolve_ws

            ws_request = resolve_ws(definition, scopes)
        else:
            from app.model.resolve import resolve_http

            http_request = resolve_http(definition, scopes)
    except UnresolvedVariable as error:
        raise SendError(f"Not sent: {error}. Define it in the environment, the collection or .env.") from error
    except (InvalidBody, ValueError) as error:
        raise SendError(f"Not sent: {error}") from error
    bus = EventBus()
    session = _session(bus, title, definition)
    if definition.is_websocket:
        from app.connections.websocket import WsConnection

        session.capture = Capture(headers=ws_request.headers)
        connection = WsConnection(ws_request, bus)
        worker = ThreadedWorker(connection.run, name=title).start()
        return LiveRequest(session, worker, connection, title, is_websocket=True)
    from app.connections.http_worker import stream_http
    from app.run.reconnect import reconnect_policy, stream_http_resumable

    capture = session.capture = Capture(http_request.body)
    policy = reconnect_policy(definition.stream)
    if policy is not None:
        worker = ThreadedWorker(lambda: stream_http_resumable(http_request, bus, policy, capture.on_chunk), name=title).start()
    else:
        worker = ThreadedWorker(lambda: stream_http(http_request, bus, capture.on_chunk), name=title).start()
    return LiveRequest(session, worker, None, title, extract_rules=definition.extract)


async def send_ws_message(live: LiveRequest, content: str, message_format: str, scopes: RunScopes,
                          definition: RequestDefinition) -> None:
    """Encode the composer's message in its format (variables resolved) and send it on the open socket."""
    from app.model.variables import UnresolvedVariable
    from app.streams.ws_formats import WsFormatError, encode_message

    try:
        text = scopes.chain(definition).substitute(content, "the message")
        data = encode_message(text, message_format)
    except (UnresolvedVariable, WsFormatError) as error:
        raise SendError(f"Message not sent: {error}") from error
    if live.connection is None:
        raise SendError("Message not sent: not a WebSocket connection")
    try:
        await asyncio.wrap_future(live.worker.submit(live.connection.send(data)))
    except RuntimeError as error:
        raise SendError(f"Message not sent: {error}") from error
