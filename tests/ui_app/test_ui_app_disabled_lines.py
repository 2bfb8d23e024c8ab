"""`#`-disabled header and parameter lines: saved as `enabled = false`, shown again as `# …`, never sent."""

from __future__ import annotations

import tomllib
from pathlib import Path

from helpers_ui_app import wait_until
from textual.widgets import TextArea

from app.model.collection import load_request_file
from app.model.request_definition import DisabledPair, RequestDefinition
from app.model.resolve import resolve_http
from app.model.toml_format import dumps_request, loads_request
from app.ui.app import SluiceApp

SIZE = (120, 40)


def test_old_files_load_and_disabled_values_come_back_in_place() -> None:
    old = loads_request('url = "http://x/"\n[headers]\nA = "1"\nB = ["2", "3"]\n')
    assert old.headers == (("A", "1"), ("B", "2"), ("B", "3")) and old.disabled_headers == ()
    text = 'url = "http://x/"\n\n[headers]\nA = "1"\nB = { value = "2", enabled = false }\nC = [\n    "3",\n    { value = "4", enabled = false },\n]\n'
    loaded = loads_request(text)
    assert loaded.headers == (("A", "1"), ("C", "3"))
    assert loaded.disabled_headers == (DisabledPair(1, "B", "2"), DisabledPair(3, "C", "4"))
    assert dumps_request(loaded).endswith(text.partition("\n\n")[2])
    assert resolve_http(loaded).headers == (("A", "1"), ("C", "3"))


def test_a_disabled_value_must_be_a_string() -> None:
    import pytest

    from app.model.toml_location import FileFormatError

    with pytest.raises(FileFormatError, match="headers.B"):
        loads_request('url = "http://x/"\n[headers]\nB = { value = 2, enabled = false }\n')


async def test_disabled_lines_are_saved_reloaded_and_the_request_is_clean(collection: Path) -> None:
    path = collection / "llm" / "chat.toml"
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        screen = app.main_screen
        chat = next(entry for entry in screen.workspace.collection.requests() if entry.title == "OpenAI chat")
        screen.open_request(chat)
        await pilot.pause()
        screen.editor.show_tab("tab-headers")
        await wait_until(pilot, lambda: bool(screen.editor.query("#headers")))
        area = screen.editor.query_one("#headers", TextArea)
        await wait_until(pilot, lambda: area.text.startswith("Authorization"))
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.press("enter", *"# X-Debug: 1")
        await wait_until(pilot, lambda: screen.editor.is_dirty)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen.editor.is_dirty)
        saved = tomllib.loads(path.read_text(encoding="utf-8"))
        assert saved["headers"] == {"Authorization": "Bearer {{token}}",
                                    "X-Debug": {"value": "1", "enabled": False}}
        await pilot.pause()
        assert not screen.editor.is_dirty
        # Reopened from disk, the line is back as it was typed.
        reopened = load_request_file(path)
        assert not isinstance(reopened, Exception)
        screen.open_request(reopened)  # type: ignore[arg-type]
        await pilot.pause()
        assert screen.editor.draft.headers == "Authorization: Bearer {{token}}\n# X-Debug: 1"
        assert not screen.editor.is_dirty


def test_params_too() -> None:
    definition = RequestDefinition(name="p", url="http://x/", params=(("a", "1"),),
                                   disabled_params=(DisabledPair(0, "debug", "true"),))
    assert loads_request(dumps_request(definition)) == definition
