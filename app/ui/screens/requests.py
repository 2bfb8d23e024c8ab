"""What the main screen's request keys do: send, cancel, save, curl import/export, tree file operations.

Kept apart from the screen so the screen stays about layout and wiring; each function takes the screen
and reports problems to the user (a notification or a dialog) rather than raising.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.model.collection import RequestFile
from app.model.request_definition import RequestDefinition
from app.ui.collection import operations
from app.ui.collection.dialogs import ConfirmDialog, NameDialog
from app.ui.collection.tree import CollectionTree
from app.ui.request.bridge import DraftError, definition_from_draft, draft_from_definition
from app.ui.request.draft import RequestDraft
from app.ui.screens.sending import SendError, send_ws_message, start_request

if TYPE_CHECKING:
    from app.model.scopes import RunScopes
    from app.model.storage import FileStamp
    from app.ui.screens.main import MainScreen


def _base_definition(screen: MainScreen) -> RequestDefinition | None:
    entry = screen.current
    return entry.definition if entry is not None else None


def current_definition(screen: MainScreen) -> RequestDefinition:
    """The edited request as the model sees it; raises `DraftError` for a line that cannot be read."""
    return definition_from_draft(screen.editor.draft, _base_definition(screen))


def scopes(screen: MainScreen) -> RunScopes:
    from app.ui.collection.loader import request_scopes

    workspace = screen.workspace
    return request_scopes(workspace.collection, screen.editor.path, workspace.environment, workspace.run_variables)


def variable_checker(screen: MainScreen) -> Callable[[str], bool]:
    """Whether a variable name resolves for the open request with the active environment."""
    try:
        chain = scopes(screen).chain(_base_definition(screen))
    except Exception:  # an unknown environment must not break highlighting: everything shows unresolved
        return lambda name: False
    return lambda name: chain.lookup(name) is not None


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
        definition = current_definition(screen)
        started = start_request(definition, scopes(screen))
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
            await send_ws_message(live, message.content, message.format, scopes(screen), current_definition(screen))
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


def ping(screen: MainScreen) -> None:
    """Ping the open WebSocket and show the round trip in the composer."""
    live = screen.live
    if live is None or not live.running or live.connection is None:
        screen.notify("Connect first (Ctrl+J), then ping.", severity="warning")
        return
    connection = live.connection

    async def measure() -> None:
        try:
            round_trip = await asyncio.wrap_future(live.worker.submit(connection.ping()))
        except Exception as error:  # a socket closing mid-ping: said, never raised into the UI
            screen.notify(f"Ping failed: {error}", severity="warning")
            return
        screen.editor.show_ping(round_trip)

    screen.run_worker(measure(), group="ws-ping", exit_on_error=False)


def close_socket(screen: MainScreen, code: int, reason: str) -> None:
    """Close the open WebSocket with `code` and `reason`."""
    live = screen.live
    if live is None or not live.running or live.connection is None:
        screen.notify("No WebSocket is open.", severity="warning")
        return
    live.worker.submit(live.connection.close(code, reason))
    screen.notify(f"Closing with {code}…")


def save(screen: MainScreen) -> None:
    """Save the editor's request to its file; a new request asks for a name first."""
    try:
        definition = current_definition(screen)
    except DraftError as error:
        screen.notify(str(error), title="Not saved", severity="error", timeout=8)
        return
    entry = screen.current
    if entry is None or screen.editor.path is None:
        _save_new(screen, definition)
        return
    _write(screen, entry, definition, entry.stamp)


def _write(screen: MainScreen, entry: RequestFile, definition: RequestDefinition, stamp: FileStamp | None) -> None:
    from app.model.collection import save_request
    from app.model.storage import SaveConflict, read_stamped

    try:
        saved = save_request(entry.path, definition, stamp)
    except SaveConflict:
        def overwrite(confirmed: bool | None) -> None:
            if confirmed:
                _write(screen, entry, definition, read_stamped(entry.path)[1])
        screen.app.push_screen(
            ConfirmDialog(f"{entry.path.name} changed on disk since it was opened. Overwrite it?"), overwrite
        )
        return
    except OSError as error:
        screen.notify(f"Could not save {entry.path.name}: {error}", severity="error", timeout=8)
        return
    _after_save(screen, saved)


def _save_new(screen: MainScreen, definition: RequestDefinition) -> None:
    view = screen.workspace.collection
    if view is None:
        screen.notify("Open a collection first (sluice PATH).", severity="error")
        return

    def named(name: str | None) -> None:
        if not name:
            return
        try:
            from dataclasses import replace

            saved = operations.save_new_request(view.root, replace(definition, name=name))
        except OSError as error:
            screen.notify(f"Could not save: {error}", severity="error", timeout=8)
            return
        _after_save(screen, saved)

    screen.app.push_screen(NameDialog("Save as (request name):", definition.name), named)


def _after_save(screen: MainScreen, saved: RequestFile) -> None:
    screen.current = saved
    # What the editor holds now is what was written: comparing with it (not with the file's canonical
    # text) keeps a request that was just saved from looking edited.
    screen.editor.mark_saved(screen.editor.draft, saved.path)
    screen.reload_collection(select=saved.path)
    screen.notify(f"Saved {saved.path.name}")


def import_curl(screen: MainScreen, command: str) -> None:
    """Turn a pasted curl command into a new, unsaved request in the editor."""
    from app.interop.curl_import import import_curl as parse_curl

    view = screen.workspace.collection
    try:
        imported = parse_curl(command, view.root if view is not None else None)
    except ValueError as error:
        screen.notify(f"Could not import the curl command: {error}", severity="error", timeout=8)
        return
    screen.current = None
    # Compared with an empty request, so the import counts as unsaved work.
    screen.editor.load(draft_from_definition(imported.definition), None, saved=RequestDraft())
    for warning in imported.warnings:
        screen.notify(warning, severity="warning")
    screen.notify("Imported from curl — Ctrl+S saves it.")


def copy_as_curl(screen: MainScreen) -> None:
    """Copy the request as one curl command (secrets masked)."""
    from app.interop.curl_export import export_definition_curl
    from app.model.resolve import InvalidBody
    from app.model.variables import UnresolvedVariable

    try:
        command = export_definition_curl(current_definition(screen), scopes(screen))
    except (DraftError, UnresolvedVariable, InvalidBody, ValueError) as error:
        screen.notify(f"Cannot copy as curl: {error}", severity="error", timeout=8)
        return
    screen.app.copy_to_clipboard(command)
    screen.notify("Copied as curl (secrets masked).")


def file_action(screen: MainScreen, event: CollectionTree.FileAction) -> None:
    """Carry out a tree file operation, asking for a name or a confirmation where needed."""
    entry = event.entry

    def run(operation: Callable[[], Path]) -> None:
        try:
            selected = operation()
        except (operations.OperationError, OSError) as error:
            screen.notify(str(error), severity="error", timeout=8)
            return
        screen.reload_collection(select=selected)

    if screen.workspace.collection is None:
        screen.notify("Open a collection first.", severity="error")
        return
    if event.action in ("new_request", "new_folder"):
        prompt = "New request name:" if event.action == "new_request" else "New folder name:"
        make = operations.new_request if event.action == "new_request" else operations.new_folder

        def named(name: str | None) -> None:
            if name:
                run(lambda: make(event.folder, name))
        screen.app.push_screen(NameDialog(prompt), named)
        return
    if entry is None:
        return
    if event.action == "rename":
        def renamed(name: str | None) -> None:
            if name:
                run(lambda: operations.rename(entry, name))
        screen.app.push_screen(NameDialog(f"Rename {entry.title} to:", entry.title), renamed)
    elif event.action == "duplicate":
        run(lambda: operations.duplicate(entry))
    elif event.action == "delete":
        def confirmed(yes: bool | None) -> None:
            if yes:
                if screen.current is not None and screen.current.path == entry.path:
                    screen.current = None
                run(lambda: operations.delete(entry))
        screen.app.push_screen(ConfirmDialog(f"Delete {entry.title}? This cannot be undone."), confirmed)
