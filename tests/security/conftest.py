"""Fixtures for the security tests: the hostile loopback server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hostile_server import HostileServer


@pytest.fixture(scope="session")
def hostile() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server
