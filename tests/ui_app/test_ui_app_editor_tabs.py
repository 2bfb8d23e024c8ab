"""The editor shows the tabs a request uses (WebSocket or HTTP), and the help's tab ranges come from the tabs."""

from __future__ import annotations

from pathlib import Path

from helpers_ui_app import burst, open_named, wait_until

from app.ui.app import SluiceApp
from app.ui.keys import key_groups
from app.ui.request.tabs import EDITOR_TABS
from app.ui.response.pane import ResponsePane
from app.ui.response.tab_stack import TabBar


def shown_tabs(app: SluiceApp) -> list[str]:
    return [spec.id for spec in app.main_screen.editor.query_one(TabBar).tabs]


HTTP_TABS = ["tab-params", "tab-headers", "tab-body", "tab-auth", "tab-stream", "tab-extract"]
WS_TABS = ["tab-params", "tab-headers", "tab-auth", "tab-messages", "tab-socket", "tab-extract"]


async def test_websocket_requests_hide_body_and_stream_until_the_url_is_http(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        screen = app.main_screen
        assert shown_tabs(app) == HTTP_TABS
        echo = next(entry for entry in screen.workspace.collection.requests() if entry.title == "Echo")
        screen.open_request(echo)
        await wait_until(pilot, lambda: shown_tabs(app) == WS_TABS)
        assert screen.editor.active_tab == "tab-messages"
        # Ctrl+PageDown cycles through the shown tabs only: Messages -> Socket -> Extract -> Params.
        await burst(pilot, "ctrl+pagedown", "ctrl+pagedown", "ctrl+pagedown")
        await wait_until(pilot, lambda: screen.editor.active_tab == "tab-params")
        # The URL decides: typed into http://, the HTTP tabs come back (and go again for ws://).
        await burst(pilot, "ctrl+l", *"http://x.example/")
        await wait_until(pilot, lambda: shown_tabs(app) == HTTP_TABS)
        await burst(pilot, "end", "ctrl+u", *"ws://x.example/")  # Ctrl+U: delete to the start
        await wait_until(pilot, lambda: shown_tabs(app) == WS_TABS)


def test_the_help_names_as_many_response_tabs_as_there_are() -> None:
    tab_keys = [binding.key for binding in ResponsePane.BINDINGS if binding.action.startswith("show_tab(")]
    assert len(tab_keys) == 6
    tooltips = {binding.id: binding.tooltip for group in key_groups(SluiceApp) for binding in group.bindings}
    assert f"then {tab_keys[0]}-{tab_keys[-1]} switch tabs" in tooltips["app.focus_response"]
    assert all(spec.label in tooltips["request.next_tab"] for spec in EDITOR_TABS)


async def test_a_burst_through_every_tab_builds_each_once_and_loses_no_key(collection: Path) -> None:
    from app.ui.request.editor_tab import EditorTab
    from app.ui.response.tab_stack import StackedPane

    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        editor = app.main_screen.editor
        # Seven presses over six tabs, typed at once: one past Params, on Headers; every tab built on the way.
        await burst(pilot, *["ctrl+pagedown"] * 7)
        await wait_until(pilot, lambda: editor.active_tab == "tab-headers" and all(
            editor.query_one(f"#{tab_id}", StackedPane).query(EditorTab) for tab_id in HTTP_TABS))
        await pilot.pause()
        for tab_id in HTTP_TABS:
            children = list(editor.query_one(f"#{tab_id}", StackedPane).children)
            assert len(children) == 1 and isinstance(children[0], EditorTab), (tab_id, children)
        assert not editor.is_dirty


async def _fields_reached_by_tab(pilot, app: SluiceApp, tab_id: str) -> list[tuple[str, bool]]:
    """Each field Tab reaches in `tab_id` (from its first, as Ctrl+PageDown lands), and whether it was whole in view."""
    editor = app.main_screen.editor
    pane = editor.query_one("#request-panes")
    await wait_until(pilot, lambda: editor.active_tab == tab_id and app.focused is not None
                     and pane in app.focused.ancestors)
    reached: list[tuple[str, bool]] = []
    while app.focused is not None and pane in app.focused.ancestors and app.focused.id not in dict(reached):
        await pilot.pause()  # scrolled into view after the focus moved
        field = app.focused
        reached.append((str(field.id), pane.region.contains_region(field.region) and field.region.height > 0))
        await pilot.press("tab")
    return reached


async def test_at_100x30_every_field_of_every_tab_is_reached_by_tab_and_whole_in_view(collection: Path) -> None:
    (collection / "streams" / "key.toml").write_text(
        'name = "Key"\nurl = "{{base_url}}/x"\n\n[auth]\ntype = "api_key"\nkey = "X-Key"\nvalue = "v"\n', encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        screen = app.main_screen
        for name, tabs in (("Key", HTTP_TABS), ("Echo", WS_TABS)):
            open_named(app, name)
            await wait_until(pilot, lambda tabs=tabs: shown_tabs(app) == tabs)
            await burst(pilot, "ctrl+l")
            start = tabs.index(screen.editor.active_tab)
            for step in range(1, len(tabs) + 1):
                await pilot.press("ctrl+pagedown")
                tab_id = tabs[(start + step) % len(tabs)]
                reached = await _fields_reached_by_tab(pilot, app, tab_id)
                hidden = [field for field, whole in reached if not whole]
                assert reached and not hidden, (name, tab_id, reached)


async def test_the_socket_tabs_size_says_its_unit_and_the_params_columns_have_a_rule(collection: Path) -> None:
    from textual.widgets import Input, Label

    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        screen = app.main_screen
        open_named(app, "Echo")
        await pilot.pause()
        screen.editor.show_tab("tab-socket")
        await wait_until(pilot, lambda: bool(screen.editor.query("#ws-max-size-unit")))
        unit = screen.editor.query_one("#ws-max-size-unit", Label)
        assert str(unit.render()).startswith("bytes = 16.8 MB · a larger message closes")
        field = screen.editor.query_one("#ws-max-size", Input)
        field.focus()
        await pilot.press("end", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
        await wait_until(pilot, lambda: str(unit.render()).startswith("bytes = 16 B"))
        await pilot.press("ctrl+s")  # saved first, so opening another request asks nothing
        await wait_until(pilot, lambda: not screen.editor.is_dirty)
        open_named(app, "OpenAI chat")
        await pilot.pause()
        screen.action_focus_url()
        await pilot.press("end", *"?a=1")
        screen.editor.show_tab("tab-params")
        await wait_until(pilot, lambda: screen.editor.query_one("#url-query-column").display)
        column = screen.editor.query_one("#url-query-column")
        assert column.styles.border_right[0] == "solid"  # the URL's query | [params]
