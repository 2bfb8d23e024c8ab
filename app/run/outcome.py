"""How a run ended, and the exit code and the one line of explanation that follow from it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from app.events import ConnectionFailed, StreamClosed
from app.run.extraction import ExtractionResult
from app.ws_events import WsClosed

CLEAN_CLOSE_CODES = frozenset({1000, 1001, 1005})
"""Normal closure, going away, and a close frame without a code: server closes a script need not worry about."""

CLEAN_CLOSE_REASONS = frozenset({"complete", "stopped"})
"""How an HTTP response may end for the run to succeed: read to its end, or ended by the run's own
until-condition or `--duration`. Not `cancelled` (a signal, Esc)."""

CLOSE_CODE_NAMES = {
    1000: "normal closure",
    1001: "going away",
    1002: "protocol error",
    1003: "unsupported data",
    1005: "no status code",
    1006: "abnormal closure",
    1007: "invalid payload data",
    1008: "policy violation",
    1009: "message too big",
    1010: "mandatory extension",
    1011: "internal error",
    1012: "service restart",
    1013: "try again later",
    1014: "bad gateway",
    1015: "TLS handshake failure",
}
"""RFC 6455 §7.4.1 and the IANA registry: the words said with a close code."""


class ExitCode(IntEnum):
    """The exit status of `sluice run` (and `sluice test`), as the README documents it."""

    OK = 0
    FAILED = 1
    USAGE = 2
    INTERRUPTED = 130


End = StreamClosed | WsClosed | ConnectionFailed
"""The terminal payload of a connection."""


@dataclass(frozen=True, slots=True)
class RunOutcome:
    """How one request's run ended.

    `end` is the last terminal event (None if the run was cancelled before the worker published one);
    `close_requested` says a WebSocket close by the client was asked for (the user's condition was met,
    or the user closed), so it is a clean end; `extraction` holds the values the `[[extract]]` rules found.
    """

    end: End | None
    cancelled: bool = False
    close_requested: bool = False
    extraction: ExtractionResult | None = None

    @property
    def clean(self) -> bool:
        """True when the run ended as it should: the response read to its end or stopped by the run's
        condition (`CLEAN_CLOSE_REASONS`), or a clean WebSocket close."""
        end = self.end
        if isinstance(end, StreamClosed):
            return end.reason in CLEAN_CLOSE_REASONS
        if isinstance(end, WsClosed):
            if end.by == "client":
                return self.close_requested
            return end.code in CLEAN_CLOSE_CODES
        return False

    @property
    def exit_code(self) -> ExitCode:
        if self.clean:
            return ExitCode.OK
        return ExitCode.INTERRUPTED if self.cancelled else ExitCode.FAILED

    @property
    def problem(self) -> str | None:
        """One plain line saying why the run did not end cleanly (for stderr, a toast), or None."""
        if self.clean:
            return None
        end = self.end
        if isinstance(end, ConnectionFailed):
            return f"{end.type.replace('_', ' ')}: {end.message}"
        if isinstance(end, WsClosed):
            code = f"{end.code} ({CLOSE_CODE_NAMES[end.code]})" if end.code in CLOSE_CODE_NAMES else str(end.code)
            reason = f": {end.reason}" if end.reason else ""
            who = "Sluice closed the connection" if end.by == "client" else "closed by server"
            return f"{who}: {code}{reason}"
        if isinstance(end, StreamClosed):
            return "cancelled" if end.reason == "cancelled" else f"stream ended: {end.reason}"
        return "cancelled" if self.cancelled else "the connection ended without a close"
