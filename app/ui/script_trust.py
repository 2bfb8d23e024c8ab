"""Trusting a collection's merge script: asked once, before anything of it runs.

Sending a request whose merge script (its own, its folder's or the collection's) has no remembered
answer opens `ScriptTrustScreen`, showing the script's path and first lines. The answer is kept in the
settings keyed by the collection's path and the script's SHA-256, so a changed script asks again; the
hash travels with the request, and the merge engine runs only bytes with that hash. Refusing still sends
the request: the Merged tab says why the script was not used.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from app.model.collection import Collection
from app.model.merge_script import MergeScriptRef, merge_script_for, read_merge_script
from app.model.request_definition import RequestDefinition
from app.terminal_text import safe_block, safe_line
from app.ui.settings import ScriptAnswer, Settings

if TYPE_CHECKING:
    from app.streams.merge.script import MergeScriptSpec

PREVIEW_LINES = 15


class ScriptTrustScreen(ModalScreen[bool]):
    """Asks whether a merge script may run: dismissed with True (trust) or False (do not run)."""

    DEFAULT_CSS = """
    ScriptTrustScreen {
        align: center middle;
        & > Vertical { width: 90; max-width: 95%; height: auto; max-height: 90%; border: thick $warning;
                       background: $surface; padding: 1 2; }
        & #trust-preview { background: $panel; padding: 0 1; margin: 1 0; height: auto; max-height: 20; }
        & Horizontal { height: auto; align-horizontal: right; }
        & Button { margin-left: 2; }
    }
    """

    BINDINGS = [
        Binding("t", "answer(True)", "Trust and run", id="script_trust.trust"),
        Binding("n,escape", "answer(False)", "Don't run", id="script_trust.refuse"),
    ]

    def __init__(self, ref: MergeScriptRef, preview: str) -> None:
        super().__init__()
        self.ref = ref
        self.preview = preview

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Run this collection's merge script?", classes="title")
            yield Static(
                safe_line(f"{self.ref.shown}  ({self.ref.path})") + "\n"
                + safe_line(f"collection: {self.ref.collection_root}") + "\n"
                "It is Python code and runs with your permissions. Trust it only if you know what it does;"
                " the answer is remembered until the file changes.",
                markup=False,
            )
            yield Static(self.preview, id="trust-preview", markup=False)
            with Horizontal():
                yield Button("Trust and run (t)", id="trust", variant="warning")
                yield Button("Don't run (n)", id="refuse", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#refuse", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "trust")

    def action_answer(self, trusted: bool) -> None:
        self.dismiss(trusted)


def preview_of(source: bytes) -> str:
    """The script's first lines (of the bytes that were hashed for trust), made safe for the terminal."""
    lines = source.decode("utf-8", errors="replace").splitlines()
    shown = "\n".join(lines[:PREVIEW_LINES])
    more = f"\n… {len(lines) - PREVIEW_LINES} more lines" if len(lines) > PREVIEW_LINES else ""
    return safe_block(shown) + more


class TrustKeeper(Protocol):
    """What asking needs of the app: the settings, a way to remember an answer, and screens."""

    settings: Settings

    def remember_script_answer(self, answer: ScriptAnswer) -> None: ...

    def push_screen(self, screen: Any, callback: Any = None) -> Any: ...


def with_script_trust(
    app: TrustKeeper,
    collection: Collection | None,
    request_path: Path | None,
    definition: RequestDefinition,
    send: Callable[[MergeScriptSpec | None], None],
) -> None:
    """Call `send` with the request's merge script as the user's trust decides it, asking first when the
    script (this content, in this collection) was never answered about. No script: `send(None)` at once."""
    # app.streams.merge loads the whole merge engine: imported by the first send, not at start-up.
    from app.streams.merge.script import MergeScriptSpec, script_fingerprint

    ref = merge_script_for(collection, request_path, definition)
    if ref is None:
        send(None)
        return
    if ref.problem:  # never read, not even for the preview, whatever an earlier answer was
        send(MergeScriptSpec(ref.path, ref.shown, False, f"not run: {ref.problem}"))
        return
    try:
        source = read_merge_script(ref)
    except OSError as error:
        send(MergeScriptSpec(ref.path, ref.shown, False, f"not run: cannot read {ref.shown}: {error.strerror or error}"))
        return
    fingerprint = script_fingerprint(source)
    collection_key = str(ref.collection_root)
    answer = app.settings.script_answer(collection_key, fingerprint)
    if answer is not None:
        send(_spec(ref, fingerprint, answer))
        return

    def answered(trusted: bool | None) -> None:
        trusted = bool(trusted)
        app.remember_script_answer(ScriptAnswer(collection_key, fingerprint, ref.shown, trusted))
        send(_spec(ref, fingerprint, trusted))

    app.push_screen(ScriptTrustScreen(ref, preview_of(source)), answered)


def _spec(ref: MergeScriptRef, fingerprint: str, trusted: bool) -> MergeScriptSpec:
    from app.streams.merge.script import MergeScriptSpec

    reason = "" if trusted else (
        f"not run: you chose not to trust {ref.shown} (asked again when the file changes; the answer is in settings.toml)"
    )
    return MergeScriptSpec(ref.path, ref.shown, trusted, reason, fingerprint, ref.collection_root)
