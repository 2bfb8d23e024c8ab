"""Sluice in a real terminal (a pty): a pasted byte that is not UTF-8 does not end it (Textual's Linux
driver decodes input strictly, Textualize/textual#6456; `app/ui/terminal_input.py`)."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

HANG_GUARD_SECONDS = 90.0
"""A guard against a hang on a loaded machine, not a timing assertion."""


def _read_until(controller: int, seen: bytearray, wanted: bytes, process: subprocess.Popen[bytes]) -> bool:
    """Read the terminal's output into `seen` until `wanted` is in it (True) or the app exits (False)."""
    deadline = time.monotonic() + HANG_GUARD_SECONDS
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the app closed the terminal
                return False
            seen += chunk
        elif process.poll() is not None:
            return False
    return wanted in seen


def start_in_pty(collection: Path, settings_dir: Path) -> tuple[int, subprocess.Popen[bytes]]:
    """Sluice on `collection` in a new 100x30 pty: the controller's descriptor and the process."""
    import fcntl
    import pty
    import struct
    import termios

    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "SLUICE_CONFIG_DIR": str(settings_dir),
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    process = subprocess.Popen([sys.executable, "-m", "app", str(collection)], stdin=terminal, stdout=terminal,
                               stderr=terminal, env=env, close_fds=True, start_new_session=True)
    os.close(terminal)
    return controller, process


def quit_in_pty(controller: int, seen: bytearray, process: subprocess.Popen[bytes]) -> None:
    """Ctrl+Q, then read on until the app exits, as a terminal does: an app whose output nobody reads
    blocks on its next write once the pty's buffer is full, and never gets to the Ctrl+Q."""
    os.write(controller, b"\x11")
    _read_until(controller, seen, b"\x00never", process)
    process.wait(timeout=HANG_GUARD_SECONDS)


def close_pty(controller: int, process: subprocess.Popen[bytes]) -> None:
    """The app killed if it is still running, and the pty closed."""
    if process.poll() is None:
        process.kill()
        process.wait()
    os.close(controller)


@pytest.mark.skipif(sys.platform == "win32", reason="a pty")
def test_a_pasted_byte_that_is_not_utf8_does_not_end_the_app(collection: Path, settings_dir: Path) -> None:
    controller, process = start_in_pty(collection, settings_dir)
    seen = bytearray()
    try:
        assert _read_until(controller, seen, b"Quit", process), seen[-2000:]
        del seen[:]
        # A bracketed paste from a Latin-1 terminal (`é` is 0xe9 there), then Ctrl+Q.
        os.write(controller, b"\x1b[200~caf\xe9 \x9b\x1b[201~")
        quit_in_pty(controller, seen, process)
    finally:
        close_pty(controller, process)
    assert b"UnicodeDecodeError" not in seen and b"Traceback" not in seen, bytes(seen[-3000:])
    assert process.returncode == 0
