"""`RequestRun` on a WebSocket, with a `WsScript`, against the real demo server on 127.0.0.1."""

from __future__ import annotations

import io
import json

import pytest

from app.cli.printers import JsonlPrinter
from app.demo.server import DemoServer
from app.model.request_definition import SavedMessage
from app.model.ws_request import WsRequest
from app.run import InvalidRun, RequestRun, WsScript
from app.vocabulary import WsFormat


async def run_jsonl(
    request: WsRequest,
    sends: tuple[SavedMessage, ...] = (),
    *,
    until_count: int | None = None,
    until_jsonpath: str | None = None,
    duration: float | None = None,
    send_interval: float = 0.0,
) -> tuple[int, list[dict]]:
    stream = io.BytesIO()
    script = WsScript(sends, send_interval, until_count, until_jsonpath, duration)
    outcome = await RequestRun(request, [JsonlPrinter(stream)], script=script).run()
    return outcome.exit_code, [json.loads(line) for line in stream.getvalue().decode().splitlines()]


def kinds(lines: list[dict]) -> list[str]:
    return [line["kind"] for line in lines]


async def test_sends_in_order_and_until_count_closes_with_1000(demo_server: DemoServer) -> None:
    sends = [
        SavedMessage("plain"),
        SavedMessage('{"n": 1}', WsFormat.JSON),
        SavedMessage("00ff", WsFormat.HEX),
        SavedMessage("AQI=", WsFormat.BASE64),
    ]
    code, lines = await run_jsonl(WsRequest(f"{demo_server.ws_url}/ws/echo"), tuple(sends), until_count=4)
    assert code == 0
    assert kinds(lines) == ["ws_connecting", "ws_open", *["ws_send"] * 4, *["ws_recv"] * 4, "ws_close"]
    recv = [line for line in lines if line["kind"] == "ws_recv"]
    assert [(line["opcode"], line.get("text", line.get("b64"))) for line in recv] == [
        ("text", "plain"),
        ("text", '{"n": 1}'),
        ("binary", "AP8="),
        ("binary", "AQI="),
    ]
    assert lines[-1] == {**lines[-1], "code": 1000, "reason": "", "by": "client"}
    assert [line["seq"] for line in lines] == list(range(len(lines)))


async def test_until_count_prints_exactly_n_messages_of_a_flood(demo_server: DemoServer) -> None:
    code, lines = await run_jsonl(WsRequest(f"{demo_server.ws_url}/ws/flood?n=10000000"), until_count=10)
    assert code == 0
    recv = [line["text"] for line in lines if line["kind"] == "ws_recv"]
    assert recv == [f'{{"i":{index}}}' for index in range(10)]
    assert lines[-1]["kind"] == "ws_close" and lines[-1]["by"] == "client"
    assert [line["seq"] for line in lines] == list(range(len(lines)))
    # The demo server stopped flooding when the client closed: it answers the next handshake.
    code, lines = await run_jsonl(WsRequest(f"{demo_server.ws_url}/ws/flood?n=3"))
    assert code == 0 and lines[-1]["by"] == "server"


@pytest.mark.parametrize("expression", ['$[?(@.type == "done")]', "$.message"])
async def test_until_jsonpath_ends_on_the_matching_message(demo_server: DemoServer, expression: str) -> None:
    code, lines = await run_jsonl(
        WsRequest(f"{demo_server.ws_url}/ws/chat"), (SavedMessage("tell me more"),), until_jsonpath=expression
    )
    assert code == 0
    recv = [json.loads(line["text"]) for line in lines if line["kind"] == "ws_recv"]
    assert recv[-1] == {"type": "done", "message": "You said: tell me more"}
    assert all(message["type"] == "token" for message in recv[:-1])
    assert lines[-1]["by"] == "client" and lines[-1]["code"] == 1000


async def test_duration_closes_an_idle_socket(demo_server: DemoServer) -> None:
    code, lines = await run_jsonl(WsRequest(f"{demo_server.ws_url}/ws/echo"), duration=0.05)
    assert code == 0
    assert kinds(lines) == ["ws_connecting", "ws_open", "ws_close"]


async def test_server_close_ends_the_run_cleanly(demo_server: DemoServer) -> None:
    code, lines = await run_jsonl(WsRequest(f"{demo_server.ws_url}/ws/flood?n=3"))
    assert code == 0
    assert lines[-1]["by"] == "server" and lines[-1]["code"] == 1000


async def test_rejected_handshake_exits_1_with_an_error_line(demo_server: DemoServer) -> None:
    code, lines = await run_jsonl(WsRequest(f"{demo_server.ws_url}/ws/auth"), (SavedMessage("never sent"),))
    assert code == 1
    assert kinds(lines) == ["ws_connecting", "open", "body", "error"]  # the refusing response, then why
    assert lines[-1]["type"] == "handshake_rejected" and "401" in lines[-1]["message"]


async def test_drop_exits_1(demo_server: DemoServer) -> None:
    code, lines = await run_jsonl(WsRequest(f"{demo_server.ws_url}/ws/drop"))
    assert code == 1
    assert lines[-1] == {**lines[-1], "kind": "ws_close", "code": 1006, "by": "server"}


async def test_server_error_close_exits_1(demo_server: DemoServer) -> None:
    code, lines = await run_jsonl(WsRequest(f"{demo_server.ws_url}/ws/subprotocol"))
    assert code == 1
    assert lines[-1]["code"] == 1002


async def test_subprotocol_from_the_cli_is_negotiated(demo_server: DemoServer) -> None:
    request = WsRequest(f"{demo_server.ws_url}/ws/subprotocol", subprotocols=("sluice.v1",))
    code, lines = await run_jsonl(request, (SavedMessage("hi"),), until_count=1)
    assert code == 0
    assert lines[1]["kind"] == "ws_open" and lines[1]["subprotocol"] == "sluice.v1"


async def test_bad_message_is_refused_before_connecting() -> None:
    with pytest.raises(InvalidRun, match=r"message 2 \(json\): not valid JSON"):
        RequestRun(WsRequest("ws://127.0.0.1:9/"), script=WsScript((SavedMessage("ok"), SavedMessage("{bad", WsFormat.JSON))))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"until_count": 0}, "at least 1"),
        ({"until_jsonpath": "$[?(@.type =="}, "not a JSONPath"),
        ({"duration": -1.0}, "positive"),
    ],
)
async def test_bad_until_options_are_usage_errors(options: dict, message: str) -> None:
    with pytest.raises(InvalidRun, match=message):
        await run_jsonl(WsRequest("ws://127.0.0.1:9/"), **options)


def test_encode_sends_names_the_template() -> None:
    with pytest.raises(InvalidRun, match="greeting: not hex"):
        WsScript((SavedMessage("xyz", WsFormat.HEX, name="greeting"),)).check()
