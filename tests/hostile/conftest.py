"""Fixtures for the hostile-input sweep: a raw loopback server each test registers its bytes with."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from raw_loopback_server import RawServer


@pytest.fixture(scope="module")
def raw_server() -> Iterator[RawServer]:
    with RawServer() as server:
        yield server
