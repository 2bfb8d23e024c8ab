"""`sluice run --merged`: the merged reply printed like a chat as it arrives.

Text goes to stdout fragment by fragment; reasoning to stderr (dim on a terminal); at the end, stderr
gets tool calls, errors, a mismatch, an "incomplete" warning and a one-line metrics summary. Only what is
new is written each batch (the engine hands over appended deltas), so output cost follows the stream.
"""

from __future__ import annotations

import io
import json
from typing import IO, Any

from app.events import TimelineEvent
from app.streams.merge import MergedReply, MergeEngine

DIM = "\x1b[2m"
RED = "\x1b[31m"
YELLOW = "\x1b[33m"
RESET = "\x1b[0m"


class _Output:
    """Writes `str` to a text or binary stream alike (the runner hands over `sys.stdout.buffer`)."""

    def __init__(self, stream: IO[Any]) -> None:
        self._stream = stream
        self._binary = not isinstance(stream, io.TextIOBase)

    def write(self, text: str) -> None:
        if text:
            self._stream.write(text.encode("utf-8") if self._binary else text)

    def flush(self) -> None:
        self._stream.flush()


class MergedPrinter:
    """A bus consumer: `feed(events)` per batch, `finish()` once at the end (returns the final reply)."""

    def __init__(
        self,
        stdout: IO[Any],
        stderr: IO[Any],
        color: bool = False,
        engine: MergeEngine | None = None,
    ) -> None:
        self.engine = engine if engine is not None else MergeEngine()
        self._out = _Output(stdout)
        self._err = _Output(stderr)
        self._color = color
        self._text_ends_with_newline = True
        self._reasoning_open = False

    def feed(self, events: list[TimelineEvent]) -> bool:
        """Merge the batch and print what the first choice gained; True if the reply changed."""
        changed = self.engine.feed(events)
        if changed:
            self._print_delta()
        return changed

    def finish(self) -> MergedReply:
        reply = self.engine.finish()
        self._print_delta()
        if not self._text_ends_with_newline:
            self._out.write("\n")
            self._text_ends_with_newline = True
        self._out.flush()
        self._close_reasoning()
        for line in summary_lines(reply, self.engine):
            self._err.write(self._paint(line) + "\n")
        self._err.write(self._dim(metrics_summary(self.engine.metrics.to_json())) + "\n")
        self._err.flush()
        return reply

    def _print_delta(self) -> None:
        delta = self.engine.take_delta()
        if delta.reasoning:
            if not self._reasoning_open:
                self._reasoning_open = True
                if self._color:
                    self._err.write(DIM)
            self._err.write(delta.reasoning)
            self._err.flush()
        if delta.restarted:
            # A snapshot rule rewrote earlier text: start a fresh line rather than pretend it was appended.
            self._out.write("\n" if not self._text_ends_with_newline else "")
        if delta.text:
            self._close_reasoning()
            self._out.write(delta.text)
            self._text_ends_with_newline = delta.text.endswith("\n")
            self._out.flush()

    def _close_reasoning(self) -> None:
        if self._reasoning_open:
            self._reasoning_open = False
            self._err.write((RESET if self._color else "") + "\n")
            self._err.flush()

    def _dim(self, text: str) -> str:
        return f"{DIM}{text}{RESET}" if self._color else text

    def _paint(self, line: str) -> str:
        if not self._color:
            return line
        colour = RED if line.startswith(("error", "mismatch")) else YELLOW
        return f"{colour}{line}{RESET}"


def summary_lines(reply: MergedReply, engine: MergeEngine) -> list[str]:
    """What the user must know after the text: tool calls, choices, errors, mismatch, incompleteness, notes.

    A transport failure is not repeated here: `sluice run` prints it on its own line."""
    lines = []
    for call in reply.tool_calls:
        arguments = json.dumps(call.arguments, ensure_ascii=False) if call.complete else call.arguments_text
        lines.append(f"tool call: {call.name or '?'}({arguments})" + (f" id={call.id}" if call.id else ""))
    if reply.choices:
        lines.append(f"note: the stream carried {len(reply.choices)} choices; the first is shown (see --jsonl)")
    lines.extend(f"error: {error}" for error in reply.errors)
    if reply.mismatch:
        lines.append(f"mismatch: {reply.mismatch}")
    # Without a format ("none") there is no terminal marker to miss: the close line tells how it ended.
    if reply.errors:
        lines.append("incomplete: the stream reported an error")
    elif not reply.complete and reply.profile != "none":
        lines.append(f"incomplete: the stream ended without {engine.terminal_marker} ({reply.profile} profile)")
    lines.extend(f"note: {note}" for note in reply.notes)
    return lines


def metrics_summary(metrics: dict[str, Any]) -> str:
    """One line: `ttfb 0.120s · first token 0.340s · total 1.52s · 120 fragments (80.1/s) · gaps …`."""
    parts = [f"ttfb {_seconds(metrics['ttfb'])}", f"first token {_seconds(metrics['ttft'])}", f"total {_seconds(metrics['duration'])}"]
    rate = metrics["fragments_per_second"]
    parts.append(f"{metrics['fragments']} fragments" + (f" ({rate:.1f}/s)" if rate is not None else ""))
    if metrics["gap_max"] is not None:
        parts.append(
            f"gap p50 {_seconds(metrics['gap_p50'])} p95 {_seconds(metrics['gap_p95'])} max {_seconds(metrics['gap_max'])}"
        )
    parts.append(f"{metrics['stalls']} stalls > {metrics['stall_threshold']:g}s")
    if metrics["tokens_per_second"] is not None:
        parts.append(f"{metrics['output_tokens']} tokens ({metrics['tokens_per_second']:.1f} tok/s)")
    return " · ".join(parts)


def _seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 1000:.0f}ms" if value < 1 else f"{value:.2f}s"
