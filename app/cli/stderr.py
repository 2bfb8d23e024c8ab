"""The one way headless commands talk to people on stderr: `sluice: MESSAGE`, sanitised.

Messages carry server text (error messages, close reasons, header values), file names from cloned
collections and pieces of pasted curl commands, so each goes through `safe_line`: a message is one line,
and nothing in it can drive the terminal.
"""

from __future__ import annotations

import sys
from typing import TextIO

from app.terminal_text import safe_line


def report(message: str, stream: TextIO | None = None) -> None:
    """Print `sluice: MESSAGE` to `stream` (stderr by default), with every control shown as an escape."""
    print(f"sluice: {safe_line(message)}", file=stream if stream is not None else sys.stderr)
