"""How a WebSocket ended, in plain words: refused handshakes, transport failures, closes and drops."""

from __future__ import annotations

import asyncio
import socket
import ssl
from http import HTTPStatus

from websockets.exceptions import (
    ConnectionClosed,
    InvalidHandshake,
    InvalidStatus,
    InvalidURI,
    NegotiationError,
)
from websockets.frames import Close

from app.events import ConnectionFailed, ErrorType
from app.model.secrets import mask_url
from app.ws_events import WsClosed

CLOSE_ABNORMAL = 1006
DROPPED_REASON = "connection dropped without a close frame"
BODY_PREVIEW_CHARS = 2000

RETRYABLE_TYPES = frozenset(
    {ErrorType.CONNECTION_REFUSED, ErrorType.CONNECT_TIMEOUT, ErrorType.CONNECTION_FAILED, ErrorType.DNS_FAILURE}
)
"""Failures worth an automatic reconnect; a refused handshake or a bad URL will not fix itself."""


def describe_connect_failure(error: BaseException, url: str, timeout: float) -> ConnectionFailed:
    """The handshake did not succeed: a short stable `type` and a message naming what happened.

    `timeout` is how long the handshake was allowed to take (said in the timeout message)."""
    url = mask_url(url)  # messages are shown, printed and exported: `wss://u:pw@…?token=…` must not be
    if isinstance(error, InvalidStatus):
        response = error.response
        try:
            phrase = HTTPStatus(response.status_code).phrase
        except ValueError:
            phrase = response.reason_phrase
        body = (response.body or b"").decode("utf-8", "replace")
        if len(body) > BODY_PREVIEW_CHARS:
            body = body[:BODY_PREVIEW_CHARS] + "…"
        message = f"server refused the WebSocket handshake with HTTP {response.status_code} {phrase}"
        return ConnectionFailed(ErrorType.HANDSHAKE_REJECTED, f"{message}: {body}" if body else message)
    if isinstance(error, InvalidURI):
        return ConnectionFailed(ErrorType.INVALID_URL, f"not a WebSocket URL ({url!r}): use ws:// or wss://")
    if isinstance(error, NegotiationError):
        return ConnectionFailed(ErrorType.HANDSHAKE_FAILED, f"handshake negotiation failed: {error}")
    if isinstance(error, InvalidHandshake):
        return ConnectionFailed(ErrorType.HANDSHAKE_FAILED, f"invalid handshake response: {error}")
    if isinstance(error, ssl.SSLCertVerificationError):
        return ConnectionFailed(ErrorType.TLS_FAILURE, f"TLS certificate not trusted: {error.verify_message} (use --insecure to skip)")
    if isinstance(error, ssl.SSLError):
        return ConnectionFailed(ErrorType.TLS_FAILURE, f"TLS failure: {error}")
    if isinstance(error, socket.gaierror):
        return ConnectionFailed(ErrorType.DNS_FAILURE, f"cannot resolve host of {url}: {error.strerror}")
    if isinstance(error, ConnectionRefusedError):
        return ConnectionFailed(ErrorType.CONNECTION_REFUSED, f"connection refused by {url}: is the server running?")
    if isinstance(error, (TimeoutError, asyncio.TimeoutError)):
        return ConnectionFailed(ErrorType.CONNECT_TIMEOUT, f"no handshake response from {url} within {timeout:g} s")
    if isinstance(error, OSError):
        return ConnectionFailed(ErrorType.CONNECTION_FAILED, f"network error reaching {url}: {error.strerror or error}")
    return ConnectionFailed(ErrorType.HANDSHAKE_FAILED, f"{type(error).__name__}: {error}")


def describe_close(sent: Close | None, received: Close | None, received_then_sent: bool | None) -> WsClosed:
    """Who closed first and with what code; no close frame from the server means the link dropped."""
    if sent is not None and (received is None or not received_then_sent):
        return WsClosed(sent.code, sent.reason, "client")
    if received is not None:
        return WsClosed(received.code, received.reason, "server")
    return WsClosed(CLOSE_ABNORMAL, DROPPED_REASON, "server")


def describe_closed_exception(error: ConnectionClosed) -> WsClosed:
    return describe_close(error.sent, error.rcvd, error.rcvd_then_sent)
