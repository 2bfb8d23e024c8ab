"""A request being sent from the TUI: its `RequestRun` (app/run) and the response session watching it.

`prepare_request` resolves the editor's request (`resolve_step`, as `sluice run` resolves a file) and
builds both without starting anything: the session is the run's consumer from the start, so it sees every
event, and the screen then runs the run in a Textual thread worker (`send.py`). Nothing here touches
widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.model.request_definition import RequestDefinition, SavedMessage
from app.model.scopes import RunScopes
from app.model.ws_request import WsRequest
from app.recording.capture import Capture
from app.run import RequestRun, StepProblem
from app.run.chain import resolve_step
from app.run.reconnect import reconnect_policy

if TYPE_CHECKING:
    from textual.worker import Worker

    from app.run.outcome import RunOutcome
    from app.streams.merge.script import MergeScriptSpec
    from app.ui.response.session import ResponseSession


class SendError(Exception):
    """The request cannot be sent as it stands (unresolved variable, bad line); nothing went out."""


@dataclass(slots=True)
class LiveRequest:
    """A request sent from the editor: the run, the session showing it, and the worker running it."""

    run: RequestRun
    session: ResponseSession
    title: str
    path: Path | None
    """The request file it was sent from (a WebSocket takes messages only while that request is open)."""
    worker: Worker[RunOutcome] | None = field(default=None)
    """Set once the screen started it."""

    @property
    def is_websocket(self) -> bool:
        return self.run.is_websocket

    @property
    def running(self) -> bool:
        """True until the run's worker has ended (however it ended)."""
        return self.worker is not None and not self.worker.is_finished


def prepare_request(
    definition: RequestDefinition, scopes: RunScopes, path: Path | None, merge_script: MergeScriptSpec | None = None
) -> LiveRequest:
    """Resolve `definition` into a run and its session; raises `SendError` before anything goes out.

    `merge_script` is the request's merge script as the user's trust decided it (see `app/ui/script_trust.py`)."""
    from app.model.variables import UnresolvedVariable
    from app.ui.response.session import ResponseSession

    title = f"{'WS' if definition.is_websocket else definition.method.upper()} {definition.name}"
    try:
        step = resolve_step(definition, scopes, path)
    except StepProblem as problem:
        hint = " Define it in the environment, the collection or .env." if isinstance(
            problem.__cause__, UnresolvedVariable) else ""
        raise SendError(f"Not sent: {problem}.{hint}") from problem
    request = step.request
    # What went over the wire, for record / HAR / JSONL export from the TUI (app/recording).
    capture = Capture(headers=request.headers) if isinstance(request, WsRequest) else Capture(request.body)
    profile, rule = step.merge
    # The session is one of the run's consumers: the run's thread stores every batch as it arrives, and
    # the UI thread only draws (app/ui/response/session.py).
    session = ResponseSession(None, title, merge_profile=profile, rule=rule, merge_script=merge_script)
    session.capture = capture
    if definition.expect:
        from app.assertions import AssertionChecker

        session.assertions = AssertionChecker(definition.expect, step.merge)
    # The TUI's WebSocket sends only what the user sends (the step's script would send the saved
    # messages at once); extraction results come back in the outcome and are applied on the UI thread.
    run = RequestRun(
        request,
        [session],
        extract=() if definition.is_websocket else definition.extract,
        reconnect=None if definition.is_websocket else reconnect_policy(definition.stream),
        on_chunk=None if definition.is_websocket else capture.on_chunk,
    )
    return LiveRequest(run, session, title, path)


def resolve_message(message: SavedMessage, definition: RequestDefinition, scopes: RunScopes) -> SavedMessage:
    """The composer's message with its variables substituted; raises `SendError`."""
    from app.model.resolve import resolve_ws_message
    from app.model.variables import UnresolvedVariable

    try:
        return resolve_ws_message(message, definition, scopes)
    except UnresolvedVariable as error:
        raise SendError(f"Message not sent: {error}") from error
