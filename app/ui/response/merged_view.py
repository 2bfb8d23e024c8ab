"""The Merged tab: the reply the stream's fragments add up to, growing live.

Every choice of an `n > 1` stream is shown, stacked; an HTTP error status is named with its body; the
reason a reply is incomplete is given once the stream has ended (while it runs, it is simply not done).
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from app.store import event_text
from app.streams.stream_metrics import is_data
from app.terminal_text import safe_block, safe_line
from app.ui.response.session import ResponseSession

if TYPE_CHECKING:
    from app.streams.merge import MergedChoice, MergedReply, ToolCall

ERROR_BODY_CHARS = 4000
"""Enough of an error body to read it; the Body/Raw tab has it whole."""


class MergedView(VerticalScroll, can_focus=True):
    """Reasoning (dimmed, italic), text, tool calls and the reply's flags; stays at the end while it grows."""

    DEFAULT_CSS = """
    MergedView {
        background: $surface;
        padding: 0 1;
        & > #merged-content { width: 1fr; }
    }
    """

    BINDINGS = [
        Binding("c", "copy", "Copy reply", id="merged.copy"),
        Binding("j,down", "line(1)", "Down", show=False, id="merged.down"),
        Binding("k,up", "line(-1)", "Up", show=False, id="merged.up"),
        Binding("g,home", "top", "Top", show=False, id="merged.top"),
        Binding("G,end", "bottom", "Bottom · follow", id="merged.bottom"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.plain_text = ""
        """What the tab shows, as plain text (what `c` copies)."""

    def compose(self) -> ComposeResult:
        yield Static(Text("No reply yet.", style="dim"), id="merged-content")

    def show_session(self, session: ResponseSession) -> None:
        """Render the session's reply so far (with its HTTP error and incomplete reason, if any)."""
        parts = _reply_parts(session)
        self.plain_text = "\n".join(part.plain for part in parts)
        content = self.query_one("#merged-content", Static)
        at_end = self.is_vertical_scroll_end
        content.update(Group(*parts))
        if at_end:
            self.call_after_refresh(self.scroll_end, animate=False)

    def action_copy(self) -> None:
        if not self.plain_text:
            self.notify("Nothing merged yet", severity="warning", timeout=2)
            return
        self.app.copy_to_clipboard(self.plain_text)
        self.notify("Merged reply copied", timeout=2)

    def action_line(self, rows: int) -> None:
        self.scroll_relative(y=rows, animate=False, immediate=True)

    def action_top(self) -> None:
        self.scroll_home(animate=False, immediate=True)

    def action_bottom(self) -> None:
        self.scroll_end(animate=False, immediate=True)


def _flags(session: ResponseSession, reply: MergedReply) -> Text:
    flags: list[tuple[str, str]] = [(f"profile: {reply.profile}", "dim")]
    if reply.complete:
        flags.append(("complete", "green"))
    elif session.received_all:
        reason = session.incomplete_reason
        flags.append((f"incomplete: {reason}" if reason else "incomplete", "yellow"))
    else:
        flags.append(("streaming…", "cyan"))
    if reply.finish_reason:
        flags.append((f"finish: {reply.finish_reason}", "dim"))
    if len(reply.choices) > 1:
        flags.append((f"{len(reply.choices)} choices", "bold"))
    if reply.mismatch:
        flags.append((f"MISMATCH: {reply.mismatch}", "bold red"))
    behind = session.merging_behind
    if behind:
        flags.append((f"catching up: {behind:,} events to merge", "yellow"))
    header = Text()
    for label, style in flags:
        header.append(f"[{safe_line(label)}] ", style=style)
    return header


def _http_error(session: ResponseSession) -> list[Text]:
    """`HTTP 429 Too Many Requests` and the body that came with it."""
    response = session.response
    if response is None or response.status < 400:
        return []
    reason = response.reason
    if not reason:
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
    parts = [Text(safe_line(f"HTTP {response.status} {reason}".rstrip()), style="bold red")]
    if session.has_body:
        body = session.body()[: ERROR_BODY_CHARS * 4].decode("utf-8", errors="replace")
    else:
        store = session.store
        texts = []
        for index in range(min(len(store), 200)):
            payload = store.payload(index)
            if is_data(payload):
                texts.append(event_text(payload))
        body = "\n".join(texts)
    if body.strip():
        cut = len(body) > ERROR_BODY_CHARS
        parts.append(Text(safe_block(body[:ERROR_BODY_CHARS]) + ("\n… (Body/Raw has it all)" if cut else "")))
    parts.append(Text(""))
    return parts


def _tool_call(call: ToolCall) -> list[Text]:
    arguments = call.arguments if call.complete else call.arguments_text
    if not isinstance(arguments, str):
        arguments = json.dumps(arguments, indent=2, ensure_ascii=False)
    return [
        Text(safe_line(f"tool call {call.name or '?'} ({call.id or 'no id'})"), style="bold cyan"),
        Text(safe_block(arguments), style="cyan"),
    ]


def _answer(reasoning: str, text: str, tool_calls: tuple[ToolCall, ...]) -> list[Text]:
    parts: list[Text] = []
    if reasoning:
        parts.append(Text("reasoning", style="bold magenta"))
        parts.append(Text(safe_block(reasoning), style="italic magenta"))
        parts.append(Text("answer", style="bold"))
    parts.append(Text(safe_block(text)))
    for call in tool_calls:
        parts.extend(_tool_call(call))
    return parts


def _choice(choice: MergedChoice) -> list[Text]:
    finish = f" · finish: {choice.finish_reason}" if choice.finish_reason else ""
    heading = Text(safe_line(f"── choice {choice.index}{finish} "), style="bold")
    return [heading, *_answer(choice.reasoning, choice.text, choice.tool_calls), Text("")]


def _reply_parts(session: ResponseSession) -> list[Text]:
    """Flags, the HTTP error, errors, notes, then the answer (every choice when there are several), usage."""
    reply = session.reply
    parts: list[Text] = [_flags(session, reply)]
    http_error = _http_error(session)
    parts.extend(http_error)
    for error in reply.errors:
        if http_error and error.startswith(f"HTTP {session.http_status}"):
            continue  # the heading above already names it, with the whole body
        parts.append(Text(safe_line(f"error: {error}"), style="bold red"))
    for note in reply.notes:
        parts.append(Text(safe_line(f"note: {note}"), style="italic yellow"))
    if reply.transport_error:
        parts.append(Text(safe_line(f"connection: {reply.transport_error}"), style="bold red"))
    parts.extend(_script_lines(reply))
    if len(reply.choices) > 1:
        for choice in reply.choices:
            parts.extend(_choice(choice))
    else:
        parts.extend(_answer(reply.reasoning, reply.text, reply.tool_calls))
    if reply.usage:
        parts.append(Text(safe_line(f"usage: {json.dumps(reply.usage)}"), style="dim"))
    return parts


def _script_lines(reply: MergedReply) -> list[Text]:
    """Whether the merge script ran (and why not), and each problem it had with the event that caused it."""
    script = reply.script
    if script is None:
        return []
    lines = []
    if script.used:
        lines.append(Text(safe_line(f"merged by script {script.path}"), style="dim"))
    elif script.reason and script.reason not in script.problems:
        lines.append(Text(safe_line(f"script: {script.reason}"), style="bold yellow"))
    lines.extend(Text(safe_line(f"script problem: {problem}"), style="bold red") for problem in script.problems)
    if script.problem_count > len(script.problems):
        lines.append(Text(f"script problem: … and {script.problem_count - len(script.problems)} more", style="red"))
    return lines
