"""Broken HTTP chunked framing is named as such, in plain words, with bounded memory.

An endless chunk extension (`5;aaaa…`, no CRLF ever) is refused by h11 once its buffer passes httpcore's
100 KiB, as "Receive buffer too long"; Sluice called that "server closed the connection mid-stream",
which the server never did (it was still sending), and the other framing errors the same way. They are
now `protocol_error` naming what broke, never h11's own text (`bytearray(b'zz\\r\\n')`).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from raw_loopback_server import RawServer, http_response

from app.connections.http_errors import describe_connect_failure, describe_stream_failure

_CHUNKED = [("Content-Type", "text/event-stream"), ("Transfer-Encoding", "chunked")]
_SENT_AT_MOST = 64 * 1024 * 1024
"""The endless server stops by itself after this much; Sluice must hang up long before."""


class EndlessExtension:
    """Sends a chunked response whose second chunk header never ends, until the client hangs up."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}/"
        self.sent = 0
        self.done = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        connection, _ = self._socket.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(http_response("200 OK", _CHUNKED, b"6\r\ndata:\n\r\n5;"))
            piece = b"a" * 65536
            try:
                while self.sent < _SENT_AT_MOST:
                    connection.sendall(piece)
                    self.sent += len(piece)
            except OSError:
                pass  # the client hung up: what the test wants
        self.done.set()
        self._socket.close()


@pytest.fixture
def endless() -> Iterator[EndlessExtension]:
    server = EndlessExtension()
    yield server
    server.done.wait(30)


def test_an_endless_chunk_extension_is_a_named_protocol_error(endless: EndlessExtension, sluice) -> None:
    result = sluice("run", endless.url, "--jsonl")
    assert result.code == 1
    (error,) = [line for line in result.lines if line["kind"] == "error"]
    assert error["type"] == "protocol_error"
    assert "chunk" in error["message"] and "never ended" in error["message"]
    assert "Receive buffer" not in error["message"] and "closed" not in error["message"]
    assert "chunk" in result.stderr and "Traceback" not in result.stderr
    assert endless.done.wait(30) and endless.sent < _SENT_AT_MOST  # Sluice stopped reading: nothing piled up


@pytest.mark.parametrize(("body", "said"), [
    (b"zz\r\n", "a chunk size that is not a hexadecimal number"),
    (b"5\r\nabcdeXX", "a chunk that did not end where its size said"),
])
def test_other_framing_errors_are_named_without_h11s_text(raw_server: RawServer, sluice, body: bytes, said: str) -> None:
    raw_server.routes["/framing"] = http_response("200 OK", _CHUNKED, body)
    result = sluice("run", f"{raw_server.base_url}/framing")
    assert result.code == 1
    assert said in result.stdout and said in result.stderr
    assert "bytearray" not in result.stdout + result.stderr


def test_a_body_cut_short_is_still_a_server_that_closed(raw_server: RawServer, sluice) -> None:
    raw_server.routes["/short"] = http_response("200 OK", [("Content-Length", "10")], b"ab")
    result = sluice("run", f"{raw_server.base_url}/short", "--jsonl")
    (error,) = [line for line in result.lines if line["kind"] == "error"]
    assert error["type"] == "server_closed_mid_stream"


def test_a_response_head_that_never_ends_is_named(raw_server: RawServer, sluice) -> None:
    raw_server.routes["/head"] = b"HTTP/1.1 200 OK\r\nX-Pad: " + b"a" * 300_000
    result = sluice("run", f"{raw_server.base_url}/head", "--jsonl")
    (error,) = [line for line in result.lines if line["kind"] == "error"]
    assert error["type"] == "protocol_error"
    assert "response head" in error["message"] and "Receive buffer" not in error["message"]


def test_words_for_each_h11_error_name_no_internal_text() -> None:
    import httpx

    for text in ("illegal status line: bytearray(b'\\x1b]0;x')", "illegal header line: bytearray(b'a')",
                 "Server disconnected without sending a response."):
        message = describe_connect_failure(httpx.RemoteProtocolError(text), "http://127.0.0.1:9/").message
        assert "bytearray" not in message and message.startswith("127.0.0.1 ")
    streamed = describe_stream_failure(httpx.RemoteProtocolError("something new from h11"), 10, 1, None)
    assert streamed.type == "protocol_error" and "something new" not in streamed.message
