"""httpcore's network on plain asyncio, for Sluice's HTTP client: what httpcore's anyio backend does, with
a read that costs what a read should.

Through anyio each read of the body resumed the transport's reading, waited, paused it again (two
`epoll_ctl` calls) and yielded to the event loop even with data waiting: about half of the HTTP layer's
time on a fast stream (51 ms of a 200,000-line NDJSON run, more than parsing it). Here the transport
reads on its own into a queue, pausing only when a megabyte waits unread, and a read takes what is
queued without a loop iteration. Errors are httpcore's own types, mapped as its anyio backend maps them
(`OSError` on connect → `ConnectError`, a timeout → `ConnectTimeout`/`ReadTimeout`/`WriteTimeout`), so
httpx raises what it always raised; a refused connection stays a `ConnectionRefusedError` underneath.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections import deque
from collections.abc import Iterable
from typing import Any

import httpcore
from httpcore import AsyncNetworkBackend, AsyncNetworkStream

QUEUED_BYTES_BEFORE_PAUSE = 1 << 20
"""Unread bytes at which the transport stops reading the socket (TCP then slows the server down)."""

_SocketOption = tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]


class _Wakeup:
    """The one task waiting for something to happen on the connection, woken when it does."""

    def __init__(self) -> None:
        self._waiter: asyncio.Future[None] | None = None

    def set(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def wait(self) -> None:
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None


class _ReadQueue(asyncio.Protocol):
    """The connection's bytes as they arrive, kept for `AsyncioStream.read`."""

    def __init__(self) -> None:
        self.chunks: deque[bytes] = deque()
        self.queued = 0
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.error: Exception | None = None
        self._paused = False
        self.arrived = _Wakeup()
        """Woken when bytes arrive or the connection ends."""
        self.writing_paused = False
        self.drained = _Wakeup()
        """Woken when the transport's write buffer is below its limit again (or the connection is gone)."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)
        self.queued += len(data)
        if self.queued >= QUEUED_BYTES_BEFORE_PAUSE and not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()
        self.arrived.set()

    def eof_received(self) -> bool:
        self.closed = True
        self.arrived.set()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.error = exc
        self.arrived.set()
        self.resume_writing()

    def pause_writing(self) -> None:
        self.writing_paused = True

    def resume_writing(self) -> None:
        self.writing_paused = False
        self.drained.set()

    def take(self, max_bytes: int) -> bytes:
        """Up to `max_bytes` of what is queued (there is some)."""
        chunk = self.chunks.popleft()
        if len(chunk) > max_bytes:
            self.chunks.appendleft(chunk[max_bytes:])
            chunk = chunk[:max_bytes]
        self.queued -= len(chunk)
        if self._paused and self.queued < QUEUED_BYTES_BEFORE_PAUSE // 2 and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()
        return chunk



class AsyncioStream(AsyncNetworkStream):
    """One TCP (or TLS) connection for httpcore."""

    def __init__(self, transport: asyncio.Transport, queue: _ReadQueue) -> None:
        self._transport = transport
        self._queue = queue

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        queue = self._queue
        if queue.chunks:
            return queue.take(max_bytes)
        try:
            async with asyncio.timeout(timeout):
                while not queue.chunks:
                    if queue.closed:
                        if queue.error is not None:
                            raise httpcore.ReadError(str(queue.error)) from queue.error
                        return b""
                    await queue.arrived.wait()
        except TimeoutError as error:
            raise httpcore.ReadTimeout(str(error)) from error
        return queue.take(max_bytes)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        transport = self._transport
        if transport.is_closing():
            raise httpcore.WriteError("the connection is closed")
        transport.write(buffer)
        if self._queue.writing_paused:
            # The transport's buffer is full: wait for it to drain, as a stream writer's `drain()` does.
            try:
                async with asyncio.timeout(timeout):
                    await self._queue.drained.wait()
            except TimeoutError as error:
                raise httpcore.WriteTimeout(str(error)) from error
            if self._queue.closed:
                raise httpcore.WriteError("the connection closed while the request was being sent")

    async def aclose(self) -> None:
        self._transport.close()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(self._transport, self._queue, ssl_context, server_hostname=server_hostname)
        except TimeoutError as error:
            self._transport.close()
            raise httpcore.ConnectTimeout(str(error)) from error
        except OSError as error:  # ssl.SSLError and ConnectionError among them
            self._transport.close()
            raise httpcore.ConnectError(str(error)) from error
        assert isinstance(transport, asyncio.Transport)
        self._queue.transport = transport
        return AsyncioStream(transport, self._queue)

    def get_extra_info(self, info: str) -> Any:
        transport = self._transport
        if info == "ssl_object":
            return transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return transport.get_extra_info("sockname")
        if info == "server_addr":
            return transport.get_extra_info("peername")
        if info == "socket":
            return transport.get_extra_info("socket")
        if info == "is_readable":
            # httpcore asks before reusing a pooled connection: readable means the server closed it.
            return bool(self._queue.chunks) or self._queue.closed or transport.is_closing()
        return None


class AsyncioBackend(AsyncNetworkBackend):
    """Connects for httpcore with asyncio itself (see the module docstring)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[_SocketOption] | None = None,
    ) -> AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                sock = await _connected_socket(loop, host, port, local_address)
        except TimeoutError as error:
            raise httpcore.ConnectTimeout(str(error)) from error
        except OSError as error:
            raise httpcore.ConnectError(str(error)) from error
        for option in socket_options or ():
            sock.setsockopt(*option)
        queue = _ReadQueue()
        transport, _ = await loop.create_connection(lambda: queue, sock=sock)
        return AsyncioStream(transport, queue)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[_SocketOption] | None = None
    ) -> AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        queue = _ReadQueue()
        try:
            async with asyncio.timeout(timeout):
                transport, _ = await loop.create_unix_connection(lambda: queue, path)
        except TimeoutError as error:
            raise httpcore.ConnectTimeout(str(error)) from error
        except OSError as error:
            raise httpcore.ConnectError(str(error)) from error
        for option in socket_options or ():
            transport.get_extra_info("socket").setsockopt(*option)
        return AsyncioStream(transport, queue)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


async def _connected_socket(loop: asyncio.AbstractEventLoop, host: str, port: int, local_address: str | None) -> socket.socket:
    """A socket connected to the first of `host`'s addresses that answers. When none does, the first
    address's error is raised as it is (a `ConnectionRefusedError` stays one), not asyncio's joined
    "Multiple exceptions" text."""
    infos = _numeric_address(host, port)
    if infos is None:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    first_error: OSError | None = None
    for family, kind, proto, _, address in infos:
        sock = socket.socket(family, kind, proto)
        try:
            sock.setblocking(False)
            if local_address is not None:
                sock.bind((local_address, 0))
            await loop.sock_connect(sock, address)
        except OSError as error:
            sock.close()
            first_error = first_error or error
            continue
        except BaseException:
            sock.close()
            raise
        return sock
    raise first_error or OSError(f"no address found for {host}")


def _numeric_address(host: str, port: int) -> list[tuple[Any, Any, int, str, Any]] | None:
    """`host` as an address when it is one (`127.0.0.1`, `::1`): no resolver, so no thread of the loop's
    executor is started for it (nor, as bytes, Python's IDNA codec loaded). None for a name."""
    if not host.isascii():
        return None
    try:
        return socket.getaddrinfo(
            host.encode("ascii"), port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP, flags=socket.AI_NUMERICHOST
        )
    except OSError:  # socket.gaierror: not an address
        return None
