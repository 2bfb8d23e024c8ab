"""Pasting curl into the URL field: the file-read question is readable whole, a declined file keeps the method;
over a saved request it asks Replace / New / Cancel, through the unsaved-changes question."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from helpers_ui_app import burst, wait_until
from textual import events
from textual.geometry import Region
from textual.widget import Widget

from app.ui.app import SluiceApp
from app.ui.collection.dialogs import ConfirmDialog, NameDialog
from app.ui.screens.curl_paste import CurlPasteDialog
from app.ui.screens.unsaved import UnsavedChangesDialog


def shown_text(widgets: list[Widget]) -> str:
    """What the widgets put on the screen, without the spaces wrapping adds or removes."""
    lines = [strip.text for widget in widgets for strip in widget.render_lines(Region(0, 0, *widget.size))]
    return "".join("".join(lines).split())


async def paste(app: SluiceApp, text: str) -> None:
    url = app.main_screen.query_one("#url")
    url.focus()
    url.post_message(events.Paste(text))


@pytest.mark.parametrize("size", [(100, 30), (160, 45)])
async def test_the_file_question_names_every_path_and_size_at_both_sizes(
    collection: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    folder = tmp_path / "a-rather-long-directory-name" / "with-a-nested-folder-inside-it"
    folder.mkdir(parents=True)
    body = folder / "request-body-payload.json"
    body.write_text('{"x": 1}' * 300, encoding="utf-8")
    upload = folder / "upload.bin"
    upload.write_bytes(b"\x00" * 12345)
    app = SluiceApp(collection)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        await paste(app, f"curl http://x.example/ -d @{body} -H 'X-A: b' --data-binary @{body}")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.pause()
        dialog = app.screen
        text = shown_text(list(dialog.query("Label, #body")))
        assert text.count(str(body)) == 2 and text.count("(2,400bytes)") == 2
        assert "Readthem?" in text
        box = dialog.query_one("Vertical")
        assert box.region.right <= size[0] and box.region.bottom <= size[1]
        await pilot.press("n")  # declined: imported without the file, still the POST curl would send
        await wait_until(pilot, lambda: isinstance(app.screen, CurlPasteDialog))  # a request is open
        await pilot.press("n")
        await wait_until(pilot, lambda: app.main_screen.editor.draft.url == "http://x.example/")
        draft = app.main_screen.editor.draft
        assert draft.method == "POST" and draft.body == ""
        assert str(body) in app.main_screen.current_definition().description


async def test_an_upload_read_after_asking_is_a_put_of_the_file(collection: Path, tmp_path: Path) -> None:
    upload = tmp_path / "notes.txt"
    upload.write_text("hello upload\n", encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        await paste(app, f"curl -T {upload} http://x.example/files/")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, CurlPasteDialog))
        await pilot.press("n")
        await wait_until(pilot, lambda: app.main_screen.editor.draft.url == "http://x.example/files/notes.txt")
        draft = app.main_screen.editor.draft
        assert draft.method == "PUT" and draft.body == "hello upload\n"


CURL = "curl -k -L http://paste.example/v1/items -H 'X-Trace: 1' -d 'a=1'"


async def opened_chat(pilot, app: SluiceApp) -> None:
    await wait_until(pilot, lambda: app.main_screen.current is not None)
    screen = app.main_screen
    chat = next(entry for entry in screen.workspace.collection.requests() if entry.title == "OpenAI chat")
    screen.open_request(chat)
    await pilot.pause()


async def test_pasting_over_a_saved_request_can_replace_it(collection: Path) -> None:
    chat_file = collection / "llm" / "chat.toml"
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await opened_chat(pilot, app)
        screen = app.main_screen
        await paste(app, CURL)
        await wait_until(pilot, lambda: isinstance(app.screen, CurlPasteDialog))
        await pilot.press("r")
        await wait_until(pilot, lambda: screen.editor.draft.url == "http://paste.example/v1/items")
        assert screen.editor.path == chat_file and screen.editor.is_dirty
        assert screen.editor.draft.name == "OpenAI chat" and screen.editor.draft.method == "POST"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "paste.example" in chat_file.read_text(encoding="utf-8"))
        saved = tomllib.loads(chat_file.read_text(encoding="utf-8"))
        assert saved["name"] == "OpenAI chat" and saved["stream"]["merge_profile"] == "openai"
        assert saved["headers"] == {"X-Trace": "1", "Content-Type": "application/x-www-form-urlencoded"}
        # What the editor has no box for comes from curl too: -k and -L.
        assert saved["options"]["verify_tls"] is False and saved["options"].get("follow_redirects", True) is True
        assert not screen.editor.is_dirty
        assert sorted(path.name for path in (collection / "llm").iterdir()) == ["chat.toml"]


async def test_new_request_goes_beside_it_and_cancel_keeps_everything(collection: Path) -> None:
    chat_file = collection / "llm" / "chat.toml"
    before = chat_file.read_text(encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=(160, 45)) as pilot:
        await opened_chat(pilot, app)
        screen = app.main_screen
        await paste(app, CURL)
        await wait_until(pilot, lambda: isinstance(app.screen, CurlPasteDialog))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, CurlPasteDialog))
        assert screen.editor.path == chat_file and not screen.editor.is_dirty
        assert "paste.example" not in screen.editor.draft.url

        await paste(app, CURL)
        await wait_until(pilot, lambda: isinstance(app.screen, CurlPasteDialog))
        await pilot.press("n")
        await wait_until(pilot, lambda: screen.editor.draft.url == "http://paste.example/v1/items")
        assert screen.editor.path is None and screen.current is None
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, NameDialog))
        await pilot.press("enter")  # the suggested name, "POST /v1/items"
        await wait_until(pilot, lambda: len(list((collection / "llm").glob("*.toml"))) == 2)
        new_file = next(path for path in (collection / "llm").glob("*.toml") if path != chat_file)
        assert tomllib.loads(new_file.read_text(encoding="utf-8"))["options"]["verify_tls"] is False
        assert chat_file.read_text(encoding="utf-8") == before


async def test_replacing_unsaved_edits_asks_save_discard_cancel_first(collection: Path) -> None:
    chat_file = collection / "llm" / "chat.toml"
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await opened_chat(pilot, app)
        screen = app.main_screen
        await burst(pilot, "ctrl+l", "end", *"?x=1")
        await wait_until(pilot, lambda: screen.editor.draft.url.endswith("?x=1"))
        await paste(app, CURL)
        await wait_until(pilot, lambda: isinstance(app.screen, CurlPasteDialog))
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press("escape")  # Cancel: the edits stay, nothing imported
        await wait_until(pilot, lambda: not isinstance(app.screen, UnsavedChangesDialog))
        assert screen.editor.draft.url.endswith("?x=1") and screen.editor.is_dirty

        await paste(app, CURL)
        await wait_until(pilot, lambda: isinstance(app.screen, CurlPasteDialog))
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press("s")  # Save the edits, then replace (unsaved) with the curl command
        await wait_until(pilot, lambda: screen.editor.draft.url == "http://paste.example/v1/items")
        assert "?x=1" in chat_file.read_text(encoding="utf-8")
        assert screen.editor.is_dirty and screen.editor.path == chat_file


@pytest.mark.parametrize(("command", "landing"), [(CURL, "tab-body"), ("curl http://paste.example/v1/items", "tab-params")])
async def test_replacing_a_websocket_with_http_lands_on_a_tab_http_shows(
    collection: Path, command: str, landing: str
) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        screen = app.main_screen
        screen.open_request(next(entry for entry in screen.workspace.collection.requests() if entry.title == "Echo"))
        editor = screen.editor
        await wait_until(pilot, lambda: editor.active_tab == "tab-messages")
        await paste(app, command)
        await wait_until(pilot, lambda: isinstance(app.screen, CurlPasteDialog))
        await pilot.press("r")
        await wait_until(pilot, lambda: screen.editor.draft.url == "http://paste.example/v1/items")
        await wait_until(pilot, lambda: editor.active_tab == landing and bool(editor.query_one(f"#{landing}").query("EditorTab")))
        assert editor.active_tab in screen.editor.visible_tab_ids()
        assert "tab-messages" not in screen.editor.visible_tab_ids()
        assert screen.editor.is_dirty and screen.editor.draft.name == "Echo"


async def test_typing_an_http_url_over_a_websocket_one_leaves_the_socket_tab(collection: Path) -> None:
    from textual.widgets import Input

    app = SluiceApp(collection)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        screen = app.main_screen
        screen.open_request(next(entry for entry in screen.workspace.collection.requests() if entry.title == "Echo"))
        editor = screen.editor
        screen.editor.show_tab("tab-socket")
        await wait_until(pilot, lambda: editor.active_tab == "tab-socket")
        url = screen.query_one("#url", Input)
        await burst(pilot, "ctrl+l", "end", "ctrl+u", *"http://x.example/")
        await wait_until(pilot, lambda: url.value == "http://x.example/")
        await wait_until(pilot, lambda: editor.active_tab == "tab-params")
        assert app.focused is url  # the tab moved; the typing did not
        await burst(pilot, "home", "delete", "delete", "delete", "delete", *"ws")
        await wait_until(pilot, lambda: url.value == "ws://x.example/")
        await wait_until(pilot, lambda: editor.active_tab == "tab-params" and "tab-messages" in screen.editor.visible_tab_ids())
