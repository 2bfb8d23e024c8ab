"""OpenRouter: OpenAI chunks with `delta.reasoning` / `reasoning_details` and `: OPENROUTER PROCESSING` comments.

A mid-stream error arrives as a chunk with a top-level `error` and `finish_reason: "error"`, which the
OpenAI reading already reports.
"""

from __future__ import annotations

from app.streams.merge.profiles.openai import OpenAiProfile


class OpenRouterProfile(OpenAiProfile):
    """OpenAI's reading under OpenRouter's name."""

    name = "openrouter"
