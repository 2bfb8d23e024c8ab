"""The shipped sample collection: loads cleanly, covers every demo endpoint, and chains against the demo server."""

from __future__ import annotations

import re
from pathlib import Path

from app.bus import EventBus
from app.events import SseMessage, TimelineEvent
from app.model.collection import RequestFile, load_collection
from app.model.http_request import HttpRequest
from app.model.resolve import resolve_http, resolve_ws
from app.model.scopes import scopes_for
from app.model.toml_format import dumps_request
from app.run.extraction import apply_extractions

SAMPLES = Path(__file__).resolve().parents[2] / "sample_collections"

DEMO_ENDPOINTS = [
    "POST /v1/chats", "POST /v1/chat/stream", "POST /chat", "POST /v1/chat/async", "GET /v1/chat/*/stream",
    "POST /v1/chat/completions", "POST /v1/responses", "POST /v1/messages",
    "POST /v1beta/models/*:streamGenerateContent", "POST /v1beta/models/*:generateContent", "POST /api/chat", "POST /api/generate",
    "POST /mistral/v1/chat/completions", "POST /cohere/v2/chat", "POST /llamacpp/completion",
    "POST /openrouter/v1/chat/completions",
    "GET /sse/flood", "GET /ndjson/flood", "GET /sse/openai-flood", "GET /sse/heartbeat", "GET /sse/drip",
    "GET /sse/drop", "GET /ndjson/drop", "GET /sse/malformed", "GET /ndjson/malformed", "GET /sse/no-blank-lines",
    "GET /sse/wrong-type", "GET /sse/ids", "GET /json/big", "GET /status/*", "GET /text/tokens", "GET /xml/stream",
    "WS /ws/echo", "WS /ws/chat", "WS /ws/subprotocol", "WS /ws/auth", "WS /ws/drop", "WS /ws/flood",
]


def _demo_scopes(collection, request: RequestFile, base_url: str = "http://127.0.0.1:8765", run=None):
    run_values = {"base_url": base_url, "ws_url": base_url.replace("http", "ws", 1), **(run or {})}
    return scopes_for(collection, request.path, "demo", run=run_values, os_env={})


def test_sample_collection_loads_without_broken_files() -> None:
    collection = load_collection(SAMPLES)
    assert collection.broken_files() == []
    assert collection.default_environment == "demo"
    assert collection.environment("demo").variables["base_url"] == "http://127.0.0.1:8765"
    assert collection.dotenv == {"token": "demo-token", "api_key": "demo-key"}


def test_sample_files_are_in_canonical_form() -> None:
    for request in load_collection(SAMPLES).requests():
        assert dumps_request(request.definition) == request.path.read_text(encoding="utf-8"), request.path


def test_every_demo_endpoint_has_a_request() -> None:
    collection = load_collection(SAMPLES)
    covered = set()
    job_id = {"job_id": "job_x"}
    for request in collection.requests():
        definition = request.definition
        scopes = _demo_scopes(collection, request, run=job_id)
        if definition.is_websocket:
            covered.add("WS " + re.sub(r"^ws://[^/]+", "", resolve_ws(definition, scopes).url))
        else:
            resolved = resolve_http(definition, scopes)
            covered.add(f"{resolved.method} " + re.sub(r"^http://[^/]+", "", resolved.url).split("?")[0])
    for endpoint in DEMO_ENDPOINTS:
        pattern = re.escape(endpoint).replace(r"\*", "[^/]+") + "$"
        assert any(re.match(pattern, item) for item in covered), endpoint


def test_secrets_stay_variables_in_the_files() -> None:
    for path in SAMPLES.rglob("*.toml"):
        text = path.read_text(encoding="utf-8")
        assert "demo-token" not in text and "demo-key" not in text, path


async def _send(request: HttpRequest) -> list[TimelineEvent]:
    from app.connections.http_worker import stream_http

    bus = EventBus()
    subscription = bus.subscribe()
    await stream_http(request, bus)
    return subscription.drain()


async def test_chained_job_flow_against_the_demo_server() -> None:
    from app.demo.server import DemoServer

    collection = load_collection(SAMPLES)
    start = collection.find(SAMPLES / "seed-apis" / "job-1-start.toml")
    stream = collection.find(SAMPLES / "seed-apis" / "job-2-stream.toml")
    assert isinstance(start, RequestFile) and isinstance(stream, RequestFile)
    with DemoServer() as server:
        scopes = _demo_scopes(collection, start, server.base_url)
        first = await _send(resolve_http(start.definition, scopes))
        result = apply_extractions(start.definition.extract, first, scopes.run)
        assert result.problems == () and scopes.run["job_id"].startswith("job_")
        second_request = resolve_http(stream.definition, _demo_scopes(collection, stream, server.base_url, scopes.run))
        assert f"job_id={scopes.run['job_id']}&api_key=demo-key" in second_request.url
        second = await _send(second_request)
    names = [event.payload.event for event in second if isinstance(event.payload, SseMessage)]
    assert "intermediate" in names and "final" in names and "error" not in names
