"""`sluice run --merged`: the merged reply printed like a chat as it arrives.

Text goes to stdout fragment by fragment; reasoning to stderr (dim on a terminal); at the end, stderr
gets tool calls, errors, a mismatch, an "incomplete" warning and a one-line metrics summary. Only what is
new is written each batch (the engine hands over appended deltas), so output cost follows the stream.

The reply is the server's text. On a terminal it goes through `safe_block` (newlines and tabs kept, every
other control shown as an escape) so that it cannot drive the terminal; into a pipe or a file it is
written exactly as merged, since a program reading it wants the real bytes. Summary lines on stderr are
always one sanitised line each.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import IO, Any

from app.event_runs import BusItem
from app.streams.merge import MergedReply, MergeEngine
from app.terminal_text import safe_block, safe_line

DIM = "\x1b[2m"
RED = "\x1b[31m"
YELLOW = "\x1b[33m"
RESET = "\x1b[0m"


class _Output:
    """Writes `str` to a text or binary stream alike (the runner hands over `sys.stdout.buffer`).

    `text()` is for the server's words: sanitised when the stream is a terminal, exact otherwise. A
    carriage return that ends one delta is held back until the next shows whether a newline follows it
    (a CRLF split across two deltas is layout, a lone CR would overwrite the line)."""

    def __init__(self, stream: IO[Any], terminal: bool) -> None:
        self._stream = stream
        self._binary = not isinstance(stream, io.TextIOBase)
        self._terminal = terminal
        self._held_cr = False

    def write(self, text: str) -> None:
        if text:
            self._stream.write(text.encode("utf-8", "replace") if self._binary else text)

    def text(self, text: str) -> None:
        if not self._terminal:
            self.write(text)
            return
        if self._held_cr:
            text = "\r" + text
            self._held_cr = False
        if text.endswith("\r"):
            text = text[:-1]
            self._held_cr = True
        self.write(safe_block(text))

    def end_text(self) -> None:
        """The text is over: a carriage return still held back was a lone one."""
        if self._held_cr:
            self._held_cr = False
            self.write(safe_block("\r"))

    def flush(self) -> None:
        self._stream.flush()


class MergedPrinter:
    """A bus consumer: `feed(events)` per batch (runs of events too), `finish()` once at the end (returns the final reply)."""

    def __init__(
        self,
        stdout: IO[Any],
        stderr: IO[Any],
        color: bool = False,
        engine: MergeEngine | None = None,
        terminal: bool | None = None,
    ) -> None:
        """`terminal`: whether stdout and stderr are terminals (sanitise the text); by default each stream
        is asked with `isatty()`."""
        self.engine = engine if engine is not None else MergeEngine()
        self._out = _Output(stdout, _is_terminal(stdout) if terminal is None else terminal)
        self._err = _Output(stderr, _is_terminal(stderr) if terminal is None else terminal)
        self._color = color
        self._text_ends_with_newline = True
        self._reasoning_open = False

    def feed(self, events: Sequence[BusItem]) -> bool:
        """Merge the batch (events, runs: `app.event_runs`) and print what the first choice gained; True if
        the reply changed."""
        changed = self.engine.feed(events)
        if changed:
            self._print_delta()
        return changed

    def finish(self) -> MergedReply:
        reply = self.engine.finish()
        self._print_delta()
        self._out.end_text()
        if not self._text_ends_with_newline:
            self._out.write("\n")
            self._text_ends_with_newline = True
        self._out.flush()
        self._close_reasoning()
        for line in summary_lines(reply, self.engine):
            self._err.write(self._paint(safe_line(line)) + "\n")
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
            self._err.text(delta.reasoning)
            self._err.flush()
        if delta.restarted:
            # A snapshot rule rewrote earlier text: start a fresh line rather than pretend it was appended.
            self._out.write("\n" if not self._text_ends_with_newline else "")
        if delta.text:
            self._close_reasoning()
            self._out.text(delta.text)
            self._text_ends_with_newline = delta.text.endswith("\n")
            self._out.flush()

    def _close_reasoning(self) -> None:
        if self._reasoning_open:
            self._reasoning_open = False
            self._err.end_text()
            self._err.write((RESET if self._color else "") + "\n")
            self._err.flush()

    def _dim(self, text: str) -> str:
        return f"{DIM}{text}{RESET}" if self._color else text

    def _paint(self, line: str) -> str:
        if not self._color:
            return line
        colour = RED if line.startswith(("error", "mismatch")) else YELLOW
        return f"{colour}{line}{RESET}"


def _is_terminal(stream: IO[Any]) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


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
    script = reply.script
    if script is not None:
        if not script.used and script.reason and script.reason not in script.problems:
            lines.append(f"script: {script.reason}")
        lines.extend(f"script problem: {problem}" for problem in script.problems)
        if script.problem_count > len(script.problems):
            lines.append(f"script problem: … and {script.problem_count - len(script.problems)} more")
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
