"""Fixtures for the app-shell tests: settings in a temp dir, a scratch collection, the demo server."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from helpers_ui_app import write_collection


@pytest.fixture(autouse=True)
def settings_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own settings directory, so nothing touches the user's config."""
    directory = tmp_path / "config"
    monkeypatch.setenv("SLUICE_CONFIG_DIR", str(directory))
    return directory


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    return write_collection(tmp_path / "collection")


@pytest.fixture(scope="module")
def demo_server() -> Iterator[object]:
    from app.demo.server import DemoServer

    with DemoServer() as server:
        yield server


@pytest.fixture
def demo_collection(tmp_path: Path, demo_server: object) -> Path:
    return write_collection(tmp_path / "demo", demo_server.base_url, demo_server.ws_url)  # type: ignore[attr-defined]
