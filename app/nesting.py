"""How deeply a JSON or TOML text nests, found without parsing it: the guard in front of every parser.

Python's `json` and `tomllib`, and the pretty-printers after them, recurse once or more per level: about
1,000 levels (2 KB of `[`) raise `RecursionError`, and a value a little less deep can still break the
next recursive step (pretty-printing from inside a deep UI stack). Every parse of outside text asks
`deeper_than` first and reports a named error instead.

Linear and at C speed: a text with no more opening brackets than the limit (every stream payload, nearly
every body) is answered by two `count` calls. Otherwise escapes and string literals (and, for TOML,
comments) are cut out, the brackets kept as `(`/`)`, innermost pairs removed a few times with
`bytes.replace` (a typical document collapses to almost nothing), and the depth is a running sum over
what is left. An unterminated string can only make the answer more cautious.
"""

from __future__ import annotations

import re
from itertools import accumulate

MAX_JSON_DEPTH = 256
"""Deeper JSON is refused: no API sends it, and every recursive step after parsing (about 2-3 frames
per level in `json.dumps(indent=2)`) stays far from Python's recursion limit."""

MAX_TOML_DEPTH = 64
"""Collection files nest a few levels; 64 leaves room for any data kept in them."""

_TOML_STRING = re.compile(
    rb'"""(?:[^"]|"(?!""))*"""|\'\'\'(?:[^\']|\'(?!\'\'))*\'\'\'|"[^"\n]*"|\'[^\'\n]*\'|#[^\n]*'
)
_BRACKETS = b"[]{}"
_TO_PARENS = bytes.maketrans(_BRACKETS, b"()()")
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in _BRACKETS)
_STEP = {ord("("): 1, ord(")"): -1}
_COLLAPSE_PASSES = 8


def deeper_than(text: str | bytes, limit: int, *, toml: bool = False) -> bool:
    """True when the JSON (or, with `toml`, TOML) `text` opens more than `limit` nested arrays/tables."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    # Escapes first (an escaped backslash, then an escaped quote), so that every quote left is real.
    data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside = _TOML_STRING.sub(b"", data) if toml else b"".join(data.split(b'"')[::2])
    parens = outside.translate(_TO_PARENS, _NOT_BRACKETS)
    reduced, passes = parens, 0
    while passes < _COLLAPSE_PASSES and passes + len(reduced) > limit:
        shorter = reduced.replace(b"()", b"")
        if len(shorter) == len(reduced):
            break
        reduced, passes = shorter, passes + 1
    if passes + len(reduced) <= limit:
        return False
    # Each pass lowers the deepest point by at most one level.
    depth = _max_depth(reduced)
    if depth > limit or depth + passes <= limit:
        return depth > limit
    return _max_depth(parens) > limit


def _max_depth(parens: bytes) -> int:
    return max(accumulate(map(_STEP.__getitem__, parens), initial=0))


MAX_JSONPATH_STEPS = 100
"""A JSONPath with more steps (`.`, `[`, `(`, `&`, `|`) than this is refused: jsonpath-ng builds one
nested node per step and recurses through them to find and to print, so about 400 steps (`$.a.a.a…`)
raise `RecursionError` on every event a check, an extraction or a merge rule looks at."""


def jsonpath_too_deep(expression: str) -> bool:
    """True when `expression` has more steps than `MAX_JSONPATH_STEPS` (a linear count, before parsing)."""
    return sum(map(expression.count, ".[(&|")) > MAX_JSONPATH_STEPS
