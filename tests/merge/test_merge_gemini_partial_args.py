"""Gemini's streamed function-call arguments (`partialArgs`), through the real SSE and JSON-array decoders,
for any chunking of the bytes; and from the demo server through `sluice run`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from merge_recorded import merge

from app.events import ResponseOpened, StreamClosed, TimelineEvent
from app.streams.json_array import JsonArrayDecoder
from app.streams.merge.partial_args import BadPath, apply_partial, parse_path
from app.streams.sse import SseDecoder


def chunk(parts: list[dict[str, Any]], finish: str | None = None) -> dict[str, Any]:
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": parts}, "index": 0}
    if finish:
        candidate["finishReason"] = finish
    return {"candidates": [candidate]}


def call(**fields: Any) -> dict[str, Any]:
    return {"functionCall": fields}


def partial(path: str, more: bool = False, **value: Any) -> dict[str, Any]:
    return {"jsonPath": path, **value, **({"willContinue": True} if more else {})}


# Shaped like Vertex's documented `streamFunctionCallArguments` output: a named opening part, arguments
# as JSON paths (a string cut over three parts, a number, a bool, null, a nested list), an empty close.
VERTEX_CHUNKS = [
    chunk([{"text": "Let me look that up."}]),
    chunk([call(name="get_weather", willContinue=True)]),
    chunk([call(partialArgs=[partial("$.location", True, stringValue="San Fr")], willContinue=True)]),
    chunk([call(partialArgs=[partial("$.location", True, stringValue="ancisco, ")], willContinue=True)]),
    chunk([call(partialArgs=[partial("$.location", stringValue="CA"), partial("$.days", numberValue=3)],
                willContinue=True)]),
    chunk([call(partialArgs=[partial("$.metric", boolValue=True), partial("$.note", nullValue="NULL_VALUE"),
                             partial("$.stops[1]['city name']", stringValue="Oslo")], willContinue=True)]),
    chunk([call()]),
    chunk([call(name="get_time", willContinue=True)]),
    chunk([call(partialArgs=[partial("$.zone", stringValue="UTC")], willContinue=True)], "STOP"),
]
EXPECTED = [
    ("get_weather", {"location": "San Francisco, CA", "days": 3, "metric": True, "note": None,
                     "stops": [None, {"city name": "Oslo"}]}),
    ("get_time", {"zone": "UTC"}),  # closed by the end of the stream
]


def sse_body(chunks: list[dict[str, Any]]) -> bytes:
    return "".join(f"data: {json.dumps(item)}\r\n\r\n" for item in chunks).encode()


def array_body(chunks: list[dict[str, Any]]) -> bytes:
    return ("[" + ",\r\n".join(json.dumps(item, indent=2) for item in chunks) + "]").encode()


def decoded(decoder: Any, body: bytes, cuts: list[int], content_type: str) -> list[TimelineEvent]:
    bounds = [0, *sorted(cut % (len(body) + 1) for cut in cuts), len(body)]
    payloads = []
    for start, end in zip(bounds, bounds[1:]):
        payloads += [payload for payload, _ in decoder.feed(body[start:end])]
    payloads += [payload for payload, _ in decoder.finish()]
    events = [TimelineEvent(0, 0.0, ResponseOpened(200, "HTTP/1.1", (("content-type", content_type),)))]
    events += [TimelineEvent(n + 1, 0.01 * (n + 1), payload) for n, payload in enumerate(payloads)]
    events.append(TimelineEvent(len(events), 1.0, StreamClosed(len(body), len(payloads), 1.0, 0.0, None, None)))
    return events


def calls(events: list[TimelineEvent]) -> list[tuple[str | None, Any]]:
    reply = merge(events)
    assert reply.profile == "gemini" and reply.text == "Let me look that up."
    assert all(call.complete for call in reply.tool_calls)
    return [(call.name, call.arguments) for call in reply.tool_calls]


@settings(max_examples=60, deadline=None)
@given(cuts=st.lists(st.integers(min_value=0, max_value=5000), max_size=20))
def test_sse_any_chunking(cuts: list[int]) -> None:
    assert calls(decoded(SseDecoder(), sse_body(VERTEX_CHUNKS), cuts, "text/event-stream")) == EXPECTED


@settings(max_examples=60, deadline=None)
@given(cuts=st.lists(st.integers(min_value=0, max_value=5000), max_size=20))
def test_json_array_any_chunking(cuts: list[int]) -> None:
    assert calls(decoded(JsonArrayDecoder(), array_body(VERTEX_CHUNKS), cuts, "application/json")) == EXPECTED


def test_arguments_show_while_they_stream() -> None:
    events = decoded(SseDecoder(), sse_body(VERTEX_CHUNKS[:4]), [], "text/event-stream")[:-1]
    from app.streams.merge import MergeEngine

    engine = MergeEngine()
    engine.feed(events)
    (streaming,) = engine.reply.tool_calls
    assert not streaming.complete and json.loads(streaming.arguments_text) == {"location": "San Francisco, "}


def test_a_whole_call_is_still_read_at_once() -> None:
    events = decoded(SseDecoder(), sse_body([chunk([call(name="f", args={"a": 1})], "STOP")]), [], "text/event-stream")
    reply = merge(events)
    assert [(c.name, c.arguments) for c in reply.tool_calls] == [("f", {"a": 1})]


def test_paths() -> None:
    assert parse_path("$.a.b[2]['c d'][\"e\"]") == ("a", "b", 2, "c d", "e")
    with pytest.raises(BadPath):
        parse_path("a.b")
    with pytest.raises(BadPath):
        parse_path("$..a")
    arguments: dict[str, Any] = {"a": []}
    with pytest.raises(BadPath):
        apply_partial(arguments, ("a", "x"), "y")


@pytest.mark.parametrize("alt", ["?alt=sse&", "?"])
def test_demo_server_streams_arguments_through_sluice_run(demo_server, sluice, alt: str) -> None:
    body = {"contents": [], "toolConfig": {"functionCallingConfig": {"streamFunctionCallArguments": True}}}
    url = f"{demo_server.base_url}/v1beta/models/gemini-2.5-flash:streamGenerateContent{alt}delay=0"
    parse = [] if alt.startswith("?alt") else ["--parse", "json-array"]
    result = sluice("run", url, "--json", json.dumps(body), *parse, "--jsonl")
    assert result.code == 0, result.stderr
    merged = next(line for line in result.lines if line["kind"] == "merged")
    assert merged["tool_calls"] == [{"id": None, "name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}]
    assert merged["complete"]
