"""`sluice --demo` as a new user meets it: sample collection, demo environment, a live OpenAI-style stream."""

from __future__ import annotations

import json

from helpers_ui_app import wait_until
from rich.console import Group
from rich.text import Text

from app.events import SseMessage
from app.ui.app import SluiceApp

SIZE = (120, 40)


def merged_tab_text(app: SluiceApp) -> str:
    from app.ui.response.merged_view import MergedView

    content = app.main_screen.response_pane.query_one(MergedView).query_one("#merged-content").content
    parts = content.renderables if isinstance(content, Group) else [content]
    return "\n".join(part.plain for part in parts if isinstance(part, Text))


async def test_demo_openai_stream_end_to_end() -> None:
    app = SluiceApp(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.demo_server is not None and app.main_screen.workspace.collection is not None)
        screen = app.main_screen
        assert screen.sub_title == f"env: demo · server 127.0.0.1:{app.demo_server.port}"  # type: ignore[union-attr]
        chat = next(entry for entry in screen.workspace.collection.requests()
                    if entry.path.name == "openai-chat.toml")
        screen.open_request(chat)
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: screen.live is not None and screen.live.session.finished)
        session = screen.live.session
        assert session.http_status == 200 and str(session.state) == "closed"
        assert session.request.url.startswith(app.demo_server.base_url)  # type: ignore[attr-defined]

        pane = screen.response_pane
        await wait_until(pilot, lambda: pane.timeline.row_count == session.event_count)
        store = session.store
        payloads = [store.payload(index) for index in range(len(store))]
        assert payloads[-1].kind == "close" and payloads[-1].events == sum(p.kind == "sse" for p in payloads)
        chunks = [json.loads(p.data) for p in payloads if isinstance(p, SseMessage) and p.data != "[DONE]"]
        expected = "".join(c["delta"].get("content") or "" for chunk in chunks for c in chunk["choices"])
        assert expected

        await pane.action_show_tab("tab-merged")
        await wait_until(pilot, lambda: expected in merged_tab_text(app))
        assert session.reply.text == expected


async def test_demo_chained_job_requests_share_the_extracted_job_id() -> None:
    app = SluiceApp(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.demo_server is not None and app.main_screen.workspace.collection is not None)
        screen = app.main_screen
        requests = {entry.path.name: entry for entry in screen.workspace.collection.requests()}
        screen.open_request(requests["job-2-stream.toml"])
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert screen.live is None, "job_id is not known yet: nothing may be sent"

        screen.open_request(requests["job-1-start.toml"])
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: "job_id" in screen.workspace.run_variables)
        job_id = screen.workspace.run_variables["job_id"]
        assert job_id.startswith("job_")

        screen.open_request(requests["job-2-stream.toml"])
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: screen.live.session.finished and screen.live.title.endswith("stream job"))
        session = screen.live.session
        assert session.http_status == 200
        assert f"job_id={job_id}" in session.request.url
        names = {session.store.payload(i).event for i in range(len(session.store))
                 if isinstance(session.store.payload(i), SseMessage)}
        assert {"intermediate", "final"} <= names


async def test_the_environments_screen_says_the_demo_server_decides_base_url() -> None:
    """The demo environment's file holds placeholders (port 8765); the screen says what is used instead."""
    from app.ui.environments.screen import EnvironmentsScreen

    app = SluiceApp(demo=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.demo_server is not None and app.main_screen.workspace.collection is not None)
        server = app.demo_server
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, EnvironmentsScreen))
        status = str(app.screen.query_one("#environments-status").render())
        assert f"base_url = {server.base_url} (demo server)" in status  # type: ignore[attr-defined]
        assert f"ws_url = {server.ws_url} (demo server)" in status  # type: ignore[attr-defined]


async def test_renaming_the_demo_environment_keeps_the_demo_servers_address(settings_dir) -> None:
    """The address belongs to the environment, not to its name: `r` on `demo` takes it along."""
    from app.ui.environments.screen import EnvironmentsScreen

    sample = settings_dir / "demo-collection"  # the user's copy, which `r` renames a file of
    app = SluiceApp(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.demo_server is not None and app.main_screen.current is not None)
        server = app.demo_server
        screen = app.main_screen
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, EnvironmentsScreen))
        await pilot.press("r")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "NameDialog")
        await pilot.press(*"mine", "enter")
        await wait_until(pilot, lambda: (sample / "environments" / "mine.toml").exists())
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.workspace.environment == "mine"
        assert screen.scopes().chain().lookup("base_url") == (server.base_url, "demo server")  # type: ignore[attr-defined]
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, EnvironmentsScreen))
        status = str(app.screen.query_one("#environments-status").render())
        assert f"base_url = {server.base_url} (demo server)" in status  # type: ignore[attr-defined]
