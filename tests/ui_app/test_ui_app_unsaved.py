"""Unsaved edits are never lost without asking: Save / Discard / Cancel on switch, reload and quit; revert."""

from __future__ import annotations

import tomllib
from pathlib import Path

from helpers_ui_app import burst, wait_until
from textual import events
from textual.widgets import Input

from app.ui.app import SluiceApp
from app.ui.collection.dialogs import ConfirmDialog
from app.ui.screens.unsaved import UnsavedChangesDialog

SIZE = (120, 40)
CHAT_URL = "{{base_url}}/v1/chat/completions"


async def edited_chat(pilot, app: SluiceApp) -> Input:
    """Open the chat request and add `?x=1` to its URL (unsaved)."""
    await wait_until(pilot, lambda: app.main_screen.current is not None and app.main_screen.current.title == "OpenAI chat")
    await pilot.pause()
    url = app.main_screen.query_one("#url", Input)
    await burst(pilot, "ctrl+l", "end", *"?x=1")
    await wait_until(pilot, lambda: app.main_screen.editor.is_dirty)
    return url


async def opening_drip_asks(pilot, app: SluiceApp) -> None:
    """Choose Drip in the tree (typed in a burst) over the unsaved edits: the question is asked."""
    await burst(pilot, "ctrl+t", "j", "j", "enter")  # chat (open) -> streams/ -> Drip
    await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))


def saved_url(collection: Path) -> str:
    return tomllib.loads((collection / "llm" / "chat.toml").read_text(encoding="utf-8"))["url"]


async def test_opening_another_request_asks_and_cancel_keeps_the_edits(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        url = await edited_chat(pilot, app)
        screen = app.main_screen
        # The walk-through from the issue: never silently refused.
        await opening_drip_asks(pilot, app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.current.title == "OpenAI chat" and url.value == CHAT_URL + "?x=1" and screen.editor.is_dirty


async def test_discard_opens_the_other_request_and_leaves_the_file_alone(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await edited_chat(pilot, app)
        screen = app.main_screen
        await opening_drip_asks(pilot, app)
        await pilot.press("d")
        await wait_until(pilot, lambda: screen.current.title == "Drip")
        assert not screen.editor.is_dirty
        assert saved_url(collection) == CHAT_URL


async def test_save_writes_then_opens_the_other_request(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await edited_chat(pilot, app)
        screen = app.main_screen
        await opening_drip_asks(pilot, app)
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.current.title == "Drip")
        assert saved_url(collection) == CHAT_URL + "?x=1"
        assert not screen.editor.is_dirty


async def test_ctrl_q_asks_cancel_stays_discard_quits(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await edited_chat(pilot, app)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press("c")
        await wait_until(pilot, lambda: app.screen is app.main_screen)
        assert app.return_code is None and app.main_screen.editor.is_dirty
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press("d")
        await wait_until(pilot, lambda: app.return_code is not None)
    assert saved_url(collection) == CHAT_URL


async def test_ctrl_q_save_writes_the_file_then_quits(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await edited_chat(pilot, app)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press("enter")  # Save has the focus
        await wait_until(pilot, lambda: app.return_code is not None)
    assert saved_url(collection) == CHAT_URL + "?x=1"


async def test_ctrl_q_without_edits_quits_at_once(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: app.return_code is not None)


async def test_revert_asks_then_restores_the_saved_request(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        url = await edited_chat(pilot, app)
        await pilot.press("alt+r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: url.value == CHAT_URL)
        assert not app.main_screen.editor.is_dirty


async def test_reload_asks_and_discard_reads_the_file_again(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        url = await edited_chat(pilot, app)
        chat = collection / "llm" / "chat.toml"
        chat.write_text(chat.read_text(encoding="utf-8").replace("/v1/chat/completions", "/v2/chat"), encoding="utf-8")
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press("d")
        await wait_until(pilot, lambda: url.value == "{{base_url}}/v2/chat")
        assert not app.main_screen.editor.is_dirty


async def test_alt_c_in_the_url_copies_and_keeps_the_url(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        url = app.main_screen.query_one("#url", Input)
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: app.focused is url)
        # What the terminal sends for Alt+C (ESC c): Textual makes it `alt+c` with the character "c".
        app.post_message(events.Key("alt+c", "c"))
        await wait_until(pilot, lambda: app.clipboard.startswith("curl "))
        assert url.value == CHAT_URL


async def test_ctrl_t_while_maximised_restores_and_moves_the_visible_tree(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        screen = app.main_screen
        await pilot.press("ctrl+l", "ctrl+o")
        await wait_until(pilot, lambda: screen.maximized is screen.editor)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: app.focused is screen.collection_tree)
        assert screen.maximized is None and screen.collection_tree.region.width > 0


async def test_the_question_lists_its_keys_with_the_users_keymap(collection: Path, settings_dir: Path) -> None:
    """The workbench's footer behind a dialog shows the workbench's keys: the dialog shows its own."""
    from textual.widgets._footer import FooterKey

    settings_dir.mkdir(parents=True, exist_ok=True)
    (settings_dir / "settings.toml").write_text('[keymap]\n"unsaved.discard" = "x"\n', encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await edited_chat(pilot, app)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        dialog = app.screen
        await wait_until(pilot, lambda: len(dialog.query(FooterKey)) == 3)
        shown = [(key.key_display, key.description) for key in dialog.query(FooterKey)]
        assert sorted(shown) == [("esc", "Cancel"), ("s", "Save"), ("x", "Discard")]
        await pilot.press("x")
        await wait_until(pilot, lambda: not app.is_running)


async def test_the_revert_question_lists_its_keys(collection: Path) -> None:
    from textual.widgets._footer import FooterKey

    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await edited_chat(pilot, app)
        await pilot.press("alt+r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        dialog = app.screen
        await wait_until(pilot, lambda: len(dialog.query(FooterKey)) == 2)
        assert sorted((key.key_display, key.description) for key in dialog.query(FooterKey)) == [
            ("n", "No"), ("y", "Yes")]


async def test_a_new_request_made_over_unsaved_edits_asks_before_opening(collection: Path) -> None:
    """`n` in the tree with unsaved edits: the file was made, the editor silently kept the old request."""
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await edited_chat(pilot, app)
        screen = app.main_screen
        await burst(pilot, "ctrl+t", "n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "NameDialog")
        await burst(pilot, *"probe", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press("escape")  # Cancel: the new file stays, the edits stay open
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.current.title == "OpenAI chat" and screen.editor.is_dirty
        assert (collection / "llm" / "probe.toml").exists()

        await burst(pilot, "ctrl+t", "n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "NameDialog")
        await burst(pilot, *"second", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press("s")  # Save, then open it
        await wait_until(pilot, lambda: screen.current is not None and screen.current.title == "second")
        assert saved_url(collection) == CHAT_URL + "?x=1" and not screen.editor.is_dirty


async def test_ctrl_q_in_the_environments_asks_about_their_unsaved_edits_first(collection: Path) -> None:
    # It asked about the request's edits only: Discard there (or no request edits at all) quit, and the
    # environment's variables typed in the Environments screen were lost without a word.
    from app.ui.environments.screen import EnvironmentsScreen

    local = collection / "environments" / "local.toml"
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, EnvironmentsScreen))
        environments = app.screen
        await burst(pilot, "e", *'extra = "1"', "enter")  # a first line
        await wait_until(pilot, lambda: environments.is_dirty)
        for cancel in ("escape", "c"):
            await pilot.press("ctrl+q")
            await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
            await pilot.press(cancel)
            await wait_until(pilot, lambda: app.screen is environments)
            assert app.return_code is None and environments.is_dirty
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press("s")
        await wait_until(pilot, lambda: app.return_code is not None)
    assert 'extra = "1"' in local.read_text(encoding="utf-8")


async def test_cancel_puts_the_tree_cursor_back_on_the_request_being_edited(collection: Path) -> None:
    """Cancel keeps the edited request open: the tree's cursor goes back to it, not to the one refused
    (Enter there would ask again; `r`, `d` or Delete would act on the wrong request)."""
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await edited_chat(pilot, app)
        screen = app.main_screen
        tree = screen.collection_tree
        for cancel in ("escape", "c"):
            await opening_drip_asks(pilot, app)
            assert tree.cursor_entry.title == "Drip"
            await burst(pilot, cancel)
            await wait_until(pilot, lambda: app.screen is screen)
            assert tree.cursor_entry.path == screen.current.path == collection / "llm" / "chat.toml"
            assert app.focused is tree and screen.editor.is_dirty  # and `j j Enter` asks again
