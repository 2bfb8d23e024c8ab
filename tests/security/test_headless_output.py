"""Headless output paths against a hostile server: nothing the server sends can drive the terminal.

Human output and stderr are always sanitised; `--merged` is sanitised on a terminal (checked through a
real pseudo-terminal) and exact into a pipe.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
BLOCK_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # only newline, tab kept


def _assert_terminal_safe(text: str, unsafe: re.Pattern[str] = TERMINAL_UNSAFE) -> None:
    found = unsafe.search(text)
    assert found is None, f"unsafe {found.group()!r} at {found.start()}: {text[max(0, found.start() - 40):found.end() + 40]!r}"


def test_human_output_shows_every_hostile_field_escaped(hostile, sluice):
    result = sluice("run", f"{hostile.base_url}/sse")
    assert result.code == 0, result.stderr
    _assert_terminal_safe(result.stdout)
    _assert_terminal_safe(result.stderr)
    assert "name\\x1b]0;pwned\\x1b\\" in result.stdout  # event name
    assert "id=id\\x1b]0;pwned" in result.stdout
    assert "data\\x1b]0;pwned" in result.stdout
    assert ": comment\\x1b]0;pwned" in result.stdout
    assert "\\x9b2J" in result.stdout  # the content type from the headers


def test_human_output_of_ndjson_and_plain_bodies(hostile, sluice):
    for path in ("/ndjson", "/text", "/json"):
        result = sluice("run", f"{hostile.base_url}{path}")
        _assert_terminal_safe(result.stdout)
        _assert_terminal_safe(result.stderr)
        assert "\\x1b]52;c;" in result.stdout or "\\u001b]52;c;" in result.stdout, path


def test_websocket_human_output_and_close_reason_on_stderr(hostile, sluice):
    result = sluice("run", hostile.ws_url, "--duration", "5")
    _assert_terminal_safe(result.stdout)
    _assert_terminal_safe(result.stderr)
    assert "text\\x1b]0;pwned" in result.stdout
    assert "bye\\x1b]0;pwned" in result.stdout + result.stderr


def test_merged_into_a_pipe_is_exact(hostile, sluice):
    result = sluice("run", f"{hostile.base_url}/sse", "--merged", "--profile", "openai")
    assert result.stdout.startswith("merged\x1b]0;pwned\x1b\\")
    _assert_terminal_safe(result.stderr)


def test_merged_on_a_terminal_is_sanitised(hostile):
    output = _run_on_a_terminal("run", f"{hostile.base_url}/sse", "--merged", "--profile", "openai")
    assert "merged\\x1b]0;pwned\\x1b\\" in output
    _assert_terminal_safe(output.replace("\r\n", "\n"), BLOCK_UNSAFE)


def test_jsonl_escapes_c1_and_line_separators(hostile, sluice):
    result = sluice("run", f"{hostile.base_url}/sse", "--jsonl")
    assert result.code == 0
    assert not re.search("[\x7f-\x9f\u2028\u2029]", result.stdout)
    assert "\\u009b" in result.stdout
    assert len(result.lines) == len(result.stdout.splitlines())


def _run_on_a_terminal(*args: str) -> str:
    """Run `sluice ARGS` with stdout and stderr on a pseudo-terminal; return what the terminal received."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "app", *args], stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal,
        cwd=REPO_ROOT, env=env,
    )
    os.close(terminal)
    received = bytearray()
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the last writer closed the terminal
            break
        if not chunk:
            break
        received += chunk
    os.close(controller)
    process.wait(timeout=60)
    return received.decode("utf-8", "replace")
