"""A small hostile server on 127.0.0.1: canned raw HTTP responses and a WebSocket peer that say nasty things.

Raw sockets rather than an ASGI app, because the point is bytes a well-behaved framework would refuse to
send: control characters in header values and reason phrases, `Location: javascript:…`, gzip nobody
asked for. Each response is written whole and the connection closed (the body ends at close).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field

from raw_loopback_server import RawServer, http_response

# OSC 0 (title, ended by ST), OSC 52 (clipboard write, ended by BEL), clear screen, backspaces, an 8-bit CSI,
# and a right-to-left override: everything a terminal might act on.
HOSTILE = "\x1b]0;pwned\x1b\\\x1b]52;c;cHduZWQ=\x07\x1b[2J\x08\x08\x9b31m\u202eevil"
HOSTILE_JSON = json.dumps(HOSTILE)[1:-1]  # the same text as a JSON string body would carry it
# h11 refuses C0 controls in header values and reason phrases, but lets any byte >= 0x80 through: C1
# controls (as UTF-8) and bidi overrides are what a server can put there.
HOSTILE_HEADER = "\x9b2J\u202eevil\x85"


def _sse_body() -> bytes:
    text = (
        f"event: name{HOSTILE}\nid: id{HOSTILE}\ndata: data{HOSTILE}\n\n"
        f": comment{HOSTILE}\n\n"
        f"field{HOSTILE}: value{HOSTILE}\ndata: x\n\n"
        f'data: {{"choices":[{{"index":0,"delta":{{"content":"merged{HOSTILE_JSON}"}}}}]}}\n\n'
        f'data: {{"choices":[{{"index":0,"delta":{{}},"finish_reason":"stop"}}]}}\n\n'
        "data: [DONE]\n\n"
    )
    return text.encode("utf-8")


REDOS_TEXT = "a" * 40 + "b"
"""Python's `re` takes 2^40 steps to find that `^(a|a)*$` does not match this."""


def _redos_body() -> bytes:
    payload = {"choices": [{"index": 0, "delta": {"content": REDOS_TEXT}}], "items": [{"text": REDOS_TEXT}]}
    return f"data: {json.dumps(payload)}\n\ndata: [DONE]\n\n".encode()


def _layered_sse(layers: int) -> bytes:
    body = b"data: layered\n\n"
    for _ in range(layers):
        body = gzip.compress(body, compresslevel=1)
    return body


def _deep(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def gzip_bomb(inflated: int) -> bytes:
    """`inflated` zero bytes, gzip-compressed (about 1 KB per MB)."""
    compressor = gzip.GzipFile(fileobj=(buffer := _Sink()), mode="wb", compresslevel=9)
    chunk = b"\0" * (1 << 20)
    for _ in range(inflated // len(chunk)):
        compressor.write(chunk)
    compressor.close()
    return bytes(buffer.data)


class _Sink:
    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, data: bytes) -> int:
        self.data += data
        return len(data)

    def flush(self) -> None:
        pass


def routes() -> dict[str, bytes]:
    """Path → the whole raw response."""
    hostile_header = ("X-Hostile", HOSTILE_HEADER)
    return {
        "/sse": http_response(f"200 OK{HOSTILE_HEADER}", [("Content-Type", f"text/event-stream; x={HOSTILE_HEADER}"), hostile_header], _sse_body()),
        "/json": http_response("200 OK", [("Content-Type", "application/json"), hostile_header],
                           json.dumps({"text": HOSTILE}).encode()),
        "/text": http_response("200 OK", [("Content-Type", "text/plain")], HOSTILE.encode("utf-8")),
        "/ndjson": http_response("200 OK", [("Content-Type", "application/x-ndjson")],
                             (json.dumps({"text": HOSTILE}) + "\n").encode() + b"{bad" + HOSTILE.encode() + b"\n"),
        "/deep-sse": http_response("200 OK", [("Content-Type", "text/event-stream")],
                               b"data: " + _deep(5000) + b"\n\ndata: {\"after\": 1}\n\n"),
        "/deep-ndjson": http_response("200 OK", [("Content-Type", "application/x-ndjson")],
                                  _deep(5000) + b"\n{\"after\": 1}\n"),
        "/deep-json": http_response("200 OK", [("Content-Type", "application/json")], _deep(5000)),
        "/redirect-js": http_response("302 Found", [("Location", "javascript:alert(1)")], b""),
        "/redirect-bad": http_response("302 Found", [("Location", "http://[::1")], b""),
        "/redirect-secret": http_response("302 Found", [("Location", "ftp://u:pw-in-location@x/?token=t0ken-in-location")], b""),
        "/gzip-sse": http_response("200 OK", [("Content-Type", "text/event-stream"), ("Content-Encoding", "gzip")],
                               gzip.compress(b"data: hello\n\ndata: world\n\n")),
        "/session": http_response("200 OK", [("Content-Type", "text/event-stream"), ("Set-Cookie", "session=s3cr3t-cookie"),
                                          ("X-Auth-Token", "t0ken-from-server")], b"data: hi\n\n"),
        "/retry-huge": http_response("200 OK", [("Content-Type", "text/event-stream")], b"retry: " + b"9" * 400 + b"\ndata: x\n\n"),
        "/oauth-redirect": http_response("302 Found", [("Location", "http://127.0.0.1:9/cb#access_token=t0ken-in-fragment&state=s")], b""),
        "/layers": http_response("200 OK", [("Content-Type", "text/event-stream"), ("Content-Encoding", ", ".join(["gzip"] * 1500))],
                             _layered_sse(1500)),
        "/three-layers": http_response("200 OK", [("Content-Type", "text/event-stream"), ("Content-Encoding", "gzip, gzip, gzip")],
                                   _layered_sse(3)),
        "/redos": http_response("200 OK", [("Content-Type", "text/event-stream")], _redos_body()),
        "/gzip-bomb": http_response("200 OK", [("Content-Type", "text/event-stream"), ("Content-Encoding", "gzip")],
                                gzip_bomb(64 << 20)),
    }


@dataclass
class HostileServer(RawServer):
    """Serves `routes()` over raw HTTP and a hostile WebSocket peer at `/ws` on its own port."""

    routes: dict[str, bytes] = field(default_factory=lambda: routes())
    ws_messages: list[str | bytes] = field(default_factory=lambda: [
        f"text{HOSTILE}", json.dumps({"choices": [{"index": 0, "delta": {"content": f"ws{HOSTILE}"}}]}),
    ])
    ws_close: tuple[int, str] = (4000, f"bye{HOSTILE}"[:100])
