"""The strict reference the NDJSON decoder's verdicts are held to (`test_ndjson_verdicts`, `test_ndjson_adversarial`)."""

from __future__ import annotations

import json

from app.events import EventTooLarge, NdjsonError, NdjsonValue
from app.nesting import MAX_JSON_DEPTH, deeper_than
from app.strict_json import STRICT_JSON


def reference(line: bytes, limit: int | None = None) -> tuple[str, object] | None:
    """The strict verdict on one line: ("value", (text, value)), ("error", None), or None for a skipped
    blank line; a line longer than `limit` is an error."""
    if limit is not None and len(line) > limit:
        return "error", None
    try:
        text = line.decode("utf-8")
        if deeper_than(line, MAX_JSON_DEPTH):
            raise ValueError("too deep")
        value = STRICT_JSON.decode(text)
    except (ValueError, RecursionError):
        return None if not line or line.isspace() else ("error", None)
    kept = line.strip().replace(b"\t", b" ").replace(b"\r", b" ").decode("utf-8")
    return "value", (kept, json.dumps(value, sort_keys=True))


def decoded(payload: object) -> tuple[str, object]:
    """What the decoder said of a line, in `reference`'s terms."""
    if isinstance(payload, NdjsonValue):
        return "value", (payload.text, json.dumps(payload.value, sort_keys=True))
    assert isinstance(payload, (NdjsonError, EventTooLarge)), payload
    return "error", None
