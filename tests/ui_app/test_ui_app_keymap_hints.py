"""A key rebound in `[keymap]` is named with its new keys wherever the UI names it: the footer shows every
key the user gave a binding, and hints, tooltips and status lines name the rebound key."""

from __future__ import annotations

from pathlib import Path

from helpers_ui_app import burst, open_named, wait_until
from textual.widgets import Button, Input, Static, TextArea

from app.ui.app import SluiceApp
from app.ui.screens.footer import WorkbenchFooter

SIZE = (160, 45)


def keymap(settings_dir: Path, entries: str) -> None:
    settings_dir.mkdir(parents=True, exist_ok=True)
    (settings_dir / "settings.toml").write_text(f"[keymap]\n{entries}", encoding="utf-8")


async def test_the_footer_shows_every_key_a_keymap_gives_a_binding(collection: Path, settings_dir: Path) -> None:
    keymap(settings_dir, '"request.send" = "f9,ctrl+j"\n"tree.rename" = "f3, r"\n')
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await wait_until(pilot, lambda: screen.current is not None)
        await burst(pilot, "ctrl+t")
        await wait_until(pilot, lambda: app.focused is screen.collection_tree)
        footer = screen.query_one(WorkbenchFooter)
        row = str(footer.render())
        assert "f9/^j Send" in row and "f3/r Rename" in row
        # Keys the user did not rebind: the first, as Textual's footer shows them (all are on `?`).
        assert " del Delete " in row
        await burst(pilot, "f3")  # each key shown does what it says
        await wait_until(pilot, lambda: type(app.screen).__name__ == "NameDialog")
        await burst(pilot, "escape", "r")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "NameDialog")
        await burst(pilot, "escape", "ctrl+l")
        await wait_until(pilot, lambda: app.focused is screen.query_one("#url"))
        assert "f9/^j Send" in str(footer.render())


async def test_the_composers_tooltips_name_the_rebound_keys(collection: Path, settings_dir: Path) -> None:
    keymap(settings_dir, '"ws.prettify" = "f12"\n"ws.save_template" = "f8"\n"ws.ping" = "alt+i"\n'
                         '"ws.close" = "alt+k"\n')
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        open_named(app, "Echo")
        editor = app.main_screen.editor
        await wait_until(pilot, lambda: bool(editor.query("#ws-composer")))
        tooltips = {button.id: str(button.tooltip) for button in editor.query(Button) if button.id}
        assert tooltips["ws-prettify"].startswith("f12: ") and "Ctrl+F" not in tooltips["ws-prettify"]
        assert tooltips["ws-save-template"].startswith("f8: ")
        assert tooltips["ws-ping"].startswith("alt+i: ")
        assert tooltips["ws-close"].startswith("alt+k: ")
        composer = editor.query_one("#ws-composer", TextArea)
        composer.focus()
        await burst(pilot, *'{"a":1}', "f12")  # and the key named does it (F7 is the text area's own)
        await wait_until(pilot, lambda: composer.text == '{\n  "a": 1\n}')


async def test_the_tree_filter_names_its_rebound_close_key(collection: Path, settings_dir: Path) -> None:
    keymap(settings_dir, '"app.close_tree_filter" = "f10"\n')
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await wait_until(pilot, lambda: screen.current is not None)
        await burst(pilot, "ctrl+t", "slash", *"zzz")
        await wait_until(pilot, lambda: screen.query("#tree-filter") and screen.query_one("#tree-filter", Input).value == "zzz")
        assert screen.query_one("#tree-filter", Input).placeholder == "Filter by name (f10 closes)"
        # The tree is filtered after the box's value changes (a message later): wait for it.
        expected = ["No name contains “zzz” (f10 shows all)"]
        await wait_until(pilot, lambda: [str(child.label) for child in screen.collection_tree.root.children] == expected)
        await burst(pilot, "f10")
        await wait_until(pilot, lambda: len(screen.collection_tree.root.children) > 1)


async def test_the_resolved_preview_and_the_keymap_warning_name_the_rebound_keys(
        collection: Path, settings_dir: Path) -> None:
    keymap(settings_dir, '"resolved.reveal" = "f6"\n"app.help" = "f1"\n"no.such" = "f2"\n')
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        await wait_until(pilot, lambda: any("no.such" in str(toast.message) for toast in app._notifications))
        warning = next(str(toast.message) for toast in app._notifications if "no.such" in str(toast.message))
        assert "help screen, f1)" in warning
        await burst(pilot, "f4")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ResolvedScreen")
        heading = app.screen.query_one("#resolved-report", Static).content.renderables[0]
        assert "masked (f6 reveals)" in heading.plain


async def test_the_environments_screen_names_its_rebound_keys(tmp_path: Path, settings_dir: Path) -> None:
    keymap(settings_dir, '"environments.new" = "f8"\n')
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "collection.toml").write_text('name = "Empty"\n', encoding="utf-8")
    (empty / "one.toml").write_text('name = "One"\nurl = "http://127.0.0.1:9/"\n', encoding="utf-8")
    app = SluiceApp(empty)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        await burst(pilot, "ctrl+n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "EnvironmentsScreen")
        status = app.screen.query_one("#environments-status")
        await wait_until(pilot, lambda: "f8 creates one" in str(status.render()))
