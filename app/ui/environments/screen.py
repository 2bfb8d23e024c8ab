"""The environments of the open collection: switch, create, rename, delete, choose the default and edit
variables, keyboard only.

Opened from the workbench (`app.environment`). The environment files are read from disk each time the
screen opens, so a file added or edited elsewhere shows up without a restart. An environment is edited
as the TOML file it is (comments kept; nothing is written when nothing changed) and saved atomically,
never over a file changed on disk since it was read. Values that look like secrets are offered to `.env`
(`secrets_dialog.py`). The default is `collection.toml`'s `default_environment`, what `sluice run` without
`--env` uses (`app/model/collection_file.py`). Failures are shown in the screen's status line, never raised.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

from app.terminal_text import safe_line
from app.ui.bindings import key_named
from app.ui.environments.base import EnvironmentList
from app.ui.environments.entries import EnvironmentEntry
from app.ui.environments.file_actions import EnvironmentFileActions
from app.ui.environments.secrets_dialog import MoveSecretsDialog, SecretsAnswer
from app.ui.request.masked_area import MaskedArea
from app.ui.request.masked_text import mask_environment_lines


class EnvironmentsScreen(EnvironmentFileActions):
    """Switch, create, rename, delete and edit environments, and choose the default. Dismisses with the
    active environment's name (the one chosen with Enter, or the one active before, renamed if it was;
    None for none, or when it was deleted)."""

    DEFAULT_CSS = """
    EnvironmentsScreen { align: center middle; }
    EnvironmentsScreen #environments-box {
        width: 110; max-width: 100%; height: 28; max-height: 100%;
        background: $panel; border: thick $primary; border-title-color: $text;
    }
    EnvironmentsScreen #environments-body { height: 1fr; }
    EnvironmentsScreen EnvironmentList { width: 30; max-width: 35%; height: 1fr; border: round $panel-lighten-2; }
    EnvironmentsScreen EnvironmentList:focus { border: round $primary; }
    EnvironmentsScreen #environment-variables { width: 1fr; height: 1fr; border: round $panel-lighten-2; }
    EnvironmentsScreen #environment-variables:focus { border: round $primary; }
    EnvironmentsScreen #environments-status { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    EnvironmentsScreen #environments-status.-error { color: $error; }
    EnvironmentsScreen #environments-status.-warning { color: $warning; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="environments.close",
                tooltip="Close the environments (asks first about unsaved variable edits)"),
        Binding("ctrl+s", "save", "Save", priority=True, id="environments.save",
                tooltip="Save the variables to the environment's file (values that look like secrets: offered to .env)"),
        Binding("alt+v", "reveal", "Reveal", id="environments.reveal",
                tooltip="Show or mask again the values that look like credentials (masked as **** by default; "
                        "the file keeps the real values)"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="environments-box") as box:
            box.border_title = f"Environments — {safe_line(self.title_text)}"
            with Horizontal(id="environments-body"):
                yield EnvironmentList(id="environment-list")
                yield MaskedArea(mask_environment_lines, id="environment-variables", show_line_numbers=True,
                                 placeholder='name = "value", one per line (TOML)')
            yield Static("", id="environments-status", markup=False)
            yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload(self.active)
        self.query_one(EnvironmentList).focus()

    # -- actions -----------------------------------------------------------------------------------

    def action_use(self) -> None:
        """Switch to the highlighted environment and close."""
        options = self.query_one(EnvironmentList)
        if options.highlighted is None or not self.entries:
            self.set_status(f"No environment to use: {self._new_key()} creates one.", "warning")
            return
        entry = self.entries[options.highlighted]
        if entry.problem:
            self.set_status(f"{entry.environment.name} is broken: {entry.problem}", "error")
            return
        name = entry.environment.name
        self.leave_edits(lambda: self.dismiss(name), lambda: None, f"switching to {name}")

    def action_edit(self) -> None:
        if self.shown is None:
            self.set_status(f"No environment to edit: {self._new_key()} creates one.", "warning")
            return
        self.editor.focus()

    def action_reveal(self) -> None:
        editor = self.editor
        editor.reveal(not editor.revealed)
        self.set_status("Credentials shown." if editor.revealed else "Credentials masked as ****.")

    def action_close(self) -> None:
        self.leave_edits(lambda: self.dismiss(self.active), lambda: None, "closing")

    # -- saving ------------------------------------------------------------------------------------

    def action_save(self) -> None:
        self.save()

    def save(self, then: Callable[[], object] | None = None, otherwise: Callable[[], object] | None = None) -> None:
        """Save the editor's text to the shown environment's file; values that look like secrets are
        offered to `.env` first. `then` runs once it is saved, `otherwise` if it was not."""
        from app.model.environment import parse_environment, secret_variables
        from app.model.toml_location import FileFormatError

        entry = self.shown
        failed = otherwise or (lambda: None)
        if entry is None or entry.environment.path is None:
            self.set_status(f"No environment to save: {self._new_key()} creates one.", "warning")
            failed()
            return
        text = self.editor.real
        try:
            parse_environment(text)
        except FileFormatError as error:
            self.set_status(f"Not saved: {entry.environment.path.name}:{error}", "error")
            failed()
            return
        secrets = secret_variables(text)
        if not secrets or entry.environment.path in self._kept_secrets:
            self._write(entry, text, [], then, failed)
            return

        def answered(answer: SecretsAnswer | None) -> None:
            if answer is SecretsAnswer.MOVE:
                self._write(entry, text, secrets, then, failed)
            elif answer is SecretsAnswer.KEEP:
                if entry.environment.path is not None:
                    self._kept_secrets.add(entry.environment.path)
                self._write(entry, text, [], then, failed)
            else:
                self.set_status("Not saved.")
                failed()

        self.app.push_screen(MoveSecretsDialog(f"environments/{entry.environment.path.name}", secrets), answered)

    def _write(self, entry: EnvironmentEntry, text: str, secrets: list[str],
               then: Callable[[], object] | None, failed: Callable[[], object]) -> None:
        from app.model.environment import move_secrets_to_dotenv, parse_environment, save_environment
        from app.model.storage import SaveConflict
        from app.model.toml_location import FileFormatError

        environment = entry.environment
        moved = ""
        if secrets:
            try:
                text = move_secrets_to_dotenv(self.root, environment.name, text, secrets, self._avoid)
            except (OSError, FileFormatError, ValueError) as error:
                self.set_status(f"Not saved: could not write .env: {error}", "error")
                failed()
                return
            kept = parse_environment(text)
            moved = "; kept in .env: " + ", ".join(f"{name} = {kept.get(name, '')}" for name in secrets)
        try:
            saved = save_environment(environment, text)
        except SaveConflict:
            self.set_status(f"Not saved: environments/{environment.path.name if environment.path else ''} changed "
                            f"on disk since it was read. Copy your edits, then {key_named(self, 'environments.close')} "
                            "and reopen to see it.", "error")
            failed()
            return
        except (OSError, FileFormatError) as error:
            self.set_status(f"Not saved: {error}", "error")
            failed()
            return
        cursor = self.editor.cursor_location
        self.reload(saved.name)
        self.editor.move_cursor(cursor)  # clamped to the text
        written = "unchanged, nothing written" if saved is environment else "saved"
        self.set_status(f"environments/{saved.path.name if saved.path else ''} {written}{moved}.")
        if then is not None:
            then()
