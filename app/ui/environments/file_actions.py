"""The environments screen's file operations: create, rename, delete, and choose the collection's default
(`collection.toml`'s `default_environment`, what `sluice run` without `--env` uses). Each reports a
failure in the status line and leaves the files as they were."""

from __future__ import annotations

from app.model.environment import secrets_only_in
from app.ui.bindings import key_named
from app.ui.environments.base import EnvironmentList, EnvironmentsBase
from app.ui.environments.entries import EnvironmentEntry
from app.ui.environments.secrets_dialog import DeleteAnswer, DeleteEnvironmentDialog


class EnvironmentFileActions(EnvironmentsBase):
    """New (`n`), rename (`r`), delete (`Delete`/`x`, asks first) and default (`d`)."""

    def action_new(self) -> None:
        """Ask for a name and create `environments/NAME.toml` (and `collection.toml`, for a new collection)."""
        from app.ui.collection.dialogs import NameDialog

        def named(name: str | None) -> None:
            if name:
                self.leave_edits(lambda: self._create(name), lambda: None, f"creating {name}")

        self.app.push_screen(NameDialog("New environment name:"), named)

    def _create(self, name: str) -> None:
        from app.model.collection_file import ensure_collection_file
        from app.model.environment import EnvironmentProblem, create_environment

        try:
            created = create_environment(self.root, name)
            made = ensure_collection_file(self.root)
        except (EnvironmentProblem, OSError) as error:
            self.set_status(f"Not created: {error}", "error")
            return
        self.reload(created.name)
        self.editor.focus()
        extra = f" (and {made.name}, so `sluice run … --env {created.name}` finds it)" if made else ""
        self.set_status(f"Created environments/{created.name}.toml{extra}. Type name = \"value\" lines, then save.")

    def action_rename(self) -> None:
        from app.ui.collection.dialogs import NameDialog

        entry = self.shown
        if entry is None:
            self.set_status("No environment to rename.", "warning")
            return
        old = entry.environment.name

        def named(name: str | None) -> None:
            if name and name != old:
                self.leave_edits(lambda: self._rename(entry, name), lambda: None, f"renaming {old}")

        self.app.push_screen(NameDialog(f"Rename environment {old} to:", old), named)

    def _rename(self, entry: EnvironmentEntry, name: str) -> None:
        from app.model.collection_file import rename_default_environment
        from app.model.environment import EnvironmentProblem, rename_environment
        from app.model.storage import SaveConflict
        from app.model.toml_location import FileFormatError

        old = entry.environment.name
        try:
            renamed = rename_environment(entry.environment, name)
        except (EnvironmentProblem, OSError) as error:
            self.set_status(f"Not renamed: {error}", "error")
            return
        note = ""
        try:
            if rename_default_environment(self.root, old, renamed.name):
                note = " (still the collection's default)"
        except (OSError, FileFormatError, SaveConflict) as error:
            note = f" (collection.toml still names {old} as the default: {error})"
        self.note_renamed(old, renamed.name)
        if self.active == old:
            self.active = renamed.name
        self.reload(renamed.name)
        self.set_status(f"Renamed {old} to {renamed.name}{note}.")

    def action_delete(self) -> None:
        """Ask, then delete the highlighted environment's file."""
        from app.ui.collection.dialogs import ConfirmDialog

        entry = self.shown
        if entry is None or entry.environment.path is None:
            self.set_status("No environment to delete.", "warning")
            return
        name = entry.environment.name
        notes = [f"environments/{entry.environment.path.name} is removed; this cannot be undone."]
        if self.is_dirty:
            notes.append("Its unsaved edits are lost too.")
        if name == self.default:
            notes.append("It is the collection's default: the collection will have none.")
        if name == self.active:
            notes.append("It is in use: no environment will be.")

        secrets = secrets_only_in(self.root, entry.environment)
        if secrets:
            def answered(answer: DeleteAnswer | None) -> None:
                if answer is DeleteAnswer.WITH_SECRETS:
                    self._delete(entry, secrets)
                elif answer is DeleteAnswer.KEEP_SECRETS:
                    self._delete(entry)

            self.app.push_screen(DeleteEnvironmentDialog(name, notes, secrets), answered)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._delete(entry)

        self.app.push_screen(ConfirmDialog(f"Delete environment {name}?", "\n".join(notes)), confirmed)

    def _delete(self, entry: EnvironmentEntry, secrets: list[str] | None = None) -> None:
        """Delete `entry`'s file, then take `secrets` out of `.env`: those that, once the file is gone, no
        file refers to still (looked at again: another environment may have taken one up meanwhile)."""
        from app.model.collection_file import write_default_environment
        from app.model.environment import EnvironmentProblem, delete_environment
        from app.model.storage import SaveConflict
        from app.model.toml_location import FileFormatError

        name = entry.environment.name
        try:
            delete_environment(entry.environment)
        except SaveConflict:
            self.reload(name)
            self.set_status(f"Not deleted: environments/{name}.toml changed on disk since it was read "
                            "(shown again now: look, then delete again).", "error")
            return
        except (EnvironmentProblem, OSError) as error:
            self.set_status(f"Not deleted: {error}", "error")
            return
        note = ""
        if name == self.default:
            try:
                write_default_environment(self.root, "")
                note = "; the collection has no default environment now"
            except (OSError, FileFormatError, SaveConflict) as error:
                note = f"; collection.toml still names it as the default ({error}): choose another with d"
        severity = "warning" if "still names" in note else ""
        if secrets:
            secrets_note, failed = self._remove_secrets(secrets)
            note += secrets_note
            severity = "error" if failed else severity
        if name == self.active:
            self.active = None
        index = self.query_one(EnvironmentList).highlighted or 0
        self.reload()
        if self.entries:
            self.query_one(EnvironmentList).highlighted = min(index, len(self.entries) - 1)
        self.set_status(f"Deleted environments/{name}.toml{note}.", severity)

    def _remove_secrets(self, secrets: list[str]) -> tuple[str, bool]:
        """Remove those of `secrets` no file uses now from `.env`: what to add to the status, and whether it failed."""
        from app.model.dotenv import DOTENV_FILE, remove_secrets
        from app.model.environment import unreferenced
        from app.model.storage import SaveConflict
        from app.model.toml_location import FileFormatError

        unused = unreferenced(self.root, secrets)
        try:
            removed = remove_secrets(self.root / DOTENV_FILE, unused) if unused else []
        except SaveConflict:
            return "; .env changed on disk meanwhile: its secrets are still there", True
        except (OSError, FileFormatError) as error:
            return f"; its secrets are still in .env ({error})", True
        kept = [name for name in secrets if name not in unused]
        note = f"; removed {', '.join(removed)} from .env" if removed else ""
        if kept:
            note += f"; kept {', '.join(kept)} in .env (another file uses {'them' if len(kept) > 1 else 'it'} now)"
        return note, False

    def action_default(self) -> None:
        """Make the highlighted environment the collection's default, or, on the default, clear it."""
        from app.model.collection_file import write_default_environment
        from app.model.storage import SaveConflict
        from app.model.toml_location import FileFormatError

        entry = self.shown
        if entry is None:
            self.set_status(f"No environment to make the default: {self._new_key()} creates one.", "warning")
            return
        name = entry.environment.name
        chosen = "" if name == self.default else name
        try:
            write_default_environment(self.root, chosen)
        except SaveConflict:
            again = key_named(self, "environments.default", EnvironmentList)
            self.set_status(f"Default not changed: collection.toml changed on disk meanwhile; press {again} again.",
                            "error")
            self.reload(name)
            return
        except (OSError, FileFormatError) as error:
            self.set_status(f"Default not changed: collection.toml: {error}", "error")
            return
        # The list is redrawn from disk; the editor keeps whatever is being typed in it.
        self._relabel()
        self.set_status(f"{name} is the collection's default now (sluice run without --env uses it)." if chosen
                        else f"{name} is no longer the default: the collection has none.")
