"""What text areas and inputs show reaches the terminal without C1 controls or bidi overrides
(`app/ui/terminal_output.py`): checked on the writes themselves and in a real terminal (a pty)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.drivers.headless_driver import HeadlessDriver

from app.ui.app import SluiceApp
from app.ui.terminal_output import terminal_safe, terminal_safe_driver
from tests.ui_app.test_ui_app_terminal_input import _read_until, close_pty, quit_in_pty, start_in_pty


def test_c1_controls_and_bidi_overrides_are_taken_out_and_nothing_else() -> None:
    frame = "\x1b[38;5;231m│ héllo ┃ \x1b[0m"
    assert terminal_safe(frame) == frame
    assert terminal_safe("a\x9b31mb\x85c\u202ed\u2066e\x9f") == "a31mbcde"
    assert terminal_safe("plain ascii") == "plain ascii"


class _Recording(HeadlessDriver):
    def __init__(self) -> None:  # no app: only `write` is exercised
        self.written: list[str] = []

    def write(self, data: str) -> None:
        self.written.append(data)


def test_the_app_writes_through_the_terminal_safe_driver() -> None:
    driver = terminal_safe_driver(_Recording)()
    driver.write("x\x9b2Jy")
    assert driver.written == ["x2Jy"]  # type: ignore[attr-defined]
    assert SluiceApp().driver_class.__name__.startswith("TerminalSafe")


@pytest.mark.skipif(sys.platform == "win32", reason="a pty")
def test_a_c1_control_in_a_cloned_request_never_reaches_the_terminal(tmp_path: Path, settings_dir: Path) -> None:
    (tmp_path / "collection.toml").write_text('name = "cloned"\n', encoding="utf-8")
    (tmp_path / "evil.toml").write_text(
        'name = "Evil"\nmethod = "POST"\nurl = "http://127.0.0.1:9/a\\u009b2Jb"\n\n'
        '[body]\ntype = "text"\ncontent = "x\\u009b31my"\n',
        encoding="utf-8",
    )
    controller, process = start_in_pty(tmp_path, settings_dir)
    seen = bytearray()
    try:
        assert _read_until(controller, seen, b"/a2Jb", process), bytes(seen[-3000:])  # the URL, shown
        quit_in_pty(controller, seen, process)
    finally:
        close_pty(controller, process)
    assert "\x9b".encode() not in seen
