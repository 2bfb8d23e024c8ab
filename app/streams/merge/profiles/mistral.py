"""Mistral chat completions: OpenAI's chunk shape, with `content` sometimes a list of `text`/`thinking` chunks."""

from __future__ import annotations

from app.streams.merge.profiles.openai import OpenAiProfile


class MistralProfile(OpenAiProfile):
    """Same reading as OpenAI (which already accepts chunk lists); named apart so users can force it."""

    name = "mistral"
