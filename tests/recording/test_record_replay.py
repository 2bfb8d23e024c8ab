"""Record a stream from the demo server, serve it with the mock, read it again: the same events."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers_recording import capture_http, replayable

from app.demo.server import DemoServer
from app.model.http_request import HttpRequest
from app.recording.format import BadRecording, load_recording, save_recording
from app.recording.mock import create_mock_app


@pytest.mark.parametrize(
    "path",
    ["/sse/drip?n=5&interval=0.01", "/sse/ids", "/ndjson/malformed", "/sse/malformed", "/json/big?mb=0.05", "/status/404"],
)
async def test_a_replayed_recording_gives_the_same_events(demo_server, tmp_path: Path, path: str) -> None:
    capture, original = await capture_http(HttpRequest(url=demo_server.base_url + path))
    recording_path = tmp_path / "recording.jsonl"
    save_recording(capture, recording_path)
    recording = load_recording(recording_path)
    assert recording.path == path.partition("?")[0]
    with DemoServer(app=create_mock_app([recording], speed=0)) as mock:
        _, replayed = await capture_http(HttpRequest(url=mock.base_url + recording.path))
    assert replayable(replayed) == replayable(original)


async def test_a_dropped_stream_drops_again(demo_server, tmp_path: Path) -> None:
    capture, original = await capture_http(HttpRequest(url=demo_server.base_url + "/sse/drop?after=3"))
    assert original[-1].kind == "error"
    save_recording(capture, tmp_path / "drop.jsonl")
    with DemoServer(app=create_mock_app([load_recording(tmp_path / "drop.jsonl")], speed=0)) as mock:
        _, replayed = await capture_http(HttpRequest(url=mock.base_url + "/sse/drop"))
    assert [event.kind for event in replayed][1:] == [event.kind for event in original][1:]


async def test_the_recording_masks_request_credentials_and_keeps_the_body(demo_server, tmp_path: Path) -> None:
    request = HttpRequest(
        url=demo_server.base_url + "/v1/chat/stream?api_key=k-secret",
        method="POST",
        headers=(("Authorization", "Bearer sk-secret"), ("Content-Type", "application/json")),
        body=b'{"message": "hi"}',
    )
    capture, _ = await capture_http(request)
    save_recording(capture, tmp_path / "chat.jsonl")
    text = (tmp_path / "chat.jsonl").read_text()
    assert "sk-secret" not in text and "k-secret" not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["kind"] for line in lines[:3]] == ["recording", "request", "response"]
    assert lines[-1] == {"kind": "end", "t": lines[-1]["t"], "reason": "complete"}
    assert all(line["t"] >= 0 for line in lines[1:])
    assert load_recording(tmp_path / "chat.jsonl").method == "POST"


def test_a_file_that_is_not_a_recording_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"kind": "recording", "version": 1}\n{"kind": "chunk", "t": 0, "b64": "!!"}\n')
    with pytest.raises(BadRecording, match=r"x\.jsonl:2"):
        load_recording(path)


async def test_the_mock_answers_404_for_what_it_has_not_recorded(demo_server, tmp_path: Path) -> None:
    capture, _ = await capture_http(HttpRequest(url=demo_server.base_url + "/sse/ids"))
    save_recording(capture, tmp_path / "ids.jsonl")
    with DemoServer(app=create_mock_app([load_recording(tmp_path / "ids.jsonl")], speed=0)) as mock:
        _, events = await capture_http(HttpRequest(url=mock.base_url + "/elsewhere"))
    opened = [event.payload for event in events if event.kind == "open"]
    assert opened and opened[0].status == 404  # type: ignore[union-attr]
