"""Fixtures of the run-layer tests: the small servers of `helpers_run` and `helpers_http`, one per module."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.asyncio.server import serve

sys.path.insert(0, str(Path(__file__).parent))

from helpers_http import endless_server  # noqa: F401  (a fixture: HTTP streams that never end)
from helpers_run import ThreadedServer, flood, raw_handshake


@pytest.fixture(scope="module")
def flood_server() -> Iterator[ThreadedServer]:
    """`url`: a websockets server flooding every client until it closes."""
    with ThreadedServer(lambda: serve(flood, "127.0.0.1", 0)) as server:
        yield server


@pytest.fixture(scope="module")
def raw_server() -> Iterator[ThreadedServer]:
    """`url/<behaviour>`: a hand-written server sending one of `RAW_BEHAVIOURS` after the handshake."""
    with ThreadedServer(lambda: asyncio.start_server(raw_handshake, "127.0.0.1", 0)) as server:
        yield server
