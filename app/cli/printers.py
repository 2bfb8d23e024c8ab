"""Headless consumers of the bus: one line per event, as JSON (`--jsonl`) or for people.

Both take whole batches and write each batch with one call, so printing never costs a system call
per event.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, BinaryIO

from app.event_runs import BusItem, EventRun
from app.events import (
    BodyReceived,
    ConnectionFailed,
    JsonArrayError,
    JsonArrayItem,
    NdjsonError,
    NdjsonValue,
    Reconnecting,
    RequestSent,
    ResponseOpened,
    SseComment,
    SseId,
    SseIgnoredField,
    SseMessage,
    SseRetry,
    SseUnknownField,
    StreamClosed,
    StreamDiagnostic,
    TimelineEvent,
)
from app.jsonl import JsonlFormatter, summary_pieces
from app.model.secrets import mask_url
from app.terminal_text import safe_line
from app.ws_events import WsClosed, WsConnecting, WsControl, WsMessage, WsOpened

PREVIEW_CHARS = 160
_SAID_REASONS = frozenset({"cancelled", "stopped"})
"""Close reasons a human line names (`stopped: 12 B, …`); a stream read to its end is `closed: …`."""


class JsonlPrinter:
    """Writes one JSON object per timeline event: the public `--jsonl` contract (see README), one write
    per batch, through the one writer (`app.jsonl`)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._formatter = JsonlFormatter()
        self.last_seq = -1
        self.last_t = 0.0

    def feed(self, events: list[TimelineEvent]) -> None:
        self.feed_items(events)

    def feed_items(self, items: Sequence[BusItem]) -> None:
        """A batch as the bus published it, runs included (`app.event_runs`)."""
        if not items:
            return
        last = items[-1]
        self.last_seq = last.last_seq if type(last) is EventRun else last.seq  # type: ignore[union-attr]
        self.last_t = last.t
        self._stream.write(self._formatter.lines(items))
        self._stream.flush()

    def write_summary(self, kind: str, fields: dict[str, Any]) -> None:
        """A closing line that is not a timeline event (`merged`, `metrics`), numbered after the last one."""
        self.last_seq += 1
        for piece in summary_pieces(self.last_seq, self.last_t, kind, fields):
            self._stream.write(piece)
        self._stream.flush()


class HumanPrinter:
    """Writes one readable line per event: time, kind, and a preview of the payload.

    Every piece of server or file text goes through `safe_line` before it is painted: the line is for a
    person on a terminal, so nothing in it may drive that terminal (the exact bytes are in `--jsonl`).
    """

    def __init__(self, stream: BinaryIO, color: bool = False) -> None:
        self._stream = stream
        self._color = color

    def feed(self, events: list[TimelineEvent]) -> None:
        if not events:
            return
        text = "".join(f"{event.t:9.3f}s  {self._describe(event)}\n" for event in events)
        self._stream.write(text.encode("utf-8", "replace"))
        self._stream.flush()

    def _paint(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self._color else text

    def _describe(self, event: TimelineEvent) -> str:
        payload: Any = event.payload
        paint = self._paint
        safe = safe_line
        match payload:
            case SseMessage(event=name, data=data, id=event_id, retry=retry):
                extras = (f" id={safe(event_id)}" if event_id is not None else "") + (
                    f" retry={retry}" if retry is not None else ""
                )
                return f"{paint(safe(name), '36')}{extras}  {_preview(data)}"
            case SseRetry(retry=retry):
                return paint(f"retry {retry} ms (reconnection time)", "2")
            case SseId(id=event_id):
                return paint(f"id {safe(event_id)} (last event ID)", "2")
            case SseComment(text=text):
                return paint(f": {_preview(text)}", "2")
            case SseUnknownField(name=name, value=value):
                return paint(f"field {safe(name)}: {_preview(value)}", "33")
            case SseIgnoredField(name=name, value=value, reason=reason):
                return paint(f"ignored {safe(name)}: {_preview(value)}  ({safe(reason)})", "33")
            case NdjsonValue(value=value) | JsonArrayItem(value=value):
                return f"{paint(payload.kind, '36')}  {_preview(json.dumps(value, ensure_ascii=False))}"
            case NdjsonError(line=line, error=error) | JsonArrayError(text=line, error=error):
                return paint(f"{payload.kind}: {safe(error)}  {_preview(line)}", "31")
            case BodyReceived(data=data):
                return f"body {len(data)} B  {_preview(data.decode('utf-8', 'replace'))}"
            case RequestSent(method=method, url=url):
                return paint(f"→ {safe(method)} {safe(mask_url(url))}", "1")
            case ResponseOpened(status=status, http_version=version, reason=reason, parse_mode=mode):
                content_type = safe(payload.header("content-type") or "no content type")
                colour = "32" if status < 400 else "31"
                return paint(f"← {status} {safe(reason)} {safe(version)}  {content_type}  (parsed as {mode})", colour)
            case StreamDiagnostic(message=message, sample=sample):
                seen = f"  seen: {_preview(sample)}" if sample else ""
                return paint(f"diagnostic: {safe(message)}{seen}", "33")
            case StreamClosed():
                return paint(_describe_close(payload), "1")
            case ConnectionFailed(type=kind, message=message):
                return paint(f"error ({kind}): {safe(message)}", "31;1")
            case Reconnecting(attempt=attempt, delay=delay, last_event_id=last_id):
                resume = f", Last-Event-ID: {_preview(last_id)}" if last_id else ""
                return paint(f"reconnect #{attempt} in {delay:g} s{resume}", "33")
            case WsConnecting(url=url):
                return paint(f"connecting {safe(mask_url(url))}", "2")
            case WsOpened(status=status, subprotocol=subprotocol):
                chosen = f" subprotocol {safe(subprotocol)}" if subprotocol else ""
                return paint(f"open {status}{chosen}", "32")
            case WsMessage(direction=direction, data=data):
                arrow = "↑" if direction == "send" else "↓"
                shown = data if isinstance(data, str) else f"<{len(data)} bytes> {data[:32].hex(' ')}"
                return f"{arrow} {payload.opcode}  {_preview(shown)}"
            case WsControl(kind_name=name, by=by, data=data):
                return paint(f"{safe(name)} by {by}  {data.hex(' ')}".rstrip(), "2")
            case WsClosed(code=code, reason=reason, by=by):
                return paint(f"closed by {by}: {code} {safe(reason)}".rstrip(), "1")
        return safe(event.kind)


def _describe_close(closed: StreamClosed) -> str:
    def seconds(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f} s"

    head = closed.reason if closed.reason in _SAID_REASONS else "closed"
    return (
        f"{head}: {closed.bytes} B, {closed.events} event{'' if closed.events == 1 else 's'} in {closed.duration:.3f} s "
        f"(first byte {seconds(closed.ttfb)}, first event {seconds(closed.ttfe)}, largest gap {seconds(closed.max_gap)})"
    )


def _preview(text: str) -> str:
    """At most PREVIEW_CHARS of `text` on one line, every control shown as its escape."""
    flat = safe_line(text[: PREVIEW_CHARS + 1])
    return flat if len(flat) <= PREVIEW_CHARS else flat[: PREVIEW_CHARS - 1] + "…"
