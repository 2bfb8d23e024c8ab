"""The command palette has every action of the workbench, and each entry works from wherever the focus is:
the place it acts on is shown and focused first (a hidden tree or History, another response tab, the
WebSocket composer), as going there and pressing the key would."""

from __future__ import annotations

from pathlib import Path

from helpers_ui_app import burst, connect_echo, open_named, tree_labels, wait_until
from textual.widgets import Input, Label

from app.ui.app import SluiceApp
from app.ui.bindings import class_bindings
from app.ui.collection.dialogs import NameDialog
from app.ui.history.panel import HistoryPanel
from app.ui.request.websocket_tabs import CloseDialog, MessagesTab
from app.ui.response.body_view import BodyView
from app.ui.response.info_views import HeadersView
from app.ui.response.merged_view import MergedView
from app.ui.response.pane import ResponsePane
from app.ui.response.tab_stack import TabBar
from app.ui.response.timeline import TimelineView

SIZE = (160, 45)

PLACES = {"History: ": (HistoryPanel,), "Response: ": (ResponsePane, TabBar), "Timeline: ": (TimelineView,),
          "Merged: ": (MergedView,), "Headers: ": (HeadersView,), "Body: ": (BodyView,)}


def titles(app: SluiceApp) -> list[str]:
    return [command.title for command in app.get_system_commands(app.main_screen)]


async def run_command(app: SluiceApp, title: str) -> None:
    """Run a palette entry as the palette does: after it closed, from the app's queue."""
    command = next(command for command in app.get_system_commands(app.main_screen) if command.title == title)
    app.call_later(command.callback)


def expected(places: dict[str, tuple[type, ...]]) -> set[str]:
    return {prefix + binding.description for prefix, owners in places.items() for owner in owners
            for binding in class_bindings(owner) if binding.description and not binding.action.startswith("close_")}


async def test_the_palette_lists_the_actions_of_every_pane(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        listed = titles(app)
        assert expected(PLACES) <= set(listed), expected(PLACES) - set(listed)
        assert "Response: Merged" in listed and "History: Export HAR" in listed
        assert not any(title.startswith("WebSocket: ") for title in listed)  # an HTTP request has no composer
        assert len(listed) == len(set(listed)), "a command is listed twice"
        open_named(app, "Echo")
        await wait_until(pilot, lambda: bool(app.main_screen.editor.query("#ws-saved")))
        await pilot.pause()
        listed = titles(app)
        websocket = expected({"WebSocket: ": (MessagesTab,)})
        assert {"WebSocket: Prettify", "WebSocket: Save as template", "WebSocket: Ping",
                "WebSocket: Close with code"} <= websocket <= set(listed)


async def test_a_response_view_entry_shows_its_tab_and_focuses_it_from_the_tree(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        screen = app.main_screen
        screen.collection_tree.focus()
        await run_command(app, "Response: Merged")
        await wait_until(pilot, lambda: isinstance(app.focused, MergedView))
        assert screen.response_pane.active_tab == "tab-merged"
        await run_command(app, "Body: Pretty/raw")
        await wait_until(pilot, lambda: isinstance(app.focused, BodyView))
        assert screen.response_pane.active_tab == "tab-body"
        await run_command(app, "Timeline: Filter")
        await wait_until(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "timeline-filter")
        assert screen.response_pane.active_tab == "tab-timeline"


async def test_a_tree_entry_shows_the_hidden_tree_and_the_keys_typed_next_land_in_its_filter(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        screen = app.main_screen
        screen.action_focus_url()
        await pilot.press("ctrl+b")
        await wait_until(pilot, lambda: not screen.query_one("#sidebar").display)
        await run_command(app, "Tree: Filter")
        await wait_until(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "tree-filter")
        await burst(pilot, *"drip")
        box = screen.query_one("#tree-filter", Input)
        await wait_until(pilot, lambda: box.value == "drip")
        assert screen.query_one("#sidebar").display and screen.layout_settings.tree_visible


async def test_history_entries_show_the_history_first(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        screen = app.main_screen
        history = screen.query_one(HistoryPanel)
        assert not history.display
        screen.action_focus_url()
        await run_command(app, "History: Last")
        await wait_until(pilot, lambda: app.focused is history)
        assert history.display and screen.query_one("#sidebar").display


async def test_websocket_entries_work_from_the_response_pane(demo_collection: Path) -> None:
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await connect_echo(pilot, app)
        screen = app.main_screen
        await screen.action_focus_response()
        await wait_until(pilot, lambda: isinstance(app.focused, TimelineView))
        await run_command(app, "WebSocket: Ping")
        status = screen.editor.query_one("#ws-status", Label)
        await wait_until(pilot, lambda: "pong in" in str(status.render()))
        await burst(pilot, *"hi")  # the entry left the focus in the composer
        await wait_until(pilot, lambda: screen.editor.query_one(MessagesTab).composer_message().content == "hi")
        await run_command(app, "WebSocket: Save as template")
        await wait_until(pilot, lambda: isinstance(app.screen, NameDialog))
        await pilot.press("escape")
        await run_command(app, "WebSocket: Close with code")
        await wait_until(pilot, lambda: isinstance(app.screen, CloseDialog))


async def test_the_composers_keys_ping_and_ask_for_a_close_code(demo_collection: Path) -> None:
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await connect_echo(pilot, app)
        editor = app.main_screen.editor
        await wait_until(pilot, lambda: bool(editor.query("#ws-composer")))
        composer = editor.query_one("#ws-composer")
        composer.focus()
        await wait_until(pilot, lambda: app.focused is composer)
        await pilot.press("alt+p")
        status = editor.query_one("#ws-status", Label)
        await wait_until(pilot, lambda: "pong in" in str(status.render()))
        assert "p" not in editor.query_one(MessagesTab).composer_message().content
        await pilot.press("alt+d")
        await wait_until(pilot, lambda: isinstance(app.screen, CloseDialog))


async def test_palette_offers_screen_actions(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(tree_labels(app)))
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.main_screen)]
        for expected in ("Send", "Save", "History", "Keys", "Theme", "Quit", "Revert", "Reload",
                         "Tree: New", "Tree: Delete", "Tree: Filter"):
            assert expected in titles, expected
        assert len(titles) == len(set(titles)), "a command is listed twice"
        assert not {"Maximize", "Minimize"} & set(titles)
        rename = next(command for command in app.get_system_commands(app.main_screen) if command.title == "Tree: Rename")
        await rename.callback()
        await wait_until(pilot, lambda: isinstance(app.screen, NameDialog))


async def test_palette_reopens_the_last_collection(collection: Path, tmp_path: Path) -> None:
    first = SluiceApp(collection)
    async with first.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(tree_labels(first)))
    other = tmp_path / "other"
    other.mkdir()
    app = SluiceApp(other)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        command = next(c for c in app.get_system_commands(app.main_screen) if c.title == "Open last collection")
        command.callback()
        await wait_until(pilot, lambda: "SSE    OpenAI chat" in tree_labels(app))
        assert app.main_screen.title == "Sluice — Scratch"
