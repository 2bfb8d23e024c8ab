"""Sluice's HTTP client on its own asyncio network backend (`app.connections.asyncio_network`), against
real servers on 127.0.0.1: it is the backend in use, bytes arrive whole through its read queue's pause
and resume, an upload larger than the transport's buffer is sent whole, and failures are the httpx
errors Sluice names (refused, reset, silent)."""

from __future__ import annotations

import asyncio
import hashlib
import socket
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
import pytest

from app.connections.asyncio_network import QUEUED_BYTES_BEFORE_PAUSE, AsyncioStream
from app.connections.http_client import client_for
from app.connections.http_errors import describe_connect_failure
from app.events import ErrorType
from app.model.http_request import HttpRequest

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def serving(handler: Handler) -> AsyncIterator[str]:
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


async def _read_head(reader: asyncio.StreamReader) -> dict[str, str]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode().split("\r\n")[1:]
    return {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines if line)}


def _body_of(size: int) -> bytes:
    return bytes(index % 251 for index in range(size))


async def test_sluice_connects_through_its_asyncio_backend() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_head(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
        await writer.drain()
        writer.close()

    async with serving(handler) as url:
        async with client_for(HttpRequest(url)) as client, client.stream("GET", url) as response:
            assert isinstance(response.extensions["network_stream"], AsyncioStream)
            assert await response.aread() == b"hello"


async def test_an_address_is_connected_to_without_the_resolver_and_a_name_through_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """`127.0.0.1` needs no lookup (no executor thread started for one); `localhost` is still looked up."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_head(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()
        writer.close()

    loop = asyncio.get_running_loop()
    looked_up: list[str] = []
    resolve = loop.getaddrinfo

    async def counted(host: str, *args: object, **kwargs: object) -> object:
        looked_up.append(host)
        return await resolve(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loop, "getaddrinfo", counted)
    async with serving(handler) as url:
        named = url.replace("127.0.0.1", "localhost")
        async with client_for(HttpRequest(url)) as client:
            assert (await client.get(url)).text == "ok"
            assert looked_up == []
            assert (await client.get(named)).text == "ok"
    assert looked_up == ["localhost"]


async def test_a_body_the_reader_falls_behind_on_pauses_the_socket_and_arrives_whole() -> None:
    body = _body_of(4 * QUEUED_BYTES_BEFORE_PAUSE)

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_head(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        await writer.drain()
        writer.close()

    async with serving(handler) as url:
        async with client_for(HttpRequest(url)) as client, client.stream("GET", url) as response:
            queue = response.extensions["network_stream"]._queue
            chunks = response.aiter_raw()
            received = [await chunks.__anext__()]
            # Not reading: the queue fills up to its bound and the transport stops reading the socket.
            for _ in range(2000):
                if queue._paused:
                    break
                await asyncio.sleep(0.005)
            assert queue._paused
            assert queue.queued < 2 * QUEUED_BYTES_BEFORE_PAUSE
            async with asyncio.timeout(60):  # a guard against a queue that never resumes, not a speed test
                received += [chunk async for chunk in chunks]
    assert b"".join(received) == body
    assert not queue._paused


async def test_an_upload_larger_than_the_write_buffer_is_sent_whole() -> None:
    upload = _body_of(8 << 20)

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        headers = await _read_head(reader)
        digest = hashlib.sha256(await reader.readexactly(int(headers["content-length"]))).hexdigest().encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(digest), digest))
        await writer.drain()
        writer.close()

    async with serving(handler) as url:
        async with client_for(HttpRequest(url, method="POST")) as client:
            response = await client.post(url, content=upload)
    assert response.text == hashlib.sha256(upload).hexdigest()


async def test_a_reset_mid_body_is_a_read_error() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_head(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial")
        await writer.drain()
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with RST
        writer.transport.abort()

    async with serving(handler) as url:
        async with client_for(HttpRequest(url)) as client, client.stream("GET", url) as response:
            with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
                await response.aread()


async def test_a_server_that_goes_silent_is_a_read_timeout() -> None:
    answered = asyncio.Event()

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_head(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n")
        await writer.drain()
        await answered.wait()
        writer.close()

    async with serving(handler) as url:
        request = HttpRequest(url, read_timeout=0.2)
        async with client_for(request) as client, client.stream("GET", url) as response:
            with pytest.raises(httpx.ReadTimeout):
                await response.aread()
        answered.set()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
async def test_a_refused_connection_is_named_so_for_every_address_tried(host: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound, never listening: connecting is refused
        url = f"http://{host}:{port}/"
        async with client_for(HttpRequest(url)) as client:
            with pytest.raises(httpx.ConnectError) as raised:
                await client.get(url)
    assert describe_connect_failure(raised.value, url).type is ErrorType.CONNECTION_REFUSED


async def test_a_proxy_from_the_environment_is_still_used(monkeypatch: pytest.MonkeyPatch) -> None:
    # Setting the backend must not turn off the proxies httpx takes from the environment (a client given
    # a `transport=` ignores HTTP_PROXY): the request reaches the proxy on 127.0.0.1 in absolute form.
    request_lines: list[str] = []

    async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request_lines.append((await reader.readline()).decode().strip())
        await _read_head(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nproxied")
        await writer.drain()
        writer.close()

    async with serving(proxy) as proxy_url:
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", proxy_url)
        url = "http://upstream.invalid/x"  # never resolved: the proxy answers for it
        async with client_for(HttpRequest(url)) as client:
            response = await client.get(url)
    assert response.text == "proxied"
    assert request_lines == ["GET http://upstream.invalid/x HTTP/1.1"]
