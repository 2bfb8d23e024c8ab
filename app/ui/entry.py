"""The TUI's entry point: `sluice [PATH]` and `sluice --demo` call `run_tui`."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def run_tui(path: Path | None, demo: bool, environment: str | None = None, demo_reset: bool = False) -> int:
    """Run the workbench on the collection at `path` (default: the current directory) until quit,
    with `environment` active (default: the collection's own default). `demo_reset` starts the demo on a
    fresh copy of the sample collection."""
    # Start-up allocates hundreds of thousands of long-lived objects (Textual's styles, widgets, the
    # collection) and the cyclic collector kept re-scanning them: about 0.5 s of a loaded machine's
    # 2 s to the first frame (gc.callbacks). It is off until the collection is on screen, when
    # `tune_for_streaming` parks those objects outside it and switches it back on.
    gc.disable()
    # The collection is read in a worker thread while the screen composes: each of its file reads gives up
    # the GIL, and getting it back took up to the 5 ms switch interval, so reading the demo's 50 files took
    # 0.4 s and came after the first layout (which then ran again). `tune_for_streaming` keeps 1 ms after.
    sys.setswitchinterval(0.001)
    with keys_typed_ahead_kept(sys.stdin):
        # Imported here so `sluice run` and `--help` never pay for Textual.
        from app.ui.app import SluiceApp

        if path is not None and not path.exists():
            print(f"sluice: {path} does not exist", file=sys.stderr)
            return 2
        app = SluiceApp(path, demo=demo or demo_reset, environment=environment, demo_reset=demo_reset)
        problem = app.environment_problem()
        if problem is not None:
            print(f"sluice: {problem}", file=sys.stderr)
            return 2
        from app.ui.terminal_input import tolerate_invalid_utf8

        tolerate_invalid_utf8()  # a pasted byte that is not UTF-8 ended the app (Textual's strict decoder)
        result = app.run()
        return result if isinstance(result, int) else (app.return_code or 0)


@contextmanager
def keys_typed_ahead_kept(stream: IO[Any]) -> Iterator[None]:
    """Keys typed while Sluice starts (before Textual puts the terminal in raw mode, a second or two on
    a loaded machine) reach it as typed: the terminal's line discipline would turn Enter into Ctrl+J
    (ICRNL: Send, not Enter), take Ctrl+S / Ctrl+Q as flow control and echo every key. The terminal's
    own settings are restored afterwards (Textual restores what it found, i.e. these)."""
    try:
        import termios
    except ImportError:  # Windows
        yield
        return
    try:
        fd = stream.fileno()
        saved = termios.tcgetattr(fd)
    except (termios.error, OSError, ValueError, AttributeError):  # not a terminal (a pipe, a test)
        yield
        return
    changed = [*saved[:6], list(saved[6])]
    changed[0] &= ~(termios.ICRNL | termios.IXON)
    changed[3] &= ~(termios.ICANON | termios.ECHO)
    termios.tcsetattr(fd, termios.TCSANOW, changed)
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.ui.entry", description="Sluice's terminal workbench")
    parser.add_argument("path", nargs="?", type=Path, help="collection folder (default: the current directory)")
    parser.add_argument("--demo", action="store_true", help="start the demo server and open the sample collection")
    parser.add_argument("--demo-reset", action="store_true", help="start the demo on a fresh copy of the sample collection")
    parser.add_argument("--env", help="environment to activate")
    arguments = parser.parse_args(argv)
    return run_tui(arguments.path, arguments.demo, arguments.env, arguments.demo_reset)


if __name__ == "__main__":
    sys.exit(main())
