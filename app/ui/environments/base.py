"""What every part of the environments screen works on: the collection's environment files, listed, the
highlighted one shown in the editor, a status line, and the unsaved-edits question.

`EnvironmentsBase` is the screen's core; file operations (`file_actions.py`) and the screen itself
(`screen.py`: keys, compose, switching, saving) build on it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from app.terminal_text import safe_block, safe_line
from app.ui.bindings import key_named
from app.ui.environments.entries import EnvironmentEntry, read_entries
from app.ui.request.masked_area import MaskedArea


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
        Binding("d", "screen.default", "Default", id="environments.default",
                tooltip="Make the highlighted environment the collection's default (what `sluice run` uses "
                        "without --env); on the default, the collection has none again"),
        Binding("delete,x", "screen.delete", "Delete", id="environments.delete",
                tooltip="Delete the highlighted environment's file (asks first; offers to remove from "
                        ".env the secrets only it used)"),
        Binding("j", "cursor_down", "Down", show=False, id="environments.down"),
        Binding("k", "cursor_up", "Up", show=False, id="environments.up"),
    ]


class EnvironmentsBase(ModalScreen[str | None]):
    """The environments of the collection at `root`, listed, with the highlighted one in the editor."""

    def __init__(self, root: Path, title: str, active: str | None, avoid: Iterable[str] = (),
                 overridden: Mapping[str, Mapping[str, tuple[str, str]]] | None = None) -> None:
        super().__init__()
        self.root = root
        self._overridden = dict(overridden or {})
        """By environment, the variables set otherwise while Sluice runs, each (value, where from): the demo
        server's address in the sample collection's `demo`, where the file's values are placeholders."""
        self.title_text = title
        self.active = active
        """The environment in use; the screen's answer when it is closed without choosing another."""
        self._avoid = frozenset(avoid)
        self.renamed: dict[str, str] = {}
        """Environments renamed while the screen was open, first name → last: what the workbench keeps by
        environment (the demo server's address for `demo`) follows them."""
        self.entries: list[EnvironmentEntry] = []
        self.shown: EnvironmentEntry | None = None
        """The environment whose text is in the editor."""
        self._kept_secrets: set[Path] = set()
        self.default = ""
        """The collection's default environment as `collection.toml` says now ("" for none)."""

    def _new_key(self) -> str:
        """The key that makes a new environment, as the keymap has it (each "none yet" status names it)."""
        return key_named(self, "environments.new", EnvironmentList)

    # -- the list ----------------------------------------------------------------------------------

    @property
    def editor(self) -> MaskedArea:
        """The shown environment's file; values that look like credentials show as `****` until revealed."""
        return self.query_one("#environment-variables", MaskedArea)

    @property
    def shown_text(self) -> str:
        """The shown environment's file as the editor shows it before any edit: a control character
        (ESC in a broken file clears the screen; TOML allows none raw but C1 in strings) as its `\\x1b`
        escape, never raw on the terminal."""
        return safe_block(self.shown.environment.text) if self.shown is not None else ""

    @property
    def is_dirty(self) -> bool:
        return self.shown is not None and self.editor.real != self.shown_text

    def reload(self, select: str | None = None) -> None:
        """Read the environment files again and list them, highlighting `select` (else the first)."""
        from app.model.collection_file import read_default_environment

        self.entries = read_entries(self.root)
        self.default = read_default_environment(self.root)
        options = self.query_one(EnvironmentList)
        options.clear_options()
        options.add_options(Option(self._label(entry), id=entry.environment.name) for entry in self.entries)
        if not self.entries:
            self._show(None)
            self.set_status(f"No environments yet: {self._new_key()} creates one (environments/NAME.toml).")
            return
        names = [entry.environment.name for entry in self.entries]
        index = names.index(select) if select in names else 0
        options.highlighted = index
        self._show(self.entries[index])

    def _show(self, entry: EnvironmentEntry | None) -> None:
        self.shown = entry
        editor = self.editor
        editor.show_real(self.shown_text)
        editor.disabled = entry is None
        if entry is None:
            editor.border_title = ""
            return
        path = entry.environment.path
        editor.border_title = safe_line(f"environments/{path.name}" if path else entry.environment.name)
        escaped = " (control characters shown as \\x.. escapes)" if self.shown_text != entry.environment.text else ""
        if entry.problem:
            self.set_status(f"{path.name if path else ''}: {entry.problem}{escaped}", "error")
        else:
            count = len(entry.environment.variables)
            active = " (in use)" if entry.environment.name == self.active else ""
            overridden = self._overridden.get(entry.environment.name, {})
            note = (" Used instead while Sluice runs: "
                    + ", ".join(f"{name} = {value} ({source})" for name, (value, source) in overridden.items()) + "."
                    if overridden else "")
            self.set_status(f"{entry.environment.name}{active}: {count} variable{'s' if count != 1 else ''}, "
                            f'one name = "value" per line (TOML; # comments are kept).{note}{escaped}')

    def note_renamed(self, old: str, new: str) -> None:
        """Remember that `old` is `new` now (a → b → c is a → c)."""
        first = next((before for before, after in self.renamed.items() if after == old), old)
        self.renamed[first] = new
        if old in self._overridden:
            self._overridden[new] = self._overridden.pop(old)

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

        self.leave_edits(lambda: self._show(entry), go_back, f"showing {entry.environment.name}")

    def leave_edits(self, then: Callable[[], object], otherwise: Callable[[], object], doing: str) -> None:
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

    def _relabel(self) -> None:
        """Redraw the list's labels (`●` in use, `(default)`) from disk, keeping the highlight and the editor."""
        from app.model.collection_file import read_default_environment

        self.default = read_default_environment(self.root)
        options = self.query_one(EnvironmentList)
        for index, entry in enumerate(self.entries):
            options.replace_option_prompt_at_index(index, self._label(entry))

    def _label(self, entry: EnvironmentEntry) -> Text:
        name = entry.environment.name
        label = Text("● " if name == self.active else "  ", style="bold green")
        label.append(safe_line(name), style="bold" if name == self.active else "")
        if name == self.default:
            label.append(" (default)", style="dim")
        if entry.problem:
            label.append(" ⚠ broken", style="bold red")
        return label

    def save(self, then: Callable[[], object] | None = None, otherwise: Callable[[], object] | None = None) -> None:
        """Save the editor's text to the shown environment's file; `then` runs once it is saved, `otherwise`
        if it was not (the screen's own, `screen.py`: asked about before leaving unsaved edits)."""
        raise NotImplementedError
