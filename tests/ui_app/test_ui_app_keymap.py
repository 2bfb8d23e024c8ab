"""Keys from one source: the help screen, the palette and the README come from BINDINGS; `[keymap]` rebinds."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from helpers_ui_app import open_named, wait_until
from textual.binding import Binding
from textual.containers import VerticalScroll

import app.ui
from app.ui.app import SluiceApp
from app.ui.help_screen import HelpScreen
from app.ui.keys import binding_ids, key_groups, markdown_table
from app.ui.response.merged_view import MergedView

SIZE = (120, 40)
README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_binding_has_an_id_and_the_readme_lists_them_all() -> None:
    groups = key_groups(SluiceApp)
    missing = [(group.title, binding.key) for group in groups for binding in group.bindings
               if binding.description and not binding.id]
    assert not missing, missing
    section = re.search(r"<!-- keys:begin -->\n(.*?)\n<!-- keys:end -->", README.read_text(encoding="utf-8"), re.S)
    assert section is not None
    assert section.group(1) == markdown_table(groups), "README key table is stale: paste markdown_table() output"


async def test_keymap_rebinds_by_id_and_unknown_ids_are_reported(collection: Path, settings_dir: Path) -> None:
    settings_dir.mkdir(parents=True, exist_ok=True)
    (settings_dir / "settings.toml").write_text(
        '[keymap]\n"app.focus_tree" = "f2"\n"no.such.binding" = "f3"\n', encoding="utf-8"
    )
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        screen = app.main_screen
        # Checked after the first frame (it imports every screen's bindings), so waited for.
        await wait_until(pilot, lambda: any("no.such.binding" in str(toast.message) for toast in app._notifications))
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: app.focused is screen.query_one("#url"))
        await pilot.press("f2")
        await wait_until(pilot, lambda: app.focused is screen.collection_tree)
        rows = {row.binding_id: row for _, group in app.help_groups() for row in group}
        assert rows["app.focus_tree"].keys == "f2"
        command = next(c for c in app.get_system_commands(screen) if c.title == "Focus tree")
        assert "(f2)" in command.help
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))


def test_every_binding_of_every_widget_is_in_a_key_group() -> None:
    # A widget left out of `key_groups` had its keys missing from `?`, the README and the palette, and a
    # `[keymap]` naming one of its ids was reported as naming no binding (the Merged tab's g/G/j/k/c).
    defined: dict[str, str] = {}
    for module_info in pkgutil.walk_packages(app.ui.__path__, "app.ui."):
        module = importlib.import_module(module_info.name)
        for owner in vars(module).values():
            if inspect.isclass(owner) and owner.__module__ == module.__name__ and "BINDINGS" in vars(owner):
                for binding in owner.BINDINGS:
                    if isinstance(binding, Binding) and binding.id:
                        defined[binding.id] = owner.__qualname__
    listed = binding_ids(key_groups(SluiceApp))
    assert {id: owner for id, owner in defined.items() if id not in listed} == {}
    assert {"merged.down", "merged.up", "merged.top", "merged.bottom", "merged.copy"} <= listed


async def test_the_merged_tab_lists_its_keys_and_takes_a_keymap(collection: Path, settings_dir: Path) -> None:
    settings_dir.mkdir(parents=True, exist_ok=True)
    (settings_dir / "settings.toml").write_text('[keymap]\n"merged.bottom" = "b"\n', encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        await pilot.press("ctrl+g", "2")
        merged = app.main_screen.response_pane.query_one(MergedView)
        await wait_until(pilot, lambda: app.focused is merged)
        shown = {active.binding.id: key for key, active in app.screen.active_bindings.items() if active.binding.show}
        assert shown["merged.bottom"] == "b" and "merged.copy" in shown
        rows = {row.binding_id: row for _, group in app.help_groups() for row in group}
        assert rows["merged.bottom"].keys == "b"
        assert {"merged.down", "merged.up", "merged.top"} <= rows.keys()
        await pilot.pause(0.2)
        assert not any("merged.bottom" in str(toast.message) for toast in app._notifications)


def test_binding_ids_are_unique_per_key_group() -> None:
    ids = [binding.id for group in key_groups(SluiceApp) for binding in group.bindings if binding.id]
    assert len(ids) == len(set(ids)) == len(binding_ids(key_groups(SluiceApp)))


async def test_the_reveal_hints_name_the_key_the_keymap_gives(collection: Path, settings_dir: Path) -> None:
    settings_dir.mkdir(parents=True, exist_ok=True)
    (settings_dir / "settings.toml").write_text('[keymap]\n"request.reveal" = "f6"\n', encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        screen = app.main_screen
        rows = {row.binding_id: row for _, group in app.help_groups() for row in group}
        assert rows["request.reveal"].keys == "f6"

        def hints() -> list[str]:
            return [str(label.render()) for label in screen.editor.query("Label.hint")]

        assert any("name=value per line" in hint and hint.endswith("f6 reveals ****") for hint in hints())
        screen.editor.show_tab("tab-headers")
        await wait_until(pilot, lambda: any(hint.startswith("Name: value") for hint in hints()))
        assert not any("alt+v" in hint.lower() for hint in hints())
        await pilot.press("ctrl+l", "f6")
        await wait_until(pilot, lambda: screen.editor.secrets_revealed)
        assert any("(f6 masks them again)" in str(toast.message) for toast in app._notifications)


async def test_hints_and_messages_name_the_rebound_save_send_and_revert_keys(collection: Path, settings_dir: Path) -> None:
    from textual.widgets import TextArea

    settings_dir.mkdir(parents=True, exist_ok=True)
    (settings_dir / "settings.toml").write_text(
        '[keymap]\n"request.save" = "f9"\n"request.send" = "f8"\n"request.revert" = "f7"\n', encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        screen = app.main_screen
        open_named(app, "Echo")
        await wait_until(pilot, lambda: bool(screen.editor.query("#ws-composer")))
        assert "f8 sends it" in str(screen.query_one("#ws-composer", TextArea).placeholder)
        screen.import_curl("curl http://x.example/")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "CurlPasteDialog")
        await wait_until(pilot, lambda: bool(app.screen.query("#question")))
        assert "f9 saves" in str(app.screen.query_one("#question").render())
        await pilot.press("r")
        await wait_until(pilot, lambda: any("f9 saves it, f7 reverts" in str(t.message) for t in app._notifications))
        messages = " ".join(str(t.message) for t in app._notifications)
        assert "Ctrl+S" not in messages and "Alt+R" not in messages


async def test_websocket_hints_name_the_send_key_the_keymap_gives(collection: Path, settings_dir: Path) -> None:
    settings_dir.mkdir(parents=True, exist_ok=True)
    (settings_dir / "settings.toml").write_text('[keymap]\n"request.send" = "f9"\n', encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await wait_until(pilot, lambda: screen.current is not None)
        echo = next(entry for entry in screen.workspace.collection.requests() if entry.title == "Echo")
        screen.open_request(echo)
        screen.on_messages_tab_ping_requested()  # not connected: the warning names the key that connects
        await wait_until(pilot, lambda: any("Connect first (f9)" in str(toast.message) for toast in app._notifications))


async def test_the_help_shows_its_own_keys_with_the_keymap(collection: Path, settings_dir: Path) -> None:
    """The workbench's footer behind the help lists the workbench's keys: the help says how to leave it."""
    settings_dir.mkdir(parents=True, exist_ok=True)
    (settings_dir / "settings.toml").write_text('[keymap]\n"help.down" = "n"\n', encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        box = app.screen.query_one(VerticalScroll)
        subtitle = str(box.border_subtitle)
        assert "Close help" in subtitle and "n Down" in subtitle, subtitle
        assert "esc" in subtitle.split("Close help")[0]
