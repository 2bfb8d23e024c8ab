"""Exports of a response from the TUI: the Timeline as JSONL, a recording, HAR (one response or History).

Files go to `sluice-exports/` in the current directory, named after the request and the time, so an
export never overwrites anything; the caller tells the user the path. The JSONL lines are the events'
own `to_json()`, the definition of the `--jsonl` schema that `sluice run`'s fast writer is tested
against (that writer lives in `app/cli/`, which the UI may not import).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from textual.widget import Widget

from app.interop.har import save_har
from app.jsonl import event_line
from app.recording.format import save_recording
from app.terminal_text import json_line_safe, safe_line
from app.ui.response.session import ResponseSession

EXPORT_DIR = "sluice-exports"


class NothingToExport(Exception):
    """The response cannot be exported (nothing arrived yet, or it was not captured)."""


def export_path(title: str, suffix: str, directory: Path | None = None) -> Path:
    """A new file in the exports directory: `<request title>-<HHMMSS>[-n].<suffix>`."""
    folder = (directory or Path.cwd()) / EXPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", title).strip("-")[:60] or "response"
    stem = f"{stem}-{datetime.now():%H%M%S}"
    path = folder / f"{stem}.{suffix}"
    counter = 1
    while path.exists():
        counter += 1
        path = folder / f"{stem}-{counter}.{suffix}"
    return path


def timeline_jsonl(session: ResponseSession) -> bytes:
    """Every stored event of `session` as `--jsonl` lines."""
    store = session.store
    if not len(store):
        raise NothingToExport("nothing has arrived yet")
    # The `--jsonl` definition, credentials masked as there: an exported file gets shared.
    lines = [json_line_safe(event_line(event)) for event in store.events(0, len(store))]
    return ("\n".join(lines) + "\n").encode("utf-8")


def save_timeline(session: ResponseSession, directory: Path | None = None) -> Path:
    path = export_path(session.title, "jsonl", directory)
    path.write_bytes(timeline_jsonl(session))
    return path


def save_session_recording(session: ResponseSession, directory: Path | None = None) -> Path:
    capture = session.capture
    if capture is None or (capture.request is None and capture.ws_url is None):
        raise NothingToExport("this response was not captured")
    path = export_path(session.title, "recording.jsonl", directory)
    save_recording(capture, path)
    return path


def save_sessions_har(sessions: Iterable[ResponseSession], title: str, directory: Path | None = None) -> Path:
    captures = [session.capture for session in sessions if session.capture is not None]
    if not captures:
        raise NothingToExport("no captured response")
    path = export_path(title, "har", directory)
    save_har(captures, path)
    return path


def export_with_notice(widget: Widget, export: Callable[[], Path]) -> None:
    """Run one export and tell the user where it went, or why nothing was written."""
    try:
        path = export()
    except (NothingToExport, OSError) as error:
        widget.notify(f"Nothing exported: {safe_line(str(error))}", severity="warning")
        return
    widget.notify(f"Saved {safe_line(str(path))}")


def copy_all_events(widget: Widget, session: ResponseSession) -> None:
    """Put every event of `session`, as `--jsonl` lines, on the clipboard."""
    try:
        text = timeline_jsonl(session).decode("utf-8")
    except NothingToExport as error:
        widget.notify(f"Nothing copied: {error}", severity="warning")
        return
    widget.app.copy_to_clipboard(text)
    widget.notify(f"Copied {len(session.store):,} events as JSONL")
