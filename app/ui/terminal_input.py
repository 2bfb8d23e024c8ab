"""Keys and pastes that are not UTF-8 never end the app.

Textual 8.2's Linux driver decodes the terminal's input strictly: one byte that is not UTF-8 (a paste from
a Latin-1 terminal, a stray `0x9b` in a pasted command, line noise on a serial link) raises
`UnicodeDecodeError` in its input thread, and the app exits with a traceback (Textualize/textual#6456,
open as of 8.2.8). Until that is fixed there, the driver's decoder is made to put U+FFFD in place of
such bytes: what arrives is then text like any other paste, shown through the same terminal-safe paths.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from typing import Any


def tolerate_invalid_utf8() -> None:
    """Make the Linux driver's input decoder replace bytes that are not UTF-8 (idempotent)."""
    try:
        from textual.drivers import linux_driver
    except ImportError:  # no termios (Windows): another driver, which reads text, not bytes
        return
    if linux_driver.getincrementaldecoder is _replacing_decoder:
        return
    linux_driver.getincrementaldecoder = _replacing_decoder


def _replacing_decoder(encoding: str) -> Callable[..., Any]:
    """`codecs.getincrementaldecoder(encoding)`, its decoders made with `errors="replace"` unless told otherwise."""
    factory = codecs.getincrementaldecoder(encoding)

    def make(errors: str = "replace") -> codecs.IncrementalDecoder:
        return factory(errors)

    return make
