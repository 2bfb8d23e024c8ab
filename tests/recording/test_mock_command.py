"""`sluice run --record`, then `sluice mock`, then `sluice run --jsonl` again: the same events."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def mock_server(*args: str) -> Iterator[str]:
    """`sluice mock ARGS` in a subprocess; yields the base URL it prints first."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "mock", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        assert first.startswith("http://127.0.0.1:"), process.stderr.read() if process.stderr else first
        yield first
    finally:
        process.terminate()
        process.wait(timeout=10)


def _same(lines: list[dict]) -> list[dict]:
    # The request line carries the mock's URL, the closing totals and metrics the replay's own timing.
    return [{k: v for k, v in line.items() if k != "t"} for line in lines if line["kind"] not in ("request", "close", "metrics")]


def test_a_recorded_llm_stream_replays_as_the_same_events(sluice, tmp_path: Path) -> None:
    chat = REPO_ROOT / "app" / "sample_collections" / "llm-providers" / "openai-chat.toml"
    recording = tmp_path / "chat.jsonl"
    first = sluice("run", str(chat), "--demo", "--jsonl", "--record", str(recording))
    assert first.code == 0, first.stderr
    with mock_server(str(recording), "--speed", "0") as base_url:
        again = sluice("run", "-X", "POST", f"{base_url}/v1/chat/completions", "--jsonl")
    assert again.code == 0, again.stderr
    assert _same(again.lines) == _same(first.lines), "every event, and the merged reply, are the same"


def test_a_recorded_websocket_conversation_replays_turn_by_turn(sluice, demo_server, tmp_path: Path) -> None:
    recording = tmp_path / "ws.jsonl"
    url = f"{demo_server.ws_url}/ws/chat"
    first = sluice("run", url, "--send", "hello there", "--until-count", "4", "--jsonl", "--record", str(recording))
    assert first.code == 0, first.stderr
    with mock_server(str(tmp_path), "--speed", "0") as base_url:
        again = sluice("run", base_url.replace("http", "ws") + "/ws/chat", "--send", "whatever", "--until-count", "4", "--jsonl")
    assert again.code == 0, again.stderr
    received = lambda result: [line["text"] for line in result.lines if line["kind"] == "ws_recv"]  # noqa: E731
    assert received(again) == received(first)
    assert len(received(first)) == 4


def test_the_first_line_lists_the_base_url_then_the_routes(sluice, tmp_path: Path) -> None:
    recording = tmp_path / "ids.jsonl"
    assert sluice("run", "--demo", str(_request_file(tmp_path, "/sse/ids")), "--record", str(recording)).code == 0
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "app", "mock", str(recording)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("http://127.0.0.1:")
        assert process.stdout.readline().startswith("GET /sse/ids")
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_usage_errors(sluice, tmp_path: Path) -> None:
    assert sluice("mock", str(tmp_path / "absent.jsonl")).code == 2
    (tmp_path / "bad.jsonl").write_text(json.dumps({"kind": "chunk"}) + "\n")
    result = sluice("mock", str(tmp_path / "bad.jsonl"))
    assert result.code == 2 and "bad.jsonl:1" in result.stderr


def _request_file(directory: Path, path: str) -> Path:
    request = directory / "request.toml"
    request.write_text(f'url = "{{{{base_url}}}}{path}"\n')
    return request


def test_har_and_record_of_a_chain_and_of_a_websocket(sluice, demo_server, tmp_path: Path) -> None:
    seeds = REPO_ROOT / "app" / "sample_collections" / "seed-apis"
    har, recordings = tmp_path / "chain.har", tmp_path / "recordings"
    chain = sluice(
        "run", str(seeds / "job-1-start.toml"), str(seeds / "job-2-stream.toml"), "--demo",
        "--har", str(har), "--record", str(recordings), "--jsonl",
    )
    assert chain.code == 0, chain.stderr
    entries = json.loads(har.read_text())["log"]["entries"]
    assert [entry["request"]["method"] for entry in entries] == ["POST", "GET"]
    assert "api_key=****" in entries[1]["request"]["url"]
    assert entries[1]["response"]["content"]["text"].count("event: ") >= 2, "the whole SSE body as received"
    assert sorted(path.name for path in recordings.iterdir()) == ["job-1-start.jsonl", "job-2-stream.jsonl"]
    ws_har = tmp_path / "ws.har"
    ws = sluice("run", f"{demo_server.ws_url}/ws/echo", "--send", "hi", "--send-hex", "0102", "--until-count", "2", "--har", str(ws_har))
    assert ws.code == 0, ws.stderr
    entry = json.loads(ws_har.read_text())["log"]["entries"][0]
    assert entry["_resourceType"] == "websocket" and entry["response"]["status"] == 101
    messages = [(m["type"], m["opcode"], m["data"]) for m in entry["_webSocketMessages"]]
    assert ("send", 1, "hi") in messages and ("receive", 1, "hi") in messages and ("receive", 2, "AQI=") in messages
