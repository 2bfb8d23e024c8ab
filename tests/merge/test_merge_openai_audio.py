"""OpenAI chat audio output (`modalities: ["text", "audio"]`): the transcript is the reply's text, and the
audio itself is only counted.

`choices[].delta.audio` carries the audio's `id`, the transcript's fragments, base64 `data` chunks and, at
the end, `expires_at` (openai-python's `ChoiceDeltaAudio`); the SDK's verdict on a whole stream is
`sdk_streams/openai_audio_transcript`. Here: any split of the transcript and of the audio gives the same
reply, and megabytes of audio leave no more than a note behind.
"""

from __future__ import annotations

import base64
import json
import tracemalloc

from hypothesis import given
from hypothesis import strategies as st
from merge_recorded import merge, sse_timeline

from app.streams.merge import MergeEngine

HEAD = {"id": "chatcmpl-Au", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o-audio-preview"}


def chunk(audio: dict) -> str:
    return "data: " + json.dumps({**HEAD, "choices": [{"index": 0, "delta": {"audio": audio}, "finish_reason": None}]}) + "\n"


def stream(transcript: list[str], audio: list[bytes]) -> str:
    chunks = [chunk({"id": "audio_1", "transcript": ""})]
    chunks += [chunk({"transcript": piece}) for piece in transcript]
    chunks += [chunk({"data": base64.b64encode(piece).decode()}) for piece in audio]
    chunks += [chunk({"expires_at": 1733003600})]
    chunks += ["data: " + json.dumps({**HEAD, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}) + "\n", "data: [DONE]\n"]
    return "\n".join(chunks)


@given(transcript=st.lists(st.text(max_size=5), max_size=6), audio=st.lists(st.binary(max_size=40), max_size=6))
def test_the_transcript_is_the_text_and_the_audio_is_counted(transcript: list[str], audio: list[bytes]) -> None:
    reply = merge(sse_timeline(stream(transcript, audio)))
    assert (reply.text, reply.finish_reason, reply.complete) == ("".join(transcript), "stop", True)
    (note,) = [note for note in reply.notes if "audio_1" in note]
    assert f" {sum(map(len, audio)):,} bytes" in note and "2024-11-30 21:53:20 UTC" in note


def test_megabytes_of_audio_are_not_kept() -> None:
    # 4 MB of audio in 64 KB chunks: what the merge keeps afterwards stays far below one chunk's share.
    events = sse_timeline(stream(["Hi"], [bytes(65_536)] * 64))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        engine = MergeEngine()  # alive while measured: what its profile and builder hold is counted
        engine.feed(events)
        reply = engine.finish()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert reply.text == "Hi" and any("4,194,304 bytes" in note for note in reply.notes)
    assert kept < 200_000
