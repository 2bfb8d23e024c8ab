"""The app shell driven with Pilot on a scratch collection (no network needed)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from helpers_ui_app import burst, open_named, tree_labels, wait_until

from app.model.collection import BrokenFile, RequestFile
from app.ui.app import SluiceApp
from app.ui.collection.dialogs import ConfirmDialog, MessageDialog, NameDialog
from app.ui.help_screen import HelpScreen
from app.ui.screens.curl_paste import CurlPasteDialog

SIZE = (120, 40)


async def test_tree_shows_badges_and_broken_files(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(tree_labels(app)))
        await pilot.pause()
        labels = tree_labels(app)
        assert "SSE    OpenAI chat" in labels
        assert "WS     Echo" in labels
        assert "GET    Drip" in labels
        assert "BROKEN broken.toml" in labels
        assert app.main_screen.sub_title == "env: local"
        assert app.main_screen.title == "Sluice — Scratch"


async def test_broken_file_opens_its_error(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(tree_labels(app)))
        await pilot.pause()
        tree = app.main_screen.collection_tree
        tree.focus()
        broken = next(node for node in tree.root.children if isinstance(node.data, BrokenFile))
        tree.move_cursor(broken)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MessageDialog))
        assert "broken.toml:1" in str(app.screen.query_one("#body").render())


async def test_filter_narrows_the_tree_and_escape_clears_it(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(tree_labels(app)))
        await pilot.pause()
        app.main_screen.collection_tree.focus()
        await pilot.press("slash", "e", "c", "h", "o")
        await wait_until(pilot, lambda: "SSE    OpenAI chat" not in tree_labels(app))
        assert tree_labels(app) == ["streams", "WS     Echo"]
        await pilot.press("escape")
        await wait_until(pilot, lambda: "SSE    OpenAI chat" in tree_labels(app))
        assert app.focused is app.main_screen.collection_tree
        # Enter opens the match and leaves the tree narrowed; Esc there clears the filter too.
        await burst(pilot, "slash", *"echo", "enter")
        await wait_until(pilot, lambda: app.main_screen.editor.draft.name == "Echo")
        assert tree_labels(app) == ["streams", "WS     Echo"] and app.focused is app.main_screen.collection_tree
        await pilot.press("escape")
        await wait_until(pilot, lambda: "SSE    OpenAI chat" in tree_labels(app))
        assert not app.main_screen.query_one("#tree-filter").display


async def test_open_edit_mark_dirty_and_save(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(tree_labels(app)))
        await pilot.pause()
        screen = app.main_screen
        chat = next(entry for entry in screen.workspace.collection.requests() if entry.title == "OpenAI chat")
        screen.open_request(chat)
        await pilot.pause()
        assert not screen.editor.is_dirty
        screen.action_focus_url()
        await pilot.press("end", "?", "x", "=", "1")
        await wait_until(pilot, lambda: screen.editor.is_dirty)
        assert str(screen.editor.query_one("#title").render()).startswith("● ")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen.editor.is_dirty)
        saved = tomllib.loads((collection / "llm" / "chat.toml").read_text(encoding="utf-8"))
        assert saved["url"] == "{{base_url}}/v1/chat/completions?x=1"
        assert saved["headers"] == {"Authorization": "Bearer {{token}}"}


async def test_unresolved_variable_is_a_clear_error_and_nothing_is_sent(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(tree_labels(app)))
        await pilot.pause()
        screen = app.main_screen
        entry = next(entry for entry in screen.workspace.collection.requests() if entry.title == "Needs token")
        screen.open_request(entry)
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert screen.live is None
        messages = [notification.message for notification in app._notifications]
        assert any("no_such_variable" in message and "Not sent" in message for message in messages)


async def test_new_rename_duplicate_delete(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(tree_labels(app)))
        await pilot.pause()
        screen = app.main_screen
        tree = screen.collection_tree
        tree.focus()
        tree.move_cursor(next(node for node in tree.root.children if str(node.label) == "streams"))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NameDialog))
        await pilot.press(*"Stream me", "enter")
        await wait_until(pilot, lambda: (collection / "streams" / "stream-me.toml").exists())
        await wait_until(pilot, lambda: "GET    Stream me" in tree_labels(app))
        await wait_until(pilot, lambda: isinstance(tree.cursor_node.data, RequestFile)
                         and tree.cursor_node.data.title == "Stream me")

        await pilot.press("d")
        await wait_until(pilot, lambda: (collection / "streams" / "stream-me-copy.toml").exists())

        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, NameDialog))
        app.screen.query_one("#name").value = "Renamed"
        await pilot.press("enter")
        await wait_until(pilot, lambda: (collection / "streams" / "renamed.toml").exists())
        assert not (collection / "streams" / "stream-me-copy.toml").exists()
        assert 'name = "Renamed"' in (collection / "streams" / "renamed.toml").read_text(encoding="utf-8")

        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await pilot.pause()
        assert (collection / "streams" / "renamed.toml").exists()
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: not (collection / "streams" / "renamed.toml").exists())
        assert "GET    Renamed" not in tree_labels(app)


async def test_help_lists_keys_and_closes(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(tree_labels(app)))
        await pilot.pause()
        app.main_screen.collection_tree.focus()
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen))


async def test_pasting_curl_imports_and_copy_as_curl_round_trips(collection: Path) -> None:
    from textual import events

    app = SluiceApp(collection)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(tree_labels(app)))
        screen = app.main_screen
        url = screen.query_one("#url")
        url.focus()
        command = "curl https://api.example.com/v1/chat \\\n  -H 'Authorization: Bearer sk-test' \\\n  --json '{\"stream\": true}'"
        url.post_message(events.Paste(command))
        await wait_until(pilot, lambda: isinstance(app.screen, CurlPasteDialog))  # a saved request is open
        await pilot.press("n")
        await wait_until(pilot, lambda: screen.editor.draft.url == "https://api.example.com/v1/chat")
        draft = screen.editor.draft
        assert draft.method == "POST" and draft.body == '{"stream": true}'
        assert "Authorization: Bearer sk-test" in draft.headers
        assert screen.editor.is_dirty and screen.editor.path is None
        await pilot.press("alt+c")
        await wait_until(pilot, lambda: bool(copied))
        assert copied[0].startswith("curl ") and "api.example.com/v1/chat" in copied[0]
        assert "sk-test" not in copied[0]


async def test_url_variables_are_marked_resolved_or_not(collection: Path) -> None:
    from rich.text import Text

    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(tree_labels(app)))
        screen = app.main_screen
        highlighter = screen.highlighter
        text = Text("{{base_url}}/x?key={{no_such_variable}}")
        highlighter.highlight(text)
        styles = {text.plain[span.start:span.end]: str(span.style) for span in text.spans}
        assert styles["{{base_url}}"] == highlighter.resolved_style
        assert styles["{{no_such_variable}}"] == highlighter.unresolved_style


async def test_environment_switch_updates_header_and_resolution(collection: Path) -> None:
    (collection / "environments" / "other.toml").write_text('ws_url = "ws://x"\n', encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(tree_labels(app)))
        screen = app.main_screen
        assert screen.sub_title == "env: local" and screen._known_variable("base_url")
        from app.ui.keys import class_bindings
        from app.ui.screens.main import MainScreen

        key = next(b.key for b in class_bindings(MainScreen) if b.id == "app.environment").split(",")[0]
        # From the URL field too: Input's own Ctrl+E (end of line) once hid the environment key there.
        screen.action_focus_url()
        await pilot.press(key)  # the environments screen: `local` highlighted, `j` `enter` switches to `other`
        await wait_until(pilot, lambda: type(app.screen).__name__ == "EnvironmentsScreen")
        await pilot.press("j", "enter")
        await wait_until(pilot, lambda: screen.sub_title == "env: other")
        assert not screen._known_variable("base_url")


async def test_empty_directory_starts_a_new_collection(tmp_path: Path) -> None:
    empty = tmp_path / "fresh"
    empty.mkdir()
    app = SluiceApp(empty)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        assert tree_labels(app) == []
        app.main_screen.collection_tree.focus()
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NameDialog))
        await pilot.press(*"first", "enter")
        await wait_until(pilot, lambda: (empty / "first.toml").exists())
        await wait_until(pilot, lambda: tree_labels(app) == ["GET    first"])


async def test_history_reopens_with_the_keyboard(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(tree_labels(app)))
        screen = app.main_screen
        for _ in range(2):
            await pilot.press("ctrl+j")
            await wait_until(pilot, lambda: screen.live is not None and screen.live.session.finished)
        first = screen.query_one("#history").entries[1].session
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: screen.query_one("#history").has_focus)
        shown = {key: active.binding.description for key, active in screen.active_bindings.items()
                 if active.enabled and active.binding.show}
        assert shown.get("enter") == "Re-open"  # the footer says what the list is for
        assert shown.get("H") == "Export HAR"  # and what else it does
        await pilot.press("j", "enter")
        await wait_until(pilot, lambda: screen.response_pane.session is first)


async def test_file_operations_never_discard_unsaved_edits(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(tree_labels(app)))
        screen = app.main_screen
        screen.action_focus_url()
        await pilot.press("end", "/", "e", "d", "i", "t")
        await wait_until(pilot, lambda: screen.editor.is_dirty)
        edited = screen.editor.draft.url
        screen.collection_tree.focus()
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NameDialog))
        await pilot.press(*"another", "enter")
        await wait_until(pilot, lambda: "GET    another" in tree_labels(app))
        assert screen.editor.draft.url == edited and screen.editor.is_dirty


async def test_env_option_activates_that_environment_or_says_it_is_missing(collection: Path) -> None:
    (collection / "environments" / "staging.toml").write_text('base_url = "http://127.0.0.1:9"\n', encoding="utf-8")
    app = SluiceApp(collection, environment="staging")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        assert app.main_screen.workspace.environment == "staging"
    missing = SluiceApp(collection, environment="nope")
    async with missing.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: missing.main_screen.workspace.collection is not None)
        await wait_until(pilot, lambda: any("nope" in str(note.message) for note in missing._notifications))
        assert missing.main_screen.workspace.environment is None


async def test_ctrl_page_keys_step_through_the_editor_tabs(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        editor = app.main_screen.editor
        await pilot.press("ctrl+pagedown", "ctrl+pagedown")
        await wait_until(pilot, lambda: editor.active_tab == "tab-body")
        await pilot.press("ctrl+pageup", "ctrl+pageup", "ctrl+pageup")
        await wait_until(pilot, lambda: editor.active_tab == "tab-extract")


async def test_a_header_typed_that_cannot_be_sent_is_named_at_send_and_at_save(collection: Path) -> None:
    from textual.widgets import TextArea

    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(tree_labels(app)))
        screen = app.main_screen
        open_named(app, "OpenAI chat")
        await pilot.pause()
        screen.editor.show_tab("tab-headers")
        await wait_until(pilot, lambda: bool(screen.editor.query("#headers")))
        area = screen.editor.query_one("#headers", TextArea)
        await wait_until(pilot, lambda: area.text.startswith("Authorization"))
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.press("enter", *"X Trace: 1")
        await wait_until(pilot, lambda: screen.editor.is_dirty)
        before = (collection / "llm" / "chat.toml").read_bytes()
        await pilot.press("ctrl+j")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(app._notifications) >= 2)
        assert screen.live is None
        notes = [(notification.title, notification.message) for notification in app._notifications]
        assert [title for title, _ in notes] == ["Not sent", "Not saved"]
        assert all("header 'X Trace': a space cannot be in a header name" in message for _, message in notes)
        assert (collection / "llm" / "chat.toml").read_bytes() == before
        assert screen.editor.is_dirty  # the typing is kept, to be fixed
