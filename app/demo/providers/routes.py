"""Starlette routes for the LLM provider look-alikes.

Every endpoint reads the JSON body it needs (a body that is not a JSON object is a 400), takes
`?error=1` for the provider's mid-stream error and `?delay=S` for a readable pace, and streams the
scripted reply in that provider's framing. Nothing checks credentials: any key is accepted.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.demo.framing import (
    delay_param,
    flag_param,
    json_body,
    ndjson_response,
    sse_json,
    sse_response,
    stream_response,
)
from app.demo.providers import anthropic, cohere, gemini, llamacpp, mistral, ollama, openai, openrouter, responses
from app.demo.providers.script import script


async def chat_completions(request: Request) -> Response:
    body = await json_body(request)
    options = openai.options_from_request(body, flag_param(request, "error"))
    return sse_response(openai.chat_completion_frames(script(), options), delay_param(request))


async def responses_stream(request: Request) -> Response:
    body = await json_body(request)
    model = str(body.get("model") or "o4-mini")
    return sse_response(responses.response_frames(script(), model, flag_param(request, "error")), delay_param(request))


async def anthropic_messages(request: Request) -> Response:
    body = await json_body(request)
    model = str(body.get("model") or "claude-sonnet-4-5")
    return sse_response(anthropic.message_frames(script(), model, flag_param(request, "error")), delay_param(request))


async def gemini_stream(request: Request) -> Response:
    await json_body(request)
    chunks = gemini.content_chunks(script(), request.path_params["model"], flag_param(request, "error"))
    if request.query_params.get("alt") == "sse":
        return sse_response([sse_json(chunk) for chunk in chunks], delay_param(request))
    return stream_response(gemini.json_array_pieces(chunks), "application/json", delay_param(request))


async def ollama_chat(request: Request) -> Response:
    body = await json_body(request)
    model = str(body.get("model") or "qwen3:8b")
    return ndjson_response(ollama.chat_lines(script(), model, flag_param(request, "error")), delay_param(request))


async def ollama_generate(request: Request) -> Response:
    body = await json_body(request)
    model = str(body.get("model") or "qwen3:8b")
    return ndjson_response(ollama.generate_lines(script(), model, flag_param(request, "error")), delay_param(request))


async def mistral_chat(request: Request) -> Response:
    body = await json_body(request)
    model = str(body.get("model") or mistral.DEFAULT_MODEL)
    frames = mistral.chat_frames(script(), model, bool(body.get("tools")), flag_param(request, "error"))
    return sse_response(frames, delay_param(request))


async def cohere_chat(request: Request) -> Response:
    body = await json_body(request)
    frames = cohere.chat_frames(script(), bool(body.get("tools")), flag_param(request, "error"))
    return sse_response(frames, delay_param(request))


async def llamacpp_completion(request: Request) -> Response:
    body = await json_body(request)
    model = str(body.get("model") or "qwen2.5-7b-instruct-q4_k_m.gguf")
    chunks = llamacpp.completion_chunks(script(), model, flag_param(request, "error"))
    return stream_response(chunks, "text/event-stream", delay_param(request))


async def openrouter_chat(request: Request) -> Response:
    body = await json_body(request)
    model = str(body.get("model") or openrouter.DEFAULT_MODEL)
    frames = openrouter.chat_frames(script(), model, bool(body.get("tools")), flag_param(request, "error"))
    return sse_response(frames, delay_param(request))


routes = [
    Route("/v1/chat/completions", chat_completions, methods=["POST"]),
    Route("/v1/responses", responses_stream, methods=["POST"]),
    Route("/v1/messages", anthropic_messages, methods=["POST"]),
    Route("/v1beta/models/{model}:streamGenerateContent", gemini_stream, methods=["POST"]),
    Route("/api/chat", ollama_chat, methods=["POST"]),
    Route("/api/generate", ollama_generate, methods=["POST"]),
    Route("/mistral/v1/chat/completions", mistral_chat, methods=["POST"]),
    Route("/cohere/v2/chat", cohere_chat, methods=["POST"]),
    Route("/llamacpp/completion", llamacpp_completion, methods=["POST"]),
    Route("/openrouter/v1/chat/completions", openrouter_chat, methods=["POST"]),
]
