"""Shared helpers for the app-shell tests: a scratch collection on disk, condition polling, keys delivered
in a burst, the tree's labels, and a start-up whose collection is read before the screen mounts."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pilot_waits import wait_until as wait_until  # re-exported: the tests of this folder import it from here
from textual import events
from textual.pilot import Pilot

CHAT_REQUEST = """name = "OpenAI chat"
method = "POST"
url = "{{base_url}}/v1/chat/completions"

[headers]
Authorization = "Bearer {{token}}"

[body]
type = "json"
content = '{"model": "gpt-4o-mini", "stream": true, "messages": [{"role": "user", "content": "hello"}]}'

[stream]
parse_mode = "sse"
merge_profile = "openai"
"""

DRIP_REQUEST = """name = "Drip"
url = "{{base_url}}/sse/drip?n=200&interval=0.05"
"""

ECHO_REQUEST = """name = "Echo"
url = "{{ws_url}}/ws/echo"
"""

UNRESOLVED_REQUEST = """name = "Needs token"
url = "{{base_url}}/x?key={{no_such_variable}}"
"""


def write_collection(root: Path, base_url: str = "http://127.0.0.1:9", ws_url: str = "ws://127.0.0.1:9") -> Path:
    """A small collection: an environment, two folders, a broken file."""
    (root / "environments").mkdir(parents=True)
    (root / "collection.toml").write_text('name = "Scratch"\ndefault_environment = "local"\n', encoding="utf-8")
    (root / ".env").write_text("token=demo-token\n", encoding="utf-8")
    (root / "environments" / "local.toml").write_text(
        f'base_url = "{base_url}"\nws_url = "{ws_url}"\n', encoding="utf-8"
    )
    (root / "llm").mkdir()
    (root / "llm" / "chat.toml").write_text(CHAT_REQUEST, encoding="utf-8")
    (root / "streams").mkdir()
    (root / "streams" / "drip.toml").write_text(DRIP_REQUEST, encoding="utf-8")
    (root / "streams" / "echo.toml").write_text(ECHO_REQUEST, encoding="utf-8")
    (root / "unresolved.toml").write_text(UNRESOLVED_REQUEST, encoding="utf-8")
    (root / "broken.toml").write_text("name = [unclosed\n", encoding="utf-8")
    return root


def tree_labels(app: Any) -> list[str]:
    """Every label of the collection tree, depth first (`SSE    OpenAI chat`, folders by name)."""
    tree = app.main_screen.collection_tree
    labels: list[str] = []

    def walk(node: Any) -> None:
        for child in node.children:
            labels.append(str(child.label))
            walk(child)

    walk(tree.root)
    return labels


def open_named(app: Any, name: str) -> None:
    """Open the collection's request called `name` in the editor (as choosing it in the tree does)."""
    screen = app.main_screen
    screen.open_request(next(entry for entry in screen.workspace.collection.requests() if entry.title == name))


async def connect_echo(pilot: Pilot[Any], app: Any) -> None:
    """Open the Echo WebSocket request and connect it (`Ctrl+J`), waiting until the socket is open."""
    await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
    open_named(app, "Echo")
    await pilot.press("ctrl+j")
    await wait_until(pilot, lambda: app.main_screen.live is not None and str(app.main_screen.live.session.state) == "open")


def key_event(key: str) -> events.Key:
    """The key event a terminal would produce for `key` (a character or a Textual key name)."""
    if len(key) == 1:
        return events.Key(_character_key_name(key), key)
    return events.Key(key, None)


def _character_key_name(character: str) -> str:
    # Textual's own table (what `pilot.press` uses for characters such as "/" -> "slash").
    from textual.keys import _character_to_key

    return character if character.isalnum() else _character_to_key(character)


async def burst(pilot: Pilot[object], *keys: str) -> None:
    """Deliver `keys` the way a fast typist or a paste of keystrokes does: all queued before any is handled.

    `pilot.press` waits for the app to go idle after every key, which hides ordering bugs; this posts
    every key to the app at once, as the terminal driver does when keys arrive back to back.
    """
    for key in keys:
        pilot.app.post_message(key_event(key))
    await pilot.pause()


def mount_once_the_collection_is_read(monkeypatch, after_mount: Callable[[Any], object] | None = None) -> None:
    """The main screen mounts only once the collection (read in a thread) has been read, as it usually is
    before the first layout; `after_mount` is called with the screen once it has mounted."""
    from app.model import collection as collection_module
    from app.ui.screens.main import MainScreen

    read = collection_module.load_collection
    done = threading.Event()

    def read_and_say(root: Path) -> object:
        try:
            return read(root)
        finally:
            done.set()

    monkeypatch.setattr(collection_module, "load_collection", read_and_say)
    mounted = MainScreen.on_mount

    async def on_mount(screen: MainScreen) -> None:
        done.wait(30)
        # The read has returned; its worker is finished once the loop has heard so (which blocking here
        # would keep from happening): only then is the collection shown in the first layout.
        worker = screen.app._first_collection
        if worker is not None:
            await worker.wait()
        mounted(screen)
        if after_mount is not None:
            after_mount(screen)

    monkeypatch.setattr(MainScreen, "on_mount", on_mount)
