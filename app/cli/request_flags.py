"""The request `sluice run URL [flags]` describes: curl's rules for HTTP, the WebSocket flags for ws://,
and the stop condition of either."""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import replace
from pathlib import Path

from app.model.http_request import HttpRequest
from app.model.ws_request import WsRequest
from app.run import WsScript
from app.vocabulary import DEFAULT_MAX_EVENT_SIZE, ParseMode

DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 60.0


class UsageError(Exception):
    """A flag combination that cannot make a request (exit code 2)."""


def parse_header(text: str) -> tuple[str, str]:
    """`-H 'Name: value'` as a pair; anything else is a `UsageError`."""
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise UsageError(f"header {text!r} is not of the form 'Name: value'")
    return name.strip(), value.strip()


def _read_data(value: str) -> bytes:
    """`-d` as curl reads it: `@file` (`@-` for stdin) with CR and LF removed, else the text itself."""
    if not value.startswith("@"):
        return value.encode("utf-8")
    source = value[1:]
    raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    return raw.replace(b"\r", b"").replace(b"\n", b"")


def is_websocket_url(target: str) -> bool:
    return target.lower().startswith(("ws://", "wss://"))


def is_http_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


def _given(flags: list[tuple[str, object]]) -> list[str]:
    return [flag for flag, value in flags if value]


def build_http_request(args: argparse.Namespace) -> HttpRequest:
    """The request that `sluice run URL [flags]` sends, following curl's rules for method and body."""
    websocket_only = _given([("--send…", args.sends), ("--subprotocol", args.subprotocol)])
    if websocket_only:
        raise UsageError(f"not for HTTP requests (only for ws:// and wss://): {', '.join(websocket_only)}")
    headers = [parse_header(text) for text in args.header]
    names = {name.lower() for name, _ in headers}
    body: bytes | None = None
    if args.json is not None and args.data:
        raise UsageError("use either -d/--data or --json, not both")
    if args.json is not None:
        body = _read_data(args.json)
        if "content-type" not in names:
            headers.append(("Content-Type", "application/json"))
        if "accept" not in names:
            headers.append(("Accept", "application/json"))
    elif args.data:
        body = b"&".join(_read_data(value) for value in args.data)
        if "content-type" not in names:
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    method = (args.request or ("POST" if body is not None else "GET")).upper()
    timeout = args.timeout
    return HttpRequest(
        url=args.target[0],
        method=method,
        headers=tuple(headers),
        body=body,
        connect_timeout=timeout if timeout is not None else DEFAULT_CONNECT_TIMEOUT,
        read_timeout=timeout if timeout is not None else DEFAULT_READ_TIMEOUT,
        follow_redirects=not args.no_follow,
        verify_tls=not args.insecure,
        http2=args.http2,
        parse_mode=ParseMode(args.parse),
        max_event_size=args.max_event_size or DEFAULT_MAX_EVENT_SIZE,
    )


def build_ws_request(args: argparse.Namespace) -> WsRequest:
    """The handshake `sluice run ws://… -H 'Name: value' --subprotocol P [-k] [--timeout S]` describes."""
    http_only = _given([("-X", args.request), ("-d", args.data), ("--json", args.json is not None)])
    if http_only:
        raise UsageError(f"not for WebSocket requests (send messages with --send…): {', '.join(http_only)}")
    url = args.target[0]
    if not is_websocket_url(url):
        raise UsageError(f"{url!r} is not a WebSocket URL: use ws:// or wss://")
    check_timeout(args.timeout)
    parsed_headers = tuple(parse_header(header) for header in args.header)
    origin = next((value for name, value in parsed_headers if name.lower() == "origin"), None)
    return WsRequest(
        url=url,
        headers=tuple((name, value) for name, value in parsed_headers if name.lower() != "origin"),
        origin=origin,
        subprotocols=tuple(args.subprotocol),
        verify_tls=not args.insecure,
        connect_timeout=args.timeout if args.timeout is not None else DEFAULT_CONNECT_TIMEOUT,
    )


def run_script(args: argparse.Namespace) -> WsScript:
    """The sends (`--send…`, in the order given; WebSocket only) and the stop condition (`--until-…`,
    `--duration`; any stream)."""
    return WsScript(
        sends=tuple(args.sends or ()),
        send_interval=args.send_interval,
        until_count=args.until_count,
        until_jsonpath=args.until_jsonpath,
        duration=args.duration,
    )


def check_timeout(timeout: float | None) -> None:
    """`--timeout` must be a positive number of seconds (or not given)."""
    if timeout is not None and not (math.isfinite(timeout) and timeout > 0):
        raise UsageError(f"--timeout must be positive, got {timeout}")


def with_timeout(request: HttpRequest | WsRequest, timeout: float | None) -> HttpRequest | WsRequest:
    """A saved request with `--timeout` applied: the connect (or handshake) timeout and, over HTTP, the
    longest silence allowed while reading. Without the flag, the file's own options stand."""
    check_timeout(timeout)
    if timeout is None:
        return request
    if isinstance(request, WsRequest):
        return replace(request, connect_timeout=timeout)
    return replace(request, connect_timeout=timeout, read_timeout=timeout)
