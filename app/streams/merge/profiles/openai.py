"""OpenAI Chat Completions streaming, and the many servers that copy it.

`choices[].delta.content` text (or a `refusal`, shown as the text), reasoning under any of the compatible
aliases (`reasoning_content` from DeepSeek/vLLM, `reasoning` from OpenRouter/Ollama,
`reasoning_details[].text`), `tool_calls` fragments keyed by `index`, `finish_reason`, a final usage chunk
with `choices: []`, and `data: [DONE]` (not JSON).
Content given as a list of chunks (Mistral: `text` and `thinking` chunks) is read too, and so is a spoken
reply (`delta.audio`: its transcript is the text, its audio only measured) and the legacy completions'
`choices[].text` (`/v1/completions`: OpenAI, vLLM, llama.cpp).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import repeat
from operator import getitem, itemgetter
from typing import Any

from orjson import loads as _fast_loads

from app.streams.json_payload import parse_json
from app.streams.merge.profile import MergeProfile, base64_size, stream_error

_SIMPLE_STRING_TEXT = r'"([^"\\\x00-\x1f]*)"'
_SIMPLE_STRING = re.compile(_SIMPLE_STRING_TEXT)
"""A JSON string literal without escapes: its text is what lies between the quotes (group 1)."""
_TEXT_OF = itemgetter(1)
_PROBE = "\u2063sluice probe\u2063"
_TEMPLATE_TRIES = 3


class OpenAiProfile(MergeProfile):
    """Chat Completions chunks (`chat.completion.chunk`)."""

    name = "openai"
    terminal_marker = "data: [DONE]"

    def __init__(self, reply: Any) -> None:
        super().__init__(reply)
        self._template: tuple[str, str, slice, int] | None = None
        """(prefix with the opening quote, suffix with the closing one, the slice between them, their
        lengths added): a plain content chunk of this stream is `prefix + "text" + suffix`."""
        self._shaped: Callable[[str], re.Match[str] | None] | None = None
        """The template as one pattern: a full match is a plain content chunk, its group 1 the text."""
        self._template_tries = _TEMPLATE_TRIES
        self._audio: dict[Any, _Audio] = {}
        """Each choice's spoken audio so far (`delta.audio`), measured rather than kept."""

    def on_data(self, event: str, data: str) -> None:
        # The hottest path: a stream repeats one chunk shape (same id, model, fingerprint) around each
        # fragment. Once a chunk has shown that shape, a chunk with the same text around a string literal
        # without escapes is that shape with that text: no JSON decode at all.
        shaped = self._shaped
        if shaped is not None:
            match = shaped(data)
            if match is not None:
                text = match[1]
                if text:
                    reply = self.reply
                    reply.first.text_parts.append(text)
                    reply.fragments += 1
                    reply.changes += 1
                return
        # Then one JSON decode per chunk, direct dict access, and a plain `{"content": "..."}` delta of
        # the first choice appended without any further lookups.
        try:
            value = _fast_loads(data)
        except ValueError:  # `[DONE]`, or what only the standard library reads (`parse_json`)
            value = self._decode_slowly(event, data)
            if value is None:
                return
        if type(value) is not dict:
            return
        choices = value.get("choices")
        if choices and type(choices) is list:
            reply = self.reply
            for choice in choices:
                if type(choice) is not dict:
                    continue
                delta = choice.get("delta")
                if (
                    type(delta) is dict
                    and len(delta) == 1
                    and choice.get("finish_reason") is None
                    and choice.get("index", 0) == 0
                    and not reply.split_think
                ):
                    content = delta.get("content")
                    if content and type(content) is str:
                        reply.first.text_parts.append(content)
                        reply.fragments += 1
                        reply.changes += 1
                        if self._template_tries and len(choices) == 1:
                            self._learn_template(data, value, content)
                        continue
                self._read_choice(choice)
        elif value.get("object") == "error":
            # Mistral's in-stream error is a top-level error object, without choices.
            self._read_usage_and_error(value)
            return
        if value.get("usage") or value.get("error"):
            self._read_usage_and_error(value)

    def on_messages(self, events: list[str], datas: list[str]) -> int:
        # The template path of `on_data` for a chunk's messages at once: when every one has the stream's
        # shape (the usual chunk), matching and taking the texts run in `map`, with no Python step each.
        shaped = self._shaped
        if shaped is None:
            return super().on_messages(events, datas)
        assert self._template is not None
        opening, closing, between, around = self._template
        if (
            datas
            and min(map(len, datas)) >= around
            and all(map(str.startswith, datas, repeat(opening)))
            and all(map(str.endswith, datas, repeat(closing)))
        ):
            # The texts between the template's quotes are the fragments if none holds a quote, an escape
            # or a control character (what the pattern's string literal allows), tested on them all at
            # once: a pattern match per message cost more than the rest of its way.
            texts: list[str] = list(map(getitem, datas, repeat(between)))
            joined = "".join(texts)
            if joined.isprintable() and '"' not in joined and "\\" not in joined:
                return self.reply.add_texts(texts)
        matches: list[Any] = list(map(shaped, datas))
        if all(matches):
            return self.reply.add_texts(list(map(_TEXT_OF, matches)))
        return super().on_messages(events, datas)

    def _learn_template(self, data: str, value: dict[str, Any], content: str) -> None:
        """Take `data`'s shape as the template if putting other text in place of `content` is proved, by
        decoding a probe, to change nothing else (and the shape has no usage or error to read)."""
        self._template_tries -= 1
        literal = f'"{content}"'
        at = data.rfind(literal)
        if at < 0 or not _SIMPLE_STRING.fullmatch(literal) or value.get("usage") or value.get("error"):
            return
        prefix, suffix = data[:at], data[at + len(literal) :]
        try:
            probe = _fast_loads(f'{prefix}"{_PROBE}"{suffix}')
            expected = _fast_loads(data)
        except ValueError:
            return
        expected["choices"][0]["delta"]["content"] = _PROBE
        if probe == expected:
            self._template = (f'{prefix}"', f'"{suffix}', slice(len(prefix) + 1, -len(suffix) - 1), len(prefix) + len(suffix) + 2)
            self._shaped = re.compile(re.escape(prefix) + _SIMPLE_STRING_TEXT + re.escape(suffix)).fullmatch
            self._template_tries = 0

    def _decode_slowly(self, event: str, data: str) -> Any:
        """`[DONE]`, or not JSON at all."""
        stripped = data.strip()
        if stripped == "[DONE]":
            self.reply.mark_complete()
            return None
        try:
            return parse_json(stripped)
        except ValueError:
            self.on_non_json(event, data)
            return None

    def on_value(self, event: str, value: Any) -> None:
        if type(value) is not dict:
            return
        choices = value.get("choices")
        if choices and type(choices) is list:
            for choice in choices:
                if type(choice) is dict:
                    self._read_choice(choice)
        self._read_usage_and_error(value)

    def _read_usage_and_error(self, value: dict[str, Any]) -> None:
        usage = value.get("usage")
        if usage and type(usage) is dict:
            timings = value.get("timings")
            if timings and type(timings) is dict:
                # llama.cpp sends its timings beside the usage: kept with it, as its `/completion` reading does.
                usage = {**usage, "timings": timings}
            self.reply.update_usage(usage, usage.get("completion_tokens"))
        error = stream_error(value)
        if error is not None:
            self.reply.error(error)

    def _read_choice(self, choice: dict[str, Any]) -> None:
        reply = self.reply
        index = choice.get("index", 0)
        delta = choice.get("delta") or choice.get("message")
        if type(delta) is dict:
            content = delta.get("content")
            if content:
                if type(content) is str:
                    reply.add_text(content, index)
                else:
                    self._read_content_chunks(content, index)
            refusal = delta.get("refusal")
            if refusal:
                reply.add_refusal(refusal, index)
            reasoning = delta.get("reasoning_content") or delta.get("reasoning")
            if reasoning:
                reply.add_reasoning(reasoning, index)
            elif delta.get("reasoning_details"):
                self._read_reasoning_details(delta["reasoning_details"], index)
            if delta.get("tool_calls"):
                self._read_tool_calls(delta["tool_calls"], index)
            audio = delta.get("audio")
            if audio and type(audio) is dict:
                self._read_audio(audio, index)
        else:
            # A legacy completions chunk (`/v1/completions`, `object: text_completion`): no delta, its text.
            reply.add_text(choice.get("text"), index)
        finish_reason = choice.get("finish_reason")
        if finish_reason:
            reply.set_finish_reason(finish_reason, index)
            reply.close_tool_calls(index)

    def _read_audio(self, audio: dict[str, Any], index: Any) -> None:
        """A spoken reply (`modalities: ["audio"]`): the transcript is what the model said, so it is the
        reply's text (content stays null); the base64 audio, megabytes of it, is counted and dropped."""
        state = self._audio.get(index)
        if state is None:
            state = self._audio[index] = _Audio()
        self.reply.add_text(audio.get("transcript"), index)
        if isinstance(audio.get("id"), str):
            state.id = audio["id"]
        data = audio.get("data")
        if data and isinstance(data, str):
            state.size += base64_size(data)
        expires_at = audio.get("expires_at")
        if isinstance(expires_at, int) and not isinstance(expires_at, bool):
            state.expires_at = expires_at
        self.reply.set_note(("audio", index), state.describe(index))

    def _read_content_chunks(self, chunks: Any, index: Any) -> None:
        if not isinstance(chunks, list):
            return
        for chunk in chunks:
            if not isinstance(chunk, dict):
                continue
            kind = chunk.get("type")
            if kind == "text":
                self.reply.add_text(chunk.get("text"), index)
            elif kind == "thinking":
                thinking = chunk.get("thinking")
                if isinstance(thinking, str):
                    self.reply.add_reasoning(thinking, index)
                elif isinstance(thinking, list):
                    for part in thinking:
                        if isinstance(part, dict):
                            self.reply.add_reasoning(part.get("text"), index)

    def _read_reasoning_details(self, details: Any, index: Any) -> None:
        if not isinstance(details, list):
            return
        for detail in details:
            if isinstance(detail, dict):
                self.reply.add_reasoning(detail.get("text") or detail.get("summary"), index)

    def _read_tool_calls(self, tool_calls: Any, index: Any) -> None:
        if not isinstance(tool_calls, list):
            return
        for position, fragment in enumerate(tool_calls):
            if not isinstance(fragment, dict):
                continue
            function = fragment.get("function")
            function = function if isinstance(function, dict) else {}
            key = fragment.get("index", position)
            call = self.reply.tool_call(key, index, fragment.get("id"), function.get("name"))
            arguments = function.get("arguments")
            if isinstance(arguments, str):
                if arguments:
                    call.add_arguments(arguments)
            elif arguments is not None:
                call.set_arguments_value(arguments)


class _Audio:
    """A choice's spoken audio as far as it has arrived: its id, its size, when the server drops it."""

    __slots__ = ("expires_at", "id", "size")

    def __init__(self) -> None:
        self.id: str | None = None
        self.size = 0
        self.expires_at: int | None = None

    def describe(self, index: Any) -> str:
        choice = f" (choice {index})" if index else ""
        kept = ""
        if self.expires_at is not None:
            try:
                until = datetime.fromtimestamp(self.expires_at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            except (OverflowError, OSError, ValueError):
                until = str(self.expires_at)
            kept = f"; the server keeps it until {until}"
        return (
            f"the reply is spoken audio{choice} ({self.id or 'no id'}): its text is the audio's transcript; "
            f"{self.size:,} bytes of audio arrived as base64, not kept in the merged reply (its events hold them){kept}"
        )
