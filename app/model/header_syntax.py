"""What an HTTP header can hold (RFC 9110): the one check for request files, the editor's send and recordings.

A header from a cloned collection or a `.env` value is hostile: a line break in it would start another
header (h11 and websockets refuse to send it, with an error that does not say which header), and in the
editor one header would become two lines. A name is a `token`; a value is one line of visible characters,
spaces and tabs, no NUL nor other control character.
"""

from __future__ import annotations

import re

from app.model.variables import VARIABLE_PATTERN

HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
"""An HTTP method or header name (RFC 9110 `token`)."""
_NOT_IN_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
"""Controls a header value cannot hold on the wire (a tab can): CR and LF above all."""
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_NAMED = {"\r": "a carriage return (CR)", "\n": "a line break (LF)", "\x00": "a NUL"}


def header_problem(
    name: str, value: str, *, what: str = "header", templated: bool = False, wire: bool = False, enabled: bool = True
) -> str:
    """Why `name: value` cannot be sent ("" when it can). `templated` (a file or the editor, before
    variables are substituted) lets `{{variables}}` stand in a name; `wire` (the request as resolved)
    also refuses non-ASCII text, which httpx cannot encode. A line switched off (not `enabled`) is never
    sent, and may be any note (`# check this later`): only its being one line is checked."""
    shown = f"{what} {name!r:.60}"
    if not enabled:
        found = _NOT_IN_VALUE.search(name + value)
        return f"{shown} (switched off): {_describe(found.group())} cannot be in it; a {what} is one line" if found else ""
    checked = VARIABLE_PATTERN.sub("x", name) if templated else name
    if not checked:
        return f"a {what} has no name"
    if not HEADER_NAME.fullmatch(checked):
        bad = next(char for char in checked if not HEADER_NAME.fullmatch(char))
        return (f"{shown}: {_describe(bad)} cannot be in a {what} name (letters, digits and "
                "!#$%&'*+-.^_`|~ only)")
    found = _NOT_IN_VALUE.search(value)
    if found:
        return f"{shown}: its value holds {_describe(found.group())} at character {found.start() + 1}; a {what} value is one line"
    if wire and (found := _NOT_ASCII.search(value)):
        return (f"{shown}: its value holds {found.group()!r} at character {found.start() + 1}; a {what} value is "
                "sent as ASCII (percent-encode or base64 it)")
    return ""


def _describe(char: str) -> str:
    return _NAMED.get(char) or ("a space" if char == " " else f"{char!r}")
