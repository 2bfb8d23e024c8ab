"""WebSocket message formats: what the composer sends and how a received frame is shown.

Encoding turns what the user typed into a frame payload — `str` for a text frame, `bytes` for a binary
one — and names the problem plainly when the input is not what its format says. Display helpers turn a
received payload back into something readable: pretty JSON, a hexdump, Base64. Pure: no I/O.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import string

from app.streams.json_payload import check_json_depth, parse_json
from app.vocabulary import WsFormat

_WHITESPACE = re.compile(r"\s+")
_HEX_SEPARATORS = re.compile(r"[\s:_-]+")
_PRINTABLE = frozenset(string.ascii_letters + string.digits + string.punctuation + " ")


class WsFormatError(ValueError):
    """The message does not match its declared format; the text says where and why."""


def encode_message(content: str, format: str = WsFormat.TEXT, *, prettify: bool = False) -> str | bytes:
    """The frame payload for `content` written in `format` (text formats give `str`, binary ones `bytes`)."""
    try:
        kind = WsFormat(format)
    except ValueError:
        names = ", ".join(member.value for member in WsFormat)
        raise WsFormatError(f"unknown message format {format!r}: use one of {names}") from None
    if kind is WsFormat.JSON:
        return encode_json(content, prettify=prettify)
    if kind is WsFormat.BASE64:
        return decode_base64(content)
    if kind is WsFormat.HEX:
        return decode_hex(content)
    return content


def encode_json(content: str, *, prettify: bool = False) -> str:
    """`content` checked as strict JSON; sent as typed, or re-indented when `prettify` is set."""
    try:
        check_json_depth(content)
        value = json.loads(content, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise WsFormatError(f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    except ValueError as error:  # `JsonTooDeep`, or an integer of more than 4,300 digits
        raise WsFormatError(f"not valid JSON: {error}") from None
    if prettify:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return content


def _reject_constant(name: str) -> float:
    # Python accepts NaN and Infinity; RFC 8259 JSON (and so the server) does not.
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


def decode_base64(content: str) -> bytes:
    """Standard or URL-safe Base64 (whitespace ignored, padding optional) decoded to bytes."""
    compact = _WHITESPACE.sub("", content)
    if not compact:
        raise WsFormatError("Base64 message is empty")
    alphabet = string.ascii_letters + string.digits + "+/-_="
    for position, character in enumerate(compact):
        if character not in alphabet:
            raise WsFormatError(f"not Base64: {character!r} at position {position}")
    unpadded = compact.rstrip("=")
    if "=" in unpadded:
        raise WsFormatError("not Base64: '=' padding may only appear at the end")
    if len(unpadded) % 4 == 1:
        raise WsFormatError(f"not Base64: {len(unpadded)} characters cannot encode whole bytes")
    standard = unpadded.replace("-", "+").replace("_", "/")
    padded = standard + "=" * (-len(standard) % 4)
    try:
        return base64.b64decode(padded, validate=True)
    except binascii.Error as error:
        raise WsFormatError(f"not Base64: {error}") from None


def decode_hex(content: str) -> bytes:
    """Hex digits decoded to bytes; spaces, `:`, `-`, `_` and `0x` prefixes between bytes are allowed."""
    compact = _HEX_SEPARATORS.sub("", re.sub(r"0[xX]", "", content))
    if not compact:
        raise WsFormatError("hex message is empty")
    for position, character in enumerate(compact):
        if character not in string.hexdigits:
            raise WsFormatError(f"not hex: {character!r} at digit {position}")
    if len(compact) % 2:
        raise WsFormatError(f"not hex: {len(compact)} digits is an odd number (each byte needs two)")
    return bytes.fromhex(compact)


def pretty_json(text: str) -> str | None:
    """`text` indented as JSON when it is a JSON object or array; None when it is not JSON."""
    stripped = text.strip()
    if not stripped or stripped[0] not in "{[":
        return None
    try:
        value = parse_json(stripped)
    except ValueError:
        return None
    return json.dumps(value, indent=2, ensure_ascii=False)


def hexdump(data: bytes, width: int = 16) -> list[str]:
    """Lines of `offset  hex bytes  |ASCII|`, `width` bytes a line, non-printable bytes shown as `.`."""
    lines: list[str] = []
    hex_column = width * 3 - 1
    for offset in range(0, len(data), width):
        row = data[offset : offset + width]
        hex_part = " ".join(f"{byte:02x}" for byte in row)
        ascii_part = "".join(chr(byte) if chr(byte) in _PRINTABLE else "." for byte in row)
        lines.append(f"{offset:08x}  {hex_part:<{hex_column}}  |{ascii_part}|")
    return lines


def summary(data: str | bytes, limit: int = 120) -> str:
    """One line for a timeline row: the text (newlines shown as ⏎) or a short hex preview of binary."""
    if isinstance(data, str):
        line = data.replace("\r\n", "⏎").replace("\n", "⏎")
        return line if len(line) <= limit else line[: limit - 1] + "…"
    preview = data[: max(1, limit // 3)].hex(" ")
    suffix = "…" if len(data) > limit // 3 else ""
    return f"[{len(data)} bytes] {preview}{suffix}"
