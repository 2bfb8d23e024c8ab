"""Choosing a framing: from the Content-Type, from an explicit mode, or by sniffing a raw body."""

from __future__ import annotations

import json

from app.streams.decoder import StreamDecoder
from app.streams.json_array import JsonArrayDecoder
from app.streams.ndjson import NdjsonDecoder
from app.streams.sse import SseDecoder
from app.vocabulary import DEFAULT_MAX_EVENT_SIZE, ParseMode

NDJSON_MEDIA_TYPES = frozenset(
    {
        "application/x-ndjson",
        "application/jsonl",
        "application/x-jsonlines",
        "application/json-lines",
        "application/stream+json",
        "application/x-json-stream",
    }
)

_SSE_FIELD_PREFIXES = (b"data:", b"event:", b"id:", b"retry:")
_SNIFF_MIN_JSON_LINES = 2


def media_type(content_type: str | None) -> str:
    """`text/Event-Stream; charset=utf-8` → `text/event-stream`."""
    if not content_type:
        return ""
    return content_type.split(";", 1)[0].strip().lower()


def detect_parse_mode(content_type: str | None) -> ParseMode:
    """The framing a Content-Type announces: SSE, NDJSON, or RAW for anything else."""
    kind = media_type(content_type)
    if kind == "text/event-stream":
        return ParseMode.SSE
    if kind in NDJSON_MEDIA_TYPES:
        return ParseMode.NDJSON
    return ParseMode.RAW


def decoder_for(mode: ParseMode, max_event_size: int = DEFAULT_MAX_EVENT_SIZE) -> StreamDecoder | None:
    """A fresh decoder for `mode`; None for RAW (the body is shown as it arrives). AUTO must be resolved first."""
    if mode is ParseMode.SSE:
        return SseDecoder(max_event_size)
    if mode is ParseMode.NDJSON:
        return NdjsonDecoder(max_event_size)
    if mode is ParseMode.JSON_ARRAY:
        return JsonArrayDecoder(max_event_size)
    if mode is ParseMode.RAW:
        return None
    raise ValueError(f"parse mode {mode.value!r} must be resolved to a concrete framing first")


def sniff_stream(sample: bytes) -> ParseMode | None:
    """Guess the framing of a body whose Content-Type said nothing useful; None when it looks like neither.

    SSE: the first non-comment line is a `data:`/`event:`/`id:`/`retry:` field. NDJSON: at least two
    complete lines, each a JSON object or array. The caller phrases the hint ("force --parse sse").
    """
    text = sample.removeprefix(b"\xef\xbb\xbf")
    lines = text.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    for line in lines:
        if not line.strip() or line.startswith(b":"):
            continue
        if line.startswith(_SSE_FIELD_PREFIXES):
            return ParseMode.SSE
        break
    complete_lines = [line for line in lines[:-1] if line.strip()]
    if len(complete_lines) >= _SNIFF_MIN_JSON_LINES and all(
        _is_json_container(line) for line in complete_lines
    ):
        return ParseMode.NDJSON
    return None


def _is_json_container(line: bytes) -> bool:
    stripped = line.strip()
    if stripped[:1] not in (b"{", b"["):
        return False
    try:
        json.loads(stripped.decode("utf-8"))
    except (ValueError, RecursionError):
        return False
    return True
