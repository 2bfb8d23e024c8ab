"""The one sanitising step between untrusted text and a terminal.

Everything Sluice shows comes from somewhere it does not trust: server bytes, header values, WebSocket
frames and close reasons, collection and file names, pasted curl commands, the clipboard. A terminal
interprets some characters as commands (ESC starts CSI/OSC sequences that clear the screen, set the window
title or write the clipboard; C1 controls such as U+009B are single-character CSI on many terminals;
backspace and carriage return overwrite what is already shown; bidi overrides reorder a label so that it
reads differently from what it is). None of them may reach the terminal from untrusted text.

Convention (one, everywhere): an unsafe character is shown as the escape Python's ``repr`` uses, in the text
itself: ``\\n``, ``\\t`` and ``\\r`` for newline, tab and carriage return, ``\\x1b`` for every other C0, DEL and
C1 control (two lowercase hex digits) and ``\\u202e`` for the bidi controls (four lowercase hex digits).
Backslashes already in the text are left alone (so ``\\x1b`` typed by a server reads the same as an escaped
ESC: ambiguous to the eye, harmless to the terminal). The escape is plain printable ASCII, so it is visible,
copyable and never emitted as the control it names.

- ``safe_line(text)``: one-line labels (event names, ids, header values, tree names, titles, toasts,
  stderr messages). Every C0 control including newline and tab, DEL, every C1 control and the bidi
  embedding/override/isolate controls U+202A–U+202E, U+2066–U+2069 and the separators U+2028/U+2029
  are escaped, and so are the
  invisible characters that make two labels look alike (``message\\u200b`` is not ``message`` to
  ``--event``, ``pay\\u200bpal`` not the host it imitates): U+200B, the directional marks U+200E,
  U+200F and U+061C, U+2060–U+2064, U+FEFF and U+180E. The joiners U+200C/U+200D are kept (emoji
  sequences and several scripts need them).
- ``safe_block(text)``: multi-line views (bodies, event data, merged text). Newline and tab are kept, and
  so is a carriage return directly before a newline (CRLF text is common and harmless); every other control
  (VT, FF, NEL U+0085 and U+2028/U+2029 too: only LF breaks a line in a view) is escaped as above, the
  bidi controls too: an override reorders what a reply seems to say (a command
  shown reversed), and right-to-left text reads right without them (the TUI's driver never writes them).
- ``safe_lines(text)``: multi-line messages (toasts, error dialogs): newlines kept, every line a label
  as for ``safe_line`` (bidi controls and invisible characters escaped too: a message names files and
  hosts, it is not prose).
- ``is_line_safe(text)``: whether ``safe_line`` would change anything, for writers with their own escapes.
- ``json_line_safe(encoded)``: for the ``--jsonl`` writer, recordings and HAR. Takes text already encoded
  by ``json.dumps`` (with ``ensure_ascii=False``) and escapes DEL, C1 controls, U+2028/U+2029 and the bidi
  controls as ``\\u00XX``/``\\u2028``/``\\u202e``, so line-oriented readers (and JavaScript's
  ``JSON.parse`` in older engines) cannot be broken, as Go's encoder does for U+2028/U+2029, and a line
  on a terminal (``--jsonl``, ``cat`` of a recording) is neither driven nor reordered. Only valid on JSON
  text (or TOML with only basic strings, whose escape it is too): those characters can only occur
  inside string literals, where ``\\uXXXX`` means the same character.

These run on hot output paths (every event on the Timeline, every line of a body): each is one compiled
regex search that returns the input unchanged when nothing needs escaping (the common case), and a
precompiled ``str.translate`` table when something does.
"""

from __future__ import annotations

import re

__all__ = ["is_line_safe", "json_line_safe", "safe_block", "safe_line", "safe_lines"]


_NAMED = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}


def _hex_escape(code: int) -> str:
    if code in _NAMED:
        return _NAMED[code]
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


_C0 = range(0x20)
_DEL_C1 = range(0x7F, 0xA0)
_BIDI = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
_SEPARATORS = (0x2028, 0x2029)
"""LINE and PARAGRAPH SEPARATOR: not controls, but a line break to `str.splitlines`, editors, JavaScript and
a clipboard, and zero cells to Rich while some terminals draw a box: escaped in every sink, blocks too (a
view breaks lines at LF only, so a raw one would be a break the screen never showed)."""
_INVISIBLE = (0x061C, 0x180E, 0x200B, 0x200E, 0x200F, *range(0x2060, 0x2065), 0xFEFF)
"""Zero-width or directional-mark characters that make a label look like another (labels only)."""

_LINE_TABLE: dict[int, str] = {code: _hex_escape(code) for code in (*_C0, *_DEL_C1, *_BIDI, *_SEPARATORS, *_INVISIBLE)}
_BLOCK_TABLE: dict[int, str] = {
    code: _hex_escape(code) for code in (*_C0, *_DEL_C1, *_BIDI, *_SEPARATORS) if code not in (0x09, 0x0A)
}

_LINE_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069\u061c\u180e\u200b\u200e\u200f\u2060-\u2064\ufeff]")
_BLOCK_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]")
# A carriage return is harmless only right before a newline; the block table escapes every CR, so CRLF
# pairs are cut out of the text first and kept as they are.
_CRLF_SPLIT = re.compile("(\r\n)")

_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028-\u202e\u2066-\u2069]")
_JSON_TABLE: dict[int, str] = {
    code: f"\\u{code:04x}" for code in (*_DEL_C1, 0x2028, 0x2029, *_BIDI)
}


def safe_line(text: str) -> str:
    """Return ``text`` for a one-line label: every control and bidi control shown as an escape."""
    if _LINE_UNSAFE.search(text) is None:
        return text
    return text.translate(_LINE_TABLE)


def is_line_safe(text: str) -> bool:
    """True when ``safe_line`` would leave ``text`` as it is: for writers that escape in their own syntax
    (a shell word's ``$'\\x1b'``)."""
    return _LINE_UNSAFE.search(text) is None


def safe_block(text: str) -> str:
    """Return ``text`` for a multi-line view: newline, tab and CRLF kept, every other control escaped."""
    if _BLOCK_UNSAFE.search(text) is None:
        return text
    if "\r\n" not in text:
        return text.translate(_BLOCK_TABLE)
    return "".join(
        part if part == "\r\n" else part.translate(_BLOCK_TABLE) for part in _CRLF_SPLIT.split(text)
    )


def safe_lines(text: str) -> str:
    """Return ``text`` for a multi-line message: newlines kept, each line escaped as by ``safe_line``."""
    if _LINE_UNSAFE.search(text) is None:
        return text
    return "\n".join(line.translate(_LINE_TABLE) for line in text.split("\n"))


def json_line_safe(encoded: str) -> str:
    """Escape DEL, C1 controls, U+2028/U+2029 and bidi controls in already-encoded JSON text as ``\\uXXXX``."""
    if _JSON_UNSAFE.search(encoded) is None:
        return encoded
    return encoded.translate(_JSON_TABLE)
