"""The editor masks credentials (URL userinfo and token parameters, credential headers and params, auth) until
Alt+V; editing a masked field saves the real values, never `****`."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from helpers_ui_app import burst, open_named, wait_until
from textual.widgets import Input, TextArea

from app.ui.app import SluiceApp

SECRET_REQUEST = """name = "Secret"
url = "https://me:hunter2@api.example/v1/items?api_key=sk-live-1&q=x&token={{tok}}"

[headers]
Authorization = "Bearer sk-header-2"
X-Api-Key = "k-secret-3"
Accept = "text/event-stream"
"""
SECRETS = ("hunter2", "sk-live-1", "sk-header-2", "k-secret-3")


@pytest.fixture
def secret_file(collection: Path) -> Path:
    path = collection / "llm" / "secret.toml"
    path.write_text(SECRET_REQUEST, encoding="utf-8")
    return path


async def open_secret(pilot, app: SluiceApp) -> None:
    await wait_until(pilot, lambda: app.main_screen.current is not None)
    screen = app.main_screen
    entry = next(entry for entry in screen.workspace.collection.requests() if entry.title == "Secret")
    screen.open_request(entry)
    screen.editor.show_tab("tab-headers")
    await wait_until(pilot, lambda: bool(screen.editor.query("#headers")))
    await pilot.pause()


async def keep_credentials_in_the_file(pilot, app: SluiceApp) -> None:
    """Saving literal credentials asks whether to move them into .env: keep them, as this test is about
    what the file gets from masked fields."""
    await wait_until(pilot, lambda: type(app.screen).__name__ == "MoveSecretsDialog")
    await pilot.press("k")


def fields(app: SluiceApp) -> tuple[str, str]:
    screen = app.main_screen
    return screen.query_one("#url", Input).value, screen.query_one("#headers", TextArea).text


async def test_masked_by_default_and_typing_elsewhere_saves_the_real_values(collection: Path, secret_file: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_secret(pilot, app)
        url, headers = fields(app)
        assert url == "https://me:****@api.example/v1/items?api_key=****&q=x&token={{tok}}"
        assert headers.splitlines() == ["Authorization: Bearer ****", "X-Api-Key: ****", "Accept: text/event-stream"]
        assert not any(secret in url + headers for secret in SECRETS)
        # Edit the URL (in a burst, backspaces included) and the headers, never revealing.
        await burst(pilot, "ctrl+l", "end", *"&page=22", "backspace")
        await wait_until(pilot, lambda: fields(app)[0].endswith("&page=2"))
        area = app.main_screen.query_one("#headers", TextArea)
        area.focus()
        await burst(pilot, "pagedown", "end", "enter", *"X-Trace: 1", "pageup", "home", *"X-First: a", "enter")
        await wait_until(pilot, lambda: fields(app)[1].startswith("X-First: a\n") and "X-Trace: 1" in fields(app)[1])
        await pilot.press("ctrl+s")
        await keep_credentials_in_the_file(pilot, app)
        await wait_until(pilot, lambda: "page=2" in secret_file.read_text(encoding="utf-8"))
        saved = tomllib.loads(secret_file.read_text(encoding="utf-8"))
        assert saved["url"] == "https://me:hunter2@api.example/v1/items?api_key=sk-live-1&q=x&token={{tok}}&page=2"
        assert saved["headers"] == {"X-First": "a", "Authorization": "Bearer sk-header-2", "X-Api-Key": "k-secret-3",
                                    "Accept": "text/event-stream", "X-Trace": "1"}
        assert "****" not in secret_file.read_text(encoding="utf-8")
        assert not app.main_screen.editor.is_dirty
        assert not any(secret in "".join(fields(app)) for secret in SECRETS)


async def test_revealed_edits_are_saved_and_alt_v_masks_again(collection: Path, secret_file: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=(160, 45)) as pilot:
        await open_secret(pilot, app)
        await burst(pilot, "ctrl+l", "alt+v")
        await wait_until(pilot, lambda: "hunter2" in fields(app)[0] and "sk-header-2" in fields(app)[1])
        assert app.focused is app.main_screen.query_one("#url")
        assert all(secret in "".join(fields(app)) for secret in SECRETS)
        # Change the revealed key itself: sk-live-1 -> sk-live-19.
        url = fields(app)[0]
        app.main_screen.query_one("#url", Input).cursor_position = url.index("&q=")
        await burst(pilot, "9", "alt+v")
        await wait_until(pilot, lambda: "****" in fields(app)[0])
        assert fields(app)[0] == "https://me:****@api.example/v1/items?api_key=****&q=x&token={{tok}}"
        await pilot.press("ctrl+s")
        await keep_credentials_in_the_file(pilot, app)
        await wait_until(pilot, lambda: "sk-live-19" in secret_file.read_text(encoding="utf-8"))
        assert "****" not in secret_file.read_text(encoding="utf-8")
        # Another request opens masked again, whatever the last one was.
        await burst(pilot, "alt+v")
        await wait_until(pilot, lambda: app.main_screen.editor.secrets_revealed)
        chat = next(entry for entry in app.main_screen.workspace.collection.requests() if entry.title == "OpenAI chat")
        app.main_screen.open_request(chat)
        await wait_until(pilot, lambda: app.main_screen.editor.draft.name == "OpenAI chat")
        assert not app.main_screen.editor.secrets_revealed
        # Back to the secret request: masked again.
        open_named(app, "Secret")
        await wait_until(pilot, lambda: "Bearer ****" in fields(app)[1] and "me:****@" in fields(app)[0])


COOKIE_REQUEST = """name = "Cookie socket"
url = "ws://127.0.0.1:9/ws/echo"

[websocket.cookies]
session = "sess-secret-4"
theme = "{{theme}}"
"""


async def test_socket_cookies_are_masked_until_revealed_and_edits_keep_the_real_values(collection: Path) -> None:
    path = collection / "streams" / "cookies.toml"
    path.write_text(COOKIE_REQUEST, encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        screen = app.main_screen
        open_named(app, "Cookie socket")
        screen.editor.show_tab("tab-socket", focus="ws-cookies")
        await wait_until(pilot, lambda: bool(screen.editor.query("#ws-cookies")))
        area = screen.query_one("#ws-cookies", TextArea)
        await wait_until(pilot, lambda: app.focused is area)
        # The value is hidden; a {{variable}} is not a secret and stays readable.
        assert area.text.splitlines() == ["session=****", "theme={{theme}}"]
        assert "alt+v reveals ****" in str(screen.query_one("#tab-socket").query_one("Label.hint").render())
        # Typed while masked, in a burst: a new cookie, the hidden one kept.
        await burst(pilot, "down", "end", "enter", *"lang=en")
        await wait_until(pilot, lambda: area.text.endswith("lang=en"))
        assert screen.editor.is_dirty
        await burst(pilot, "alt+v")
        await wait_until(pilot, lambda: "sess-secret-4" in area.text)
        await burst(pilot, "alt+v")
        await wait_until(pilot, lambda: "sess-secret-4" not in area.text)
        await pilot.press("ctrl+s")
        await keep_credentials_in_the_file(pilot, app)  # a literal cookie is offered to .env like any credential
        await wait_until(pilot, lambda: "lang" in path.read_text(encoding="utf-8"))
        saved = tomllib.loads(path.read_text(encoding="utf-8"))
        assert saved["websocket"]["cookies"] == {"session": "sess-secret-4", "theme": "{{theme}}", "lang": "en"}
        assert "****" not in path.read_text(encoding="utf-8")
        assert not screen.editor.is_dirty


async def test_a_literal_cookie_moved_to_dotenv_on_save(collection: Path) -> None:
    path = collection / "streams" / "cookies.toml"
    path.write_text(COOKIE_REQUEST, encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        screen = app.main_screen
        open_named(app, "Cookie socket")
        screen.editor.show_tab("tab-socket", focus="ws-cookies")
        await wait_until(pilot, lambda: bool(screen.editor.query("#ws-cookies")))
        area = screen.query_one("#ws-cookies", TextArea)
        await wait_until(pilot, lambda: app.focused is area)
        await burst(pilot, "down", "end", "enter", *"lang=en")
        await wait_until(pilot, lambda: area.text.endswith("lang=en"))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "MoveSecretsDialog")
        await pilot.press("m")
        await wait_until(pilot, lambda: "{{session_cookie}}" in path.read_text(encoding="utf-8"))
        saved = tomllib.loads(path.read_text(encoding="utf-8"))
        assert saved["websocket"]["cookies"] == {"session": "{{session_cookie}}", "theme": "{{theme}}",
                                                 "lang": "{{lang_cookie}}"}
        dotenv = (collection / ".env").read_text(encoding="utf-8")
        assert "session_cookie=sess-secret-4" in dotenv and "lang_cookie=en" in dotenv
        await wait_until(pilot, lambda: not screen.editor.is_dirty)
        assert "sess-secret-4" not in area.text
