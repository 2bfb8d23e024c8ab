"""The environments of the open collection: switch, create, rename and edit variables, keyboard only.

Opened from the workbench (`app.environment`). The environment files are read from disk each time the
screen opens, so a file added or edited elsewhere shows up without a restart. An environment is edited
as the TOML file it is (comments kept; nothing is written when nothing changed) and saved atomically,
never over a file changed on disk since it was read. Values that look like secrets are offered to `.env`
(`secrets_dialog.py`). Failures are shown in the screen's status line, never raised.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from app.terminal_text import safe_line
from app.ui.environments.entries import EnvironmentEntry, read_entries
from app.ui.environments.secrets_dialog import MoveSecretsDialog, SecretsAnswer


class EnvironmentList(OptionList):
    """The environments; the highlighted one's variables are shown beside it."""

    BINDINGS = [
        Binding("enter", "screen.use", "Use", id="environments.use",
                tooltip="Switch to the highlighted environment and close"),
        Binding("n", "screen.new", "New", id="environments.new",
                tooltip="New environment (a file in environments/)"),
        Binding("r", "screen.rename", "Rename", id="environments.rename",
                tooltip="Rename the highlighted environment (its file; the default follows)"),
        Binding("e", "screen.edit", "Edit", id="environments.edit",
                tooltip="Edit the highlighted environment's variables (Tab also goes there)"),
        Binding("j", "cursor_down", "Down", show=False, id="environments.down"),
        Binding("k", "cursor_up", "Up", show=False, id="environments.up"),
    ]


class EnvironmentsScreen(ModalScreen[str | None]):
    """Switch, create, rename and edit environments. Dismisses with the active environment's name (the
    one chosen with Enter, or the one active before, renamed if it was), None for none."""

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
    ]

    def __init__(self, root: Path, title: str, active: str | None, avoid: Iterable[str] = ()) -> None:
        super().__init__()
        self.root = root
        self._title = title
        self.active = active
        """The environment in use; the screen's answer when it is closed without choosing another."""
        self._avoid = frozenset(avoid)
        self.entries: list[EnvironmentEntry] = []
        self.shown: EnvironmentEntry | None = None
        """The environment whose text is in the editor."""
        self._kept_secrets: set[Path] = set()

    def compose(self) -> ComposeResult:
        with Vertical(id="environments-box") as box:
            box.border_title = f"Environments — {safe_line(self._title)}"
            with Horizontal(id="environments-body"):
                yield EnvironmentList(id="environment-list")
                yield TextArea("", id="environment-variables", soft_wrap=False, show_line_numbers=True,
                               placeholder='name = "value", one per line (TOML)')
            yield Static("", id="environments-status", markup=False)
            yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload(self.active)
        self.query_one(EnvironmentList).focus()

    # -- the list ----------------------------------------------------------------------------------

    @property
    def editor(self) -> TextArea:
        return self.query_one("#environment-variables", TextArea)

    @property
    def is_dirty(self) -> bool:
        return self.shown is not None and self.editor.text != self.shown.environment.text

    def reload(self, select: str | None = None) -> None:
        """Read the environment files again and list them, highlighting `select` (else the first)."""
        from app.model.collection import COLLECTION_FILE
        from app.model.toml_format import parse_toml
        from app.model.toml_location import FileFormatError

        self.entries = read_entries(self.root)
        default = ""
        try:
            settings = parse_toml((self.root / COLLECTION_FILE).read_text(encoding="utf-8"))
            default = str(settings.get("default_environment", ""))
        except (OSError, UnicodeDecodeError, FileFormatError):
            pass
        options = self.query_one(EnvironmentList)
        options.clear_options()
        for entry in self.entries:
            name = entry.environment.name
            label = Text("● " if name == self.active else "  ", style="bold green")
            label.append(safe_line(name), style="bold" if name == self.active else "")
            if name == default:
                label.append(" (default)", style="dim")
            if entry.problem:
                label.append(" ⚠ broken", style="bold red")
            options.add_option(Option(label, id=name))
        if not self.entries:
            self._show(None)
            self.set_status("No environments yet: n creates one (environments/NAME.toml).")
            return
        names = [entry.environment.name for entry in self.entries]
        index = names.index(select) if select in names else 0
        options.highlighted = index
        self._show(self.entries[index])

    def _show(self, entry: EnvironmentEntry | None) -> None:
        self.shown = entry
        editor = self.editor
        editor.load_text(entry.environment.text if entry else "")
        editor.disabled = entry is None
        if entry is None:
            editor.border_title = ""
            return
        path = entry.environment.path
        editor.border_title = safe_line(f"environments/{path.name}" if path else entry.environment.name)
        if entry.problem:
            self.set_status(f"{path.name if path else ''}: {entry.problem}", "error")
        else:
            count = len(entry.environment.variables)
            active = " (in use)" if entry.environment.name == self.active else ""
            self.set_status(f"{entry.environment.name}{active}: {count} variable{'s' if count != 1 else ''}, "
                            'one name = "value" per line (TOML; # comments are kept).')

    def set_status(self, message: str, severity: str = "") -> None:
        status = self.query_one("#environments-status", Static)
        status.update(Text(safe_line(message)))
        status.set_class(severity == "error", "-error")
        status.set_class(severity == "warning", "-warning")

    @on(OptionList.OptionHighlighted, "#environment-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry = next((item for item in self.entries if item.environment.name == event.option.id), None)
        if entry is None or entry is self.shown:
            return
        if not self.is_dirty:
            self._show(entry)
            return
        previous = self.shown

        def go_back() -> None:
            # Stay on the edited environment: its edits are still in the editor.
            if previous is not None and previous in self.entries:
                self.query_one(EnvironmentList).highlighted = self.entries.index(previous)

        self._leave_edits(lambda: self._show(entry), go_back, f"showing {entry.environment.name}")

    def _leave_edits(self, then: Callable[[], object], otherwise: Callable[[], object], doing: str) -> None:
        """Run `then` once the shown environment's edits are saved or discarded (asks Save / Discard /
        Cancel); `otherwise` when the user cancels or the save does not happen."""
        if not self.is_dirty or self.shown is None:
            then()
            return
        from app.ui.screens.unsaved import Leave, UnsavedChangesDialog

        def answered(answer: Leave | None) -> None:
            if answer is Leave.SAVE:
                self.save(then=then, otherwise=otherwise)
            elif answer is Leave.DISCARD:
                then()
            else:
                otherwise()

        self.app.push_screen(UnsavedChangesDialog(f"environment {self.shown.environment.name}", doing), answered)

    # -- actions -----------------------------------------------------------------------------------

    def action_use(self) -> None:
        """Switch to the highlighted environment and close."""
        options = self.query_one(EnvironmentList)
        if options.highlighted is None or not self.entries:
            self.set_status("No environment to use: n creates one.", "warning")
            return
        entry = self.entries[options.highlighted]
        if entry.problem:
            self.set_status(f"{entry.environment.name} is broken: {entry.problem}", "error")
            return
        name = entry.environment.name
        self._leave_edits(lambda: self.dismiss(name), lambda: None, f"switching to {name}")

    def action_edit(self) -> None:
        if self.shown is None:
            self.set_status("No environment to edit: n creates one.", "warning")
            return
        self.editor.focus()

    def action_close(self) -> None:
        self._leave_edits(lambda: self.dismiss(self.active), lambda: None, "closing")

    def action_new(self) -> None:
        """Ask for a name and create `environments/NAME.toml` (and `collection.toml`, for a new collection)."""
        from app.ui.collection.dialogs import NameDialog

        def named(name: str | None) -> None:
            if name:
                self._leave_edits(lambda: self._create(name), lambda: None, f"creating {name}")

        self.app.push_screen(NameDialog("New environment name:"), named)

    def _create(self, name: str) -> None:
        from app.model.collection import ensure_collection_file
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
                self._leave_edits(lambda: self._rename(entry, name), lambda: None, f"renaming {old}")

        self.app.push_screen(NameDialog(f"Rename environment {old} to:", old), named)

    def _rename(self, entry: EnvironmentEntry, name: str) -> None:
        from app.model.collection import set_default_environment
        from app.model.environment import EnvironmentProblem, rename_environment

        old = entry.environment.name
        try:
            renamed = rename_environment(entry.environment, name)
        except (EnvironmentProblem, OSError) as error:
            self.set_status(f"Not renamed: {error}", "error")
            return
        note = ""
        try:
            if set_default_environment(self.root, old, renamed.name):
                note = " (still the collection's default)"
        except OSError as error:
            note = f" (collection.toml still names {old} as the default: {error})"
        if self.active == old:
            self.active = renamed.name
        self.reload(renamed.name)
        self.set_status(f"Renamed {old} to {renamed.name}{note}.")

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
            self.set_status("No environment to save: n creates one.", "warning")
            failed()
            return
        text = self.editor.text
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
                            "on disk since it was read. Copy your edits, then Esc and reopen to see it.", "error")
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
