"""What a WebSocket run does once open: the messages it sends, in order, and when it stops by itself.

`sluice run ws://… --send … --until-count N` and a saved request's messages both become a `WsScript`;
the TUI's runs have an empty one (the user sends and closes). Everything is checked before connecting:
a message that does not match its format or an unparsable JSONPath is an `InvalidRun`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.connections.interface import StopCondition
from app.model.request_definition import SavedMessage
from app.streams.json_payload import parse_json
from app.streams.ws_formats import WsFormatError, encode_message

if TYPE_CHECKING:
    from jsonpath_ng import JSONPath


class InvalidRun(ValueError):
    """The run cannot start as asked (a bad message, condition or option); nothing was sent."""


@dataclass(frozen=True, slots=True)
class WsScript:
    """Sends made in order after the handshake, and the condition that ends the run (at most one)."""

    sends: tuple[SavedMessage, ...] = ()
    send_interval: float = 0.0
    until_count: int | None = None
    """Close (1000) right after this many received messages."""
    until_jsonpath: str | None = None
    """Close right after the first received JSON message this expression finds anything in."""
    duration: float | None = None
    """Close this many seconds after the handshake."""

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

    def stop_condition(self) -> StopCondition | None:
        """A fresh condition over received messages that finds the one that ends the run, or None."""
        conditions = [self.until_count is not None, self.until_jsonpath is not None, self.duration is not None]
        if sum(conditions) > 1:
            raise InvalidRun("choose one of --until-count, --until-jsonpath and --duration")
        if self.duration is not None and self.duration <= 0:
            raise InvalidRun(f"--duration must be positive, got {self.duration}")
        if self.until_count is not None:
            return _count_reached(self.until_count)
        if self.until_jsonpath is not None:
            return _jsonpath_matcher(compile_jsonpath(self.until_jsonpath))
        return None

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


def _count_reached(count: int) -> StopCondition:
    if count < 1:
        raise InvalidRun(f"--until-count must be at least 1, got {count}")
    received = 0

    def reached(datas: Sequence[str | bytes]) -> int | None:
        nonlocal received
        index = max(count - 1 - received, 0)  # past the count, every message ends the run
        received += len(datas)
        return index if index < len(datas) else None

    return reached


def _jsonpath_matcher(expression: JSONPath) -> StopCondition:
    """A message matches when the expression finds anything in it. A filter such as
    `$[?(@.type == "done")]` only looks inside arrays, so an object message is also tried as `[message]`:
    that is what someone filtering messages means."""

    def matches(data: str | bytes) -> bool:
        try:
            value: Any = parse_json(data)
        except ValueError:
            return False
        if expression.find(value):
            return True
        return isinstance(value, dict) and bool(expression.find([value]))

    def first_match(datas: Sequence[str | bytes]) -> int | None:
        return next((index for index, data in enumerate(datas) if matches(data)), None)

    return first_match
