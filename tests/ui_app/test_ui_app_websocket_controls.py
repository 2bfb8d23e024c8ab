"""The WebSocket controls in the editor: ping with its round trip, close with a code and reason,
prettify, templates with their `[format]` label, handshake fields, and a composer per request."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from helpers_ui_app import burst, connect_echo, open_named, wait_until
from textual.widgets import Checkbox, Input, Label, OptionList, Select, TextArea

from app.ui.app import SluiceApp
from app.ui.collection.dialogs import NameDialog
from app.ui.request.websocket_tabs import CloseDialog, PrettifyError, prettify
from app.vocabulary import WsFormat
from app.ws_events import WsClosed

SIZE = (160, 45)



def test_prettify_json_and_xml() -> None:
    assert prettify('{"a":[1,2]}', WsFormat.JSON) == '{\n  "a": [\n    1,\n    2\n  ]\n}'
    assert prettify("<a><b>x</b></a>", WsFormat.XML) == "<a>\n  <b>x</b>\n</a>"
    with pytest.raises(PrettifyError, match="not valid JSON"):
        prettify("{oops", WsFormat.JSON)


def test_prettify_a_text_message_as_the_json_or_xml_it_holds_and_say_why_not_otherwise() -> None:
    # Most WebSocket APIs send JSON in text frames: the format is usually `text`.
    assert prettify('{"a":[1,2]}', WsFormat.TEXT) == '{\n  "a": [\n    1,\n    2\n  ]\n}'
    assert prettify("<a><b>x</b></a>", WsFormat.TEXT) == "<a>\n  <b>x</b>\n</a>"
    for content, format, reason in [("plain", WsFormat.TEXT, "neither JSON nor XML"), ("  ", WsFormat.JSON, "Nothing"),
                                    ("<a>", WsFormat.TEXT, "not well-formed XML"), ("AAEC", WsFormat.BASE64, "bytes"),
                                    ("[" * 100_000, WsFormat.JSON, "not valid JSON"),  # a hostile paste: no RecursionError
                                    ("[" * 100_000, WsFormat.TEXT, "neither JSON nor XML"),
                                    ('{"a": NaN}', WsFormat.JSON, "not valid JSON")]:
        with pytest.raises(PrettifyError, match=reason):
            prettify(content, format)


async def test_ctrl_f_in_the_composer_prettifies_a_text_message_or_says_why_not(demo_collection: Path) -> None:
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        open_named(app, "Echo")
        editor = app.main_screen.editor
        await wait_until(pilot, lambda: bool(editor.query("#ws-composer")))
        composer = editor.query_one("#ws-composer", TextArea)
        status = editor.query_one("#ws-status", Label)
        await wait_until(pilot, lambda: editor.query_one("#ws-format", Select).value == WsFormat.TEXT)
        composer.focus()
        await burst(pilot, *'{"a":1}', "ctrl+f")
        await wait_until(pilot, lambda: composer.text == '{\n  "a": 1\n}')
        composer.load_text("hello there")
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: "neither JSON nor XML" in str(status.render()))
        assert composer.text == "hello there"


async def test_ping_close_with_code_prettify_and_templates(demo_collection: Path) -> None:
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await connect_echo(pilot, app)
        screen = app.main_screen
        editor = screen.editor
        editor.show_tab("tab-messages")
        await wait_until(pilot, lambda: bool(editor.query("#ws-composer")))
        status = editor.query_one("#ws-status", Label)

        await pilot.click("#ws-ping")
        await wait_until(pilot, lambda: "pong in" in str(status.render()))

        composer = editor.query_one("#ws-composer", TextArea)
        composer.load_text('{"a":1}')
        editor.query_one("#ws-format", Select).value = WsFormat.JSON
        await pilot.pause()
        await pilot.click("#ws-prettify")
        await wait_until(pilot, lambda: composer.text == '{\n  "a": 1\n}')

        await pilot.click("#ws-save-template")
        await wait_until(pilot, lambda: isinstance(app.screen, NameDialog))
        await pilot.press(*"greeting", "enter")
        await wait_until(pilot, lambda: editor.is_dirty)
        saved = editor.query_one("#ws-saved", OptionList)
        assert str(saved.get_option_at_index(0).prompt) == "[json] greeting"

        await pilot.click("#ws-close")
        await wait_until(pilot, lambda: isinstance(app.screen, CloseDialog))
        app.screen.query_one("#close-code", Input).value = "4001"
        app.screen.query_one("#close-reason", Input).value = "done here"
        app.screen.query_one("#close-reason", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.live.session.finished)
        store = screen.live.session.store
        closes = [p for p in (store.payload(i) for i in range(len(store))) if isinstance(p, WsClosed)]
        assert closes and closes[-1].code == 4001 and closes[-1].reason == "done here"

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not editor.is_dirty)
        written = tomllib.loads((demo_collection / "streams" / "echo.toml").read_text(encoding="utf-8"))
        assert written["websocket"]["messages"] == [{"name": "greeting", "format": "json", "content": '{\n  "a": 1\n}'}]


async def test_composer_text_stays_with_its_request(demo_collection: Path) -> None:
    (demo_collection / "streams" / "other.toml").write_text('name = "Other"\nurl = "{{ws_url}}/ws/chat"\n')
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        editor = app.main_screen.editor
        open_named(app, "Echo")
        editor.show_tab("tab-messages")
        await wait_until(pilot, lambda: bool(editor.query("#ws-composer")))
        await pilot.pause()
        editor.query_one("#ws-composer", TextArea).load_text("for echo")
        editor.query_one("#ws-format", Select).value = WsFormat.HEX
        await pilot.pause()
        open_named(app, "Other")
        await pilot.pause()
        assert editor.query_one("#ws-composer", TextArea).text == ""
        await wait_until(pilot, lambda: editor.query_one("#ws-format", Select).value == WsFormat.TEXT)
        open_named(app, "Echo")
        await pilot.pause()
        assert editor.query_one("#ws-composer", TextArea).text == "for echo"
        assert editor.query_one("#ws-format", Select).value == WsFormat.HEX


async def test_handshake_fields_are_edited_and_saved(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        editor = app.main_screen.editor
        open_named(app, "Echo")
        editor.show_tab("tab-socket")
        await wait_until(pilot, lambda: bool(editor.query("#ws-subprotocols")))
        await pilot.pause()  # the tab's on_mount fills its fields from the draft: edit after that
        editor.query_one("#ws-subprotocols", Input).value = "sluice.v1, other"
        editor.query_one("#ws-origin", Input).value = "http://localhost"
        editor.query_one("#ws-max-size", Input).value = "1024"
        editor.query_one("#ws-reconnect", Checkbox).value = True
        editor.query_one("#ws-cookies", TextArea).load_text("session=abc")
        await pilot.pause()
        await wait_until(pilot, lambda: editor.is_dirty)
        await pilot.press("ctrl+s")
        # A cookie written out is a credential: kept in the file here (this test is about the fields).
        await wait_until(pilot, lambda: type(app.screen).__name__ == "MoveSecretsDialog")
        await pilot.press("k")
        await wait_until(pilot, lambda: not editor.is_dirty)
        written = tomllib.loads((collection / "streams" / "echo.toml").read_text(encoding="utf-8"))
        assert written["websocket"] == {
            "subprotocols": ["sluice.v1", "other"], "origin": "http://localhost", "auto_reconnect": True,
            "max_message_size": 1024, "cookies": {"session": "abc"},
        }


async def test_the_close_and_name_dialogs_say_what_enter_and_esc_do(demo_collection: Path) -> None:
    """Two text fields and nothing else: at 100x30 nothing on the dialog said how to close or back out."""
    from textual.widgets._footer import FooterKey

    app = SluiceApp(demo_collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await connect_echo(pilot, app)
        editor = app.main_screen.editor
        editor.show_tab("tab-messages")
        await wait_until(pilot, lambda: bool(editor.query("#ws-close")))
        close_button = editor.query_one("#ws-close")
        editor.query_one("#ws-composer", TextArea).load_text("hello")  # Save as… names a message, not nothing
        for button, dialog_type, enter_says in ((close_button, CloseDialog, "⏎ Close the socket"),
                                                (editor.query_one("#ws-save-template"), NameDialog, "⏎ OK")):
            button.focus()
            await wait_until(pilot, lambda button=button: app.focused is button)
            await pilot.press("enter")
            await wait_until(pilot, lambda dialog_type=dialog_type: isinstance(app.screen, dialog_type))
            dialog = app.screen
            await wait_until(pilot, lambda dialog=dialog: len(dialog.query(FooterKey)) == 1)
            assert [(key.key_display, key.description) for key in dialog.query(FooterKey)] == [("esc", "Cancel")]
            hint = dialog.query_one(".enter-key", Label)
            assert str(hint.render()).startswith(enter_says)
            assert app.screen.region.contains_region(hint.region) and hint.region.height == 1
            await pilot.press("escape")
            await wait_until(pilot, lambda button=button: app.focused is button)
        assert str(app.main_screen.live.session.state) == "open"  # Esc closed the dialogs, not the socket
