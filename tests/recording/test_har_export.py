"""HAR 1.2 export of captured responses from the demo server: request, response, whole body, masking."""

from __future__ import annotations

import json
from pathlib import Path

from helpers_recording import capture_http

from app.demo.faults import IDS_SSE_BLOCKS
from app.events import TimelineEvent
from app.interop.har import har_document, save_har
from app.model.http_request import HttpRequest
from app.recording.capture import Capture
from app.ws_events import WsClosed, WsConnecting, WsMessage, WsOpened


async def test_an_sse_entry_carries_the_whole_body_and_masks_credentials(demo_server, tmp_path: Path) -> None:
    request = HttpRequest(
        url=demo_server.base_url + "/sse/ids?api_key=k-secret",
        headers=(("Authorization", "Bearer sk-secret"), ("X-Api-Key", "k2")),
    )
    capture, events = await capture_http(request)
    path = tmp_path / "out.har"
    save_har([capture], path)
    text = path.read_text()
    assert "sk-secret" not in text and "k-secret" not in text and '"k2"' not in text
    log = json.loads(text)["log"]
    assert log["version"] == "1.2"
    entry = log["entries"][0]
    assert entry["request"]["method"] == "GET"
    assert {"name": "api_key", "value": "****"} in entry["request"]["queryString"]
    response = entry["response"]
    assert response["status"] == 200
    assert response["content"]["mimeType"].startswith("text/event-stream")
    assert response["content"]["text"] == b"".join(IDS_SSE_BLOCKS).decode()
    assert entry["timings"]["wait"] >= 0 and entry["timings"]["receive"] >= 0
    assert entry["startedDateTime"].endswith("Z")


async def test_reveal_keeps_credentials(demo_server) -> None:
    capture, _ = await capture_http(HttpRequest(url=demo_server.base_url + "/sse/ids", headers=(("Authorization", "Bearer sk-1"),)))
    entry = har_document([capture], reveal=True)["log"]["entries"][0]
    assert {"name": "authorization", "value": "Bearer sk-1"} in entry["request"]["headers"]


async def test_a_binary_body_is_base64(demo_server) -> None:
    capture = Capture()
    capture.on_chunk(0.1, b"\xff\x00binary")
    entry = har_document([capture])["log"]["entries"][0]
    assert entry["response"]["content"] == {"size": 8, "mimeType": "", "text": "/wBiaW5hcnk=", "encoding": "base64"}


def test_a_websocket_entry_has_devtools_messages() -> None:
    capture = Capture(headers=(("Origin", "http://localhost"),))
    capture.feed([
        TimelineEvent(0, 0.0, WsConnecting("ws://127.0.0.1:1/ws/echo")),
        TimelineEvent(1, 0.01, WsOpened(101, (("Upgrade", "websocket"),), None)),
        TimelineEvent(2, 0.02, WsMessage("send", "hi")),
        TimelineEvent(3, 0.03, WsMessage("recv", b"\x01\x02")),
        TimelineEvent(4, 0.04, WsClosed(1000, "", "client")),
    ])
    entry = har_document([capture])["log"]["entries"][0]
    assert entry["_resourceType"] == "websocket"
    assert entry["response"]["status"] == 101
    messages = entry["_webSocketMessages"]
    assert [(m["type"], m["opcode"], m["data"]) for m in messages] == [("send", 1, "hi"), ("receive", 2, "AQI=")]
    assert abs(messages[0]["time"] - (capture.started_at + 0.02)) < 1e-6
