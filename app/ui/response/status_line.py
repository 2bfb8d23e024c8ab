"""The response pane's status line: a response's state, HTTP status, time, bytes, events and rate, its
checks, and what went wrong, cut to the line's width.

Imported by the pane with the first response it shows: the session and the event model behind it are not
needed by the first screen (whose status line says there is no response yet).
"""

from __future__ import annotations

from rich.text import Text

from app.figures import count_of, format_rate, format_seconds, format_size
from app.terminal_text import safe_line
from app.ui.response.session import ResponseSession, SessionState
from app.ws_events import WsClosed

_STATE_STYLES = {
    SessionState.CONNECTING: "bold yellow",
    SessionState.RECONNECTING: "bold yellow",
    SessionState.OPEN: "bold green",
    SessionState.CLOSED: "bold",
    SessionState.ERROR: "bold red",
    SessionState.CANCELLED: "bold magenta",
}

STATUS_DROP_ORDER = ("rate", "bytes", "elapsed", "reconnects", "assertions", "events")
"""What a narrow status line leaves out first, so the state, the counts and an error stay readable."""


def status_text(session: ResponseSession, width: int | None = None) -> Text:
    """`● open  200  1.23 s  4.5 MB received  12,345 events  10,034 ev/s` for the status line.

    Bytes and events are the metrics core's, so they are the close row's figures: data events, not
    every Timeline row. Given a `width` (cells), parts are left out in `STATUS_DROP_ORDER` until the
    line fits, so an error at its end is never the part that is cut."""
    parts: list[tuple[str, Text]] = [("state", Text(f"● {session.state.value}", style=_STATE_STYLES[session.state]))]
    status = session.http_status
    if status is not None:
        parts.append(("http", Text(f"  {status}", style="bold red" if status >= 400 else "bold green")))
    parts.append(("elapsed", Text(f"  {format_seconds(session.elapsed)}")))
    # Named: a bare `4.4 kB` beside a request that sent a body read as either way.
    parts.append(("bytes", Text(f"  {format_size(session.bytes_received)} received")))
    parts.append(("events", Text(f"  {count_of(session.data_events, 'event')}")))
    parts.append(("rate", Text(f"  {format_rate(session.events_per_second)} ev/s", style="dim")))
    if session.reconnects:
        parts.append(("reconnects", Text(f"  ↻ {count_of(session.reconnects, 'reconnect')}", style="yellow")))
    silence = session.silence
    if session.metrics.events.is_stall(silence):
        parts.append(("silence", Text(f"  silent {format_seconds(silence)}", style="bold yellow")))
    checker = session.assertions
    if checker is not None and len(checker):
        from app.assertions import Verdict

        failed = sum(result.verdict is Verdict.FAILED for result in checker.results)
        passed = sum(result.verdict is Verdict.PASSED for result in checker.results)
        verdicts = Text(f"  ✓{passed}", style="green")
        if failed:
            verdicts.append(f" ✗{failed} (6)", style="bold red")
        parts.append(("assertions", verdicts))
    if session.failure is not None:
        failure = session.failure
        # "connection_refused: connection refused by host:port" says it twice; the message alone is enough.
        named = failure.type.replace("_", " ") in failure.message.lower()
        error = safe_line(failure.message) if named else f"{safe_line(failure.type)}: {safe_line(failure.message)}"
        parts.append(("error", Text(f"  {error}", style="red")))
    elif session.ws_closed is not None and not _closed_cleanly(session.ws_closed):
        # A drop (1006) or an error code reads `● closed` like a clean end: say how (the reason is on the
        # Timeline's row; at 100 columns it pushed the code itself out of the line).
        parts.append(("error", Text(f"  {_close_code(session.ws_closed)}", style="red")))
    elif session.store.error_count:
        parts.append(("error", Text(f"  {count_of(session.store.error_count, 'error')} (e)", style="bold red")))
    elif session.reply.errors:
        parts.append(("error", Text(f"  stream error: {safe_line(session.reply.errors[0][:80])}", style="bold red")))
    if width is not None:
        for name in STATUS_DROP_ORDER:
            if sum(part.cell_len for _, part in parts) <= width:
                break
            parts = [(kept, part) for kept, part in parts if kept != name]
    # A cut shows as `…`, never as a word wrapped out of the one-line status.
    return Text(no_wrap=True, overflow="ellipsis").join(part for _, part in parts)


def _closed_cleanly(closed: WsClosed) -> bool:
    from app.run.outcome import CLEAN_CLOSE_CODES  # not at start-up: `app.run` brings the network layer

    return closed.code in CLEAN_CLOSE_CODES


def _close_code(closed: WsClosed) -> str:
    """`1006 (abnormal closure) by server`."""
    from app.run.outcome import CLOSE_CODE_NAMES

    name = CLOSE_CODE_NAMES.get(closed.code) if closed.code is not None else None
    return f"{closed.code}{f' ({name})' if name else ''} by {safe_line(closed.by)}"
