"""The command palette's entries for the workbench: every binding of every pane, by name.

Each pane's entries are prefixed with its place ("Timeline: Next error") and run from wherever the focus is:
the pane is shown first (a hidden tree or History, a maximised other pane, another response tab or the
editor's Messages tab) and takes the focus, as if the user had gone there and pressed the key. Before, the
palette had the screen's and the tree's bindings only, and a tree entry ran on a hidden tree (with the tree
hidden, "Tree: Filter" put the focus in a filter box nobody could see).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from app.ui.bindings import class_bindings, key_display

if TYPE_CHECKING:
    from app.ui.screens.main import MainScreen

Reach = Callable[["MainScreen"], Awaitable[Widget | None]]
"""Show a place of the main screen and focus it; the widget its bindings' owners are found in (None: the
place is not there for this request, such as the composer of an HTTP request)."""


@dataclass(frozen=True, slots=True)
class PalettePlace:
    """Bindings of one place of the workbench, listed as `prefix + description`."""

    prefix: str
    owners: tuple[type[Widget], ...]
    reach: Reach


def palette_command(app: App[Any], binding: Binding, keymap: Mapping[str, str], run: Callable[[], object],
                    prefix: str = "") -> SystemCommand:
    """The palette's entry for `binding`: its description, what it does and its keys (keymap applied)."""
    help_text = f"{binding.tooltip or binding.description}  ({key_display(app, binding, keymap)})"
    return SystemCommand(prefix + binding.description, help_text, run)


def binding_commands(app: App[Any], screen: Screen[Any], keymap: Mapping[str, str]) -> Iterator[SystemCommand]:
    """The entries of the app's bindings and, on the main screen, of the screen's and every place's."""
    from app.ui.screens.main import MainScreen

    def command(binding: Binding, target: App[Any] | Screen[Any]) -> SystemCommand:
        return palette_command(app, binding, keymap, lambda: target.run_action(binding.action))

    for binding in class_bindings(type(app)):
        yield command(binding, app)
    if isinstance(screen, MainScreen):
        for binding in class_bindings(MainScreen):
            if not binding.action.startswith("close_"):
                yield command(binding, screen)
        yield from workbench_commands(app, screen, keymap)


def workbench_commands(app: App[Any], screen: MainScreen, keymap: Mapping[str, str]) -> Iterator[SystemCommand]:
    """The entries of every place of `screen` (the screen's own bindings are the caller's)."""
    for place in _places(screen):
        for owner in place.owners:
            for binding in class_bindings(owner):
                if binding.description and not binding.action.startswith("close_"):
                    yield palette_command(app, binding, keymap, _runner(screen, place, owner, binding.action),
                                          place.prefix)


def _runner(screen: MainScreen, place: PalettePlace, owner: type[Widget], action: str) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        found = await place.reach(screen)
        if found is None:
            return
        target = found if isinstance(found, owner) else found.query_one(owner)
        await target.run_action(action)

    return run


def _places(screen: MainScreen) -> list[PalettePlace]:
    # Imported when the palette opens: the first screen shows none of these views.
    from app.ui.collection.tree import CollectionTree
    from app.ui.history.panel import HistoryPanel
    from app.ui.request.websocket_tabs import MessagesTab
    from app.ui.response.body_view import BodyView
    from app.ui.response.info_views import HeadersView
    from app.ui.response.merged_view import MergedView
    from app.ui.response.pane import ResponsePane
    from app.ui.response.tab_stack import TabBar
    from app.ui.response.timeline import TimelineView

    places = [
        PalettePlace("Tree: ", (CollectionTree,), _reach_tree),
        PalettePlace("History: ", (HistoryPanel,), _reach_history),
        PalettePlace("Response: ", (ResponsePane, TabBar), _reach_response),
        PalettePlace("Timeline: ", (TimelineView,), _reach_tab("tab-timeline")),
        PalettePlace("Merged: ", (MergedView,), _reach_tab("tab-merged")),
        PalettePlace("Headers: ", (HeadersView,), _reach_tab("tab-headers")),
        PalettePlace("Body: ", (BodyView,), _reach_tab("tab-body")),
    ]
    if "tab-messages" in screen.editor.visible_tab_ids():
        places.append(PalettePlace("WebSocket: ", (MessagesTab,), _reach_composer))
    return places


async def _reach_tree(screen: MainScreen) -> Widget:
    screen.action_focus_tree()
    return screen.collection_tree


async def _reach_history(screen: MainScreen) -> Widget:
    return screen.show_history()


async def _reach_response(screen: MainScreen) -> Widget:
    screen.reveal(screen.response_pane)
    return screen.response_pane


def _reach_tab(tab_id: str) -> Reach:
    async def reach(screen: MainScreen) -> Widget:
        pane = await _reach_response(screen)
        await screen.response_pane.action_show_tab(tab_id)
        # A new tab's content takes the focus after the next refresh: wait for that, or it would take the
        # focus back from what the entry's action focuses ("Timeline: Filter" lost its box half the time).
        focused: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        screen.response_pane.call_after_refresh(focused.set_result, None)
        await focused
        return pane

    return reach


async def _reach_composer(screen: MainScreen) -> Widget | None:
    from app.ui.request.websocket_tabs import MessagesTab

    editor = screen.editor
    screen.reveal(editor)
    editor.show_tab("tab-messages", focus="ws-composer")
    # A tab shown for the first time is built from the editor's queue: what runs after it there finds it.
    built: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    editor.call_later(built.set_result, None)
    await built
    return next(iter(editor.query(MessagesTab)), None)
