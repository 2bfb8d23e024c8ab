"""DemoServer lifecycle: loopback only, ready when start() returns, stops cleanly."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from app.demo.server import DemoServer, serve

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_start_returns_once_connections_are_accepted() -> None:
    with DemoServer() as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert server.ws_url == f"ws://127.0.0.1:{server.port}"
        assert httpx.get(f"{server.base_url}/status/200").status_code == 200
    assert not server.running


def test_stop_frees_the_port() -> None:
    with DemoServer() as server:
        port = server.port
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", ""])
def test_refuses_non_loopback_hosts(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        DemoServer(host=host)


def test_port_is_unknown_before_start() -> None:
    with pytest.raises(RuntimeError, match="start"):
        _ = DemoServer().base_url


def test_a_busy_port_is_a_clear_error() -> None:
    with DemoServer() as server:
        with pytest.raises(OSError):
            DemoServer(port=server.port).start()


def test_unknown_route_is_404(demo_server: DemoServer) -> None:
    assert httpx.get(f"{demo_server.base_url}/nope").status_code == 404


def test_serve_prints_its_url_and_answers() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    command = [sys.executable, "-c", "from app.demo.server import serve; serve(None)"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) as process:
        try:
            first_line = process.stdout.readline()
            url = first_line.rsplit(" ", 1)[-1].strip()
            assert url.startswith("http://127.0.0.1:")
            assert httpx.get(f"{url}/status/200").json() == {"status": 200, "error": "OK"}
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_serve_refuses_a_public_host() -> None:
    with pytest.raises(ValueError, match="loopback"):
        serve(8765, host="0.0.0.0")


def test_deliberate_refusals_stay_out_of_the_error_log():
    import logging

    from app.demo.uvicorn_server import _drop_filter

    refusal = logging.LogRecord("uvicorn.error", logging.ERROR, __file__, 1, "ASGI callable returned without completing handshake.", None, None)
    real_error = logging.LogRecord("uvicorn.error", logging.ERROR, __file__, 1, "Exception in ASGI application", None, None)
    assert not _drop_filter.filter(refusal)
    assert _drop_filter.filter(real_error)
