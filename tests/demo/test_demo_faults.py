"""Test and benchmark streams: floods, drip, drop and the deliberately broken framings."""

from __future__ import annotations

import json

import httpx
import pytest

from app.demo.faults import FLOOD_WORDS
from app.demo.server import DemoServer


@pytest.fixture
def client(demo_server: DemoServer) -> httpx.Client:
    with httpx.Client(base_url=demo_server.base_url, timeout=10) as client:
        yield client


def _sse_data(body: str) -> list[str]:
    return [line[len("data: ") :] for line in body.splitlines() if line.startswith("data: ")]


def test_sse_flood_sends_exactly_n_numbered_events(client: httpx.Client) -> None:
    response = client.get("/sse/flood", params={"n": 10_000})
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.text.count("\n\n") == 10_000
    assert [json.loads(data)["i"] for data in _sse_data(response.text)] == list(range(10_000))


def test_ndjson_flood_sends_exactly_n_lines(client: httpx.Client) -> None:
    response = client.get("/ndjson/flood", params={"n": 5000})
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert [json.loads(line)["i"] for line in response.text.splitlines()] == list(range(5000))


def test_openai_flood_merges_to_the_documented_words(client: httpx.Client) -> None:
    response = client.get("/sse/openai-flood", params={"n": 25})
    data = _sse_data(response.text)
    assert data[-1] == "[DONE]"
    chunks = [json.loads(item) for item in data[:-1]]
    assert {chunk["object"] for chunk in chunks} == {"chat.completion.chunk"}
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    text = "".join(chunk["choices"][0]["delta"].get("content", "") for chunk in chunks)
    assert text == "".join(FLOOD_WORDS[k % len(FLOOD_WORDS)] for k in range(25))


def test_flood_streams_in_several_chunks(client: httpx.Client) -> None:
    with client.stream("GET", "/sse/flood", params={"n": 50_000}) as response:
        chunk_count = sum(1 for _ in response.iter_raw())
    assert chunk_count > 1


@pytest.mark.parametrize("path", ["/sse/drop", "/ndjson/drop"])
def test_drop_cuts_the_body_after_k_events(client: httpx.Client, path: str) -> None:
    received = b""
    with pytest.raises(httpx.RemoteProtocolError):
        with client.stream("GET", path, params={"after": 4}) as response:
            assert response.status_code == 200
            for chunk in response.iter_bytes():
                received += chunk
    assert received.count(b'"i":') == 4


def test_server_survives_a_drop(client: httpx.Client) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/sse/drop", params={"after": 1})
    assert client.get("/sse/flood", params={"n": 1}).status_code == 200


def test_drip_sends_n_events(client: httpx.Client) -> None:
    response = client.get("/sse/drip", params={"n": 3, "interval": 0})
    assert len(_sse_data(response.text)) == 3


def test_heartbeat_interleaves_comments(client: httpx.Client) -> None:
    response = client.get("/sse/heartbeat", params={"n": 3})
    assert response.text.count(": keep-alive\n") == 3
    assert len(_sse_data(response.text)) == 3


def test_malformed_sse_has_the_promised_defects(client: httpx.Client) -> None:
    body = client.get("/sse/malformed").content
    assert b"\x00" in body
    assert b"retry: soon" in body
    assert b"this line has no colon\n" in body
    assert body.endswith(b'data: {"i": 5}\n\n')


def test_malformed_ndjson_ends_with_a_truncated_line(client: httpx.Client) -> None:
    lines = client.get("/ndjson/malformed").content.split(b"\n")
    assert json.loads(lines[0]) == {"i": 0}
    assert b"NaN" in lines[2]
    with pytest.raises(json.JSONDecodeError):
        json.loads(lines[-1])


def test_no_blank_lines_never_ends_an_event(client: httpx.Client) -> None:
    body = client.get("/sse/no-blank-lines", params={"n": 4}).text
    assert "\n\n" not in body
    assert len(_sse_data(body)) == 4


def test_wrong_type_is_sse_served_as_text_plain(client: httpx.Client) -> None:
    response = client.get("/sse/wrong-type")
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("data: ")


def test_ids_include_retry_and_a_reset(client: httpx.Client) -> None:
    body = client.get("/sse/ids").text
    assert "retry: 3000\n" in body
    assert "\nid:\n" in body


def test_big_json_is_one_valid_document_of_about_the_asked_size(client: httpx.Client) -> None:
    response = client.get("/json/big", params={"mb": 0.5})
    assert response.headers["content-type"].startswith("application/json")
    assert 0.5 * 1024 * 1024 <= len(response.content) < 0.6 * 1024 * 1024
    assert json.loads(response.content)["items"][1]["i"] == 1


@pytest.mark.parametrize("code", [200, 201, 400, 401, 404, 429, 500, 503])
def test_status_answers_with_that_code(client: httpx.Client, code: int) -> None:
    response = client.get(f"/status/{code}")
    assert response.status_code == code
    assert response.json()["status"] == code


@pytest.mark.parametrize("query", ["n=abc", "n=-1", "n=99999999999"])
def test_bad_parameters_are_a_clear_400(client: httpx.Client, query: str) -> None:
    response = client.get(f"/sse/flood?{query}")
    assert response.status_code == 400
    assert "'n'" in response.json()["error"]


def test_bad_status_code_is_a_400(client: httpx.Client) -> None:
    assert client.get("/status/99").status_code == 400
