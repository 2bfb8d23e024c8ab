"""`RequestDefinition` + scopes → the `HttpRequest` / `WsRequest` a worker sends.

Every `{{variable}}` is substituted here, before anything is sent; an unresolved one raises
`UnresolvedVariable` naming where it is used ("header Authorization", "URL", "body", …).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import replace
from urllib.parse import urlencode

from app.model.header_syntax import header_problem
from app.model.http_request import HttpRequest
from app.model.request_definition import (
    MAX_FILE_CONNECT_TIMEOUT,
    MAX_FILE_READ_TIMEOUT,
    AuthType,
    BodyType,
    MergeRule,
    Pairs,
    RequestDefinition,
    SavedMessage,
    StreamSettings,
)
from app.model.request_secrets import remember_request_secrets
from app.model.scopes import RunScopes
from app.model.variables import ScopeChain
from app.model.ws_request import WsRequest


class InvalidBody(Exception):
    """A body that cannot become bytes (e.g. base64 that does not decode)."""


class InvalidHeader(ValueError):
    """A header or cookie that cannot be sent as resolved (a line break from a variable's value, a name
    typed with a space): raised before any I/O, naming it, where h11 or websockets would refuse it unnamed."""


def _checked(pairs: list[tuple[str, str]], what: str, *, wire: bool = False) -> tuple[tuple[str, str], ...]:
    # Spaces around a value are not part of it (RFC 9110 5.5; fetch() strips them too), and h11 refuses
    # to send them: a file's `X = " a "` goes out as `X: a`.
    stripped = [(name, value.strip(" \t")) for name, value in pairs]
    for name, value in stripped:
        problem = header_problem(name, value, what=what, wire=wire)
        if problem:
            raise InvalidHeader(problem)
    return tuple(stripped)


def _substitute_pairs(pairs: Iterable[tuple[str, str]], chain: ScopeChain, what: str) -> list[tuple[str, str]]:
    return [
        (chain.substitute(name, f"{what} name {name}"), chain.substitute(value, f"{what} {name}"))
        for name, value in pairs
    ]


def _merged_headers(inherited: Pairs, own: Pairs) -> list[tuple[str, str]]:
    # A request header replaces every inherited header of the same name; repeats within one level stay.
    own_names = {name.lower() for name, _ in own}
    return [pair for pair in inherited if pair[0].lower() not in own_names] + list(own)


def _has_header(headers: list[tuple[str, str]], name: str) -> bool:
    lowered = name.lower()
    return any(key.lower() == lowered for key, _ in headers)


def _set_header(headers: list[tuple[str, str]], name: str, value: str) -> None:
    lowered = name.lower()
    headers[:] = [pair for pair in headers if pair[0].lower() != lowered]
    headers.append((name, value))


def _apply_auth(
    definition: RequestDefinition, chain: ScopeChain, headers: list[tuple[str, str]], params: list[tuple[str, str]]
) -> None:
    auth = definition.auth
    if auth.type is AuthType.BEARER:
        _set_header(headers, "Authorization", f"Bearer {chain.substitute(auth.token, 'auth token')}")
    elif auth.type is AuthType.BASIC:
        username = chain.substitute(auth.username, "auth username")
        password = chain.substitute(auth.password, "auth password")
        credentials = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        _set_header(headers, "Authorization", f"Basic {credentials}")
    elif auth.type is AuthType.API_KEY:
        name = chain.substitute(auth.key_name, "auth key name")
        value = chain.substitute(auth.key_value, f"auth key {name}")
        if auth.location == "query":
            params.append((name, value))
        else:
            _set_header(headers, name, value)


def _body_bytes(definition: RequestDefinition, chain: ScopeChain, headers: list[tuple[str, str]]) -> bytes | None:
    body = definition.body
    if body.type is BodyType.NONE:
        return None
    if body.type is BodyType.FORM:
        if not _has_header(headers, "Content-Type"):
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        return urlencode(_substitute_pairs(body.form, chain, "form field")).encode("ascii")
    content = chain.substitute(body.content, "body")
    if body.type is BodyType.BASE64:
        try:
            return base64.b64decode(content, validate=True)
        except binascii.Error as error:
            raise InvalidBody(f"the body is not valid base64: {error}") from None
    if body.type is BodyType.JSON and not _has_header(headers, "Content-Type"):
        headers.append(("Content-Type", "application/json"))
    return content.encode("utf-8")


def resolve_http(definition: RequestDefinition, scopes: RunScopes | None = None) -> HttpRequest:
    """The wire request for `definition`; raises `UnresolvedVariable`, `InvalidBody` or `InvalidHeader`
    before any I/O."""
    scopes = scopes or RunScopes()
    remember_request_secrets(definition, scopes)  # every view of the request masks them from now on
    chain = scopes.chain(definition)
    url = chain.substitute(definition.url, "URL")
    params = _substitute_pairs(definition.params, chain, "query parameter")
    headers = _substitute_pairs(_merged_headers(scopes.headers, definition.headers), chain, "header")
    _apply_auth(definition, chain, headers, params)
    body = _body_bytes(definition, chain, headers)
    options = definition.options
    return HttpRequest(
        url=url,
        method=definition.method,
        params=tuple(params),
        # httpx encodes header values as ASCII: anything else fails inside it as an "invalid url".
        headers=_checked(headers, "header", wire=True),
        body=body,
        # 0 is "as long as a file may ask", never httpx's 0 (fail at once) nor "forever".
        connect_timeout=options.connect_timeout or MAX_FILE_CONNECT_TIMEOUT,
        read_timeout=options.read_timeout or MAX_FILE_READ_TIMEOUT,
        follow_redirects=options.follow_redirects,
        verify_tls=options.verify_tls,
        http2=options.http2,
        parse_mode=definition.stream.parse_mode,
        max_event_size=options.max_event_size,
    )


def resolve_ws(definition: RequestDefinition, scopes: RunScopes | None = None) -> WsRequest:
    """The handshake for a WebSocket `definition`. Saved messages stay templates: substitute each one
    when it is sent with `resolve_ws_message` (so `{{$uuid}}` is fresh per send)."""
    scopes = scopes or RunScopes()
    remember_request_secrets(definition, scopes)
    chain = scopes.chain(definition)
    params = _substitute_pairs(definition.params, chain, "query parameter")
    headers = _substitute_pairs(_merged_headers(scopes.headers, definition.headers), chain, "header")
    _apply_auth(definition, chain, headers, params)
    websocket = definition.websocket
    origin = chain.substitute(websocket.origin, "origin") if websocket.origin else None
    # The handshake's other headers: `Origin`, and `Sec-WebSocket-Protocol`, whose names are tokens.
    _checked([("Origin", origin)] if origin is not None else [], "header")
    for subprotocol in websocket.subprotocols:
        if problem := header_problem(subprotocol, "", what="subprotocol"):
            raise InvalidHeader(problem)
    return WsRequest(
        url=chain.substitute(definition.url, "URL"),
        params=tuple(params),
        headers=_checked(headers, "header"),
        cookies=_checked(_substitute_pairs(websocket.cookies, chain, "cookie"), "cookie"),
        origin=origin,
        subprotocols=websocket.subprotocols,
        verify_tls=definition.options.verify_tls,
        connect_timeout=definition.options.connect_timeout or MAX_FILE_CONNECT_TIMEOUT,
        auto_reconnect=websocket.auto_reconnect,
        max_message_size=websocket.max_message_size,
        messages=websocket.messages,
    )


def resolve_ws_message(
    message: SavedMessage, definition: RequestDefinition, scopes: RunScopes | None = None
) -> SavedMessage:
    """A message ready to send: variables substituted (raises `UnresolvedVariable` naming the message)."""
    chain = (scopes or RunScopes()).chain(definition)
    where = f"message {message.name}" if message.name else "message"
    return replace(message, content=chain.substitute(message.content, where))


def resolve_merge(stream: StreamSettings) -> tuple[str | None, MergeRule | None]:
    """The merge profile to force (None: detect) and the custom rule, from a request's stream settings."""
    rule = stream.rules[0] if stream.rules and stream.rules[0].text else None
    profile = None if stream.merge_profile in ("", "auto") else stream.merge_profile
    if profile == "custom" and rule is None:
        profile = None
    return profile, rule
