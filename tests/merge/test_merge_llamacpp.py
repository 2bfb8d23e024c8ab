"""llama.cpp server, from its README (tools/server): `/completion` and the OpenAI-compatible endpoints.

`/completion` streams `{"content", "stop": false}` chunks and ends each prompt's reply with `stop: true`,
`stop_type` (`eos`, `word`, `limit`; servers before early 2025 said `stopped_eos` / `stopped_word` /
`stopped_limit`), `timings`, `truncated`; several prompts stream interleaved, each chunk naming its `index`.
`/v1/completions` streams legacy completion chunks (`choices[].text`), and both OpenAI-compatible
endpoints put `timings` beside the last chunk's `usage`.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from merge_recorded import merge, sse_lines, sse_timeline

TIMINGS = {"prompt_n": 5, "prompt_ms": 38.2, "predicted_n": 3, "predicted_ms": 52.5, "predicted_per_second": 57.14}


def piece(text: str, index: int = 0) -> dict[str, Any]:
    return {"index": index, "content": text, "tokens": [1], "stop": False, "id_slot": 0, "tokens_predicted": 1, "tokens_evaluated": 5}


def last(index: int = 0, **fields: Any) -> dict[str, Any]:
    return {"index": index, "content": "", "tokens": [], "id_slot": 0, "stop": True, "model": "qwen2.5-0.5b",
            "tokens_predicted": 3, "tokens_evaluated": 5, "timings": TIMINGS, "truncated": False, **fields}


@given(st.sampled_from([("stopped_eos", "eos"), ("stopped_word", "word"), ("stopped_limit", "limit"), (None, None)]))
def test_a_server_before_stop_type_names_its_reason_with_flags(flag_and_reason: tuple[str | None, str | None]) -> None:
    flag, reason = flag_and_reason
    flags = {name: name == flag for name in ("stopped_eos", "stopped_word", "stopped_limit")} if flag else {}
    reply = merge(sse_timeline(sse_lines(piece("Hi"), piece("!"), last(**flags, stopping_word=""))))
    assert (reply.profile, reply.text, reply.finish_reason, reply.complete) == ("llamacpp", "Hi!", reason, True)


def test_stop_type_is_the_finish_reason_and_timings_are_usage() -> None:
    reply = merge(sse_timeline(sse_lines(piece("Hi"), last(stop_type="limit", stopping_word=""))))
    assert (reply.finish_reason, reply.usage["timings"], reply.usage["tokens_predicted"]) == ("limit", TIMINGS, 3)
    assert reply.notes == ()


def test_several_prompts_are_choices_of_their_own() -> None:
    chunks = [piece("One", 0), piece("Two", 1), piece(" a", 0), piece(" b", 1), last(0, stop_type="eos"), piece(" c", 1)]
    before_the_end = merge(sse_timeline(sse_lines(*chunks)))
    assert not before_the_end.complete  # prompt 1 is still streaming
    reply = merge(sse_timeline(sse_lines(*chunks, last(1, stop_type="limit"))))
    assert [(c.index, c.text, c.finish_reason) for c in reply.choices] == [(0, "One a", "eos"), (1, "Two b c", "limit")]
    assert reply.complete


def test_a_context_overflow_is_said() -> None:
    reply = merge(sse_timeline(sse_lines(piece("Hi"), last(stop_type="limit", truncated=True))))
    assert reply.complete and any("truncated" in note for note in reply.notes)


def test_v1_completions_legacy_chunks_are_the_text() -> None:
    head = {"id": "cmpl-1", "object": "text_completion", "created": 1, "model": "qwen2.5-0.5b", "system_fingerprint": "b5500-abc"}
    chunks = [{**head, "choices": [{"text": text, "index": 0, "logprobs": None, "finish_reason": None}]} for text in ("Par", "is")]
    final = {**head, "choices": [{"text": "", "index": 0, "logprobs": None, "finish_reason": "length"}],
             "usage": {"completion_tokens": 2, "prompt_tokens": 4, "total_tokens": 6}, "timings": TIMINGS}
    reply = merge(sse_timeline(sse_lines(*chunks, final, "[DONE]")))
    assert (reply.profile, reply.text, reply.finish_reason, reply.complete) == ("openai", "Paris", "length", True)
    assert reply.usage == {**final["usage"], "timings": TIMINGS}


def test_v1_chat_completions_keeps_the_timings_beside_the_usage() -> None:
    head = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "qwen3-4b", "system_fingerprint": "b5500-abc"}
    chunks = [
        {**head, "choices": [{"index": 0, "delta": {"role": "assistant", "content": None}, "finish_reason": None}]},
        {**head, "choices": [{"index": 0, "delta": {"reasoning_content": "Think."}, "finish_reason": None}]},
        {**head, "choices": [{"index": 0, "delta": {"content": "Paris"}, "finish_reason": None}]},
        {**head, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
         "usage": {"completion_tokens": 3, "prompt_tokens": 4, "total_tokens": 7}, "timings": TIMINGS},
    ]
    reply = merge(sse_timeline(sse_lines(*chunks, "[DONE]")))
    assert (reply.reasoning, reply.text, reply.finish_reason, reply.complete) == ("Think.", "Paris", "stop", True)
    assert reply.usage["timings"] == TIMINGS and reply.usage["completion_tokens"] == 3
    assert json.loads(json.dumps(reply.to_json()))["usage"]["timings"] == TIMINGS
