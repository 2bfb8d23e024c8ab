"""TUI output paths against hostile text: what reaches the terminal never carries a control character.

The response pane is fed by the real HTTP worker from the hostile loopback server; the collection tree,
titles, dialogs and toasts get a cloned collection whose names are hostile. The check is on the strips
the compositor sends to the terminal (the segments' text): no C0 (but none at all, the screen has no
newlines), DEL, C1 or bidi control.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest
from pilot_waits import wait_until
from textual.app import App, ComposeResult

from app.bus import EventBus
from app.connections.http_worker import stream_http
from app.model.http_request import HttpRequest
from app.ui.app import SluiceApp
from app.ui.response import ResponsePane, ResponseSession
from app.ui.response.detail import EventDetailScreen

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Multi-line views (the Merged tab, the detail view, the body) keep bidi controls: right-to-left text.
BLOCK_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f]")
HOSTILE_NAME = "evil\x1b]0;pwned\x1b\\\x1b]52;c;cHduZWQ=\x07\u202e[b]x"


class PaneHost(App[None]):
    def compose(self) -> ComposeResult:
        yield ResponsePane()


def _screen(app: App, unsafe_pattern: re.Pattern[str] = UNSAFE) -> str:
    strips = app.screen._compositor.render_strips()
    unsafe = [(row, unsafe_pattern.search(strip.text)) for row, strip in enumerate(strips)]
    found = [(row, match.group()) for row, match in unsafe if match]
    assert not found, f"control characters reach the terminal: {found}"
    return "\n".join(strip.text for strip in strips)


async def test_response_pane_tabs_and_detail_show_hostile_stream_escaped(hostile) -> None:
    host = PaneHost()
    async with host.run_test(size=(140, 40)) as pilot:
        pane = host.query_one(ResponsePane)
        bus = EventBus()
        session = ResponseSession(bus, "hostile", merge_profile="openai")
        task = asyncio.create_task(stream_http(HttpRequest(f"{hostile.base_url}/sse"), bus))
        pane.show(session)
        await task
        await wait_until(pilot, lambda: session.finished and pane.timeline.row_count == len(session.store))
        await pilot.pause()
        shown = _screen(host)
        assert "name\\x1b]0;pwned" in shown  # the Timeline's event-name column
        assert "data\\x1b]0;pwned" in shown
        for tab in ("tab-merged", "tab-headers"):
            await pane.action_show_tab(tab)
            await pilot.pause()
            await pilot.pause()
            shown = _screen(host, BLOCK_UNSAFE if tab == "tab-merged" else UNSAFE)
            if tab == "tab-merged":
                assert "merged\\x1b]0;pwned" in shown
            else:
                assert "\\x9b2J" in shown
        store = session.store
        for index in range(len(store)):
            host.push_screen(EventDetailScreen(store, index))
            await pilot.pause()
            _screen(host, BLOCK_UNSAFE)
            host.pop_screen()
            await pilot.pause()


async def test_headers_tab_masks_credentials_until_revealed(hostile) -> None:
    host = PaneHost()
    async with host.run_test(size=(140, 40)) as pilot:
        pane = host.query_one(ResponsePane)
        bus = EventBus()
        session = ResponseSession(bus, "hostile")
        request = HttpRequest(
            f"http://user:hunter2@127.0.0.1:{hostile.port}/json?api_key=abc123",
            headers=(("Authorization", "Bearer sk-secret"), ("X-Api-Key", "k-secret")),
        )
        task = asyncio.create_task(stream_http(request, bus))
        pane.show(session)
        await task
        await wait_until(pilot, lambda: session.finished)
        await pane.action_show_tab("tab-headers")
        await pilot.pause()
        await pilot.pause()
        shown = _screen(host)
        for secret in ("hunter2", "abc123", "sk-secret", "k-secret"):
            assert secret not in shown
        assert "Bearer ****" in shown
        await pilot.press("v")
        await pilot.pause()
        assert "sk-secret" in _screen(host)


@pytest.fixture
def hostile_collection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SLUICE_CONFIG_DIR", str(tmp_path / "config"))
    root = tmp_path / "cloned"
    folder = root / f"folder{HOSTILE_NAME}"
    folder.mkdir(parents=True)
    escaped = json.dumps(HOSTILE_NAME)  # JSON's escapes are valid in a TOML basic string
    (root / "collection.toml").write_text(f"name = {escaped}\n", encoding="utf-8")
    (folder / "named.toml").write_text(f'name = {escaped}\nurl = "http://127.0.0.1:9/"\n', encoding="utf-8")
    (root / f"file{HOSTILE_NAME}.toml").write_text('url = "http://127.0.0.1:9/"\n', encoding="utf-8")
    (root / f"broken{HOSTILE_NAME}.toml").write_text("name = [\x1b]0;pwned\x07\n", encoding="utf-8")
    return root


async def test_collection_tree_titles_dialogs_and_toasts_escape_names(hostile_collection: Path) -> None:
    app = SluiceApp(hostile_collection)
    async with app.run_test(size=(140, 40)) as pilot:
        tree = app.main_screen.collection_tree
        await wait_until(pilot, lambda: len(tree.root.children) > 0)
        tree.root.expand_all()
        await pilot.pause()
        shown = _screen(app)
        assert "evil\\x1b]0;pwned" in shown
        assert "[b]x" in shown  # not read as markup
        assert "Sluice — evil\\x1b]0;pwned" in app.main_screen.title
        from app.model.collection import BrokenFile

        broken = next(node for node in tree.root.children if isinstance(node.data, BrokenFile))
        tree.focus()
        tree.move_cursor(broken)
        await pilot.press("enter")
        await pilot.pause()
        _screen(app)
        await pilot.press("escape")
        app.notify(f"Cannot open {HOSTILE_NAME}", title=HOSTILE_NAME)
        await pilot.pause()
        toast = list(app._notifications)[-1]
        assert toast.message.startswith("Cannot open evil\\x1b]0;pwned") and not UNSAFE.search(toast.message)
        assert not UNSAFE.search(toast.title) and not toast.markup
        _screen(app)
