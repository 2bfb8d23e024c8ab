"""A loopback server for the benchmarks that writes pre-built bytes, so it is never the bottleneck.

    python benchmarks/raw_server.py [--port P]      # prints its base URL once listening

Each body is built once per URL and then written with `sendall` in 64 KiB HTTP chunks; the WebSocket
flood is one pre-built run of frames written in bulk. Paths:

- `/sse/openai?n=N`       N OpenAI chat-completion chunks (`text/event-stream`), then `[DONE]`; past
                          200,000, whole blocks of 200,000 (each a complete reply) written repeatedly
- `/ndjson/ollama?n=N`    N Ollama `/api/chat` lines (`application/x-ndjson`), then the `done` line
- `/sse/anthropic?n=N`    N Anthropic text deltas (named events) inside a message's start and stop events
- `/sse/gemini?n=N`       N Gemini text chunks (CRLF line ends, usage in each), then the `finishReason` one
- `/sse/responses?n=N`    N OpenAI Responses API `output_text` deltas (named, numbered events)
- `/sse/no-line-end?mb=M` M MiB of one SSE data line that never ends (the memory benchmark)
- `/sse/gzip-bomb?mb=M`   `Content-Encoding: gzip` nobody asked for: M MiB of one SSE data line of zeros,
                          about M KB on the wire (a 1000:1 bomb, compressed as it is sent)
- `/ws/flood?n=N`         a WebSocket that sends N small text messages, then closes with 1000
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import socket
import socketserver
import struct
import threading
import zlib
from urllib.parse import parse_qs, urlsplit

WORDS = ("The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", ".")
"""Token k is `WORDS[k % 10]`, so a merged reply is checkable."""
CHUNK = 64 * 1024
_CACHED_EVENTS = 200_000
"""Longer OpenAI streams repeat a block of this many events (each with its role chunk and `[DONE]`)."""
MIB = 1024 * 1024
_WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

_OPENAI_HEAD = (
    'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,'
    '"model":"gpt-4o-mini","system_fingerprint":"fp_bench","choices":[{"index":0,"delta":'
)
_OPENAI_TAIL = ',"logprobs":null,"finish_reason":null}]}\n\n'


def openai_sse(count: int) -> bytes:
    parts = [_OPENAI_HEAD + '{"role":"assistant","content":""}' + _OPENAI_TAIL]
    parts += [f'{_OPENAI_HEAD}{{"content":"{WORDS[k % 10]}"}}{_OPENAI_TAIL}' for k in range(count)]
    parts.append(_OPENAI_HEAD + '{},"logprobs":null,"finish_reason":"stop"}]}\n\n')
    parts.append("data: [DONE]\n\n")
    return "".join(parts).encode()


def anthropic_sse(count: int) -> bytes:
    """Anthropic Messages events as the API sends them: named (`event:` then `data:`), text deltas between
    the message's and the block's start and stop."""
    parts = [
        'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_bench","type":"message",'
        '"role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,'
        '"usage":{"input_tokens":12,"output_tokens":1}}}\n\n',
        'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
    ]
    parts += [
        f'event: content_block_delta\ndata: {{"type":"content_block_delta","index":0,"delta":{{"type":"text_delta","text":"{WORDS[k % 10]}"}}}}\n\n'
        for k in range(count)
    ]
    parts.append('event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n')
    parts.append(f'event: message_delta\ndata: {{"type":"message_delta","delta":{{"stop_reason":"end_turn","stop_sequence":null}},"usage":{{"output_tokens":{count}}}}}\n\n')
    parts.append('event: message_stop\ndata: {"type":"message_stop"}\n\n')
    return "".join(parts).encode()


def gemini_sse(count: int) -> bytes:
    """Gemini `streamGenerateContent?alt=sse` chunks, CRLF line ends and all, each with the usage so far."""
    head = '{"candidates": [{"content": {"parts": [{"text": '
    usage = '"usageMetadata": {"promptTokenCount": 12,"totalTokenCount": 12},"modelVersion": "gemini-2.5-flash","responseId": "bench"}'
    parts = [f'data: {head}"{WORDS[k % 10]}"}}],"role": "model"}},"index": 0}}],{usage}\r\n\r\n' for k in range(count)]
    parts.append(
        f'data: {head}""}}],"role": "model"}},"finishReason": "STOP","index": 0}}],"usageMetadata": '
        f'{{"promptTokenCount": 12,"candidatesTokenCount": {count},"totalTokenCount": {count + 12}}},"modelVersion": "gemini-2.5-flash"}}\r\n\r\n'
    )
    return "".join(parts).encode()


def responses_sse(count: int) -> bytes:
    """OpenAI Responses API events: named, each numbered (`sequence_number`), text deltas of one message."""
    parts = ['event: response.created\ndata: {"type":"response.created","sequence_number":0,"response":{"id":"resp_bench",'
             '"object":"response","status":"in_progress","model":"gpt-5","output":[]}}\n\n']
    parts += [
        f'event: response.output_text.delta\ndata: {{"type":"response.output_text.delta","sequence_number":{k + 1},'
        f'"item_id":"msg_bench","output_index":0,"content_index":0,"delta":"{WORDS[k % 10]}","logprobs":[]}}\n\n'
        for k in range(count)
    ]
    parts.append(f'event: response.completed\ndata: {{"type":"response.completed","sequence_number":{count + 1},"response":'
                 '{"id":"resp_bench","object":"response","status":"completed","model":"gpt-5","output":[]}}\n\n')
    return "".join(parts).encode()


PROVIDER_SSE = {"/sse/anthropic": anthropic_sse, "/sse/gemini": gemini_sse, "/sse/responses": responses_sse}


def ollama_ndjson(count: int) -> bytes:
    head = '{"model":"llama3.2","created_at":"2024-11-01T12:00:00.000000Z","message":{"role":"assistant","content":'
    parts = [f'{head}"{WORDS[k % 10]}"}},"done":false}}\n' for k in range(count)]
    parts.append(
        f'{head}""}},"done_reason":"stop","done":true,"total_duration":1000,"load_duration":10,'
        f'"prompt_eval_count":5,"prompt_eval_duration":10,"eval_count":{count},"eval_duration":900}}\n'
    )
    return "".join(parts).encode()


def chunked(body: bytes) -> bytes:
    """`body` framed as HTTP/1.1 chunks of 64 KiB, with the closing empty chunk."""
    pieces = [body[at : at + CHUNK] for at in range(0, len(body), CHUNK)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


def ws_frames(count: int) -> bytes:
    frames = []
    for k in range(count):
        payload = b'{"i":%d,"text":"hello"}' % k
        frames.append(b"\x81" + bytes([len(payload)]) + payload)
    close = struct.pack("!H", 1000) + b"flood complete"
    frames.append(b"\x88" + bytes([len(close)]) + close)
    return b"".join(frames)


class _Handler(socketserver.BaseRequestHandler):
    cache: dict[str, bytes] = {}
    lock = threading.Lock()

    def handle(self) -> None:
        sock: socket.socket = self.request
        head = b""
        while b"\r\n\r\n" not in head:
            data = sock.recv(65536)
            if not data:
                return
            head += data
        request_line, *header_lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        target = request_line.split(" ")[1]
        headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in header_lines)}
        parts = urlsplit(target)
        query = {name: int(values[0]) for name, values in parse_qs(parts.query).items()}
        if parts.path == "/ws/flood":
            self._websocket(sock, headers, query.get("n", 1000), target)
        elif parts.path == "/sse/no-line-end":
            self._no_line_end(sock, query.get("mb", 512))
        elif parts.path == "/sse/gzip-bomb":
            self._gzip_bomb(sock, query.get("mb", 2048))
        elif parts.path == "/sse/openai" and query.get("n", 1000) > _CACHED_EVENTS:
            self._repeated_openai(sock, query["n"])
        elif parts.path in PROVIDER_SSE:
            build = PROVIDER_SSE[parts.path]
            body = self._cached(target, lambda: chunked(build(query.get("n", 1000))))
            sock.sendall(_http_head("text/event-stream") + body)
        elif parts.path in ("/sse/openai", "/ndjson/ollama"):
            sse = parts.path == "/sse/openai"
            body = self._cached(target, lambda: chunked((openai_sse if sse else ollama_ndjson)(query.get("n", 1000))))
            media = "text/event-stream" if sse else "application/x-ndjson"
            sock.sendall(_http_head(media) + body)
        else:
            sock.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def _cached(self, key: str, build) -> bytes:
        with self.lock:
            if key not in self.cache:
                self.cache[key] = build()
            return self.cache[key]

    def _repeated_openai(self, sock: socket.socket, count: int) -> None:
        """A stream too big to keep whole: one pre-built block of chunks written again and again."""
        block = self._cached("openai-block", lambda: chunked(openai_sse(_CACHED_EVENTS))[:-5])
        sock.sendall(_http_head("text/event-stream"))
        for _ in range(count // _CACHED_EVENTS):
            sock.sendall(block)
        sock.sendall(b"0\r\n\r\n")

    def _no_line_end(self, sock: socket.socket, megabytes: int) -> None:
        block = b"%x\r\n%s\r\n" % (MIB, b"x" * MIB)
        sock.sendall(_http_head("text/event-stream") + b"6\r\ndata: \r\n")
        for _ in range(megabytes):
            sock.sendall(block)
        sock.sendall(b"0\r\n\r\n")

    def _gzip_bomb(self, sock: socket.socket, megabytes: int) -> None:
        """gzip of `data: ` and `megabytes` MiB of zeros with no line end, compressed as it is sent (so
        the client never waits long for a byte)."""
        head = _http_head("text/event-stream").replace(b"\r\n\r\n", b"\r\nContent-Encoding: gzip\r\n\r\n", 1)
        sock.sendall(head)
        compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        zeros = b"\0" * MIB
        pieces = [compressor.compress(b"data: ")]
        for _ in range(megabytes):
            pieces.append(compressor.compress(zeros))
            if sum(map(len, pieces)) >= 16 * 1024:
                sock.sendall(chunked(b"".join(pieces))[:-5])
                pieces = []
        pieces.append(compressor.flush())
        sock.sendall(chunked(b"".join(pieces)))

    def _websocket(self, sock: socket.socket, headers: dict[str, str], count: int, target: str) -> None:
        accept = base64.b64encode(hashlib.sha1(headers["sec-websocket-key"].encode() + _WS_GUID).digest())
        frames = self._cached(target, lambda: ws_frames(count))
        sock.sendall(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n" + frames
        )
        try:
            # The server already sent its close frame: the client's close (any bytes) ends the exchange,
            # and the server closes the TCP connection first, as RFC 6455 asks.
            sock.recv(65536)
        except OSError:
            pass


def _http_head(media_type: str) -> bytes:
    return (
        f"HTTP/1.1 200 OK\r\nContent-Type: {media_type}\r\nTransfer-Encoding: chunked\r\n"
        "Cache-Control: no-cache\r\nConnection: close\r\n\r\n"
    ).encode()


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    options = parser.parse_args()
    with _Server(("127.0.0.1", options.port), _Handler) as server:
        print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
