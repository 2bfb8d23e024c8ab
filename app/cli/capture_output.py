"""`sluice run --record FILE`, `--har FILE` and `--reconnect`: the flags, and what they add to a run.

Each request gets a `Capture` (a consumer plus the worker's chunk hook); when the run is over the
recordings and the HAR file are written. With several request files, `--record` names a directory
that gets one `<request file name>.jsonl` per request, and the HAR file holds one entry per request.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.request_flags import UsageError
from app.cli.stderr import report
from app.connections.interface import ChunkHook
from app.model.http_request import HttpRequest
from app.model.ws_request import WsRequest
from app.run import Consumer
from app.run.reconnect import DEFAULT_MAX_RECONNECTS, ReconnectPolicy

if TYPE_CHECKING:
    from app.recording.capture import Capture


def add_capture_flags(parser: argparse.ArgumentParser) -> None:
    """The record, export and resume flags of `sluice run`."""
    group = parser.add_argument_group("record, export, resume")
    group.add_argument("--record", type=Path, metavar="FILE", help="write a recording (JSONL) that `sluice mock` serves again")
    group.add_argument("--har", type=Path, metavar="FILE", help="write a HAR 1.2 file of the request and response")
    group.add_argument("--reveal", action="store_true", help="keep credentials in --record/--har files (masked by default)")
    group.add_argument("--reconnect", action="store_true", help="resume an SSE stream that ends or drops, with Last-Event-ID")
    group.add_argument(
        "--max-reconnects", type=int, metavar="N", help=f"at most N reconnections (default {DEFAULT_MAX_RECONNECTS}); implies --reconnect"
    )


def reconnect_from_args(args: argparse.Namespace, websocket: bool = False) -> ReconnectPolicy | None:
    """The policy `--reconnect`/`--max-reconnects` ask for, or None (a request file's own setting then applies)."""
    if not args.reconnect and args.max_reconnects is None:
        return None
    if websocket:
        raise UsageError("--reconnect resumes SSE streams; it is not for WebSocket requests")
    if args.max_reconnects is not None and args.max_reconnects < 0:
        raise UsageError(f"--max-reconnects must be 0 or more, got {args.max_reconnects}")
    return ReconnectPolicy(args.max_reconnects if args.max_reconnects is not None else DEFAULT_MAX_RECONNECTS).headless()


class CaptureOutput:
    """Captures for `--record` and `--har`; `attach()` per request, `finish()` once at the end."""

    def __init__(self, args: argparse.Namespace, several: bool = False) -> None:
        self._record: Path | None = args.record
        self._har: Path | None = args.har
        self._reveal: bool = args.reveal
        self._several = several
        self._captures: list[tuple[str, Capture]] = []
        self._written: bool | None = None
        if several and self._record is not None:
            self._record.mkdir(parents=True, exist_ok=True)

    def attach(self, request: HttpRequest | WsRequest, label: str = "") -> tuple[list[Consumer], ChunkHook | None]:
        """The consumers and the chunk hook to run `request` with (none when nothing is recorded)."""
        if self._record is None and self._har is None:
            return [], None
        from app.recording.capture import Capture  # only runs that record pay for the recorder's imports

        if isinstance(request, HttpRequest):
            capture = Capture(request.body)
        else:
            capture = Capture(headers=request.headers)
        self._captures.append((label, capture))
        return [capture], capture.on_chunk

    def finish(self) -> bool:
        """Write the recordings and the HAR file of every request run so far; False (each failure reported
        on stderr) when one could not be written. Only the first call writes."""
        if self._written is not None:
            return self._written
        self._written = True
        if self._record is not None:
            from app.recording.format import save_recording

            for label, capture in self._captures:
                path = self._record / f"{Path(label).stem}.jsonl" if self._several else self._record
                self._written &= _saved(partial(save_recording, capture, path, self._reveal), "recording", path)
        if self._har is not None:
            from app.interop.har import save_har

            captures = [capture for _, capture in self._captures]
            self._written &= _saved(partial(save_har, captures, self._har, self._reveal), "HAR file", self._har)
        return self._written


def _saved(save: Callable[[], None], what: str, path: Path) -> bool:
    try:
        save()
    except OSError as error:  # a missing folder, no permission, a full disk: named, not a traceback
        report(f"cannot write the {what} {path}: {error.strerror or error}")
        return False
    return True
