"""What the main screen's send keys do: send, cancel, WebSocket messages, extraction (being replaced)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.ui.request.bridge import DraftError
from app.ui.screens.sending import SendError, send_ws_message, start_request

if TYPE_CHECKING:
    from app.ui.screens.main import MainScreen


def send(screen: MainScreen) -> None:
    """Send the request; for a WebSocket that is already open, send the composed message instead."""
    if screen.sending_held is not None:
        screen.notify(screen.sending_held, severity="warning")
        return
    live = screen.live
    editor = screen.editor
    if live is not None and live.running:
        if live.is_websocket and live.path == editor.path and editor.draft.is_websocket:
            _send_message(screen)
            return
        cancel(screen)
    try:
        definition = screen.current_definition()
        started = start_request(definition, screen.scopes())
    except (DraftError, SendError) as error:
        screen.notify(str(error), title="Not sent", severity="error", timeout=8)
        return
    started.path = editor.path
    screen.record_sent(started)
    if started.is_websocket:
        editor.show_tab("tab-messages", focus="ws-composer")


def _send_message(screen: MainScreen) -> None:
    live = screen.live
    assert live is not None
    message = screen.editor.composer_message()
    if message is None or not message.content:
        screen.editor.show_tab("tab-messages", focus="ws-composer")
        screen.notify("Type a message in the Messages tab, then Ctrl+J sends it.")
        return

    async def deliver() -> None:
        try:
            await send_ws_message(live, message.content, message.format, screen.scopes(), screen.current_definition())
        except (SendError, DraftError) as error:
            screen.notify(str(error), title="Not sent", severity="error", timeout=8)

    screen.run_worker(deliver(), group="ws-send", exit_on_error=False)


def apply_extractions_when_finished(screen: MainScreen) -> None:
    """Once the live response has ended, run its extraction rules into the run variables."""
    live = screen.live
    if live is None or live.extracted or not live.extract_rules or not live.session.finished:
        return
    from app.run.extraction import apply_extractions

    live.extracted = True
    store = live.session.store
    result = apply_extractions(live.extract_rules, store.events(0, len(store)), screen.workspace.run_variables)
    if result.values:
        found = ", ".join(f"{name} = {value[:40]}" for name, value in result.values.items())
        screen.notify(f"Extracted {found}", title="Variables set")
    for problem in result.problems:
        screen.notify(problem, title="Extraction failed", severity="warning", timeout=8)
    screen.refresh_variables()


def cancel(screen: MainScreen) -> None:
    """Cancel the running request, or close the open WebSocket (code 1000)."""
    live = screen.live
    if live is None or not live.running:
        return
    if live.is_websocket and live.connection is not None:
        # Closing waits for the server's close frame while the receive loop keeps running: a task of its own.
        live.worker.submit(live.connection.close())
        screen.notify("Disconnecting…")
    else:
        live.cancel()
        screen.notify("Cancelled.")
