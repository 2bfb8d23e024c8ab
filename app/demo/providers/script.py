"""The scripted reply every provider look-alike streams: reasoning, answer text and one tool call.

Providers differ only in how they frame it, so a client can check that its merge of any provider gives
back exactly these strings. The reply holds a non-ASCII character on purpose: chunk boundaries must not
split UTF-8 for a careful client.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from app.demo.framing import split_tokens

REASONING = "The user asks about the weather in Paris. I should check the forecast tool, then answer briefly."
REPLY = "Paris is mild today: about 18 °C with light clouds, and no rain expected before evening."
ALTERNATE_REPLY = "Expect around 18 °C in Paris, partly cloudy and dry."
"""The second choice's text when a client asks for `n: 2`."""

TOOL_NAME = "get_weather"
TOOL_ARGUMENTS = {"city": "Paris", "unit": "celsius"}
TOOL_ARGUMENTS_JSON = json.dumps(TOOL_ARGUMENTS)
PROMPT_TOKENS = 24
ARGUMENT_FRAGMENT_SIZE = 7
ERROR_AFTER_TOKENS = 4
"""How many reply tokens an `?error=1` stream sends before its error."""


@dataclass(frozen=True, slots=True)
class Script:
    """One scripted turn, already split into the fragments a provider streams."""

    reasoning_tokens: tuple[str, ...]
    reply_tokens: tuple[str, ...]
    alternate_tokens: tuple[str, ...]
    argument_fragments: tuple[str, ...]
    created: int

    @property
    def completion_tokens(self) -> int:
        return len(self.reasoning_tokens) + len(self.reply_tokens) + len(self.argument_fragments)

    @property
    def total_tokens(self) -> int:
        return PROMPT_TOKENS + self.completion_tokens


def fragments(text: str, size: int = ARGUMENT_FRAGMENT_SIZE) -> tuple[str, ...]:
    """Cut text into fixed-size pieces, as providers cut tool-call arguments (mid-token, mid-string)."""
    return tuple(text[start : start + size] for start in range(0, len(text), size))


def script() -> Script:
    return Script(
        reasoning_tokens=tuple(split_tokens(REASONING)),
        reply_tokens=tuple(split_tokens(REPLY)),
        alternate_tokens=tuple(split_tokens(ALTERNATE_REPLY)),
        argument_fragments=fragments(TOOL_ARGUMENTS_JSON),
        created=int(time.time()),
    )
