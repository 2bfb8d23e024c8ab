"""Recognise a stream's format from its content type, event names and first payloads."""

from __future__ import annotations

from typing import Any

_ANTHROPIC_EVENTS = frozenset(
    {"message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"}
)
_COHERE_EVENTS = frozenset(
    {"message-start", "content-start", "content-delta", "content-end", "tool-plan-delta", "tool-call-start",
     "tool-call-delta", "tool-call-end", "message-end", "citation-start"}
)
_SEED_JOB_EVENTS = frozenset({"intermediate", "proposed_change", "final"})
_SEED_WIDGET_TYPES = frozenset({"start", "token"})
_MISTRAL_MODELS = ("mistral", "magistral", "codestral", "ministral", "pixtral", "devstral", "open-mi")


def detect_profile(content_type: str | None, event: str, value: Any, hint: str | None = None) -> str | None:
    """The built-in profile this payload belongs to, or None when it does not tell (wait for the next).

    `event` is the SSE event name (`""` for NDJSON, JSON-array items and WebSocket messages), `value`
    the parsed payload. `hint` carries what earlier non-data lines said (e.g. an OpenRouter comment).
    """
    by_event = _detect_by_event(event)
    if by_event is not None:
        return by_event
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, dict):
        return None
    kind = value.get("type")
    if isinstance(kind, str):
        by_type = _detect_by_type(kind, value)
        if by_type is not None:
            return by_type
    if isinstance(value.get("choices"), list):
        return _detect_openai_family(value, hint)
    if "candidates" in value or "usageMetadata" in value or "promptFeedback" in value:
        return "gemini"
    if "done" in value and ("message" in value or "response" in value) and "model" in value:
        return "ollama"
    if "content" in value and "stop" in value:
        return "llamacpp"
    if isinstance(value.get("output"), dict) and ("id" in value or "conversation_id" in value):
        return "seed-chat"
    if kind == "error" and content_type and "ndjson" in content_type:
        # The widget stream can fail before its first token; its error line still names the format.
        return "seed-widget"
    return None


def _detect_by_event(event: str) -> str | None:
    if event in _ANTHROPIC_EVENTS:
        return "anthropic"
    if event.startswith("response."):
        return "openai-responses"
    if event in _COHERE_EVENTS:
        return "cohere"
    if event in _SEED_JOB_EVENTS:
        return "seed-job"
    if event in ("delta", "done"):
        return "seed-chat"
    return None


def _detect_by_type(kind: str, value: dict[str, Any]) -> str | None:
    if kind in _ANTHROPIC_EVENTS:
        return "anthropic"
    if kind.startswith("response."):
        return "openai-responses"
    if kind in _COHERE_EVENTS:
        return "cohere"
    if kind in _SEED_JOB_EVENTS:
        return "seed-job"
    if kind in _SEED_WIDGET_TYPES and ("token" in value or "conversationId" in value):
        return "seed-widget"
    return None


def _detect_openai_family(value: dict[str, Any], hint: str | None) -> str:
    if hint == "openrouter" or "provider" in value or str(value.get("id", "")).startswith("gen-"):
        return "openrouter"
    model = str(value.get("model", "")).lower()
    if model.startswith(_MISTRAL_MODELS):
        return "mistral"
    return "openai"
