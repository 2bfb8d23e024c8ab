"""Starlette routes for the LLM provider look-alikes.

Every endpoint reads the JSON body it needs (a body that is not a JSON object is a 400), takes
`?error=1` for the provider's error and `?delay=S` for a readable pace, and streams the scripted reply in
that provider's framing. As the real APIs do, a request that does not ask to stream (`"stream": true`;
Ollama streams unless `"stream": false`; Gemini by endpoint, `:generateContent`) gets the whole reply as
one JSON body, so the providers' SDKs work against it both ways. Nothing checks credentials.
"""

from __future__ import annotations

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


async def chat_completions(request: Request) -> Response:
    body = await json_body(request)
    delay = delay_param(request)
    options = openai.options_from_request(body, flag_param(request, "error"))
    if not wants_stream(body):
        if options.error:
            return JSONResponse({"error": openai.ERROR_BODY}, status_code=500)
        return JSONResponse(openai.chat_completion_body(script(), options))
    return sse_response(openai.chat_completion_frames(script(), options), delay)


async def responses_stream(request: Request) -> Response:
    body = await json_body(request)
    delay = delay_param(request)
    model = str(body.get("model") or "o4-mini")
    error = flag_param(request, "error")
    if not wants_stream(body):
        if error:
            return JSONResponse({"error": responses.ERROR_BODY}, status_code=500)
        return JSONResponse(responses.response_body(script(), model))
    return sse_response(responses.response_frames(script(), model, error), delay)


async def anthropic_messages(request: Request) -> Response:
    body = await json_body(request)
    delay = delay_param(request)
    model = str(body.get("model") or "claude-sonnet-4-5")
    error = flag_param(request, "error")
    if not wants_stream(body):
        if error:
            return JSONResponse({"type": "error", "error": anthropic.OVERLOADED}, status_code=529)
        return JSONResponse(anthropic.message_body(script(), model))
    return sse_response(anthropic.message_frames(script(), model, error), delay)


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


async def ollama_chat(request: Request) -> Response:
    body = await json_body(request)
    delay = delay_param(request)
    model = str(body.get("model") or "qwen3:8b")
    error = flag_param(request, "error")
    if not wants_stream(body, default=True):
        if error:
            return JSONResponse(ollama.STREAM_ERROR, status_code=500)
        return JSONResponse(ollama.chat_body(script(), model))
    return ndjson_response(ollama.chat_lines(script(), model, error), delay)


async def ollama_generate(request: Request) -> Response:
    body = await json_body(request)
    delay = delay_param(request)
    model = str(body.get("model") or "qwen3:8b")
    error = flag_param(request, "error")
    if not wants_stream(body, default=True):
        if error:
            return JSONResponse(ollama.STREAM_ERROR, status_code=500)
        return JSONResponse(ollama.generate_body(script(), model))
    return ndjson_response(ollama.generate_lines(script(), model, error), delay)


async def mistral_chat(request: Request) -> Response:
    body = await json_body(request)
    delay = delay_param(request)
    model = str(body.get("model") or mistral.DEFAULT_MODEL)
    error = flag_param(request, "error")
    if not wants_stream(body):
        if error:
            return JSONResponse(mistral.STREAM_ERROR, status_code=503)
        return JSONResponse(mistral.chat_body(script(), model, bool(body.get("tools"))))
    frames = mistral.chat_frames(script(), model, bool(body.get("tools")), error)
    return sse_response(frames, delay)


async def cohere_chat(request: Request) -> Response:
    body = await json_body(request)
    delay = delay_param(request)
    error = flag_param(request, "error")
    if not wants_stream(body):
        if error:
            return JSONResponse(cohere.ERROR_BODY, status_code=500)
        return JSONResponse(cohere.chat_body(script(), bool(body.get("tools"))))
    frames = cohere.chat_frames(script(), bool(body.get("tools")), error)
    return sse_response(frames, delay)


async def llamacpp_completion(request: Request) -> Response:
    body = await json_body(request)
    delay = delay_param(request)
    model = str(body.get("model") or "qwen2.5-7b-instruct-q4_k_m.gguf")
    error = flag_param(request, "error")
    if not wants_stream(body):
        if error:
            return JSONResponse({"error": llamacpp.STREAM_ERROR}, status_code=500)
        return JSONResponse(llamacpp.completion_body(script(), model))
    chunks = llamacpp.completion_chunks(script(), model, error)
    return stream_response(chunks, "text/event-stream", delay)


async def openrouter_chat(request: Request) -> Response:
    body = await json_body(request)
    delay = delay_param(request)
    model = str(body.get("model") or openrouter.DEFAULT_MODEL)
    error = flag_param(request, "error")
    if not wants_stream(body):
        if error:
            return JSONResponse({"error": {"code": 502, "message": "Provider returned error"}}, status_code=502)
        return JSONResponse(openrouter.chat_body(script(), model, bool(body.get("tools"))))
    frames = openrouter.chat_frames(script(), model, bool(body.get("tools")), error)
    return sse_response(frames, delay)


routes = [
    Route("/v1/chat/completions", chat_completions, methods=["POST"]),
    Route("/v1/responses", responses_stream, methods=["POST"]),
    Route("/v1/messages", anthropic_messages, methods=["POST"]),
    Route("/v1beta/models/{model}:streamGenerateContent", gemini_stream, methods=["POST"]),
    Route("/v1beta/models/{model}:generateContent", gemini_generate, methods=["POST"]),
    Route("/api/chat", ollama_chat, methods=["POST"]),
    Route("/api/generate", ollama_generate, methods=["POST"]),
    Route("/mistral/v1/chat/completions", mistral_chat, methods=["POST"]),
    Route("/cohere/v2/chat", cohere_chat, methods=["POST"]),
    Route("/llamacpp/completion", llamacpp_completion, methods=["POST"]),
    Route("/openrouter/v1/chat/completions", openrouter_chat, methods=["POST"]),
]
