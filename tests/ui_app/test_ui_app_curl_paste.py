"""Pasting curl into the URL field: the file-read question is readable whole, a declined file keeps the method."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_ui_app import wait_until
from textual import events
from textual.geometry import Region
from textual.widget import Widget

from app.ui.app import SluiceApp
from app.ui.collection.dialogs import ConfirmDialog


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
        await wait_until(pilot, lambda: app.main_screen.editor.draft.url == "http://x.example/files/notes.txt")
        draft = app.main_screen.editor.draft
        assert draft.method == "PUT" and draft.body == "hello upload\n"
