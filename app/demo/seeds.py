"""The three seed APIs Sluice was started from (/work/shared/seeds/), served as look-alikes.

- 002 `POST /v1/chats`: a diagnostic chat, SSE events `delta` / `done` / `error`, bearer auth.
- 003 `POST /v1/chat/async` then `GET /v1/chat/{session_id}/stream`: a job id chained into an SSE stream
  authenticated by a query parameter, with JSON inside a JSON string (`proposed_change`).
- 004 `POST /v1/chat/stream` (alias `POST /chat`): NDJSON `start` / `token` / `done` / `error`, `x-api-key`.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.demo.framing import (
    DEMO_API_KEY,
    DEMO_BEARER_TOKEN,
    BadRequestParameter,
    SseFrame,
    bearer_token,
    delay_param,
    dumps,
    flag_param,
    json_body,
    json_error,
    ndjson_response,
    split_tokens,
    sse_json,
    sse_response,
)

FAIL_AFTER_TOKENS = 3
MAX_REMEMBERED_JOBS = 1000

DIAGNOSTIC_REPLY = "Where is your headache located? Is the pain throbbing, or more of a steady pressure?"
WIDGET_REPLY = "We are a customer support platform that helps businesses engage with their customers."
ASYNC_REPLY = "I've made all sections more concise and added the GDPR processing clause."
ASYNC_PROGRESS = ("Analyzing document structure...", "Reviewing 3 sections...", "Drafting changes...")

_SESSION_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,128}")


# --- 002: diagnostic chat -------------------------------------------------------------------------


def _findings() -> list[dict[str, Any]]:
    return [
        {"id": "headache", "name": "Headache", "choice_id": "present", "source": "initial"},
        {"id": "nausea", "name": "Nausea", "choice_id": "present", "source": "initial"},
    ]


def _chat_response(response_id: str, conversation_id: str, output: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": response_id,
        "created_at": int(time.time()),
        "is_complete": output["type"] == "diagnosis",
        "conversation_id": conversation_id,
        "output": output,
        "findings": _findings(),
    }


def _diagnosis_output() -> dict[str, Any]:
    return {
        "type": "diagnosis",
        "diseases": [
            {"id": "migraine", "name": "Migraine", "probability": 0.62},
            {"id": "tension_headache", "name": "Tension-type headache", "probability": 0.27},
        ],
        "recommendation": {
            "level": "consult_doctor",
            "text": "See a doctor within 24 hours if the headache gets worse or you notice vision changes.",
        },
    }


async def diagnostic_chat(request: Request) -> Response:
    if bearer_token(request) != DEMO_BEARER_TOKEN:
        return json_error(401, {"code": "unauthorized", "message": "Missing or invalid bearer token."})
    body = await json_body(request)
    conversation_id = body.get("conversation_id")
    user_input = body.get("input")
    if not isinstance(conversation_id, str) or not isinstance(user_input, str):
        raise BadRequestParameter("body needs string fields 'conversation_id' and 'input'")
    response_id = f"resp_{secrets.token_hex(6)}"
    if "diagnos" in user_input.lower():
        done = _chat_response(response_id, conversation_id, _diagnosis_output())
        frames = [sse_json(done, event="done")]
    else:
        tokens = split_tokens(DIAGNOSTIC_REPLY)
        if flag_param(request, "fail"):
            tokens = tokens[:FAIL_AFTER_TOKENS]
        frames = [sse_json({"id": response_id, "output": {"content": token}}, event="delta") for token in tokens]
        if flag_param(request, "fail"):
            error = {"code": "stream_error", "message": "An unexpected error occurred."}
            frames.append(sse_json({"error": error}, event="error"))
        else:
            output = {"type": "message", "content": DIAGNOSTIC_REPLY, "media": []}
            frames.append(sse_json(_chat_response(response_id, conversation_id, output), event="done"))
    if _wants_plain_json(request):
        last = frames[-1]
        return Response(last.data, status_code=500 if last.event == "error" else 200, media_type="application/json")
    return sse_response(frames, delay_param(request))


def _wants_plain_json(request: Request) -> bool:
    # The seed streams only when asked with `Accept: text/event-stream`; here a missing or wildcard
    # Accept also streams, because the demo exists to show the stream.
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/event-stream" not in accept


# --- 004: chat widget NDJSON ----------------------------------------------------------------------

_WIDGET_STATUS_ERRORS = {429: "Too many requests", 500: "Internal server error"}


def _conversation_id(session_id: str) -> str:
    # The same session keeps the same conversation, as the seed's history tracking implies.
    return hashlib.sha256(session_id.encode()).hexdigest()[:32]


async def widget_chat(request: Request) -> Response:
    key = request.headers.get("x-api-key") or request.headers.get("x-widget-api-key")
    if key != DEMO_API_KEY:
        return json_error(401, "Unauthorized")
    forced_status = request.query_params.get("status")
    if forced_status is not None:
        if not forced_status.isdigit() or int(forced_status) not in _WIDGET_STATUS_ERRORS:
            raise BadRequestParameter("query parameter 'status' must be 429 or 500")
        return json_error(int(forced_status), _WIDGET_STATUS_ERRORS[int(forced_status)])
    try:
        body = await json_body(request)
    except BadRequestParameter:
        return json_error(400, "Invalid request payload")
    session_id = body.get("sessionId")
    message = body.get("message")
    if not isinstance(session_id, str) or not _SESSION_ID_PATTERN.fullmatch(session_id) or not isinstance(message, str):
        return json_error(400, "Invalid request payload")
    conversation_id = _conversation_id(session_id)
    tokens = split_tokens(WIDGET_REPLY)
    lines: list[dict[str, Any]] = [{"type": "start", "conversationId": conversation_id}]
    if flag_param(request, "fail"):
        lines += [{"type": "token", "token": token} for token in tokens[:FAIL_AFTER_TOKENS]]
        lines.append({"type": "error", "error": "Internal server error"})
    else:
        lines += [{"type": "token", "token": token} for token in tokens]
        lines.append({"type": "done", "message": WIDGET_REPLY, "conversationId": conversation_id})
    return ndjson_response(lines, delay_param(request))


# --- 003: async job + SSE progress stream ---------------------------------------------------------


def _jobs(request: Request) -> OrderedDict[str, str]:
    """job id -> session id, remembered per app so that parallel test servers do not share jobs."""
    state = request.app.state
    if not hasattr(state, "demo_jobs"):
        state.demo_jobs = OrderedDict()
    return state.demo_jobs


async def start_async_job(request: Request) -> Response:
    if bearer_token(request) != DEMO_BEARER_TOKEN:
        return json_error(401, "Invalid or missing API key")
    body = await json_body(request)
    message = body.get("message")
    session_id = body.get("session_id")
    if not isinstance(message, str) or not isinstance(session_id, str) or not session_id:
        raise BadRequestParameter("body needs string fields 'message' and 'session_id'")
    job_id = f"job_{secrets.token_hex(6)}"
    jobs = _jobs(request)
    jobs[job_id] = session_id
    while len(jobs) > MAX_REMEMBERED_JOBS:
        jobs.popitem(last=False)
    return JSONResponse({"job_id": job_id, "session_id": session_id, "status": "queued"})


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _proposed_change() -> dict[str, Any]:
    return {
        "change_id": "ch_1",
        "operation": "edit",
        "chunk_id": "550e8400-e29b-41d4-a716-446655440000",
        "old_html": "<p>We may process personal data for various purposes.</p>",
        "new_html": "<p>We process personal data only as the GDPR allows (Art. 6).</p>",
        "ai_explanation": "Added GDPR data processing requirements",
        "batch_id": "ch_1",
        "batch_total": 1,
        "insert_after_chunk_id": None,
    }


def _job_frames() -> list[SseFrame]:
    frames = [
        sse_json(
            {"type": "intermediate", "content": text, "sequence": number, "timestamp": _timestamp()},
            event="intermediate",
        )
        for number, text in enumerate(ASYNC_PROGRESS, start=1)
    ]
    change = _proposed_change()
    sequence = len(ASYNC_PROGRESS) + 1
    frames.append(
        sse_json({"type": "proposed_change", "content": dumps(change), "sequence": sequence}, event="proposed_change")
    )
    result = {
        "response": ASYNC_REPLY,
        "document_changes": {"changes": [change], "updated_html": change["new_html"]},
        "usage": {"input_tokens": 1834, "output_tokens": 212},
    }
    frames.append(sse_json({"content": ASYNC_REPLY, "result": result}, event="final"))
    usage = {
        "monthly_used": 43,
        "monthly_limit": 500,
        "monthly_remaining": 457,
        "was_billable": True,
        "subscription_tier": "free",
    }
    frames.append(sse_json(usage, event="usage"))
    return frames


async def stream_async_job(request: Request) -> Response:
    if request.query_params.get("api_key") != DEMO_API_KEY:
        return json_error(401, "Invalid or missing api_key query parameter")
    job_id = request.query_params.get("job_id", "")
    if _jobs(request).get(job_id) != request.path_params["session_id"]:
        return sse_response([sse_json({"error": f"Job {job_id!r} not found for this session"}, event="error")])
    return sse_response(_job_frames(), delay_param(request))


routes = [
    Route("/v1/chats", diagnostic_chat, methods=["POST"]),
    Route("/v1/chat/stream", widget_chat, methods=["POST"]),
    Route("/chat", widget_chat, methods=["POST"]),
    Route("/v1/chat/async", start_async_job, methods=["POST"]),
    Route("/v1/chat/{session_id}/stream", stream_async_job, methods=["GET"]),
]
