"""Starlette routes for the LLM provider look-alikes.

Every endpoint reads the JSON body it needs (a body that is not a JSON object is a 400), takes
`?error=1` for the provider's error and `?delay=S` for a readable pace, and streams the scripted reply in
that provider's framing. As the real APIs do, a request that does not ask to stream (`"stream": true`;
Ollama streams unless `"stream": false`; Gemini by endpoint, `:generateContent`) gets the whole reply as
one JSON body, so the providers' SDKs work against it both ways. Nothing checks credentials.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.demo.framing import (
    delay_param,
    flag_param,
    json_body,
    ndjson_response,
    sse_json,
    sse_response,
    stream_response,
    wants_stream,
)
from app.demo.providers import anthropic, cohere, gemini, llamacpp, mistral, ollama, openai, openrouter, responses
from app.demo.providers.script import script


@dataclass(frozen=True)
class ProviderReply:
    """How a provider look-alike answers one request: its whole reply as one JSON body, its frames when
    streamed, and its error as a whole body (for `?error=1`, which the frames already know about)."""

    whole: Callable[[], Any]
    frames: Callable[[], Iterable[Any]]
    error_body: Any
    error_status: int
    framing: Callable[[Iterable[Any], float], Response] = sse_response
    streams_by_default: bool = False


def provider_route(path: str, reply_to: Callable[[dict[str, Any], bool], ProviderReply]) -> Route:
    """A POST route that reads the JSON body and answers by `reply_to(body, error)`: streamed only when
    the body asks to stream (or by the provider's default), as the real APIs and their SDKs expect."""

    async def endpoint(request: Request) -> Response:
        body = await json_body(request)
        delay = delay_param(request)
        error = flag_param(request, "error")
        reply = reply_to(body, error)
        if wants_stream(body, default=reply.streams_by_default):
            return reply.framing(reply.frames(), delay)
        if error:
            return JSONResponse(reply.error_body, status_code=reply.error_status)
        return JSONResponse(reply.whole())

    return Route(path, endpoint, methods=["POST"])


def _model(body: dict[str, Any], default: str) -> str:
    return str(body.get("model") or default)


def chat_completions(body: dict[str, Any], error: bool) -> ProviderReply:
    options = openai.options_from_request(body, error)
    return ProviderReply(
        whole=lambda: openai.chat_completion_body(script(), options),
        frames=lambda: openai.chat_completion_frames(script(), options),
        error_body={"error": openai.ERROR_BODY}, error_status=500,
    )


def responses_stream(body: dict[str, Any], error: bool) -> ProviderReply:
    model = _model(body, "o4-mini")
    return ProviderReply(
        whole=lambda: responses.response_body(script(), model),
        frames=lambda: responses.response_frames(script(), model, error),
        error_body={"error": responses.ERROR_BODY}, error_status=500,
    )


def anthropic_messages(body: dict[str, Any], error: bool) -> ProviderReply:
    model = _model(body, "claude-sonnet-4-5")
    return ProviderReply(
        whole=lambda: anthropic.message_body(script(), model),
        frames=lambda: anthropic.message_frames(script(), model, error),
        error_body={"type": "error", "error": anthropic.OVERLOADED}, error_status=529,
    )


def ollama_chat(body: dict[str, Any], error: bool) -> ProviderReply:
    model = _model(body, "qwen3:8b")
    return ProviderReply(
        whole=lambda: ollama.chat_body(script(), model),
        frames=lambda: ollama.chat_lines(script(), model, error),
        error_body=ollama.STREAM_ERROR, error_status=500, framing=ndjson_response, streams_by_default=True,
    )


def ollama_generate(body: dict[str, Any], error: bool) -> ProviderReply:
    model = _model(body, "qwen3:8b")
    return ProviderReply(
        whole=lambda: ollama.generate_body(script(), model),
        frames=lambda: ollama.generate_lines(script(), model, error),
        error_body=ollama.STREAM_ERROR, error_status=500, framing=ndjson_response, streams_by_default=True,
    )


def mistral_chat(body: dict[str, Any], error: bool) -> ProviderReply:
    model, tools = _model(body, mistral.DEFAULT_MODEL), bool(body.get("tools"))
    return ProviderReply(
        whole=lambda: mistral.chat_body(script(), model, tools),
        frames=lambda: mistral.chat_frames(script(), model, tools, error),
        error_body=mistral.STREAM_ERROR, error_status=503,
    )


def cohere_chat(body: dict[str, Any], error: bool) -> ProviderReply:
    tools = bool(body.get("tools"))
    return ProviderReply(
        whole=lambda: cohere.chat_body(script(), tools),
        frames=lambda: cohere.chat_frames(script(), tools, error),
        error_body=cohere.ERROR_BODY, error_status=500,
    )


def _event_stream(chunks: Iterable[bytes], delay: float) -> Response:
    """llama.cpp's server writes its SSE frames itself (`data: …` with no event names)."""
    return stream_response(chunks, "text/event-stream", delay)


def llamacpp_completion(body: dict[str, Any], error: bool) -> ProviderReply:
    model = _model(body, "qwen2.5-7b-instruct-q4_k_m.gguf")
    return ProviderReply(
        whole=lambda: llamacpp.completion_body(script(), model),
        frames=lambda: llamacpp.completion_chunks(script(), model, error),
        error_body={"error": llamacpp.STREAM_ERROR}, error_status=500, framing=_event_stream,
    )


def openrouter_chat(body: dict[str, Any], error: bool) -> ProviderReply:
    model, tools = _model(body, openrouter.DEFAULT_MODEL), bool(body.get("tools"))
    return ProviderReply(
        whole=lambda: openrouter.chat_body(script(), model, tools),
        frames=lambda: openrouter.chat_frames(script(), model, tools, error),
        error_body={"error": {"code": 502, "message": "Provider returned error"}}, error_status=502,
    )


async def gemini_stream(request: Request) -> Response:
    body = await json_body(request)
    delay = delay_param(request)
    chunks = gemini.content_chunks(
        script(), request.path_params["model"], flag_param(request, "error"), gemini.streams_arguments(body)
    )
    if request.query_params.get("alt") == "sse":
        return sse_response([sse_json(chunk) for chunk in chunks], delay)
    return stream_response(gemini.json_array_pieces(chunks), "application/json", delay)


async def gemini_generate(request: Request) -> Response:
    await json_body(request)
    delay_param(request)  # validated as on every endpoint, though one body has nothing to pace
    if flag_param(request, "error"):
        return JSONResponse(gemini.STREAM_ERROR, status_code=503)
    return JSONResponse(gemini.content_body(script(), request.path_params["model"]))


routes = [
    provider_route("/v1/chat/completions", chat_completions),
    provider_route("/v1/responses", responses_stream),
    provider_route("/v1/messages", anthropic_messages),
    Route("/v1beta/models/{model}:streamGenerateContent", gemini_stream, methods=["POST"]),
    Route("/v1beta/models/{model}:generateContent", gemini_generate, methods=["POST"]),
    provider_route("/api/chat", ollama_chat),
    provider_route("/api/generate", ollama_generate),
    provider_route("/mistral/v1/chat/completions", mistral_chat),
    provider_route("/cohere/v2/chat", cohere_chat),
    provider_route("/llamacpp/completion", llamacpp_completion),
    provider_route("/openrouter/v1/chat/completions", openrouter_chat),
]
