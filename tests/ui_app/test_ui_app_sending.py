"""Sending from the real app to the real demo server: stream, merge, WebSocket, refusal, cancel, history."""

from __future__ import annotations

import json
from pathlib import Path

from helpers_ui_app import connect_echo, open_named, wait_until

from app.events import SseMessage
from app.ui.app import SluiceApp
from app.ui.history.panel import HistoryPanel
from app.ws_events import WsMessage

SIZE = (120, 40)



def session(app: SluiceApp):
    return app.main_screen.live.session


async def test_openai_stream_fills_timeline_and_merged_text(demo_collection: Path) -> None:
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        open_named(app, "OpenAI chat")
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: app.main_screen.live is not None and session(app).finished)
        await wait_until(pilot, lambda: app.main_screen.response_pane.timeline.row_count == session(app).event_count)
        current = session(app)
        assert str(current.state) == "closed" and current.http_status == 200
        store = current.store
        payloads = [store.payload(index) for index in range(len(store))]
        kinds = [payload.kind for payload in payloads]
        assert kinds[:2] == ["request", "open"] and kinds[-1] == "close"
        chunks = [json.loads(p.data) for p in payloads if isinstance(p, SseMessage) and p.data != "[DONE]"]
        expected = "".join(
            choice["delta"].get("content") or "" for chunk in chunks for choice in chunk["choices"]
        )
        assert len(chunks) > 3 and expected
        assert current.reply.text == expected
        assert current.reply.complete


async def test_websocket_connect_send_receive_disconnect(demo_collection: Path) -> None:
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await connect_echo(pilot, app)
        editor = app.main_screen.editor
        editor.show_tab("tab-messages")
        await wait_until(pilot, lambda: bool(editor.query("#ws-composer")))
        editor.query_one("#ws-composer").load_text('{"hello": "sluice"}')
        editor.query_one("#ws-format").value = "json"
        await pilot.press("ctrl+j")

        def received() -> list[WsMessage]:
            current = session(app)
            current.pump()
            store = current.store
            found = [store.payload(index) for index in range(len(store))]
            return [p for p in found if isinstance(p, WsMessage) and p.direction == "recv"]

        await wait_until(pilot, lambda: bool(received()))
        assert received()[0].data == '{"hello": "sluice"}'
        app.main_screen.collection_tree.focus()
        await pilot.press("escape")
        await wait_until(pilot, lambda: session(app).finished)
        assert str(session(app).state) == "closed"


async def test_refused_connection_is_named_plainly(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        open_named(app, "OpenAI chat")
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: app.main_screen.live is not None and session(app).finished)
        current = session(app)
        assert str(current.state) == "error"
        assert current.failure.type == "connection_refused"
        await pilot.pause(0.1)
        status = str(app.main_screen.response_pane.query_one("#response-status").render())
        assert "connection refused" in status


async def test_cancel_mid_stream_and_history_reopens(demo_collection: Path) -> None:
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        open_named(app, "Drip")
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: app.main_screen.live is not None and session(app).event_count >= 4)
        app.main_screen.collection_tree.focus()
        await pilot.press("escape")
        await wait_until(pilot, lambda: session(app).finished)
        cancelled = session(app)
        assert str(cancelled.state) == "cancelled"
        assert cancelled.closed is not None and cancelled.closed.reason == "cancelled"
        assert cancelled.event_count < 200

        open_named(app, "OpenAI chat")
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: session(app) is not cancelled and session(app).finished)
        history = app.main_screen.query_one(HistoryPanel)
        assert [entry.session for entry in history.entries] == [session(app), cancelled]
        pane = app.main_screen.response_pane
        history.post_message(HistoryPanel.SessionChosen(history.entries[1]))
        await wait_until(pilot, lambda: pane.session is cancelled)
        assert pane.timeline.row_count == cancelled.event_count


async def test_the_history_entry_of_an_open_websocket_follows_its_event_count(demo_collection: Path) -> None:
    # It stayed at "open 101 · 0 events" while messages went and came back: only a change of state
    # refreshed it.
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        await connect_echo(pilot, app)
        history = app.main_screen.query_one(HistoryPanel)

        def entry() -> str:
            return str(history.get_option_at_index(0).prompt)

        await wait_until(pilot, lambda: entry().endswith("open 101 · 0 events"))
        editor = app.main_screen.editor
        editor.show_tab("tab-messages")
        await wait_until(pilot, lambda: bool(editor.query("#ws-composer")))
        editor.query_one("#ws-composer").load_text("ping me back")
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: session(app).data_events == 1)
        await wait_until(pilot, lambda: entry().endswith("open 101 · 1 event"))
        assert str(session(app).state) == "open"
