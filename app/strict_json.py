"""Strict RFC 8259 JSON: the parse every NDJSON line and JSON-array element goes through, and its errors.

Python's `json` is laxer than the RFC: it accepts `NaN` and the infinities (and numbers that overflow
to them). `STRICT_JSON` refuses them. msgspec builds the same values, several times faster, but
refuses lone surrogate escapes and integers of more than 4,300 digits, which are JSON: those go to the
standard library.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

from msgspec.json import Decoder as _MsgspecDecoder


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not allowed in JSON (RFC 8259)")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (_INFINITY, -_INFINITY):
        raise ValueError(f"number {text} is out of range for a double")
    return value


_INFINITY = float("inf")
STRICT_JSON = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)
"""A `json` decoder that refuses NaN and the infinities, as RFC 8259 does, and numbers that overflow to
them (which no JSON text could then carry back out)."""

_exact_decode = _MsgspecDecoder().decode
"""Any JSON value, integers of any length kept exact (orjson rounds those beyond 64 bits to floats)."""


def parse_strict_json(text: str) -> object:
    """Parse one RFC 8259 JSON text; raise `ValueError` with a readable message if it is not one."""
    return STRICT_JSON.decode(text)


def parse_checked_json(text: str) -> Any:
    """The value of a text already checked to be one strict RFC 8259 JSON value (an NDJSON line): by
    msgspec, or by the standard library where msgspec refuses (lone surrogate escapes, integers beyond
    4,300 digits): the value `STRICT_JSON` gives, float for float. (orjson parsed them once, behind a
    regex search for the integers it would round, which cost three times the parse: 1.5 µs a line.)"""
    try:
        return _exact_decode(text)
    except ValueError:  # msgspec's DecodeError
        return STRICT_JSON.decode(text)


def describe_json_error(error: ValueError | RecursionError) -> str:
    """A one-line reason, e.g. "Expecting ',' delimiter at column 12"."""
    if isinstance(error, RecursionError):
        return "nested too deeply to parse"
    if isinstance(error, UnicodeDecodeError):
        return f"invalid UTF-8 at byte {error.start + 1}"
    if isinstance(error, json.JSONDecodeError):
        if error.pos == 0 and error.doc.startswith("\ufeff"):
            return "Unexpected UTF-8 BOM at column 1 (RFC 8259 forbids it)"
        return f"{error.msg.removesuffix(' at')} at column {error.colno}"
    return str(error)
