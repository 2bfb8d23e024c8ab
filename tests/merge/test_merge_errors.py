"""Errors: in-stream errors make a reply incomplete for every provider, each is reported once, and
transport failures are kept apart from them. Against the demo server's error variants via `sluice run`."""

from __future__ import annotations

import json
import socket

import pytest
from merge_recorded import merge, sse_timeline

from app.events import ConnectionFailed, TimelineEvent

CHAT = json.dumps({"stream": True, "messages": [{"role": "user", "content": "hi"}]})


def merged_line(result) -> dict:
    return next(line for line in result.lines if line["kind"] == "merged")


@pytest.mark.parametrize(
    "path, profile, error",
    [
        ("/mistral/v1/chat/completions", "mistral", "service_unavailable: Service unavailable, please retry."),
        ("/cohere/v2/chat", "cohere", "internal server error, this has been reported to our developers"),
        ("/v1/responses", "openai-responses", "server_error: The model produced invalid content."),
        ("/v1/chat/completions", "openai", "server_error: The server had an error while processing your request."),
        ("/v1/messages", "anthropic", "overloaded_error: Overloaded"),
        ("/api/chat", "ollama", "an error was encountered while running the model: unexpected EOF"),
    ],
)
def test_every_provider_error_is_reported_once_and_incomplete(demo_server, sluice, path, profile, error) -> None:
    result = sluice("run", f"{demo_server.base_url}{path}?error=1", "--json", CHAT, "--jsonl")
    assert result.code == 0, result.stderr
    merged = merged_line(result)
    assert merged["profile"] == profile
    assert merged["errors"] == [error]
    assert merged["complete"] is False
    assert merged["transport_error"] is None


def test_mistral_error_as_the_first_payload_is_still_reported() -> None:
    error = {"object": "error", "message": "Invalid model", "type": "invalid_model", "param": None, "code": "1500"}
    reply = merge(sse_timeline(f"data: {json.dumps(error)}\n"))
    assert reply.errors == ("invalid_model: Invalid model",)
    assert not reply.complete and not reply.notes


def test_cohere_error_finish_without_text() -> None:
    raw = 'event: message-end\ndata: {"type": "message-end", "delta": {"finish_reason": "ERROR"}}\n'
    reply = merge(sse_timeline(raw))
    assert reply.finish_reason == "ERROR" and not reply.complete and len(reply.errors) == 1


def test_transport_error_is_kept_apart() -> None:
    events = [TimelineEvent(0, 0.01, ConnectionFailed("connection_refused", "nothing listens on 127.0.0.1:9"))]
    reply = merge(events)
    assert reply.errors == ()
    assert reply.to_json()["transport_error"] == "connection_refused: nothing listens on 127.0.0.1:9"


def test_refused_connection_in_merged_mode_names_it_once(sluice) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
    result = sluice("run", f"http://127.0.0.1:{port}/", "--merged")
    assert result.code == 1
    assert sum("refused" in line for line in result.stderr.splitlines()) == 1, result.stderr


def test_websocket_without_a_profile_says_nothing_about_incompleteness(demo_server, sluice) -> None:
    result = sluice("run", f"{demo_server.ws_url}/ws/echo", "--send", "hi", "--until-count", "1", "--merged")
    assert result.code == 0, result.stderr
    assert "incomplete" not in result.stderr
