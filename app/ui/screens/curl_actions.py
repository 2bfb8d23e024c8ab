"""The main screen's curl keys: a curl command pasted into the URL field becomes a request, and Alt+C copies
the open request as one.

A pasted command over a saved request asks first (Replace this request, New request or Cancel), one that
reads local files (`-d @file`) names each before any is read, and unsaved edits are never lost without
asking (`FileActions.leave_edits`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.binding import Binding, BindingType

from app.terminal_text import safe_line
from app.ui.request.bridge import DraftError, draft_from_definition
from app.ui.request.draft import RequestDraft
from app.ui.request.url_bar import UrlInput
from app.ui.screens.files import FileActions

if TYPE_CHECKING:
    from app.interop.curl_import import CurlImport
    from app.ui.screens.curl_paste import PasteChoice


class CurlActions(FileActions):
    """Importing a pasted curl command into the editor and copying the request as curl."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority for Alt+letter: Textual gives it the plain letter as its character, so a focused Input
        # would type `c` (over the selected URL) before a normal binding is looked at.
        Binding("alt+c", "copy_as_curl", "Copy curl", show=False, priority=True, id="request.copy_curl",
                tooltip="Copy the request as a curl command (secrets masked)"),
    ]

    @on(UrlInput.CurlPasted)
    def _curl_pasted(self, event: UrlInput.CurlPasted) -> None:
        self.import_curl(event.command)

    def import_curl(self, command: str, *, read_files: bool = False) -> None:
        """Turn a pasted curl command into an unsaved request in the editor: over the open saved request or
        as a new one, as the user chooses (a request not saved yet is simply replaced).

        A command that reads local files (`-d @file`) is imported without them first; the user is asked,
        with each path and size, before any is read."""
        from app.interop.curl_import import import_curl as parse_curl

        view = self.workspace.collection
        try:
            imported = parse_curl(command, view.root if view is not None else None, read_files=read_files)
        except ValueError as error:
            self.notify(f"Could not import the curl command: {error}", severity="error", timeout=8)
            return
        readable = [found for found in imported.files if found.problem is None]
        if readable and not read_files:
            from app.ui.collection.dialogs import ConfirmDialog

            listed = "\n".join(found.describe() for found in readable)

            def answered(yes: bool | None) -> None:
                if yes:
                    self.import_curl(command, read_files=True)
                else:
                    self._show_import(imported)

            question = "The curl command reads these local files into the request. Read them?"
            self.app.push_screen(ConfirmDialog(question, listed), answered)
            return
        refused = [found for found in imported.files if found.problem is not None]
        if refused:
            self.notify("; ".join(f"{found.path} {found.problem}" for found in refused), severity="warning", timeout=8)
        self._show_import(imported)

    def _show_import(self, imported: CurlImport) -> None:
        entry = self.current
        if entry is None:
            self.leave_edits(lambda: self._import_as_new(imported, None), "importing the curl command")
            return
        from app.ui.screens.curl_paste import CurlPasteDialog, PasteChoice

        def chosen(choice: PasteChoice | None) -> None:
            if choice is PasteChoice.REPLACE:
                self.leave_edits(lambda: self._import_over_current(imported),
                                 "replacing them with the curl command")
            elif choice is PasteChoice.NEW:
                self.leave_edits(lambda: self._import_as_new(imported, entry.path.parent),
                                 "importing the curl command")

        self.app.push_screen(CurlPasteDialog(entry.title, self.key_of("request.save")), chosen)

    def _import_as_new(self, imported: CurlImport, folder: Path | None) -> None:
        self.current = None
        self.draft_base = imported.definition
        self.new_request_folder = folder
        # Compared with an empty request, so the import counts as unsaved work.
        self.editor.load(draft_from_definition(imported.definition), None, saved=RequestDraft())
        self._imported(imported, f"Imported from curl as a new request — {self.key_of('request.save')} saves it.")

    def _import_over_current(self, imported: CurlImport) -> None:
        entry = self.current
        if entry is None:  # deleted while the question was open
            self._import_as_new(imported, None)
            return
        kept = entry.definition
        curl = imported.definition
        # What curl says replaces what the request said; what curl cannot say (name, stream settings,
        # extraction, checks, WebSocket messages, variables) stays.
        self.draft_base = replace(
            kept, method=curl.method, url=curl.url, params=curl.params, headers=curl.headers,
            disabled_params=(), disabled_headers=(), body=curl.body, auth=curl.auth,
            description=curl.description or kept.description,
            options=replace(
                kept.options, connect_timeout=curl.options.connect_timeout, read_timeout=curl.options.read_timeout,
                follow_redirects=curl.options.follow_redirects, verify_tls=curl.options.verify_tls,
                http2=curl.options.http2,
            ),
        )
        self.editor.load(draft_from_definition(self.draft_base), entry.path, saved=draft_from_definition(kept))
        self._imported(imported, f"Replaced {safe_line(entry.title)} with the curl command — "
                                 f"{self.key_of('request.save')} saves it, {self.key_of('request.revert')} reverts.")

    def _imported(self, imported: CurlImport, done: str) -> None:
        for warning in imported.warnings:
            self.notify(safe_line(warning), severity="warning")
        self.notify(done)

    def action_copy_as_curl(self) -> None:
        """Copy the request as one curl command (secrets masked)."""
        from app.interop.curl_export import export_definition_curl
        from app.model.resolve import InvalidBody
        from app.model.variables import UnresolvedVariable

        try:
            command = export_definition_curl(self.current_definition(), self.scopes())
        except (DraftError, UnresolvedVariable, InvalidBody, ValueError) as error:
            self.notify(f"Cannot copy as curl: {error}", severity="error", timeout=8)
            return
        self.app.copy_to_clipboard(command)
        self.notify("Copied as curl (secrets masked).")
