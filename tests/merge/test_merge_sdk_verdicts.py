"""The merge against the official SDKs' own accumulators, on streams as the providers send them.

Each `sdk_streams/NAME.sse` or `NAME.ndjson` is a stream byte for byte; `NAME.sdk.json` is what the SDK it
names made of it (openai-python's `ChatCompletionStreamState` and `ResponseStreamState`, anthropic-python's
`accumulate_event`, google-genai's parsed chunks, ollama-python's parsed lines), written by a scratch script
that fed the same bytes to the SDK. No SDK is needed here: the verdicts are data.

The stream goes through the real decoders, whole and cut into small chunks (inside UTF-8 sequences and
escapes), and the merged reply must say what the SDK says: each choice's text, reasoning, tool calls (id,
name, and the argument text or the parsed input) and finish reason, the usage, and whether an error ended it.
Where Sluice shows something the SDK keeps apart, the reading is written out here (`expected_text`).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from app.event_runs import EventRun
from app.events import ResponseOpened, StreamClosed, TimelineEvent
from app.streams.merge import MergedReply, MergeEngine
from app.streams.merge.builder import REASONING_BREAK, REFUSAL_NOTE
from app.streams.ndjson import NdjsonDecoder
from app.streams.sse import SseDecoder

STREAMS = Path(__file__).parent / "sdk_streams"
VERDICTS = sorted(STREAMS.glob("*.sdk.json"))
CHUNK_SIZES = (None, 1, 7, 64)
"""None: the whole body in one read; else reads of this many bytes (cutting characters and escapes)."""


def merged(wire: Path, chunk_size: int | None) -> MergedReply:
    """The body read as the HTTP worker reads it: one batch per read, a run for a read's several payloads."""
    body = wire.read_bytes()
    sse = wire.suffix == ".sse"
    decoder = SseDecoder() if sse else NdjsonDecoder()
    content_type = "text/event-stream" if sse else "application/x-ndjson"
    engine = MergeEngine()
    engine.feed([TimelineEvent(0, 0.0, ResponseOpened(200, "HTTP/1.1", (("content-type", content_type),)))])
    seq, t = 1, 0.0
    size = chunk_size or len(body) or 1
    batches = [decoder.feed_batch(body[at : at + size]) for at in range(0, len(body), size)] + [decoder.finish_batch()]
    for batch in batches:
        t += 0.01
        payloads = batch.payloads
        if len(payloads) == 1:
            engine.feed([TimelineEvent(seq, t, payloads[0], batch.sizes[0])])
        elif payloads:
            engine.feed([EventRun(seq, t, payloads, batch.sizes)])
        seq += len(payloads)
    engine.feed([TimelineEvent(seq, t, StreamClosed(len(body), seq - 1, t, 0.0, None, None))])
    return engine.finish()


def expected_text(choice: dict[str, Any]) -> str:
    """A refusal (OpenAI's `refusal`, kept apart from `content` by the SDK) is what the model answered:
    Sluice shows it as the reply's text; so is a spoken reply's transcript (`audio.transcript`)."""
    return choice["text"] + choice.get("refusal", "") + choice.get("audio", {}).get("transcript", "")


def expected_reasoning(choice: dict[str, Any]) -> str:
    """Reasoning the SDK keeps in parts (Responses summary parts, Anthropic thinking blocks) is one text
    with a blank line between the parts: each part is its own paragraph, often under its own heading."""
    if "reasoning_parts" in choice:
        return REASONING_BREAK.join(part for part in choice["reasoning_parts"] if part)
    return choice["reasoning"]


def expected_calls(choice: dict[str, Any]) -> list[dict[str, Any]]:
    """The SDK's calls, with a Responses built-in tool's output item (kept whole as `item`) read as Sluice
    shows it: a call under the tool's name with its input (an MCP call: the MCP tool's name and arguments;
    code interpreter: its code, as text). An MCP server's tool list is no call (it is a note)."""
    calls = []
    for sdk_call in choice["tool_calls"]:
        item = sdk_call.get("item")
        if item is None:
            calls.append(sdk_call)
        elif item["type"] in BUILTIN_INPUTS:
            name, reading = BUILTIN_INPUTS[item["type"]]
            calls.append({"id": item["id"], "name": name or item["name"], **reading(item)})
    return calls


BUILTIN_INPUTS: dict[str, tuple[str | None, Any]] = {
    "web_search_call": ("web_search", lambda item: {"input": item.get("action", {})}),
    "file_search_call": ("file_search", lambda item: {"input": {"queries": item["queries"]}}),
    "code_interpreter_call": ("code_interpreter", lambda item: {"arguments": item["code"]}),
    "mcp_call": (None, lambda item: {"arguments": item["arguments"]}),
    "image_generation_call": ("image_generation", lambda item: {"input": {
        key: item[key] for key in ("revised_prompt", "action", "size", "quality", "output_format", "background") if key in item
    }}),
}


def expected_notes(verdict: dict[str, Any]) -> list[list[str]]:
    """What the notes must say (each list's pieces in one note) where the SDK keeps something beside the
    text and calls: a spoken reply's audio (its id and size), an MCP server's tool list (the server and
    each tool), a generated image (its id and size)."""
    notes = []
    for choice in verdict["choices"]:
        audio = choice.get("audio")
        if audio:
            notes.append([audio["id"], f"{audio['data_bytes']:,} bytes"])
        for item in (sdk_call["item"] for sdk_call in choice["tool_calls"] if "item" in sdk_call):
            if item["type"] == "mcp_list_tools":
                notes.append([item["server_label"], *(tool["name"] for tool in item["tools"])])
            elif item["type"] == "image_generation_call":
                notes.append([item["id"], f"{len(base64.b64decode(item['result'])):,} bytes"])
    return notes


def call_view(call: Any, sdk_call: dict[str, Any]) -> dict[str, Any]:
    """Sluice's call in the SDK's terms: the argument text where the SDK keeps text, else the parsed input."""
    view = {"id": call.id, "name": call.name}
    if "arguments" in sdk_call:
        view["arguments"] = call.arguments_text
    else:
        view["input"] = call.arguments if call.complete else call.arguments_text
    return view


@pytest.mark.parametrize("chunk_size", CHUNK_SIZES, ids=lambda size: f"reads-of-{size or 'all'}")
@pytest.mark.parametrize("verdict_path", VERDICTS, ids=lambda path: path.name.removesuffix(".sdk.json"))
def test_merge_agrees_with_the_sdk(verdict_path: Path, chunk_size: int | None) -> None:
    verdict = json.loads(verdict_path.read_text(encoding="utf-8"))
    name = verdict_path.name.removesuffix(".sdk.json")
    reply = merged(_wire(name), chunk_size)
    by_index = {choice.index: choice for choice in reply.choices} if reply.choices else {0: reply}
    for sdk_choice in verdict["choices"]:
        ours = by_index[sdk_choice["index"]]
        assert ours.text == expected_text(sdk_choice)
        assert ours.reasoning == expected_reasoning(sdk_choice)
        sdk_calls = expected_calls(sdk_choice)
        calls = [call_view(call, sdk_call) for call, sdk_call in zip(ours.tool_calls, sdk_calls)]
        assert (calls, len(ours.tool_calls)) == (sdk_calls, len(sdk_calls))
        assert all(call.complete for call in ours.tool_calls) or verdict["error"]
        if not verdict["error"]:
            assert ours.finish_reason == sdk_choice["finish_reason"]
    assert len(by_index) == len(verdict["choices"])
    refused = any(choice.get("refusal") for choice in verdict["choices"])
    assert (REFUSAL_NOTE in reply.notes) == refused
    for pieces in expected_notes(verdict):
        assert any(all(piece in note for piece in pieces) for note in reply.notes), (pieces, reply.notes)
    # A generated image arrives as base64: the merged reply says its size, it does not hold it.
    images = [c["item"]["result"] for choice in verdict["choices"] for c in choice["tool_calls"] if "result" in c.get("item", {})]
    assert not any(image[:64] in json.dumps([reply.to_json(), reply.notes]) for image in images)
    if verdict["error"]:
        # The SDK raises on an in-stream error: the reply is not whole, and the error is said.
        assert not reply.complete and any(verdict["error"] in error for error in reply.errors)
    else:
        assert reply.complete and reply.errors == ()
        # The SDKs' usage objects hold a count the stream left null as None, dumped without it.
        assert {key: value for key, value in reply.usage.items() if value is not None} == verdict["usage"]
    assert reply.mismatch is None
    assert not [note for note in reply.notes if "not valid JSON" in note]


def _wire(name: str) -> Path:
    for suffix in (".sse", ".ndjson"):
        path = STREAMS / f"{name}{suffix}"
        if path.exists():
            return path
    raise AssertionError(f"no stream file beside {name}.sdk.json")


def test_every_stream_has_a_verdict() -> None:
    streams = {path.stem for path in STREAMS.iterdir() if path.suffix in (".sse", ".ndjson")}
    assert streams == {path.name.removesuffix(".sdk.json") for path in VERDICTS} and len(streams) >= 10
