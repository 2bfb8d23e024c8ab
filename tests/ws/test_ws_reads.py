"""How received frames become the timeline, for any frames cut into any reads: whole text messages of a read
go from the frame parser to the bus as one run of their texts (`WsTexts`), everything else (fragments,
binary, pings among them) one by one through the same inbox, and the timeline is always the frames' own
order, the same messages a plain websockets client reads. Against a raw server on 127.0.0.1 that writes
exactly the generated frames."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import connect
from websockets.utils import accept_key

from app.bus import EventBus
from app.cli.printers import JsonlPrinter
from app.connections.websocket import WsConnection
from app.event_runs import EventRun, WsTexts
from app.model.ws_request import WsRequest
from app.run import RequestRun, WsScript

sys.path.insert(0, str(Path(__file__).parent.parent / "run"))

from helpers_run import ThreadedServer

TEXT, BINARY, CONT, CLOSE, PING = 0x1, 0x2, 0x0, 0x8, 0x9


def frame(opcode: int, payload: bytes, fin: bool = True) -> bytes:
    """One unmasked frame, as a server writes it."""
    length = len(payload)
    if length < 126:
        head = bytes([length])
    elif length < 1 << 16:
        head = b"\x7e" + struct.pack("!H", length)
    else:
        head = b"\x7f" + struct.pack("!Q", length)
    return bytes([(0x80 if fin else 0) | opcode]) + head + payload


@dataclass(frozen=True)
class Message:
    """A data message the server sends, in `pieces` frames, with a ping between the first two if asked."""

    data: str | bytes
    pieces: int = 1
    ping_inside: bytes | None = None

    def _parts(self) -> list[bytes]:
        payload = self.data.encode() if isinstance(self.data, str) else self.data
        step = -(-len(payload) // self.pieces) if payload else 1
        return [payload[at : at + step] for at in range(0, len(payload), step)] or [b""]

    def frames(self) -> bytes:
        parts = self._parts()
        written = []
        for index, part in enumerate(parts):
            opcode = (TEXT if isinstance(self.data, str) else BINARY) if index == 0 else CONT
            written.append(frame(opcode, part, fin=index == len(parts) - 1))
            if index == 0 and self.ping_inside is not None:
                written.append(frame(PING, self.ping_inside))
        return b"".join(written)

    def shown(self) -> list[tuple[str, str]]:
        """What the timeline shows for it: a ping inside it comes first (the message ends after it)."""
        pings = [] if self.ping_inside is None else _ping_shown(self.ping_inside)
        shown = ("ws_recv", self.data if isinstance(self.data, str) else base64.b64encode(self.data).decode())
        return [*pings, shown] if len(self._parts()) > 1 else [shown, *pings]


@dataclass(frozen=True)
class Ping:
    data: bytes

    def frames(self) -> bytes:
        return frame(PING, self.data)

    def shown(self) -> list[tuple[str, str]]:
        return _ping_shown(self.data)


def _ping_shown(data: bytes) -> list[tuple[str, str]]:
    return [("ws_ping", data.hex()), ("ws_pong", data.hex())]


TEXTS = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(["", "é€😀", '{"i":1}', "x" * 300])
MESSAGES = st.one_of(
    st.builds(Message, TEXTS),
    st.builds(Message, TEXTS),  # whole text messages are a flood's usual frames
    st.builds(Message, st.binary(max_size=40)),
    st.builds(Message, TEXTS | st.binary(max_size=40), st.integers(2, 3), st.none() | st.binary(max_size=8)),
    st.builds(Ping, st.binary(max_size=8)),
)


class FrameServer:
    """Completes the handshake by hand, then writes `script` cut at `cuts` (each piece drained on its own),
    with the first piece in the handshake answer's packet when `with_handshake`; closes once the client
    has answered the server's close."""

    def __init__(self) -> None:
        self.script = b""
        self.cuts: list[int] = []
        self.with_handshake = False

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await reader.readuntil(b"\r\n\r\n")
        key = next(
            line.split(":", 1)[1].strip() for line in request.decode("latin-1").split("\r\n")
            if line.lower().startswith("sec-websocket-key:")
        )
        answer = (
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + f"Sec-WebSocket-Accept: {accept_key(key)}\r\n\r\n".encode()
        )
        edges = sorted({0, *(cut % (len(self.script) + 1) for cut in self.cuts), len(self.script)})
        pieces = [self.script[start:end] for start, end in zip(edges, edges[1:])]
        if self.with_handshake and pieces:
            answer += pieces.pop(0)
        writer.write(answer)
        await writer.drain()
        for piece in pieces:
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0)  # not a wait for anything: lets the pieces go out as separate writes
        try:
            while True:  # the client's frames (masked): its pongs, then its answer to the close
                head = await reader.readexactly(2)
                await reader.readexactly(4 + (head[1] & 0x7F))
                if head[0] & 0x0F == CLOSE:
                    break
        except asyncio.IncompleteReadError:
            pass
        writer.close()


frame_server = FrameServer()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    messages=st.lists(MESSAGES, max_size=12),
    cuts=st.lists(st.integers(0, 4000), max_size=4),
    with_handshake=st.booleans(),
)
def test_any_frames_in_any_reads_are_the_timeline_a_plain_client_reads(messages, cuts, with_handshake) -> None:
    frame_server.script = b"".join(message.frames() for message in messages) + frame(CLOSE, struct.pack("!H", 1000))
    frame_server.cuts = cuts
    frame_server.with_handshake = with_handshake
    with ThreadedServer(lambda: asyncio.start_server(frame_server.handle, "127.0.0.1", 0)) as server:
        lines, plain = asyncio.run(_both_clients(server.url))
    expected = [shown for message in messages for shown in message.shown()]
    timeline = [
        (line["kind"], line.get("text", line.get("b64", line.get("data"))))
        for line in lines
        if line["kind"] in ("ws_recv", "ws_ping", "ws_pong")
    ]
    assert timeline == expected
    assert [line.get("text", line.get("b64")) for line in lines if line["kind"] == "ws_recv"] == [
        message if isinstance(message, str) else base64.b64encode(message).decode() for message in plain
    ]
    sizes = [len(message.encode() if isinstance(message, str) else message) for message in plain]
    assert [line["size"] for line in lines if line["kind"] == "ws_recv"] == sizes
    assert [line["seq"] for line in lines] == list(range(len(lines)))
    times = [line["t"] for line in lines]
    assert times == sorted(times)
    assert lines[-1]["kind"] == "ws_close" and lines[-1]["code"] == 1000


async def _both_clients(url: str) -> tuple[list[dict], list[str | bytes]]:
    stream = io.BytesIO()
    await RequestRun(WsRequest(url), [JsonlPrinter(stream)]).run()
    lines = [json.loads(line) for line in stream.getvalue().decode().splitlines()]
    async with connect(url) as plain_client:
        plain = [message async for message in plain_client]
    return lines, plain


async def test_a_reads_whole_text_messages_are_published_as_one_run_of_their_texts() -> None:
    # What makes a flood cheap: no event object per message. Broken, the timeline above stays right but
    # this fails.
    frame_server.script = b"".join(frame(TEXT, b'{"i":%d}' % i) for i in range(500)) + frame(CLOSE, struct.pack("!H", 1000))
    frame_server.cuts = []
    frame_server.with_handshake = True
    with ThreadedServer(lambda: asyncio.start_server(frame_server.handle, "127.0.0.1", 0)) as server:
        bus = EventBus()
        subscription = bus.subscribe()
        await WsConnection(WsRequest(server.url), bus).run()
    items = subscription.drain_items()
    runs = [item for item in items if type(item) is EventRun]
    assert runs and all(type(run.payloads) is WsTexts for run in runs)
    assert [text for run in runs for text in run.payloads.texts] == [f'{{"i":{i}}}' for i in range(500)]  # type: ignore[union-attr]
    assert all(run.sizes == [len(text) for text in run.payloads.texts] for run in runs)  # type: ignore[union-attr]


async def test_until_count_ends_inside_a_read_right_after_the_nth_message() -> None:
    frame_server.script = b"".join(frame(TEXT, b"m%d" % i) for i in range(300)) + frame(CLOSE, struct.pack("!H", 1000))
    frame_server.cuts = []
    frame_server.with_handshake = True
    with ThreadedServer(lambda: asyncio.start_server(frame_server.handle, "127.0.0.1", 0)) as server:
        stream = io.BytesIO()
        await RequestRun(WsRequest(server.url), [JsonlPrinter(stream)], script=WsScript(until_count=123)).run()
    lines = [json.loads(line) for line in stream.getvalue().decode().splitlines()]
    assert [line["text"] for line in lines if line["kind"] == "ws_recv"] == [f"m{i}" for i in range(123)]
    # The server's close came in the same read: both closed, whichever the timeline names.
    assert [line["kind"] for line in lines[-2:]] == ["ws_recv", "ws_close"] and lines[-1]["code"] == 1000
