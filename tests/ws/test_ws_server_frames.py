"""What the server does on its own: pings (shown with their automatic pong, in order among the messages)
and a handshake that picks none of the offered subprotocols. Against real servers on loopback."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from websockets.sync.server import ServerConnection, serve


def _pinging(connection: ServerConnection) -> None:
    connection.send("a")
    connection.ping(b"p1").wait(5)
    connection.send("b")
    connection.send("c")
    connection.ping(b"p2").wait(5)
    connection.close(1000, "done")


@pytest.fixture
def pinging_url() -> Iterator[str]:
    with serve(_pinging, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"ws://127.0.0.1:{server.socket.getsockname()[1]}/"
        finally:
            server.shutdown()


def test_server_pings_and_their_pongs_are_shown_in_order(pinging_url: str, sluice) -> None:
    result = sluice("run", pinging_url, "--jsonl")
    assert result.code == 0, result.stderr
    lines = result.lines
    assert [line["seq"] for line in lines] == list(range(len(lines)))
    shown = [
        (line["kind"], line.get("text") or bytes.fromhex(line.get("data", "")).decode(), line.get("by"))
        for line in lines
        if line["kind"] in ("ws_recv", "ws_ping", "ws_pong")
    ]
    assert shown == [
        ("ws_recv", "a", None),
        ("ws_ping", "p1", "server"),
        ("ws_pong", "p1", "client"),
        ("ws_recv", "b", None),
        ("ws_recv", "c", None),
        ("ws_ping", "p2", "server"),
        ("ws_pong", "p2", "client"),
    ]
    times = [line["t"] for line in lines]
    assert times == sorted(times)


def test_server_pings_in_the_human_output(pinging_url: str, sluice) -> None:
    result = sluice("run", pinging_url)
    assert result.code == 0, result.stderr
    assert "ws_ping" in result.stdout and "ws_pong" in result.stdout


def test_no_subprotocol_chosen_is_a_diagnostic(demo_server, sluice) -> None:
    result = sluice(
        "run", f"{demo_server.ws_url}/ws/echo", "--subprotocol", "chat.v9", "--send", "hi", "--until-count", "1",
        "--jsonl",
    )
    assert result.code == 0, result.stderr
    opened = next(line for line in result.lines if line["kind"] == "ws_open")
    assert opened["subprotocol"] is None
    (diagnostic,) = [line for line in result.lines if line["kind"] == "diagnostic"]
    assert "browser" in diagnostic["message"] and diagnostic["sample"] == "offered: chat.v9"


def test_a_chosen_subprotocol_gives_no_diagnostic(demo_server, sluice) -> None:
    result = sluice(
        "run", f"{demo_server.ws_url}/ws/subprotocol", "--subprotocol", "sluice.v1", "--send", "hi",
        "--until-count", "1", "--jsonl",
    )
    assert result.code == 0, result.stderr
    assert "diagnostic" not in result.kinds()
