"""What a run does by itself: the messages a WebSocket sends, in order, and when any stream stops.

`sluice run ws://… --send … --until-count N` and a saved request's messages both become a `WsScript`;
over HTTP only its stop condition is used (`--until-count`, `--until-jsonpath`, `--duration`: one
vocabulary, `app.connections.stream_stop`). The TUI's runs have an empty one (the user sends and closes).
Everything is checked before connecting: a message that does not match its format or an unparsable
JSONPath is an `InvalidRun`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.connections.interface import StopCondition
from app.streams.ws_formats import WsFormatError, encode_message

if TYPE_CHECKING:
    from jsonpath_ng import JSONPath

    from app.connections.stream_stop import StreamStop
    from app.model.request_definition import SavedMessage


class InvalidRun(ValueError):
    """The run cannot start as asked (a bad message, condition or option); nothing was sent."""


@dataclass(frozen=True, slots=True)
class WsScript:
    """Sends made in order after the handshake (WebSocket only), and the condition that ends the run (at
    most one; any stream)."""

    sends: tuple[SavedMessage, ...] = ()
    send_interval: float = 0.0
    until_count: int | None = None
    """Close (1000; HTTP: `stopped`) right after this many received messages (`app.connections.stream_stop`)."""
    until_jsonpath: str | None = None
    """Close right after the first received JSON message this expression finds anything in."""
    duration: float | None = None
    """Close this many seconds after the handshake (HTTP: the first response head)."""

    def payloads(self) -> list[str | bytes]:
        """Every message's frame payload; a bad one is an `InvalidRun` naming it."""
        payloads: list[str | bytes] = []
        for position, outgoing in enumerate(self.sends, start=1):
            try:
                payloads.append(encode_message(outgoing.content, outgoing.format))
            except WsFormatError as error:
                label = outgoing.name or f"message {position} ({outgoing.format})"
                raise InvalidRun(f"{label}: {error}") from None
        return payloads

    def stream_stop(self) -> StreamStop | None:
        """The count or JSONPath condition that ends the run (over HTTP as over WebSocket), or None;
        an `InvalidRun` when the conditions cannot be used (several, a count below 1, a bad JSONPath)."""
        conditions = [self.until_count is not None, self.until_jsonpath is not None, self.duration is not None]
        if sum(conditions) > 1:
            raise InvalidRun("choose one of --until-count, --until-jsonpath and --duration")
        if self.duration is not None and not (math.isfinite(self.duration) and self.duration > 0):
            raise InvalidRun(f"--duration must be positive, got {self.duration}")
        count, expression = self.until_count, self.until_jsonpath
        if count is None and expression is None:
            return None
        # Imported by the runs that have a condition: its dataclasses cost a plain `sluice run` about 7 M
        # instructions at start-up (callgrind), for nothing.
        from app.connections.stream_stop import StreamStop

        if count is not None:
            if count < 1:
                raise InvalidRun(f"--until-count must be at least 1, got {count}")
            return StreamStop(count=count)
        assert expression is not None
        return StreamStop(jsonpath=compile_jsonpath(expression))

    def stop_condition(self) -> StopCondition | None:
        """A fresh WebSocket condition over received messages that finds the one that ends the run, or None."""
        stop = self.stream_stop()
        return None if stop is None else stop.condition()

    def check(self) -> None:
        """Raise `InvalidRun` for anything that would fail later; nothing connects before this passed."""
        self.payloads()
        self.stop_condition()


def compile_jsonpath(expression: str) -> JSONPath:
    """An `--until-jsonpath` expression, or an `InvalidRun` saying why it does not parse."""
    from app.user_jsonpath import parse_jsonpath  # imported only by runs that use a JSONPath
    from app.user_regex import PatternError

    try:
        return parse_jsonpath(expression)
    except PatternError as error:
        raise InvalidRun(f"--until-jsonpath {expression!r} is not a JSONPath expression: {error}") from None
