"""Automatic profile detection and the profile registry."""

from __future__ import annotations

import pytest

from app.streams.merge import PROFILE_NAMES, MergeEngine, UnknownProfileError, detect_profile


@pytest.mark.parametrize(
    ("content_type", "event", "value", "expected"),
    [
        ("text/event-stream", "message", {"object": "chat.completion.chunk", "choices": []}, "openai"),
        ("text/event-stream", "message", {"id": "gen-1", "choices": [{"delta": {}}]}, "openrouter"),
        ("text/event-stream", "message", {"model": "mistral-small-latest", "choices": []}, "mistral"),
        ("text/event-stream", "response.created", {"type": "response.created"}, "openai-responses"),
        ("text/event-stream", "message_start", {"type": "message_start"}, "anthropic"),
        ("text/event-stream", "message", {"candidates": []}, "gemini"),
        ("application/json", "", {"candidates": [], "usageMetadata": {}}, "gemini"),
        ("application/x-ndjson", "", {"model": "m", "created_at": "x", "message": {}, "done": False}, "ollama"),
        ("application/x-ndjson", "", {"model": "m", "created_at": "x", "response": "", "done": False}, "ollama"),
        ("text/event-stream", "message", {"type": "content-delta", "index": 0}, "cohere"),
        ("text/event-stream", "content-delta", {"type": "content-delta"}, "cohere"),
        ("text/event-stream", "message", {"content": "x", "stop": False}, "llamacpp"),
        ("text/event-stream", "delta", {"id": "r", "output": {"content": "x"}}, "seed-chat"),
        ("text/event-stream", "intermediate", {"type": "intermediate"}, "seed-job"),
        ("application/x-ndjson", "", {"type": "start", "conversationId": "c"}, "seed-widget"),
        ("application/x-ndjson", "", {"type": "error", "error": "Internal server error"}, "seed-widget"),
        ("text/event-stream", "message", {"i": 1}, None),
        ("text/event-stream", "message", [1, 2], None),
    ],
)
def test_detection(content_type: str, event: str, value: object, expected: str | None) -> None:
    assert detect_profile(content_type, event, value) == expected


def test_registry_lists_every_named_profile() -> None:
    assert set(PROFILE_NAMES) == {"openai", "openai-responses", "anthropic", "gemini", "ollama", "mistral", "cohere",
                                  "llamacpp", "openrouter", "seed-chat", "seed-job", "seed-widget", "custom", "none"}


def test_unknown_profile_is_a_clear_error() -> None:
    with pytest.raises(UnknownProfileError, match="unknown merge profile 'gpt'.*openai"):
        MergeEngine("gpt")


def test_custom_profile_without_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="needs a rule"):
        MergeEngine("custom")
