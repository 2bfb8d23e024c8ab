"""The main screen's send keys: send, cancel, WebSocket messages, on Textual's own workers.

A request runs as a `RequestRun` (app/run) awaited in a thread worker (`@work(thread=True)`): parsing a
flood on its own thread and loop never delays a key on the UI loop (benchmarks/bench_tui.py). The screen
learns that a run started, ended or crashed from `Worker.StateChanged`, never from a timer; what the run
extracted comes back in its `RunOutcome`. The response session is the run's consumer: it stores events
on the run's thread, and the pane draws it at a fixed rate. Whatever still runs when the screen goes (quit) is
cancelled.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from concurrent.futures import Future
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.worker import Worker, WorkerState

from app.model.secrets import looks_like_secret
from app.terminal_text import safe_line
from app.ui.history.panel import HistoryEntry, HistoryPanel
from app.ui.request.bridge import DraftError
from app.ui.screens.workbench import WorkbenchBase

if TYPE_CHECKING:
    from app.model.request_definition import RequestDefinition
    from app.run import RunOutcome
    from app.run.request_run import RequestRun
    from app.streams.merge.script import MergeScriptSpec
    from app.ui.request.websocket_tabs import MessagesTab
    from app.ui.screens.sending import LiveRequest

# The run layer (`sending`, app/run, httpx, websockets) is imported by the first send, not at start-up:
# the first screen never needs it (issue 12's cold start; tests/ui_app/test_ui_app_startup.py).

RUN_GROUP = "request"
"""The worker group of request runs (one runs at a time)."""


class SendActions(WorkbenchBase):
    """Sending the editor's request, cancelling it, and messages on an open WebSocket."""

    class Sending(Message):
        """A request run is starting (the app starts the demo server then, if it is not serving yet)."""

    # Esc (`cancel`) is bound on the main screen, beside the other Esc binding (one class per key).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+j,ctrl+enter", "send", "Send", priority=True, id="request.send",
                tooltip="Send the request; for a WebSocket: connect, then send the composed message"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.live: LiveRequest | None = None
        """The request sent last (it may have ended)."""
        self.sending_held: str | None = None
        """Why sending must wait (the demo server still starting), or None."""

    @property
    def running(self) -> bool:
        """True while a request is in flight or a WebSocket is open."""
        return self.live is not None and self.live.running

    def hold_sending(self, reason: str | None) -> None:
        """Refuse to send (saying `reason`) until called again with None."""
        self.sending_held = reason

    # -- sending ---------------------------------------------------------------------------------

    def action_send(self) -> None:
        """Send the request (HTTP), connect, or send the composed message on the open WebSocket."""
        if self.sending_held is not None:
            self.notify(self.sending_held, severity="warning")
            return
        live, editor = self.live, self.editor
        if live is not None and live.running:
            if live.is_websocket and live.path == editor.path and editor.draft.is_websocket:
                self._send_message(live)
                return
            self._stop(live)
        try:
            definition = self.current_definition()
        except DraftError as error:
            self.notify(str(error), title="Not sent", severity="error", timeout=8)
            return
        # A collection's merge script needs the user's trust first (asked once per script content). Imported
        # here, with the merge-script reader: not for the first screen.
        from app.ui.script_trust import with_script_trust

        with_script_trust(
            self.app,  # type: ignore[arg-type]  # the SluiceApp, which keeps the answers
            self.workspace.collection,
            editor.path,
            definition,
            lambda merge_script: self._start(definition, merge_script),
        )

    def _start(self, definition: RequestDefinition, merge_script: MergeScriptSpec | None) -> None:
        from app.run import InvalidRun
        from app.ui.screens.sending import SendError, prepare_request

        editor = self.editor
        try:
            started = prepare_request(definition, self.scopes(), editor.path, merge_script)
        except (SendError, InvalidRun) as error:
            self.notify(str(error), title="Not sent", severity="error", timeout=8)
            return
        self.live = started
        self.response_pane.show(started.session)
        self.query_one(HistoryPanel).add(HistoryEntry(started.title, datetime.now(), started.session))
        started.worker = self._run(started)
        self.post_message(self.Sending())
        self.refresh_bindings()  # Esc now cancels
        if started.is_websocket:
            editor.show_tab("tab-messages", focus="ws-composer")

    @work(thread=True, exit_on_error=False, group=RUN_GROUP, description="request run")
    async def _run(self, live: LiveRequest) -> RunOutcome:
        # The session is fed on this thread as the run goes (it is the run's consumer); once `run()`
        # returns, however it ended, nothing more will come.
        try:
            return await live.run.run()
        finally:
            live.session.end_feed()

    def _send_message(self, live: LiveRequest) -> None:
        from app.run import InvalidRun
        from app.ui.screens.sending import SendError, resolve_message

        message = self.editor.composer_message()
        if message is None or not message.content:
            self.editor.show_tab("tab-messages", focus="ws-composer")
            self.notify(f"Type a message in the Messages tab, then {self.key_of('request.send')} sends it.")
            return
        try:
            sent = live.run.send(resolve_message(message, self.current_definition(), self.scopes()))
        except (SendError, DraftError, InvalidRun) as error:
            self.notify(str(error), title="Not sent", severity="error", timeout=8)
            return
        self._when_done(sent, "Message not sent")

    def _when_done(self, done: Future[Any], title: str, *, otherwise: RequestRun | None = None) -> None:
        """Say so if `done` fails because the socket is not open (or, with `otherwise`, cancel that run)."""
        from app.connections.interface import WsNotOpen

        async def wait() -> None:
            try:
                await asyncio.wrap_future(done)
            except WsNotOpen as error:
                if otherwise is not None:
                    otherwise.cancel()
                else:
                    self.notify(safe_line(str(error)), title=title, severity="error", timeout=8)

        self.run_worker(wait(), group="ws-send", exit_on_error=False)

    # Handlers named for the Messages tab's messages (not `@on(MessagesTab.…)`): that tab's module is imported
    # when the tab is first built, not for the first screen.
    def on_messages_tab_ping_requested(self) -> None:
        live = self.live
        if live is None or not live.running or not live.is_websocket:
            self.notify(f"Connect first ({self.key_of('request.send')}), then ping.", severity="warning")
            return
        from app.connections.interface import WsNotOpen

        round_trip = live.run.ping()

        async def measure() -> None:
            try:
                seconds = await asyncio.wrap_future(round_trip)
            except WsNotOpen as error:  # closed mid-ping: said, never raised into the UI
                self.notify(safe_line(str(error)), title="Ping failed", severity="warning")
                return
            self.editor.show_ping(seconds)

        self.run_worker(measure(), group="ws-ping", exit_on_error=False)

    def on_messages_tab_close_requested(self, event: MessagesTab.CloseRequested) -> None:
        live = self.live
        if live is None or not live.running or not live.is_websocket:
            self.notify("No WebSocket is open.", severity="warning")
            return
        self._when_done(live.run.close(event.code, event.reason), "Not closed")
        self.notify(f"Closing with {event.code}…", timeout=3)

    # -- cancelling ------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        """Cancel the running request or close the WebSocket; with nothing running, restore a maximised pane."""
        live = self.live
        if live is not None and live.running:
            self._stop(live)
            self.notify("Disconnecting…" if live.is_websocket else "Cancelled.", timeout=3)
        elif self.maximized is not None:
            self.minimize()
            self.refresh_bindings()

    def _stop(self, live: LiveRequest) -> None:
        # A WebSocket is closed with a close frame (1000), the run ending once the server answers; one
        # still connecting is dropped.
        if live.is_websocket:
            self._when_done(live.run.close(), "Not closed", otherwise=live.run)
        else:
            live.run.cancel()

    def on_unmount(self) -> None:
        # Quitting: nothing keeps running (a thread worker is not stopped by Textual's own cancel).
        for worker in self.workers:
            if worker.group == RUN_GROUP and not worker.is_finished:
                worker.cancel()
        if self.live is not None:
            self.live.run.cancel()

    # -- what the workers say --------------------------------------------------------------------

    @on(Worker.StateChanged)
    def _run_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != RUN_GROUP:
            return
        self.refresh_bindings()
        self.query_one(HistoryPanel).refresh_statuses()
        if event.state is WorkerState.SUCCESS:
            from app.run import RunOutcome

            outcome = event.worker.result
            if isinstance(outcome, RunOutcome):
                live = self.live
                self._apply_extraction(outcome, live.title if live is not None and live.worker is event.worker
                                       else "a response")
        elif event.state is WorkerState.ERROR:
            self.notify(safe_line(f"{type(event.worker.error).__name__}: {event.worker.error}"),
                        title="The request stopped on an internal error", severity="error", timeout=12)

    def _apply_extraction(self, outcome: RunOutcome, title: str) -> None:
        """`title` names the request the values came from, for the resolved preview."""
        result = outcome.extraction
        if result is None:
            return
        self.workspace.run_variables.update(result.values)
        self.workspace.run_sources.update(dict.fromkeys(result.values, f"extracted by {title}"))
        if result.values:
            self.notify(safe_line(extracted_summary(result.values)), title="Variables set")
        for problem in result.problems:
            self.notify(safe_line(problem), title="Extraction failed", severity="warning", timeout=8)
        self.refresh_variables()


def extracted_summary(values: Mapping[str, str]) -> str:
    """The toast after an extraction: each variable and the start of its value, a credential masked
    (an extracted `access_token` is as secret as a typed one)."""
    shown = ("****" if looks_like_secret(name, value) else value[:40] for name, value in values.items())
    return "Extracted " + ", ".join(f"{name} = {value}" for name, value in zip(values, shown, strict=True))
