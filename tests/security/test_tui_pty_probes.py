"""The real `sluice` in a real terminal (a pty), opened on a cloned collection whose every text holds
terminal controls, and sending to a server whose every header, event name, id and payload does: the
bytes the terminal receives hold none of the injected sequences (OSC title and clipboard writes, a cursor
move, an 8-bit CSI, a bidi override, NUL, BEL), and the app stays up through every screen it is walked
through and quits cleanly."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hostile_server import HostileServer

from tests.ui_app.test_ui_app_terminal_input import _read_until, close_pty, quit_in_pty, start_in_pty

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a pty")

HOSTILE = "\\u001b]0;pwned\\u0007\\u001b]52;c;cHduZWQ=\\u0007\\u001b[66;66H\\u009bx\\u202eevil\\u0000end"
"""As TOML escapes: what a cloned file can hold in any string."""
SENDABLE = "\\u009bx\\u202eevil"
"""What a header value read from a file may hold of those (C1 controls and bidi overrides are not C0)."""
RAW = "\x1b]0;pwned\x07\x1b[66;66H\x9b\u202e"
"""The same controls raw, for file and folder names."""
INJECTED = [b"\x1b]0;pwned", b"\x1b]52;", b"\x1b[66;66H", b"\x1b[2J", b"pwned\x07", b"\x1b\\", "\x9b".encode(),
            "\u202e".encode(), b"\x00", b"\x08"]
"""What none of the terminal's input may hold: each would be acted on by the terminal (a lone BEL is
Textual's own: it ends the OSC 22 that sets the pointer's shape)."""


def _hostile_collection(root: Path, hostile: HostileServer) -> None:
    (root / "environments").mkdir(parents=True)
    (root / "collection.toml").write_text(f'name = "clone{HOSTILE}"\ndescription = "{HOSTILE}"\n'
                                          f'default_environment = "dev"\n[variables]\nv = "{HOSTILE}"\n', encoding="utf-8")
    (root / "environments" / "dev.toml").write_text(f'base = "{HOSTILE}"\ntoken = "sk-{HOSTILE}"\n', encoding="utf-8")
    (root / ".env").write_text(f'SECRET="{HOSTILE}"\nRAW={RAW}\n', encoding="utf-8")
    (root / "evil.toml").write_text(
        f'name = "Evil{HOSTILE}"\nmethod = "POST{HOSTILE}"\nurl = "http://127.0.0.1:9/a{HOSTILE}?q={{{{base}}}}&v={{{{v}}}}&s={{{{SECRET}}}}"\n'
        f'description = "{HOSTILE}"\n[headers]\n"X-Evil" = "{SENDABLE}"\n[auth]\ntype = "bearer"\n'
        f'token = "{HOSTILE}"\n[stream]\nmerge_profile = "p{HOSTILE}"\n[body]\ntype = "text"\ncontent = "{HOSTILE}{"A" * 100_000}"\n', encoding="utf-8")
    # A header with controls in its name or value is a broken file (named in a dialog), not an editor's line.
    (root / "crlf.toml").write_text(f'url = "http://127.0.0.1:9/"\n[headers]\n"X-{HOSTILE}" = "{HOSTILE}"\n', encoding="utf-8")
    (root / "deep.toml").write_text('name = "Deep"\nmethod = "POST"\nurl = "http://127.0.0.1:9/"\n[body]\ntype = "json"\n'
                                    f'content = "{"[" * 5000}{"]" * 5000}"\n', encoding="utf-8")
    (root / "bad.toml").write_bytes(b'name = "\xff\xfe"\nurl = "x\x1b]0;pwned\x07"\n')
    (root / f"file{RAW}.toml").write_text('url = "http://127.0.0.1:9/"\n', encoding="utf-8")
    (root / f"dir{RAW}").mkdir()
    (root / f"dir{RAW}" / "r.toml").write_text('url = "http://127.0.0.1:9/"\n', encoding="utf-8")
    (root / "stream.toml").write_text(f'name = "Streamy"\nurl = "{hostile.base_url}/sse"\n', encoding="utf-8")
    (root / "socket.toml").write_text(f'name = "Sockety"\nurl = "{hostile.ws_url}"\n', encoding="utf-8")


def _walk(controller: int, seen: bytearray, process: object, steps: list[tuple[bytes, bytes]]) -> None:
    """Type each step's keys, then read until its marker shows in what is written after them (the screen
    the keys lead to); everything read is kept in `seen`."""
    for keys, marker in steps:
        os.write(controller, keys)
        step = bytearray()
        shown = _read_until(controller, step, marker, process)  # type: ignore[arg-type]
        seen += step
        assert shown, (keys, marker, bytes(step[-3000:]))


def _walk_and_check(tmp_path: Path, hostile: HostileServer, steps: list[tuple[bytes, bytes]]) -> None:
    """Open the hostile collection in a pty, press each step's keys and wait for its text, quit, and
    check the terminal saw none of the injected sequences."""
    root = tmp_path / "clone"
    _hostile_collection(root, hostile)
    controller, process = start_in_pty(root, tmp_path / "config")
    seen = bytearray()
    try:
        _walk(controller, seen, process, steps)
        quit_in_pty(controller, seen, process)
    finally:
        close_pty(controller, process)
    _assert_clean(seen, process)


def _assert_clean(seen: bytearray, process: object) -> None:
    found = [sequence for sequence in INJECTED if sequence in seen]
    assert not found, (found, bytes(seen[max(0, seen.find(found[0]) - 300):][:600]))
    assert b"Traceback" not in seen
    assert process.returncode == 0  # type: ignore[attr-defined]


def test_a_cloned_collection_full_of_controls_shows_none_of_them(tmp_path: Path, hostile: HostileServer) -> None:
    _walk_and_check(tmp_path, hostile, [
        (b"", b"Quit"),
        (b"/Evil\r", b"pwned"),                # the evil request open: URL, name, tree
        (b"\x1b[6;5~", b"Headers"),            # Ctrl+PageDown through the editor's tabs
        (b"\x1b[6;5~", b"Body"),
        (b"\x1b[6;5~", b"Auth"),
        (b"\x1b[6;5~", b"Merge profile"),      # the Stream tab: the file's merge profile
        (b"\x1b[6;5~\x1b[6;5~", b"Extract"),
        (b"\x1bOS", b"SECRET"),               # F4: the resolved preview, every variable and its source
        (b"q", b"Send"),                       # (q, not Esc: Esc and the next key would read as Alt+key)
        (b"\x14/Deep\r", b"Deep"),             # Ctrl+T, the deep body
        (b"\x14/bad\r", b"Cannot load"),       # the broken file: its error, in a dialog
        (b"q", b"Send"),
        (b"\x14/crlf\r", b"Cannot load"),      # the header that cannot be sent, named in its error
        (b"q", b"Send"),
        # Ctrl+N: the environments and their variables (last: only Esc closes it, and Esc + a key reads
        # as Alt+key)
        (b"\x0e", b"token"),
    ])


def test_a_hostile_server_shown_in_every_response_tab_shows_none_of_its_controls(tmp_path: Path,
                                                                               hostile: HostileServer) -> None:
    _walk_and_check(tmp_path, hostile, [
        (b"", b"Quit"),
        (b"/Streamy\r", b"/sse"),
        (b"\n", b"closed"),                    # Ctrl+J: sent; the stream ends
        (b"\x07", b"Next error"),              # Ctrl+G: the Timeline (its keys in the footer)
        (b"\r", b"Copy raw"),                  # the first event's detail
        (b"q", b"Next error"),
        (b"G\r", b"Copy raw"),                 # the last event's detail
        (b"q", b"Next error"),
        (b"3", b"X-Hostile"),                  # the Headers tab
        (b"2", b"Copy reply"),                 # the Merged tab
        (b"4", b"Pretty"),                     # the Body tab
        (b"\x14/Sockety\r", b"/ws"),           # the WebSocket peer: messages and its close reason
        (b"\n", b"closed"),
        (b"\x07", b"bye"),                     # the Timeline: its messages and close reason
        (b"\r", b"Copy raw"),                  # the close's detail
    ])
