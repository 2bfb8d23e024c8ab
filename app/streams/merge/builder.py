"""The mutable side of a merge: profiles append fragments here, the engine snapshots a `MergedReply`.

Text is kept as a list of fragments and joined only when a snapshot is asked for, so a 200,000-fragment
stream costs one append per fragment. `changes` counts every mutation, which lets the engine tell a UI
"redraw" only when something really changed, and `fragments` counts text/reasoning fragments for metrics.
"""

from __future__ import annotations

from typing import Any

from app.streams.merge.reply import MergedChoice, MergedReply, ReplyDelta, ScriptReport
from app.streams.merge.think import ThinkSplitter
from app.streams.merge.tool_call_builder import ToolCallBuilder

REFUSAL_NOTE = "the model refused: the reply's text is its refusal (sent as `refusal`, not `content`)"

REASONING_BREAK = "\n\n"
"""Between two parts of the reasoning (`ReplyBuilder.separate_reasoning`)."""

COMPACT_RUN = 1024
"""Fragments joined into one string at a time (`ChoiceBuilder.compact`)."""


def _compact(parts: list[str], start: int, taken: int) -> tuple[int, int]:
    """Join `parts[start:]` in place, never across `taken` (what `take_delta` already handed out); return
    the new (compacted, taken) indexes."""
    if start < taken < len(parts):
        parts[start:] = ["".join(parts[start:taken]), "".join(parts[taken:])]
        return start + 2, start + 1
    all_taken = taken >= len(parts)
    parts[start:] = ["".join(parts[start:])]
    return start + 1, start + 1 if all_taken else taken


class ChoiceBuilder:
    """Text, reasoning, tool calls and finish reason of one choice."""

    __slots__ = (
        "_reasoning_compacted",
        "_reasoning_taken",
        "_restarted",
        "_splitter",
        "_text_compacted",
        "_text_taken",
        "finish_reason",
        "index",
        "reasoning_parts",
        "text_parts",
        "tool_calls",
    )

    def __init__(self, index: int, split_think: bool) -> None:
        self.index = index
        self.text_parts: list[str] = []
        self.reasoning_parts: list[str] = []
        self.tool_calls: dict[Any, ToolCallBuilder] = {}
        self.finish_reason: str | None = None
        self._splitter = ThinkSplitter() if split_think else None
        self._text_taken = 0
        self._reasoning_taken = 0
        self._text_compacted = 0
        self._reasoning_compacted = 0
        self._restarted = False

    @property
    def text(self) -> str:
        parts = self.text_parts
        if len(parts) > 1:
            return "".join(parts)
        return parts[0] if parts else ""

    @property
    def reasoning(self) -> str:
        return "".join(self.reasoning_parts)

    def add_text(self, fragment: str) -> None:
        if self._splitter is None:
            self.text_parts.append(fragment)
            return
        for is_reasoning, piece in self._splitter.split(fragment):
            (self.reasoning_parts if is_reasoning else self.text_parts).append(piece)

    def replace_text(self, text: str) -> None:
        current = self.text
        if text.startswith(current):
            if len(text) > len(current):
                self.text_parts.append(text[len(current) :])
            return
        self.text_parts = [text]
        self._text_taken = 0
        self._text_compacted = 0
        self._restarted = True

    def compact(self) -> None:
        """Join runs of fragments into one string each, so that a long reply costs its text rather than an
        object per fragment (2,000,000 fragments: ~150 MB as separate strings)."""
        if len(self.text_parts) - self._text_compacted >= COMPACT_RUN:
            self._text_compacted, self._text_taken = _compact(self.text_parts, self._text_compacted, self._text_taken)
        if len(self.reasoning_parts) - self._reasoning_compacted >= COMPACT_RUN:
            self._reasoning_compacted, self._reasoning_taken = _compact(
                self.reasoning_parts, self._reasoning_compacted, self._reasoning_taken
            )

    def flush(self) -> None:
        if self._splitter is not None:
            for is_reasoning, piece in self._splitter.flush():
                (self.reasoning_parts if is_reasoning else self.text_parts).append(piece)

    def take_delta(self) -> ReplyDelta:
        text = "".join(self.text_parts[self._text_taken :])
        reasoning = "".join(self.reasoning_parts[self._reasoning_taken :])
        restarted = self._restarted
        self._text_taken = len(self.text_parts)
        self._reasoning_taken = len(self.reasoning_parts)
        self._restarted = False
        return ReplyDelta(text, reasoning, restarted)

    def snapshot(self, text: str | None = None) -> MergedChoice:
        """The choice as it stands; with `text`, that in place of its own (left unjoined)."""
        # Joined in place first, so the snapshot's text is the builder's one string rather than a second
        # copy of a reply that can be tens of MB (never across what `take_delta` handed out).
        if text is None and len(self.text_parts) > 2:
            self._text_compacted, self._text_taken = _compact(self.text_parts, 0, self._text_taken)
        calls = tuple(call.snapshot() for call in self.tool_calls.values())
        return MergedChoice(self.index, self.text if text is None else text, self.reasoning, calls, self.finish_reason)


class ReplyBuilder:
    """Everything a profile can record while it reads a stream."""

    def __init__(self, profile: str, split_think: bool = False) -> None:
        self.profile = profile
        self.split_think = split_think
        self.first = ChoiceBuilder(0, split_think)
        self.choices: dict[int, ChoiceBuilder] = {0: self.first}
        self.usage: dict[str, Any] = {}
        self.output_tokens: int | None = None
        self.errors: list[str] = []
        self.transport_error: str | None = None
        self.script: ScriptReport | None = None
        """Set (replaced, never mutated) by the engine when the request names a merge script."""
        self.notes: list[str] = []
        self._note_at: dict[Any, int] = {}
        """Where each keyed note (`set_note`) stands in `notes`."""
        self.complete = False
        self.mismatch: str | None = None
        self.changes = 0
        self.fragments = 0

    def compact(self) -> None:
        """Join the fragments gathered so far into fewer strings (the engine does it once per batch)."""
        for choice in self.choices.values():
            choice.compact()

    def choice(self, index: Any) -> ChoiceBuilder:
        """The choice with this index (created on first use; a missing/odd index means the first)."""
        if index == 0 or not isinstance(index, int):
            return self.first
        choice = self.choices.get(index)
        if choice is None:
            choice = self.choices[index] = ChoiceBuilder(index, self.split_think)
        return choice

    def add_text(self, fragment: Any, index: Any = 0) -> None:
        if fragment and isinstance(fragment, str):
            self.choice(index).add_text(fragment)
            self.fragments += 1
            self.changes += 1

    def add_texts(self, fragments: list[str]) -> int:
        """Text fragments of the first choice, in order, each as `add_text` takes it (an empty one adds
        nothing): the profiles' hot paths hand over a chunk's plain fragments at once. Returns how many
        were added."""
        fragments = list(filter(None, fragments))
        first = self.first
        if self.split_think:
            for fragment in fragments:
                first.add_text(fragment)
        else:
            first.text_parts.extend(fragments)
        self.fragments += len(fragments)
        self.changes += len(fragments)
        return len(fragments)

    def add_refusal(self, fragment: Any, index: Any = 0) -> None:
        """A refusal fragment (OpenAI's `refusal`, sent instead of `content`): the model's answer to the user,
        so it is the reply's text, with a note saying the reply is a refusal."""
        if fragment and isinstance(fragment, str):
            self.add_text(fragment, index)
            self.note(REFUSAL_NOTE)

    def add_reasoning(self, fragment: Any, index: Any = 0) -> None:
        if fragment and isinstance(fragment, str):
            self.choice(index).reasoning_parts.append(fragment)
            self.fragments += 1
            self.changes += 1

    def separate_reasoning(self, index: Any = 0) -> None:
        """The reasoning that follows is a new part (a Responses summary part, another Anthropic thinking
        block): a blank line keeps it from running into the last one, as the SDKs keep parts apart."""
        parts = self.choice(index).reasoning_parts
        if parts and not parts[-1].endswith(REASONING_BREAK):
            parts.append(REASONING_BREAK)
            self.changes += 1

    def replace_text(self, text: str, index: Any = 0) -> None:
        """Snapshot semantics: the value is the whole text so far."""
        choice = self.choice(index)
        if text != choice.text:
            choice.replace_text(text)
            self.fragments += 1
            self.changes += 1

    def tool_call(self, key: Any, index: Any = 0, call_id: Any = None, name: Any = None) -> ToolCallBuilder:
        """The tool call under `key` (an index or id), created on first use; fills id/name when given."""
        calls = self.choice(index).tool_calls
        call = calls.get(key)
        if call is None:
            call = calls[key] = ToolCallBuilder(None, None)
        if call_id and isinstance(call_id, str):
            call.id = call_id
        if name and isinstance(name, str):
            call.name = name
        self.changes += 1
        return call

    def close_tool_call(self, key: Any, index: Any = 0) -> None:
        call = self.choice(index).tool_calls.get(key)
        if call is not None and not call.closed:
            call.close()
            if call.error:
                self.note(call.error)
            self.changes += 1

    def close_tool_calls(self, index: Any = None) -> None:
        choices = self.choices.values() if index is None else (self.choice(index),)
        for choice in choices:
            for call in choice.tool_calls.values():
                if not call.closed:
                    call.close()
                    if call.error:
                        self.note(call.error)
                    self.changes += 1

    def set_finish_reason(self, reason: Any, index: Any = 0) -> None:
        if reason is not None:
            self.choice(index).finish_reason = str(reason)
            self.changes += 1

    def update_usage(self, usage: Any, output_tokens: Any = None) -> None:
        if isinstance(usage, dict) and usage:
            # Later usage objects repeat cumulative counts; a null one means "not reported here" (Anthropic's
            # `message_delta` sends `input_tokens: null` on tool turns), never "zero": it keeps a count already had.
            known = self.usage
            known.update({key: value for key, value in usage.items() if value is not None or key not in known})
            self.changes += 1
        if isinstance(output_tokens, int) and not isinstance(output_tokens, bool):
            self.output_tokens = output_tokens

    def error(self, message: str) -> None:
        """An error that arrived inside the stream (it makes the reply incomplete)."""
        self.errors.append(message)
        self.changes += 1

    def fail_transport(self, message: str) -> None:
        """The connection itself failed (refused, TLS, timeout, dropped mid-stream): kept apart from `errors`."""
        self.transport_error = message
        self.changes += 1

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)
            self.changes += 1

    def set_note(self, key: Any, message: str) -> None:
        """A note that tells how one thing stands (a spoken reply's audio so far): it replaces what the note
        under `key` said before, where `note` would add one note per state."""
        at = self._note_at.get(key)
        if at is None:
            self._note_at[key] = len(self.notes)
            self.notes.append(message)
            self.changes += 1
        elif self.notes[at] != message:
            self.notes[at] = message
            self.changes += 1

    def mark_complete(self) -> None:
        if not self.complete:
            self.complete = True
            self.changes += 1

    def check_final_text(self, final: Any, index: Any = 0) -> None:
        """A full message arrived at the end: adopt it if nothing streamed, else flag any difference."""
        if not isinstance(final, str):
            return
        choice = self.choice(index)
        merged = choice.text
        if not choice.text_parts:
            if final:
                choice.add_text(final)
                self.fragments += 1
                self.changes += 1
            return
        if merged != final:
            self.mismatch = describe_mismatch(merged, final)
            self.changes += 1

    def flush(self) -> None:
        for choice in self.choices.values():
            choice.flush()
        self.changes += 1

    def snapshot(self, first_text: str | None = None) -> MergedReply:
        """The reply as it stands; with `first_text`, that in place of the first choice's text."""
        ordered = [self.choices[key].snapshot(first_text if key == 0 else None) for key in sorted(self.choices)]
        several = [choice for choice in ordered if choice.text or choice.reasoning or choice.tool_calls]
        first = ordered[0]
        if not (first.text or first.reasoning or first.tool_calls) and several:
            first = several[0]
        return MergedReply(
            profile=self.profile,
            text=first.text,
            reasoning=first.reasoning,
            tool_calls=first.tool_calls,
            finish_reason=first.finish_reason,
            usage=dict(self.usage),
            errors=tuple(self.errors),
            # An error inside the stream means the reply is not whole, whatever marker followed it.
            complete=self.complete and not self.errors,
            mismatch=self.mismatch,
            choices=tuple(ordered) if len(ordered) > 1 else (),
            notes=tuple(self.notes),
            transport_error=self.transport_error,
            script=self.script,
        )


def describe_mismatch(merged: str, final: str) -> str:
    """Say where the merged fragments and the final message part ways, with a little context."""
    limit = min(len(merged), len(final))
    at = next((i for i in range(limit) if merged[i] != final[i]), limit)
    start = max(0, at - 20)
    return (
        f"final message differs from the merged fragments at character {at} "
        f"(merged {len(merged)} chars: …{merged[start:at + 20]!r}; final {len(final)} chars: …{final[start:at + 20]!r})"
    )
