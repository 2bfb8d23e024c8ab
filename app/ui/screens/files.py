"""The main screen's file keys: save, revert, reload, and the tree's file operations (curl: `curl_actions.py`).

Unsaved edits are never lost without asking: opening another request, reloading and quitting go through
`leave_edits`, which asks Save / Discard / Cancel. Problems are told to the user (a notification or a
dialog), never raised. Each dialog is imported where it is opened: the first screen opens none, and
importing them (with Textual's `Footer`) was about 1.3% of the instructions to its first frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.binding import Binding, BindingType

from app.model.collection import BrokenFile, CollectionNode, Folder, RequestFile
from app.model.request_definition import RequestDefinition
from app.terminal_text import safe_line
from app.ui.collection import operations
from app.ui.collection.tree import CollectionTree
from app.ui.request.bridge import DraftError
from app.ui.request.draft import RequestDraft
from app.ui.screens.workbench import WorkbenchBase

if TYPE_CHECKING:
    from app.model.storage import FileStamp
    from app.ui.screens.unsaved import Leave

Then = Callable[[], None]


class FileActions(WorkbenchBase):
    """Saving, reverting and reloading the open request, and the tree's file operations."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="request.save",
                tooltip="Save the request to its TOML file"),
        Binding("f5", "reload", "Reload", show=False, id="app.reload",
                tooltip="Read the collection and the open request from disk again (asks about unsaved edits)"),
        # Priority for Alt+letter: Textual gives it the plain letter as its character, so a focused Input
        # would type `r` before a normal binding is looked at.
        Binding("alt+r", "revert", "Revert", show=False, priority=True, id="request.revert",
                tooltip="Throw away the unsaved edits: back to the request as saved (asks first)"),
    ]

    # -- unsaved edits ---------------------------------------------------------------------------

    def leave_edits(self, then: Then, doing: str, cancelled: Then | None = None) -> None:
        """Run `then` once unsaved edits are saved or discarded; ask Save / Discard / Cancel if there are any
        (`cancelled` runs on Cancel).

        `doing` completes the question "Save them before …?" ("opening Drip", "quitting").
        """
        if not self.editor.is_dirty:
            then()
            return
        from app.ui.screens.unsaved import Leave, UnsavedChangesDialog

        name = self.current.title if self.current is not None else "The new request"

        def answered(answer: Leave | None) -> None:
            if answer is Leave.SAVE:
                self.save(then=then)
            elif answer is Leave.DISCARD:
                then()
            else:
                if cancelled is not None:
                    cancelled()
                self.notify("Kept your unsaved edits.", timeout=3)

        self.app.push_screen(UnsavedChangesDialog(name, doing), answered)

    @on(CollectionTree.RequestChosen)
    @on(CollectionTree.BrokenChosen)
    def _entry_chosen(self, event: CollectionTree.RequestChosen | CollectionTree.BrokenChosen) -> None:
        self.open_entry(event.entry)

    def open_entry(self, entry: CollectionNode) -> None:
        """Open a request of the tree (asking about unsaved edits first), or say why a broken file cannot be."""
        if isinstance(entry, BrokenFile):
            from app.ui.collection.dialogs import MessageDialog

            self.app.push_screen(MessageDialog(f"Cannot load {entry.path.name}", str(entry)))
            return
        if not isinstance(entry, RequestFile):
            return
        if self.current is not None and entry.path == self.current.path and self.editor.is_dirty:
            self.notify(f"{safe_line(entry.title)} is already open, with unsaved edits "
                        f"({self.key_of('request.revert')} reverts them).",
                        timeout=4)
            return
        self.leave_edits(lambda: self._open_path(entry.path), f"opening {safe_line(entry.title)}",
                         self._cursor_to_current)

    def _cursor_to_current(self) -> None:
        """The tree's cursor back on the request still being edited (opening another was cancelled): left on
        the other one, Enter asked again and `r`, `d` or Delete acted on a request the editor did not show."""
        if self.current is not None:
            self.collection_tree.move_cursor_to(self.current.path)

    def _open_path(self, path: Path) -> None:
        # Looked up again: saving first reloads the collection, and the entry's stamp must be the new one.
        view = self.workspace.collection
        entry = view.request(path) if view is not None else None
        if entry is not None:
            self.open_request(entry)

    def action_revert(self) -> None:
        """Back to the request as saved, after confirmation."""
        if not self.editor.is_dirty:
            self.notify("No unsaved changes to revert.", timeout=3)
            return
        from app.ui.collection.dialogs import ConfirmDialog

        name = self.current.title if self.current is not None else "the new request"

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._reopen_from_disk()
                self.notify("Reverted to the saved request.", timeout=3)

        self.app.push_screen(ConfirmDialog(f"Revert {safe_line(name)}? Your unsaved edits are lost."), confirmed)

    def action_reload(self) -> None:
        """Re-read the collection and the open request from disk."""
        self.leave_edits(self._reopen_from_disk, "reloading from disk")

    def _reopen_from_disk(self) -> None:
        current = self.current
        self.draft_base = None
        if current is None:
            self.new_request_folder = None
            self.editor.load(RequestDraft(), None)
            self.reload_collection()
            return
        self.reload_collection(select=current.path)
        self._open_path(current.path)
        if self.current is current:
            self.notify(f"{current.path.name} is no longer on disk: your edits stay in the editor.", severity="warning")

    # -- saving ----------------------------------------------------------------------------------

    def action_save(self) -> None:
        """Write the request to its TOML file (a new request asks for a name first)."""
        self.save()

    def save(self, then: Then | None = None) -> None:
        """Save the editor's request; `then` runs once it is on disk (not if saving failed or was cancelled).

        Literal credentials in it are offered to `.env` first (the file then keeps `{{variables}}`)."""
        from app.ui.environments.credentials import offer_to_move_credentials

        try:
            definition = self.current_definition()
        except DraftError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=8)
            return
        entry = self.current
        view = self.workspace.collection

        def save_it(definition: RequestDefinition, moved: bool) -> None:
            if entry is None or self.editor.path is None:
                self._save_new(definition, then, moved)
            else:
                self._write(entry, definition, entry.stamp, then, moved)

        kept = entry is not None and entry.path in self.workspace.kept_credentials
        offer_to_move_credentials(self, None if view is None or kept else view.root,
                                  entry.path.name if entry is not None else "The new request", definition, save_it,
                                  [name for name, _ in view.variables] if view is not None else ())

    def _write(self, entry: RequestFile, definition: RequestDefinition, stamp: FileStamp | None,
               then: Then | None, moved: bool = False) -> None:
        from app.model.collection import save_request
        from app.model.storage import SaveConflict, read_stamped

        try:
            saved = save_request(entry.path, definition, stamp)
        except SaveConflict:
            from app.ui.collection.dialogs import ConfirmDialog

            def overwrite(confirmed: bool | None) -> None:
                if not confirmed:
                    return
                try:
                    current: FileStamp | None = read_stamped(entry.path)[1]
                except FileNotFoundError:
                    current = None  # deleted on disk since it was opened: write it anew
                except OSError as error:
                    self.notify(f"Could not save {entry.path.name}: {error}", severity="error", timeout=8)
                    return
                self._write(entry, definition, current, then, moved)
            self.app.push_screen(
                ConfirmDialog(f"{entry.path.name} changed on disk since it was opened. Overwrite it?"), overwrite
            )
            return
        except OSError as error:
            self.notify(f"Could not save {entry.path.name}: {error}", severity="error", timeout=8)
            return
        self._after_save(saved, then, moved)

    def _save_new(self, definition: RequestDefinition, then: Then | None, moved: bool = False) -> None:
        view = self.workspace.collection
        if view is None:
            self.notify("Open a collection first (sluice PATH).", severity="error")
            return
        from app.ui.collection.dialogs import NameDialog

        def named(name: str | None) -> None:
            if not name:
                return
            try:
                saved = operations.save_new_request(self.new_request_folder or view.root, replace(definition, name=name))
            except OSError as error:
                self.notify(f"Could not save: {error}", severity="error", timeout=8)
                return
            self._after_save(saved, then, moved)

        self.app.push_screen(NameDialog("Save as (request name):", definition.name), named)

    def _after_save(self, saved: RequestFile, then: Then | None, moved: bool = False) -> None:
        """`moved`: the credentials went to `.env`, so the file differs from the editor: show the file."""
        self.current = saved
        self.draft_base = None
        self.new_request_folder = None
        if moved:
            self.open_request(saved)
        else:
            # What the editor holds now is what was written: comparing with it (not with the file's canonical
            # text) keeps a request that was just saved from looking edited.
            self.editor.mark_saved(self.editor.draft, saved.path)
        self.reload_collection(select=saved.path)
        self.notify(f"Saved {saved.path.name}")
        self.make_collection()
        from app.model.secrets import literal_credentials

        if literal_credentials(saved.definition):
            # The user chose to keep them (asked before saving): not asked again for this file this session.
            self.workspace.kept_credentials.add(saved.path)
        if then is not None:
            then()

    def make_collection(self) -> None:
        """A folder opened empty becomes a collection with its first file: write its `collection.toml`."""
        from app.model.collection_file import ensure_collection_file

        view = self.workspace.collection
        if view is None:
            return
        try:
            made = ensure_collection_file(view.root)
        except OSError as error:
            self.notify(f"Could not write collection.toml: {error}", severity="warning", timeout=8)
            return
        if made is not None:
            self.notify(f"Wrote {made.name}: this folder is a collection now "
                        "(sluice run … --env NAME finds its environments).", timeout=6)

    # -- the tree's file operations --------------------------------------------------------------

    @on(CollectionTree.FileAction)
    def _file_action(self, event: CollectionTree.FileAction) -> None:
        from app.ui.collection.dialogs import ConfirmDialog, NameDialog

        entry = event.entry

        def run(operation: Callable[[], Path], opens: bool = False) -> None:
            open_path = self.current.path if self.current is not None else None
            try:
                selected = operation()
            except (operations.OperationError, OSError) as error:
                self.notify(str(error), severity="error", timeout=8)
                return
            self.make_collection()
            self.reload_collection(select=selected)
            if event.action == "rename" and entry is not None and open_path is not None:
                self._follow_rename(open_path, entry.path, selected)
            if opens and self.editor.is_dirty:  # the edits kept it from opening: ask, as opening any request does
                self.leave_edits(lambda: self._open_path(selected), "opening the new request")

        if self.workspace.collection is None:
            self.notify("Open a collection first.", severity="error")
            return
        if event.action in ("new_request", "new_folder"):
            prompt = "New request name:" if event.action == "new_request" else "New folder name:"
            make = operations.new_request if event.action == "new_request" else operations.new_folder

            def named(name: str | None) -> None:
                if name:
                    run(lambda: make(event.folder, name), opens=event.action == "new_request")
            self.app.push_screen(NameDialog(prompt), named)
            return
        if entry is None:
            return
        if event.action == "rename":
            def renamed(name: str | None) -> None:
                if name:
                    run(lambda: operations.rename(entry, name))
            self.app.push_screen(NameDialog(f"Rename {entry.title} to:", entry.title), renamed)
        elif event.action == "duplicate":
            run(lambda: operations.duplicate(entry), opens=True)
        elif event.action == "delete":
            view = self.workspace.collection

            def confirmed(yes: bool | None) -> None:
                if yes:
                    if self.current is not None and _within(self.current.path, entry.path):
                        self.current = None
                    run(lambda: operations.delete(entry, view))
            question = f"Delete {safe_line(entry.title)}? This cannot be undone."
            if isinstance(entry, Folder):
                count = operations.requests_inside(entry)
                held = f"the {count} request{'s' if count != 1 else ''} in it" if count else "everything in it"
                question = f"Delete the folder {safe_line(entry.title)} and {held}? This cannot be undone."
            self.app.push_screen(ConfirmDialog(question), confirmed)

    def _follow_rename(self, open_path: Path, old: Path, new: Path) -> None:
        """The open request's file, or a folder holding it, was renamed from `old` to `new`: the editor follows
        it to its new path (unsaved edits kept), so that saving writes the renamed file and not the old name
        again beside it."""
        if not _within(open_path, old):
            return
        view = self.workspace.collection
        moved = view.request(new / open_path.relative_to(old)) if view is not None else None
        if moved is None:
            return
        if self.editor.is_dirty:
            self.current = moved
            self.editor.follow_rename(moved.path, moved.definition.name)
        elif self.current is None or self.current.path != moved.path:
            self.open_request(moved)


def _within(path: Path, entry: Path) -> bool:
    """Whether `path` is `entry` itself or inside it (a folder)."""
    return path == entry or entry in path.parents
