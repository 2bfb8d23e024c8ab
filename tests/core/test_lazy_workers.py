"""A run imports only the transport it uses: httpx and websockets cost about 0.1 s of CPU each to import.

Each check runs in a fresh interpreter, so what is imported is what that run needed and nothing else.
Port 1 on the loopback refuses at once, so the HTTP run ends without a server. (`app.connections` puts a
few None entries into `sys.modules` to block httpx's optional imports: those are not imports.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

_PRELUDE = """
import asyncio, sys
import app.cli.run_command, app.run
from app.model.http_request import HttpRequest
from app.model.ws_request import WsRequest
from app.run import RequestRun
"""


def _imports_after(script: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PRELUDE + script + "\nprint(' '.join(name for name, module in sys.modules.items() if module is not None))"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=True,
    )
    return {name.split(".")[0] for name in done.stdout.split()}


def test_the_run_layer_imports_no_transport_until_a_request_runs() -> None:
    loaded = _imports_after("")
    assert "httpx" not in loaded
    assert "websockets" not in loaded


def test_an_http_run_imports_httpx_and_not_websockets() -> None:
    loaded = _imports_after("outcome = asyncio.run(RequestRun(HttpRequest('http://127.0.0.1:1/')).run())\nassert outcome.end.kind == 'error'")
    assert "httpx" in loaded
    assert "websockets" not in loaded


def test_a_websocket_run_imports_websockets_and_not_httpx() -> None:
    loaded = _imports_after("RequestRun(WsRequest('ws://127.0.0.1:1/'))")
    assert "websockets" in loaded
    assert "httpx" not in loaded
