"""The Merged tab: the reply the stream's fragments add up to, growing live."""

from __future__ import annotations

import json

from rich.console import Group
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from app.streams.merge import MergedReply
from app.terminal_text import safe_block, safe_line


class MergedView(VerticalScroll, can_focus=True):
    """Reasoning (dimmed, italic), text, tool calls and the reply's flags; stays at the end while it grows."""

    DEFAULT_CSS = """
    MergedView {
        background: $surface;
        padding: 0 1;
        & > #merged-content { width: 1fr; }
    }
    """

    def compose(self):
        yield Static(Text("No reply yet.", style="dim"), id="merged-content")

    def show_reply(self, reply: MergedReply, behind: int = 0) -> None:
        """Render the reply so far; `behind` events have arrived but are not merged yet."""
        content = self.query_one("#merged-content", Static)
        at_end = self.is_vertical_scroll_end
        content.update(_reply_renderable(reply, behind))
        if at_end:
            self.call_after_refresh(self.scroll_end, animate=False)


def _reply_renderable(reply: MergedReply, behind: int) -> Group:
    """Flags, errors, notes, reasoning, text, tool calls and usage, top to bottom; all of it server text,
    shown through the sanitiser (one-line labels with `safe_line`, the reply itself with `safe_block`)."""
    parts: list[Text] = []
    flags: list[tuple[str, str]] = [(f"profile: {reply.profile}", "dim")]
    if reply.complete:
        flags.append(("complete", "green"))
    else:
        flags.append(("incomplete", "yellow"))
    if reply.finish_reason:
        flags.append((f"finish: {safe_line(reply.finish_reason)}", "dim"))
    if reply.mismatch:
        flags.append((f"MISMATCH: {safe_line(reply.mismatch)}", "bold red"))
    if behind:
        flags.append((f"catching up: {behind:,} events to merge", "yellow"))
    header = Text()
    for label, style in flags:
        header.append(f"[{label}] ", style=style)
    parts.append(header)
    for error in reply.errors:
        parts.append(Text(f"error: {safe_line(error)}", style="bold red"))
    for note in reply.notes:
        parts.append(Text(f"note: {safe_line(note)}", style="italic yellow"))
    if reply.transport_error:
        parts.append(Text(f"connection: {safe_line(reply.transport_error)}", style="bold red"))
    parts.extend(_script_lines(reply))
    if reply.reasoning:
        parts.append(Text("reasoning", style="bold magenta"))
        parts.append(Text(safe_block(reply.reasoning), style="italic magenta"))
        parts.append(Text("answer", style="bold"))
    parts.append(Text(safe_block(reply.text)))
    for call in reply.tool_calls:
        arguments = call.arguments if call.complete else call.arguments_text
        if not isinstance(arguments, str):
            arguments = json.dumps(arguments, indent=2, ensure_ascii=False)
        parts.append(Text(f"tool call {safe_line(call.name or '?')} ({safe_line(call.id or 'no id')})", style="bold cyan"))
        parts.append(Text(safe_block(arguments), style="cyan"))
    if reply.usage:
        parts.append(Text(f"usage: {safe_line(json.dumps(reply.usage))}", style="dim"))
    return Group(*parts)


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
