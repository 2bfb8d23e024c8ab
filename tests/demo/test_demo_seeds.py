"""The seed API look-alikes: auth, status codes, content types and event sequences."""

from __future__ import annotations

import json

import httpx
import pytest

from app.demo.server import DemoServer

BEARER = {"Authorization": "Bearer demo-token"}


@pytest.fixture
def client(demo_server: DemoServer) -> httpx.Client:
    with httpx.Client(base_url=demo_server.base_url, timeout=10) as client:
        yield client


def _sse_events(body: str) -> list[tuple[str, object]]:
    events = []
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields.get("event", "message"), json.loads(fields["data"])))
    return events


def test_chats_streams_deltas_then_done(client: httpx.Client) -> None:
    response = client.post("/v1/chats", headers=BEARER, json={"conversation_id": "conv_1", "input": "headache"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _sse_events(response.text)
    names = [name for name, _ in events]
    assert names[-1] == "done" and set(names[:-1]) == {"delta"} and len(names) > 3
    done = events[-1][1]
    assert done["conversation_id"] == "conv_1"
    assert done["output"]["content"] == "".join(data["output"]["content"] for _, data in events[:-1])
    assert {data["id"] for _, data in events} == {done["id"]}


def test_chats_diagnosis_is_a_single_done(client: httpx.Client) -> None:
    response = client.post("/v1/chats", headers=BEARER, json={"conversation_id": "c", "input": "Diagnose me"})
    events = _sse_events(response.text)
    assert [name for name, _ in events] == ["done"]
    assert events[0][1]["output"]["type"] == "diagnosis"
    assert events[0][1]["is_complete"] is True


def test_chats_fail_ends_with_an_error_event(client: httpx.Client) -> None:
    response = client.post("/v1/chats?fail=1", headers=BEARER, json={"conversation_id": "c", "input": "hi"})
    events = _sse_events(response.text)
    assert events[0][0] == "delta"
    assert events[-1] == ("error", {"error": {"code": "stream_error", "message": "An unexpected error occurred."}})


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic demo-token"}])
def test_chats_needs_the_bearer_token(client: httpx.Client, headers: dict[str, str]) -> None:
    response = client.post("/v1/chats", headers=headers, json={"conversation_id": "c", "input": "hi"})
    assert response.status_code == 401
    assert "error" in response.json()


def test_chats_rejects_a_body_that_is_not_json(client: httpx.Client) -> None:
    response = client.post("/v1/chats", headers=BEARER, content=b"{not json")
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]


@pytest.mark.parametrize("path", ["/v1/chat/stream", "/chat"])
@pytest.mark.parametrize("key_header", ["x-api-key", "x-widget-api-key"])
def test_widget_streams_ndjson(client: httpx.Client, path: str, key_header: str) -> None:
    response = client.post(path, headers={key_header: "demo-key"}, json={"sessionId": "user-1", "message": "hi"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert lines[0]["type"] == "start"
    assert lines[-1]["type"] == "done"
    assert lines[-1]["message"] == "".join(line["token"] for line in lines[1:-1])
    assert lines[-1]["conversationId"] == lines[0]["conversationId"]


def test_widget_fail_ends_with_an_error_line(client: httpx.Client) -> None:
    response = client.post(
        "/v1/chat/stream?fail=1", headers={"x-api-key": "demo-key"}, json={"sessionId": "u", "message": "hi"}
    )
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert lines[1]["type"] == "token"
    assert lines[-1] == {"type": "error", "error": "Internal server error"}


def test_widget_auth_and_payload_errors(client: httpx.Client) -> None:
    unauthorized = client.post("/chat", json={"sessionId": "u", "message": "hi"})
    assert (unauthorized.status_code, unauthorized.json()) == (401, {"error": "Unauthorized"})
    key = {"x-api-key": "demo-key"}
    for body in ({"message": "hi"}, {"sessionId": "bad id!", "message": "hi"}, {"sessionId": "u"}):
        invalid = client.post("/chat", headers=key, json=body)
        assert (invalid.status_code, invalid.json()) == (400, {"error": "Invalid request payload"})


@pytest.mark.parametrize(("status", "message"), [(429, "Too many requests"), (500, "Internal server error")])
def test_widget_forced_status(client: httpx.Client, status: int, message: str) -> None:
    response = client.post(f"/chat?status={status}", headers={"x-api-key": "demo-key"}, json={})
    assert (response.status_code, response.json()) == (status, {"error": message})


def test_async_job_chains_into_a_stream(client: httpx.Client) -> None:
    started = client.post("/v1/chat/async", headers=BEARER, json={"message": "Shorten", "session_id": "s1"})
    assert started.status_code == 200
    job_id = started.json()["job_id"]
    assert job_id.startswith("job_") and started.json()["session_id"] == "s1"
    response = client.get("/v1/chat/s1/stream", params={"job_id": job_id, "api_key": "demo-key"})
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _sse_events(response.text)
    names = [name for name, _ in events]
    assert names[-3:] == ["proposed_change", "final", "usage"] and names[0] == "intermediate"
    change = json.loads(events[-3][1]["content"])
    assert change["change_id"] == "ch_1"
    assert events[-2][1]["result"]["response"]


def test_async_stream_auth_and_unknown_job(client: httpx.Client) -> None:
    assert client.post("/v1/chat/async", json={"message": "m", "session_id": "s"}).status_code == 401
    assert client.get("/v1/chat/s/stream", params={"job_id": "job_x"}).status_code == 401
    response = client.get("/v1/chat/s/stream", params={"job_id": "job_missing", "api_key": "demo-key"})
    assert [name for name, _ in _sse_events(response.text)] == ["error"]
