"""What a WebSocket handshake sends and what it may report: the URL with its query parameters, the extra
headers (cookies), the TLS context, the diagnostic for a server that chose none of the subprotocols, and
the handshake's redirect rule (`RedirectSafeConnect`)."""

from __future__ import annotations

import ssl
from collections.abc import Sequence

from websockets.asyncio.client import connect
from websockets.datastructures import Headers
from websockets.uri import parse_uri

from app.events import StreamDiagnostic
from app.model.http_request import url_with_params
from app.model.secrets import mask_header
from app.model.ws_request import WsRequest


def no_subprotocol_diagnostic(offered: Sequence[str]) -> StreamDiagnostic:
    """The server accepted the handshake but chose none of the offered subprotocols."""
    return StreamDiagnostic(
        "the server chose none of the offered subprotocols; a browser's WebSocket fails such a connection "
        "(RFC 6455 §4.1), Sluice keeps it open so you can see what the server does",
        "offered: " + ", ".join(offered),
    )


def handshake_url(request: WsRequest) -> str:
    """The request URL with its handshake query parameters appended."""
    return url_with_params(request.url, request.params)


def handshake_headers(request: WsRequest) -> list[tuple[str, str]]:
    """Extra handshake headers: the request's own, plus a `Cookie` header built from its cookies."""
    headers = list(request.headers)
    if request.cookies:
        headers.append(("Cookie", "; ".join(f"{name}={value}" for name, value in request.cookies)))
    return headers


def ssl_context(request: WsRequest) -> ssl.SSLContext | None:
    if not request.url.lower().startswith("wss://"):
        return None
    context = ssl.create_default_context()
    if not request.verify_tls:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class RedirectSafeConnect(connect):
    """`websockets`' `connect`, dropping every credential header from a handshake redirected to another
    origin: it drops `Authorization` and `Cookie` only, so `302 Location: ws://elsewhere/` received
    `X-Api-Key`, `X-Auth-Token` or a secret variable in any header (the HTTP worker's rule too)."""

    def process_redirect(self, exc: Exception) -> Exception | str:
        before = self.ws_uri
        target = super().process_redirect(exc)
        if isinstance(target, str) and self.additional_headers is not None:
            after = parse_uri(target)
            if (before.secure, before.host, before.port) != (after.secure, after.host, after.port):
                self.additional_headers = Headers(
                    (name, value) for name, value in Headers(self.additional_headers).raw_items()
                    if mask_header(name, value) == value
                )
        return target
