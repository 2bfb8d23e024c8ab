"""`sluice run ws://…` against the real demo server: sends in the order given, until-conditions, exit codes."""

from __future__ import annotations

import base64
import json
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_sends_keep_their_order_across_formats_and_echo_back_exactly(demo_server, sluice):
    result = sluice(
        "run", f"{demo_server.ws_url}/ws/echo", "--send", "one", "--send-hex", "00ff10",
        "--send-json", '{"n": 2}', "--send-b64", base64.b64encode(b"\x01\x02").decode(), "--until-count", "4", "--jsonl",
    )
    assert result.code == 0, result.stderr
    lines = result.lines
    sent = [line for line in lines if line["kind"] == "ws_send"]
    received = [line for line in lines if line["kind"] == "ws_recv"]
    assert [line["opcode"] for line in sent] == ["text", "binary", "text", "binary"]
    assert received[0]["text"] == "one"
    assert base64.b64decode(received[1]["b64"]) == b"\x00\xff\x10"
    assert json.loads(received[2]["text"]) == {"n": 2}
    assert base64.b64decode(received[3]["b64"]) == b"\x01\x02"
    assert lines[0]["kind"] == "ws_connecting"
    assert lines[1]["kind"] == "ws_open" and lines[1]["status"] == 101
    close = next(line for line in lines if line["kind"] == "ws_close")
    assert close == {**close, "code": 1000, "by": "client"}
    assert [line["seq"] for line in lines] == list(range(len(lines)))


def test_until_jsonpath_ends_the_chat_and_merges_the_reply(demo_server, sluice):
    result = sluice(
        "run", f"{demo_server.ws_url}/ws/chat", "--send", "hello there",
        "--until-jsonpath", '$[?(@.type=="done")]', "--merged",
    )
    assert result.code == 0, result.stderr
    assert result.stdout.strip() == "You said: hello there"


def test_rejected_handshake_exits_1_with_the_status(demo_server, sluice):
    result = sluice("run", f"{demo_server.ws_url}/ws/auth", "--jsonl")
    assert result.code == 1
    error = next(line for line in result.lines if line["kind"] == "error")
    assert "401" in error["message"]
    assert "401" in result.stderr


def test_drop_without_close_frame_exits_1(demo_server, sluice):
    result = sluice("run", f"{demo_server.ws_url}/ws/drop", "--jsonl")
    assert result.code == 1
    close = next(line for line in result.lines if line["kind"] == "ws_close")
    assert close["code"] == 1006 and close["by"] == "server"
    assert "1006" in result.stderr


def test_saved_websocket_request_sends_its_saved_messages(sluice):
    chat = REPO_ROOT / "sample_collections" / "websocket" / "chat.toml"
    result = sluice("run", str(chat), "--demo", "--until-jsonpath", '$[?(@.type=="done")]', "--jsonl")
    assert result.code == 0, result.stderr
    sent = [line for line in result.lines if line["kind"] == "ws_send"]
    assert len(sent) >= 1
    merged = next(line for line in result.lines if line["kind"] == "merged")
    assert merged["text"].startswith("You said:")
