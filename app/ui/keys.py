"""Keys from one source: the widgets' `BINDINGS`, with the user's `[keymap]` applied by binding id.

The help screen (`?`), the command palette (Ctrl+P) and the README's list of ids are all read from here;
no key is written down anywhere else. The keymap itself is applied by Textual (`App.set_keymap`); this
module only shows the same keys it will use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

# Re-exported: the help, the palette and the tests read every key from this module.
from app.ui.bindings import as_binding as as_binding
from app.ui.bindings import class_bindings as class_bindings
from app.ui.bindings import key_display as key_display
from app.ui.bindings import keys_of as keys_of


@dataclass(frozen=True, slots=True)
class KeyGroup:
    """Bindings that apply in one place ("Collection tree"), taken from those classes' `BINDINGS`."""

    title: str
    owners: tuple[type[DOMNode], ...]

    @property
    def bindings(self) -> list[Binding]:
        return [binding for owner in self.owners for binding in class_bindings(owner)]


def key_groups(app_type: type[App[Any]]) -> list[KeyGroup]:
    """Every group of keys of the workbench (`app_type`'s own first), in the order the help screen lists them."""
    from app.ui.collection.dialogs import ConfirmDialog, MessageDialog, NameDialog
    from app.ui.collection.tree import CollectionTree
    from app.ui.environments.base import EnvironmentList
    from app.ui.environments.resolved import ResolvedScreen
    from app.ui.environments.screen import EnvironmentsScreen
    from app.ui.environments.secrets_dialog import DeleteEnvironmentDialog, MoveSecretsDialog
    from app.ui.help_screen import HELP_GROUP, HelpScreen
    from app.ui.history.panel import HistoryPanel
    from app.ui.request.websocket_tabs import MessagesTab
    from app.ui.response.body_view import BodyView
    from app.ui.response.detail import EventDetailScreen
    from app.ui.response.info_views import HeadersView
    from app.ui.response.merged_view import MergedView
    from app.ui.response.pane import ResponsePane
    from app.ui.response.tab_stack import TabBar
    from app.ui.response.timeline import TimelineView
    from app.ui.response.timeline_panel import TimelinePanel
    from app.ui.screens.curl_paste import CurlPasteDialog
    from app.ui.screens.main import MainScreen
    from app.ui.screens.unsaved import UnsavedChangesDialog
    from app.ui.script_trust import ScriptTrustScreen

    return [
        KeyGroup("Everywhere", (app_type,)),
        KeyGroup("Workbench", (MainScreen,)),
        KeyGroup("Collection tree", (CollectionTree,)),
        KeyGroup("History", (HistoryPanel,)),
        KeyGroup("Response", (ResponsePane, TabBar)),
        KeyGroup("Timeline", (TimelineView, TimelinePanel)),
        KeyGroup("Merged", (MergedView,)),
        KeyGroup("Headers", (HeadersView,)),
        KeyGroup("Body", (BodyView,)),
        KeyGroup("WebSocket message", (MessagesTab,)),
        KeyGroup("Event detail", (EventDetailScreen,)),
        KeyGroup("Environments", (EnvironmentsScreen, EnvironmentList)),
        KeyGroup("Resolved preview", (ResolvedScreen,)),
        KeyGroup("Dialogs", (UnsavedChangesDialog, CurlPasteDialog, MoveSecretsDialog, DeleteEnvironmentDialog,
                             ScriptTrustScreen, ConfirmDialog, NameDialog, MessageDialog)),
        KeyGroup(HELP_GROUP, (HelpScreen,)),
    ]


def binding_ids(groups: Iterable[KeyGroup]) -> set[str]:
    """Every id a `[keymap]` may name."""
    return {binding.id for group in groups for binding in group.bindings if binding.id}


def markdown_table(groups: Iterable[KeyGroup]) -> str:
    """The README's key table: where, default keys (as a `[keymap]` writes them), binding id, what it does."""
    lines = ["| where | keys | id (for `[keymap]`) | what it does |", "| --- | --- | --- | --- |"]
    for group in groups:
        for binding in group.bindings:
            if binding.description and binding.id:
                what = (binding.tooltip or binding.description).replace("|", "\\|")
                lines.append(f"| {group.title} | `{binding.key}` | `{binding.id}` | {what} |")
    return "\n".join(lines)
