"""The tree's `r` with the new name typed right behind it: every key goes into the rename box, in order."""

from __future__ import annotations

from pathlib import Path

from helpers_ui_app import burst, open_named, wait_until

from app.model.collection import RequestFile
from app.ui.app import SluiceApp
from app.ui.collection.dialogs import NameDialog


async def test_keys_typed_right_after_r_go_into_the_rename_box(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        tree = app.main_screen.collection_tree
        await wait_until(pilot, lambda: tree.cursor_node is not None and isinstance(tree.cursor_node.data, RequestFile))
        # chat (open) -> streams/ -> Drip, then `r` and the name; `n`, `d`, `x` and `j` are tree keys
        # (new, duplicate, delete, down): none may reach the tree.
        await burst(pilot, "ctrl+t", "j", "j")
        await wait_until(pilot, lambda: isinstance(tree.cursor_node.data, RequestFile) and tree.cursor_node.data.title == "Drip")
        await burst(pilot, "r", *"Index", "backspace", *"d jx", "enter")
        await wait_until(pilot, lambda: (collection / "streams" / "inded-jx.toml").exists())
        assert not isinstance(app.screen, NameDialog)
        assert sorted(path.name for path in (collection / "streams").iterdir()) == ["echo.toml", "inded-jx.toml"]
        assert 'name = "Inded jx"' in (collection / "streams" / "inded-jx.toml").read_text(encoding="utf-8")


async def test_renaming_the_open_request_with_unsaved_edits_keeps_them_on_the_renamed_file(collection: Path) -> None:
    # The editor stayed on the old path: Ctrl+S then asked to overwrite a file "changed on disk" and wrote
    # the old name back beside the renamed one; Alt+R said the file was gone.
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.main_screen
        await wait_until(pilot, lambda: screen.current is not None and screen.current.title == "OpenAI chat")
        await burst(pilot, "ctrl+l", "end", *"/x", "ctrl+t", "r", *"Chat 2", "enter")
        await wait_until(pilot, lambda: (collection / "llm" / "chat-2.toml").exists())
        await wait_until(pilot, lambda: app.screen is screen and screen.editor.path == collection / "llm" / "chat-2.toml")
        assert screen.editor.is_dirty
        assert screen.editor.draft.name == "Chat 2"
        assert screen.editor.draft.url.endswith("/v1/chat/completions/x")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen.editor.is_dirty)
        assert app.screen is screen  # no "changed on disk" question
        assert sorted(path.name for path in (collection / "llm").iterdir()) == ["chat-2.toml"]
        saved = (collection / "llm" / "chat-2.toml").read_text(encoding="utf-8")
        assert 'name = "Chat 2"' in saved and "/v1/chat/completions/x" in saved


async def test_renaming_the_folder_of_the_open_request_moves_the_editor_with_it(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.main_screen
        tree = screen.collection_tree
        await wait_until(pilot, lambda: screen.current is not None)
        open_named(app, "Drip")
        await burst(pilot, "ctrl+l", "end", *"&x=1", "ctrl+t")
        await wait_until(pilot, lambda: tree.has_focus)
        tree.show_collection(screen.workspace.collection, select=collection / "streams")  # the cursor on the folder
        await wait_until(pilot, lambda: tree.cursor_entry is not None and tree.cursor_entry.path == collection / "streams")
        await burst(pilot, "r", *"flows", "enter")
        await wait_until(pilot, lambda: (collection / "flows" / "drip.toml").exists())
        await wait_until(pilot, lambda: screen.editor.path == collection / "flows" / "drip.toml")
        assert screen.current is not None and screen.current.path == collection / "flows" / "drip.toml"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen.editor.is_dirty)
        assert not (collection / "streams").exists()
        assert "interval=0.05&x=1" in (collection / "flows" / "drip.toml").read_text(encoding="utf-8")


async def test_deleting_the_folder_of_the_open_request_forgets_its_file_as_deleting_the_request_does(
        collection: Path) -> None:
    # The editor kept the deleted file as its own: Ctrl+S then offered to overwrite a file that is gone.
    from app.ui.collection.dialogs import ConfirmDialog

    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.main_screen
        tree = screen.collection_tree
        await wait_until(pilot, lambda: screen.current is not None)
        open_named(app, "Drip")
        await burst(pilot, "ctrl+l", "end", *"&x=1", "ctrl+t")
        await wait_until(pilot, lambda: tree.has_focus)
        tree.show_collection(screen.workspace.collection, select=collection / "streams")
        await wait_until(pilot, lambda: tree.cursor_entry is not None and tree.cursor_entry.path == collection / "streams")
        await burst(pilot, "delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: not (collection / "streams").exists())
        assert screen.current is None
        assert screen.editor.is_dirty and screen.editor.draft.url.endswith("&x=1")  # the edits stay
