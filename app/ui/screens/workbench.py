"""What every part of the main screen works on: the collection, the open request, the environment.

`WorkbenchBase` is the main screen's core; the screen's behaviours are mixins on top of it, each with its
own keys (`BINDINGS`) beside its actions: files (`files.py`), sending (`send.py`), layout (`layout.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.model.collection import Collection, RequestFile
from app.model.request_definition import RequestDefinition
from app.terminal_text import safe_line
from app.ui.collection.tree import CollectionTree
from app.ui.focus_paint import QuietFocusScreen
from app.ui.request.bridge import definition_from_draft, draft_from_definition
from app.ui.request.editor import RequestEditor
from app.ui.request.url_bar import VariableHighlighter
from app.ui.response.pane import ResponsePane

if TYPE_CHECKING:
    from app.model.scopes import RunScopes


@dataclass(slots=True)
class RunValues:
    """Values that win over the scopes of one collection (or of one of its environments), and where each
    came from (`demo server`, `extracted by POST Start job`: the resolved preview says)."""

    values: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Workspace:
    """What the screen is working on: the collection, the environment and run-time variables."""

    collection: Collection | None = None
    environment: str | None = None
    kept_credentials: set[Path] = field(default_factory=set)
    """Request files the user chose to save with literal credentials: not asked again this session."""
    runs: dict[tuple[Path | None, str | None], RunValues] = field(default_factory=dict)
    """Run values by the (resolved) root of the collection they belong to and the environment they are
    for (None: all of them). A job id extracted in one collection means nothing in another, and the demo
    server's address is the sample collection's `demo` environment's: another collection opened from the
    palette, or another environment made in the demo, uses its own `base_url`."""

    def run_values(self, root: Path | None = None, environment: str | None = None) -> RunValues:
        """The run values of the collection at `root` (default: the one shown), for `environment` only or
        (None) whichever is active."""
        if root is None:
            root = self.collection.root if self.collection is not None else None
        else:
            root = root.resolve()
        return self.runs.setdefault((root, environment), RunValues())

    @property
    def run_variables(self) -> dict[str, str]:
        """The shown collection's run values for every environment (values extracted from responses)."""
        return self.run_values().values

    @property
    def run_sources(self) -> dict[str, str]:
        """Where each of `run_variables` came from."""
        return self.run_values().sources

    def rename_environments(self, root: Path, renamed: Mapping[str, str]) -> None:
        """Environments of the collection at `root` renamed (old name → new): their run values follow, all
        moved at once (a swap, a → b and b → a, swaps them)."""
        root = root.resolve()
        moved = {new: self.runs.pop((root, old)) for old, new in renamed.items() if (root, old) in self.runs}
        for new, run in moved.items():
            kept = self.runs.setdefault((root, new), RunValues())
            kept.values.update(run.values)
            kept.sources.update(run.sources)

    def active_run_values(self) -> RunValues:
        """What wins over every scope now: the shown collection's run values, and those for its active
        environment (the demo server's address in `demo`)."""
        shared = self.run_values()
        if self.environment is None:
            return shared
        own = self.run_values(environment=self.environment)
        return RunValues({**own.values, **shared.values}, {**own.sources, **shared.sources})


class WorkbenchBase(QuietFocusScreen[None]):
    """The collection, the request open in the editor and how its variables resolve.

    A focus change repaints only what it restyles (`QuietFocusScreen`), not the whole screen."""

    def __init__(self) -> None:
        super().__init__()
        self.workspace = Workspace()
        self.current: RequestFile | None = None
        """The request file open in the editor (None: a request not saved yet)."""
        self.draft_base: RequestDefinition | None = None
        """What the editor's request was made from when that is not `current`'s file (a curl import): the
        fields the editor has no box for (timeouts, TLS, redirects, HTTP/2) come from here."""
        self.new_request_folder: Path | None = None
        """Where a request not saved yet is saved (the folder of the request a curl command was pasted
        over); None: the collection's root."""
        self._known_variable: Callable[[str], bool] = lambda name: False
        self.highlighter = VariableHighlighter(lambda name: self._known_variable(name))
        self.keymap: Mapping[str, str] = {}
        """The user's `[keymap]` (binding id → keys): hints and messages name the keys it gives."""
        self.header_note = ""
        """Shown in the header after the environment (`sluice --demo`: the demo server's address)."""

    def key_of(self, binding_id: str) -> str:
        """The first key of this screen's binding `binding_id` as the help shows it, the user's keymap
        applied (`alt+v`, `^s`): what a hint or a message names."""
        from app.ui.bindings import class_bindings, key_display

        binding = next(binding for binding in class_bindings(type(self)) if binding.id == binding_id)
        return key_display(self.app, binding, self.keymap).split(" / ")[0]

    @property
    def collection_tree(self) -> CollectionTree:
        return self.query_one(CollectionTree)

    @property
    def editor(self) -> RequestEditor:
        return self.query_one(RequestEditor)

    @property
    def response_pane(self) -> ResponsePane:
        return self.query_one(ResponsePane)

    # -- the collection --------------------------------------------------------------------------

    def show_collection(self, view: Collection, *, select: Path | None = None,
                        environment: str | None = None) -> None:
        """Display a loaded collection; the first request (or `select`) opens in the editor."""
        self.workspace.collection = view
        names = view.environment_names
        if environment is not None or self.workspace.environment not in names:
            chosen = environment if environment is not None else view.default_environment
            self.workspace.environment = chosen if chosen in names else None
        if select is not None:
            target = view.request(select)
        elif self.current is not None:
            target = view.request(self.current.path)  # reloaded: pick up the file's new stamp
        else:
            target = next(iter(view.requests()), None)
        # The cursor starts on the request the editor shows, so `j` from there is the next one.
        self.collection_tree.show_collection(view, select=target.path if target is not None else select)
        if self.focused is None or self.focused.id == "tree-filter":
            # At once, not from a later callback as `focus()` does: at start-up the focused tree's style and
            # its keys in the footer are then part of the screen's first layout, not of a second one.
            self.set_focus(self.collection_tree)
        # Never replace unsaved edits: the tree moves, the editor keeps what the user typed.
        if target is not None and not self.editor.is_dirty:
            self.open_request(target)
        self.update_header()
        self.refresh_variables()

    def reload_collection(self, select: Path | None = None) -> None:
        """Read the collection from disk again (unsaved edits in the editor are kept)."""
        if self.workspace.collection is None:
            return
        from app.model.collection import load_collection

        self.show_collection(load_collection(self.workspace.collection.root), select=select)

    def open_request(self, entry: RequestFile) -> None:
        """Load `entry` into the editor (the caller has dealt with unsaved edits)."""
        self.current = entry
        self.draft_base = None
        self.new_request_folder = None
        draft = draft_from_definition(entry.definition)
        self.editor.load(draft, entry.path)
        if draft.is_websocket:
            # What a WebSocket request is for: its composer and saved messages.
            self.editor.show_tab("tab-messages")
        self.refresh_variables()

    def update_header(self) -> None:
        view = self.workspace.collection
        self.title = f"Sluice — {safe_line(view.name)}" if view else "Sluice"
        environment = f"env: {safe_line(self.workspace.environment or 'none')}"
        self.sub_title = f"{environment} · {safe_line(self.header_note)}" if self.header_note else environment

    # -- the request as the model sees it --------------------------------------------------------

    def _base_definition(self) -> RequestDefinition | None:
        if self.draft_base is not None:
            return self.draft_base
        entry = self.current
        return entry.definition if entry is not None else None

    def current_definition(self) -> RequestDefinition:
        """The edited request; raises `DraftError` for a line that cannot be read."""
        return definition_from_draft(self.editor.draft, self._base_definition())

    def scopes(self) -> RunScopes:
        """Where the open request's variables come from, with the active environment (environment files and
        `.env` changed on disk since they were read are read again first)."""
        from app.ui.collection.loader import request_scopes

        self.pick_up_environment_files()
        workspace = self.workspace
        run = workspace.active_run_values()
        return request_scopes(workspace.collection, self.editor.path, workspace.environment, run.values, run.sources)

    def pick_up_environment_files(self) -> None:
        """Use the environment files and `.env` as they are on disk now, if any was added, removed or edited
        since they were read. Checked whenever the variables are about to be used (a request opened or
        sent, the environments screen closed): a few `stat` calls, no watcher thread, nothing polled."""
        from app.model.collection import refresh_environments

        workspace = self.workspace
        if workspace.collection is None:
            return
        fresh = refresh_environments(workspace.collection)
        if fresh is workspace.collection:
            return
        workspace.collection = fresh
        if workspace.environment is not None and workspace.environment not in fresh.environment_names:
            self.notify(f"Environment {safe_line(workspace.environment)} is no longer there "
                        f"(environments/{safe_line(workspace.environment)}.toml): none is active now.",
                        severity="warning", timeout=8)
            workspace.environment = None
        self.update_header()

    def refresh_variables(self) -> None:
        """Re-colour the URL's variables after the environment, the request or a run variable changed."""
        try:
            chain = self.scopes().chain(self._base_definition())
        except Exception:  # an unknown environment must not break highlighting: everything shows unresolved
            self._known_variable = lambda name: False
        else:
            self._known_variable = chain.knows
        # The demo server can report before the editor is composed: refresh whatever exists.
        for url in self.query("#url"):
            url.refresh()
