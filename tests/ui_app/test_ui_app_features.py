"""The TUI side of issue 14 against the real demo server: Assertions tab, exports, resumable SSE."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers_ui_app import open_named, wait_until

from app.assertions import Verdict
from app.recording.format import load_recording
from app.ui.app import SluiceApp
from app.ui.response.status_line import status_text

SIZE = (120, 40)

EXPECTING = """name = "Drip with assertions"
url = "{{base_url}}/sse/drip?n=3&interval=0"

[[expect]]
status = 200

[[expect]]
event = "message"
max_count = 1
"""

RESUMABLE = """name = "Resumable"
url = "{{base_url}}/sse/resumable?n=3&per=2&retry=1"

[stream]
reconnect = true
"""


async def _send(app: SluiceApp, pilot, name: str):
    screen = app.main_screen
    await wait_until(pilot, lambda: screen.workspace.collection is not None)
    open_named(app, name)
    await pilot.press("ctrl+j")
    await wait_until(pilot, lambda: screen.live is not None and screen.live.session.finished)
    return screen.live.session


async def test_assertions_tab_shows_each_result_with_its_deciding_event(demo_collection: Path) -> None:
    (demo_collection / "streams" / "expecting.toml").write_text(EXPECTING, encoding="utf-8")
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        session = await _send(app, pilot, "Drip with assertions")
        assert session.assertions is not None
        results = session.assertions.results
        assert [result.verdict for result in results] == [Verdict.PASSED, Verdict.FAILED]
        assert results[1].kind == "sse" and results[1].seq == 3, "max_count fails at the event that went over"
        assert "✓1 ✗1" in status_text(session).plain
        await pilot.press("ctrl+g", "6")
        pane = app.main_screen.response_pane
        await wait_until(pilot, lambda: pane.active_tab == "tab-assertions")


async def test_exports_write_jsonl_recording_and_har(demo_collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        session = await _send(app, pilot, "Drip")
        await pilot.press("ctrl+g", "J", "W", "H")
        exports = tmp_path / "sluice-exports"
        await wait_until(pilot, lambda: exports.is_dir() and len(list(exports.iterdir())) == 3)
        timeline = next(exports.glob("*[0-9].jsonl"))
        lines = [json.loads(line) for line in timeline.read_text().splitlines()]
        assert [line["seq"] for line in lines] == list(range(len(session.store)))
        assert lines[0]["kind"] == "request" and lines[-1]["kind"] == "close"
        recording = load_recording(next(exports.glob("*.recording.jsonl")))
        assert recording.status == 200 and recording.chunks
        har = json.loads(next(exports.glob("*.har")).read_text())
        assert har["log"]["entries"][0]["response"]["content"]["text"].startswith("data:")


async def test_a_resumable_request_reconnects_on_one_timeline(demo_collection: Path) -> None:
    (demo_collection / "streams" / "resumable.toml").write_text(RESUMABLE, encoding="utf-8")
    app = SluiceApp(demo_collection)
    async with app.run_test(size=SIZE) as pilot:
        session = await _send(app, pilot, "Resumable")
        assert session.reconnects == 2
        assert "↻ 2 reconnects" in status_text(session).plain
        kinds = [session.store.payload(index).kind for index in range(len(session.store))]
        assert kinds.count("reconnect") == 2 and kinds.count("sse") == 3
        assert str(session.state) == "closed"


def test_the_stream_tab_reconnect_switch_maps_to_the_request_file() -> None:
    from dataclasses import replace

    from app.model.toml_format import dumps_request, loads_request
    from app.ui.request.bridge import definition_from_draft, draft_from_definition

    definition = loads_request(RESUMABLE)
    draft = draft_from_definition(definition)
    assert draft.reconnect
    assert definition_from_draft(draft, definition) == definition
    off = definition_from_draft(replace(draft, reconnect=False), definition)
    assert "reconnect" not in dumps_request(off)
