"""Plain names for transport failures: what went wrong, in words a user can act on."""

from __future__ import annotations

import ssl

import httpcore
import httpx

from app.connections.content_encoding import DecodingFailed
from app.events import ConnectionFailed, ErrorType
from app.model.secrets import mask_url


def _causes(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def describe_connect_failure(error: Exception, url: str) -> ConnectionFailed:
    """Name a failure that happened before any response arrived."""
    chain = _causes(error)
    text = " ".join(str(item) for item in chain).lower()
    host = httpx.URL(url).host if url else ""
    if isinstance(error, httpx.ConnectTimeout):
        return ConnectionFailed(ErrorType.CONNECT_TIMEOUT, f"timed out connecting to {host}")
    if isinstance(error, httpx.PoolTimeout):
        return ConnectionFailed(ErrorType.CONNECT_TIMEOUT, f"timed out waiting for a connection to {host}")
    if isinstance(error, httpx.WriteTimeout):
        return ConnectionFailed(ErrorType.WRITE_TIMEOUT, f"timed out sending the request to {host}")
    if isinstance(error, httpx.ReadTimeout):
        return ConnectionFailed(ErrorType.READ_TIMEOUT, f"no response from {host}: timed out waiting for it to answer")
    if any(isinstance(item, ssl.SSLError) for item in chain) or "certificate" in text or "ssl" in text:
        reason = next((str(item) for item in chain if isinstance(item, ssl.SSLError)), str(error))
        untrusted = any(isinstance(item, ssl.SSLCertVerificationError) for item in chain) or "certificate" in text
        hint = " (use -k/--insecure to skip certificate verification)" if untrusted else ""
        return ConnectionFailed(ErrorType.TLS_FAILURE, f"TLS handshake with {host} failed: {reason}{hint}")
    if any(isinstance(item, ConnectionRefusedError) for item in chain) or "refused" in text:
        return ConnectionFailed(ErrorType.CONNECTION_REFUSED, f"connection refused by {_host_port(url)}")
    if "name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text or (
        "name resolution" in text
    ):
        return ConnectionFailed(ErrorType.DNS_FAILURE, f"could not resolve host {host!r}")
    if isinstance(error, httpx.UnsupportedProtocol) or isinstance(error, httpx.InvalidURL):
        return ConnectionFailed(ErrorType.INVALID_URL, f"cannot request {mask_url(url)!r}: {error}")
    if isinstance(error, httpx.TooManyRedirects):
        return ConnectionFailed(ErrorType.TOO_MANY_REDIRECTS, str(error))
    if isinstance(error, httpx.RemoteProtocolError):
        return ConnectionFailed(ErrorType.PROTOCOL_ERROR, f"{host} {_broken_head(str(error))}")
    return ConnectionFailed(ErrorType.CONNECTION_FAILED, f"{type(error).__name__}: {error or 'no detail'}")


def describe_stream_failure(error: Exception, received_bytes: int, received_events: int, silence: float | None) -> ConnectionFailed:
    """Name a failure that happened while the body was streaming."""
    progress = f"after {received_bytes} bytes and {received_events} events"
    if isinstance(error, httpx.ReadTimeout):
        waited = f" for {silence:g} s" if silence else ""
        return ConnectionFailed(ErrorType.READ_TIMEOUT, f"no data from the server{waited} ({progress})")
    if isinstance(error, httpx.RemoteProtocolError) and not _closed(str(error)):
        return ConnectionFailed(ErrorType.PROTOCOL_ERROR, f"{_broken_body(str(error))} ({progress})")
    if isinstance(error, (httpx.RemoteProtocolError, httpx.ReadError)):
        return ConnectionFailed(ErrorType.SERVER_CLOSED_MID_STREAM, f"server closed the connection mid-stream {progress}")
    if isinstance(error, (httpx.DecodingError, DecodingFailed)):
        return ConnectionFailed(ErrorType.DECODING_ERROR, f"could not decode the body ({error}) {progress}")
    return ConnectionFailed(ErrorType.STREAM_FAILED, f"{type(error).__name__}: {error or 'no detail'} ({progress})")


# h11's messages (through httpcore) name its internals and quote the server's bytes (`illegal chunk header:
# bytearray(b'zz\\r\\n')`): each is put in words here, by the start h11 gives it (h11 0.14-0.16). Its buffer
# limit is httpcore's, so memory stays bounded whatever the server sends; the message says how far it went.
_HEAD_LIMIT = f"{httpcore.HTTP11Connection.MAX_INCOMPLETE_EVENT_SIZE // 1024} KiB"
_HEAD_WORDS = (
    ("Receive buffer too long", f"sent a response head (status line and headers) of over {_HEAD_LIMIT}: "
                                "Sluice stopped reading it"),
    ("illegal status line", "answered with something that is not an HTTP status line"),
    ("illegal header line", "sent a header line that is not HTTP (a name with a space, or no colon)"),
    ("continuation line", "sent a folded header line, which HTTP/1.1 no longer allows"),
    ("Server disconnected", "closed the connection without answering"),
    ("peer closed", "closed the connection before the response head was complete"),
)
_BODY_WORDS = (
    ("Receive buffer too long", f"the server broke HTTP chunked framing: a chunk header (or trailer) never ended, "
                                f"over {_HEAD_LIMIT}; Sluice stopped reading"),
    ("illegal chunk header", "the server broke HTTP chunked framing: a chunk size that is not a hexadecimal number"),
    ("malformed chunk footer", "the server broke HTTP chunked framing: a chunk that did not end where its size said"),
)


def _closed(text: str) -> bool:
    """h11's words for a connection that closed before the body ended (the one framing error that is a close)."""
    return text.startswith(("peer closed", "peer unexpectedly closed", "Server disconnected"))


def _broken_head(text: str) -> str:
    return next((words for start, words in _HEAD_WORDS if text.startswith(start)), "broke the HTTP protocol in its response head")


def _broken_body(text: str) -> str:
    return next((words for start, words in _BODY_WORDS if text.startswith(start)),
                "the server broke the HTTP protocol while the body streamed")


def _host_port(url: str) -> str:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return url
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return f"{parsed.host}:{port}"
