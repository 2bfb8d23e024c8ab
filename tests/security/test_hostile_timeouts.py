"""Waits a cloned file, a pasted curl command or a server can ask for: bounded, and 0 meaning what a user
means by it (as long as a file may ask), never httpx's "fail at once"."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import pytest

from app.bus import EventBus
from app.cli.capture_output import reconnect_from_args
from app.events import Reconnecting
from app.interop.curl_import import import_curl
from app.model.http_request import HttpRequest
from app.model.request_definition import MAX_FILE_CONNECT_TIMEOUT, MAX_FILE_READ_TIMEOUT
from app.model.resolve import resolve_http, resolve_ws
from app.model.toml_format import dumps_request, loads_request
from app.model.toml_location import FileFormatError
from app.run import RequestChain
from app.run.reconnect import HEADLESS_MAX_RETRY_MS, MAX_RETRY_MS, ReconnectPolicy, stream_http_resumable


def test_a_file_may_not_set_a_timeout_past_its_cap() -> None:
    with pytest.raises(FileFormatError, match="at most 3600") as read:
        loads_request('url = "http://a/"\n[options]\nread_timeout = 86400\n')
    assert (read.value.line, read.value.column) == (3, 1)
    with pytest.raises(FileFormatError, match="at most 300"):
        loads_request('url = "http://a/"\n[options]\nconnect_timeout = 1e9\n')
    at_caps = loads_request('url = "http://a/"\n[options]\nread_timeout = 3600\nconnect_timeout = 300\n')
    assert (at_caps.options.read_timeout, at_caps.options.connect_timeout) == (3600.0, 300.0)


def test_zero_means_as_long_as_a_file_may_ask_and_saves_back_as_zero() -> None:
    text = 'url = "ws://a/"\n\n[options]\nconnect_timeout = 0.0\nread_timeout = 0.0\n'
    definition = loads_request(text)
    assert dumps_request(definition) == text
    http = resolve_http(definition)
    assert (http.connect_timeout, http.read_timeout) == (MAX_FILE_CONNECT_TIMEOUT, MAX_FILE_READ_TIMEOUT)
    assert resolve_ws(definition).connect_timeout == MAX_FILE_CONNECT_TIMEOUT


def test_a_pasted_curl_commands_timeouts_are_lowered_to_the_caps_with_a_warning() -> None:
    imported = import_curl("curl -m 0 --connect-timeout 99999 http://127.0.0.1:9/")
    assert any("--connect-timeout 99999 lowered to 300 s" in warning for warning in imported.warnings)
    loads_request(dumps_request(imported.definition))  # saved, it loads
    request = resolve_http(imported.definition)
    assert (request.connect_timeout, request.read_timeout) == (300.0, MAX_FILE_READ_TIMEOUT)


def test_a_file_with_zero_timeouts_is_sent_not_timed_out_at_once(demo_server, sluice, tmp_path: Path) -> None:
    # httpx's 0 is "time out at once": `connect_timeout = 0` failed every request, `curl -m 0` too.
    path = tmp_path / "zero.toml"
    path.write_text(f'url = "{demo_server.base_url}/sse/openai"\n[options]\nconnect_timeout = 0\nread_timeout = 0\n',
                    encoding="utf-8")
    result = sluice("run", str(path), "--jsonl")
    assert result.code == 0, result.stderr
    assert "close" in result.kinds()


async def _waits(policy: ReconnectPolicy, url: str) -> tuple[list[float], list[float]]:
    bus = EventBus()
    subscription = bus.subscribe()
    waits: list[float] = []

    async def recorded(seconds: float) -> None:
        waits.append(seconds)

    task = asyncio.create_task(stream_http_resumable(HttpRequest(url=url), bus, policy, sleep=recorded))
    events = [event async for batch in subscription.batches() for event in batch]
    await task
    return waits, [event.payload.delay for event in events if isinstance(event.payload, Reconnecting)]


async def test_headless_a_servers_retry_waits_at_most_a_minute_and_the_wait_is_told(hostile) -> None:
    url = f"{hostile.base_url}/retry-huge"
    assert await _waits(ReconnectPolicy(max_reconnects=1).headless(), url) == ([60.0], [60.0])
    assert await _waits(ReconnectPolicy(max_reconnects=1), url) == ([MAX_RETRY_MS / 1000], [MAX_RETRY_MS / 1000])


def test_sluice_run_and_request_files_run_headless(tmp_path: Path) -> None:
    flags = argparse.Namespace(reconnect=True, max_reconnects=None)
    assert reconnect_from_args(flags).max_retry_ms == HEADLESS_MAX_RETRY_MS  # type: ignore[union-attr]
    path = tmp_path / "resume.toml"
    path.write_text('url = "http://127.0.0.1:9/"\n[stream]\nreconnect = true\nmax_reconnects = 100\n', encoding="utf-8")
    chain = RequestChain()
    run = chain.start(chain.prepare(path))
    assert run._reconnect == ReconnectPolicy(max_reconnects=100, max_retry_ms=HEADLESS_MAX_RETRY_MS)
