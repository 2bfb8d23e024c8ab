"""The httpx client the HTTP worker sends with: its timeouts, TLS verification, User-Agent, and the checks
httpx does not make itself (timeouts that cannot be used, redirects to what is not http(s), userinfo in
the URL shown as the `Authorization` it becomes).
"""

from __future__ import annotations

import base64
import math

import anyio
import httpcore
import httpx

from app import __version__
from app.connections.asyncio_network import AsyncioBackend
from app.connections.tls import client_verify
from app.model.http_request import HttpRequest
from app.model.secrets import mask_header, mask_url

USER_AGENT = f"sluice/{__version__}"


def client_for(request: HttpRequest) -> httpx.AsyncClient:
    """A client with the request's timeouts, TLS verification and redirect policy."""
    timeout = httpx.Timeout(connect=request.connect_timeout, read=request.read_timeout, write=request.read_timeout, pool=None)
    client = httpx.AsyncClient(
        # Over plain http:// HTTP/2 would not be used anyway (the worker says so: `H2_OVER_PLAIN_HTTP`),
        # so do not demand the h2 package for it.
        http2=request.http2 and not request.url.lower().startswith("http://"),
        verify=client_verify(request.verify_tls),
        timeout=timeout,
        headers={"user-agent": USER_AGENT},
        event_hooks={"request": [_CrossOriginCredentials()], "response": [_check_redirect]}
        if request.follow_redirects else None,
    )
    # The client makes its own default transport (a `transport=` of ours would turn off the proxies
    # httpx takes from the environment, HTTPS_PROXY and the rest): its pool gets the network backend.
    _on_asyncio_network(client._transport)
    # httpcore's pool takes anyio locks on its first request, and the first one loads anyio's asyncio
    # backend (20-35 ms): loaded here, before the worker's clock starts, it is not counted as the server's
    # time to the first byte. Called in the event loop, as the worker does.
    anyio.Lock()
    return client


class _CrossOriginCredentials:
    """Drop from a redirected request to another origin every header that masking calls a credential.

    httpx drops only `Authorization` there, so a server's `302 Location: http://elsewhere/` received
    `X-Api-Key`, `X-Auth-Token` or a secret variable in any header: the rule curl and fetch keep for
    `Authorization`, kept for all of them. Once dropped they stay dropped (httpx builds each hop from
    the one before), as a browser's would."""

    origin: tuple[str, str, int | None] | None = None
    """The first request's: the one the user asked for (taken from it, never parsed again here)."""

    async def __call__(self, outgoing: httpx.Request) -> None:
        now = _origin(outgoing.url)
        if self.origin is None:
            self.origin = now
        if now == self.origin or (self.origin == ("http", now[1], 80) and now == ("https", now[1], 443)):
            return  # the same origin, or its upgrade from http to https (httpx keeps Authorization then too)
        for name, value in list(outgoing.headers.items()):
            if mask_header(name, value) != value:
                del outgoing.headers[name]


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, url.port or default


def _on_asyncio_network(transport: httpx.AsyncBaseTransport) -> None:
    """Connect through `AsyncioBackend` instead of httpcore's default (anyio): httpx takes no network
    backend, so it is set on the transport's pool, which makes each connection when it is needed.
    (Proxies from the environment get transports of their own and keep the default.)"""
    pool = getattr(transport, "_pool", None)
    if isinstance(pool, httpcore.AsyncConnectionPool) and hasattr(pool, "_network_backend"):
        pool._network_backend = AsyncioBackend()


class InvalidRedirect(Exception):
    """The server redirected to something that is not an http(s) URL (`javascript:…`, `file:…`, garbage)."""


async def _check_redirect(response: httpx.Response) -> None:
    """Refuse a redirect target before httpx tries to build a request from it (it raises `InvalidURL`,
    which is not an `HTTPError`, for some and silently requests others)."""
    if not response.has_redirect_location:
        return
    location = response.headers["location"]
    try:
        target = response.request.url.join(httpx.URL(location))
    except (httpx.InvalidURL, ValueError) as error:
        raise InvalidRedirect(f"the server redirected to {mask_url(location)!r}, which is not a valid URL ({error})") from None
    if target.scheme not in ("http", "https"):
        raise InvalidRedirect(f"the server redirected to {mask_url(location)!r}: only http and https redirects are followed")


def invalid_timeouts(request: HttpRequest) -> str | None:
    """Why the request's timeouts cannot be used (`nan`, `inf`, negative), or None."""
    for name, value in (("connect_timeout", request.connect_timeout), ("read_timeout", request.read_timeout)):
        if value is not None and not (math.isfinite(value) and value >= 0):
            return f"{name} must be a number of seconds (0 or more), not {value}"
    return None


def userinfo_to_header(outgoing: httpx.Request) -> None:
    """`http://user:pass@host` means Basic authentication (httpx adds it while sending, unseen): do it
    here, so the `request` event shows the `Authorization` the wire carries, and never put the
    userinfo itself on the wire. An explicit `Authorization` header wins, as with curl."""
    url = outgoing.url
    if not url.username and not url.password:
        return
    if "authorization" not in outgoing.headers:
        credentials = f"{url.username}:{url.password}".encode()
        outgoing.headers["authorization"] = "Basic " + base64.b64encode(credentials).decode("ascii")
    outgoing.url = url.copy_with(username=None, password=None)
