"""Keys from one source: the widgets' `BINDINGS`, with the user's `[keymap]` applied by binding id.

The help screen (`?`), the command palette (Ctrl+P) and the README's list of ids are all read from here;
no key is written down anywhere else. The keymap itself is applied by Textual (`App.set_keymap`); this
module only shows the same keys it will use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode


@dataclass(frozen=True, slots=True)
class KeyGroup:
    """Bindings that apply in one place ("Collection tree"), taken from those classes' `BINDINGS`."""

    title: str
    owners: tuple[type[DOMNode], ...]

    @property
    def bindings(self) -> list[Binding]:
        return [binding for owner in self.owners for binding in class_bindings(owner)]


def class_bindings(owner: type[DOMNode]) -> list[Binding]:
    """The `BINDINGS` declared by `owner` and its Sluice base classes (Textual's own are not listed)."""
    found: list[Binding] = []
    for cls in reversed(owner.__mro__):
        if cls.__module__.startswith("app.") and "BINDINGS" in cls.__dict__:
            found.extend(as_binding(item) for item in cls.__dict__["BINDINGS"])
    return found


def as_binding(item: BindingType) -> Binding:
    if isinstance(item, Binding):
        return item
    key, action, *rest = item
    return Binding(key, action, rest[0] if rest else "")


def key_groups(app_type: type[App[Any]]) -> list[KeyGroup]:
    """Every group of keys of the workbench (`app_type`'s own first), in the order the help screen lists them."""
    from app.ui.collection.dialogs import ConfirmDialog, MessageDialog, NameDialog
    from app.ui.collection.tree import CollectionTree
    from app.ui.environments.resolved import ResolvedScreen
    from app.ui.environments.screen import EnvironmentList, EnvironmentsScreen
    from app.ui.environments.secrets_dialog import MoveSecretsDialog
    from app.ui.help_screen import HelpScreen
    from app.ui.history.panel import HistoryPanel
    from app.ui.response.body_view import BodyView
    from app.ui.response.detail import EventDetailScreen
    from app.ui.response.pane import ResponsePane
    from app.ui.response.timeline import TimelineView
    from app.ui.response.timeline_panel import TimelinePanel
    from app.ui.screens.curl_paste import CurlPasteDialog
    from app.ui.screens.main import MainScreen
    from app.ui.screens.unsaved import UnsavedChangesDialog

    return [
        KeyGroup("Everywhere", (app_type,)),
        KeyGroup("Workbench", (MainScreen,)),
        KeyGroup("Collection tree", (CollectionTree,)),
        KeyGroup("History", (HistoryPanel,)),
        KeyGroup("Response", (ResponsePane,)),
        KeyGroup("Timeline", (TimelineView, TimelinePanel)),
        KeyGroup("Body", (BodyView,)),
        KeyGroup("Event detail", (EventDetailScreen,)),
        KeyGroup("Environments", (EnvironmentsScreen, EnvironmentList)),
        KeyGroup("Resolved preview", (ResolvedScreen,)),
        KeyGroup("Dialogs", (UnsavedChangesDialog, CurlPasteDialog, MoveSecretsDialog, ConfirmDialog, NameDialog,
                             MessageDialog)),
        KeyGroup("Help", (HelpScreen,)),
    ]


def binding_ids(groups: Iterable[KeyGroup]) -> set[str]:
    """Every id a `[keymap]` may name."""
    return {binding.id for group in groups for binding in group.bindings if binding.id}


def keys_of(binding: Binding, keymap: Mapping[str, str]) -> str:
    """The keys `binding` answers to once the keymap is applied (comma-separated)."""
    return keymap.get(binding.id, binding.key) if binding.id else binding.key


def key_display(app: App[Any], binding: Binding, keymap: Mapping[str, str]) -> str:
    """How the footer would show the binding's keys (`^j / ^enter`), keymap applied."""
    keys = [key.strip() for key in keys_of(binding, keymap).split(",") if key.strip()]
    return " / ".join(app.get_key_display(replace(binding, key=key, key_display=None)) for key in keys)


def markdown_table(groups: Iterable[KeyGroup]) -> str:
    """The README's key table: where, default keys (as a `[keymap]` writes them), binding id, what it does."""
    lines = ["| where | keys | id (for `[keymap]`) | what it does |", "| --- | --- | --- | --- |"]
    for group in groups:
        for binding in group.bindings:
            if binding.description and binding.id:
                what = (binding.tooltip or binding.description).replace("|", "\\|")
                lines.append(f"| {group.title} | `{binding.key}` | `{binding.id}` | {what} |")
    return "\n".join(lines)
