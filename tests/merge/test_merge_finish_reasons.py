"""A finish reason is the one the stream named, or none: the merge never makes one up.

A stream can end well without naming why (an Ollama from before `done_reason`, spring 2024): the merged
reply is then complete with `finish_reason` null, as the provider's SDK leaves it (ollama-python's
`done_reason: None`), rather than a guessed "stop" that could hide a cut at the token limit.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from merge_recorded import merge, ndjson_timeline

_NAMED = st.sampled_from(["stop", "length", "load", "unload", "tool_calls", "Stop?", "é"])
_NONE_NAMED = st.sampled_from([None, ""])
"""What a server that names no reason sends: the key left out (None here), or null / an empty string."""
_MISSING = object()


def _final_ollama_line(chat: bool, reason: Any) -> dict[str, Any]:
    line: dict[str, Any] = {"model": "llama3", "created_at": "2024-04-30T09:12:01Z", "done": True, "eval_count": 3}
    line.update({"message": {"role": "assistant", "content": "!"}} if chat else {"response": "!"})
    if reason is not _MISSING:
        line["done_reason"] = reason
    return line


@given(chat=st.booleans(), reason=st.one_of(_NAMED, _NONE_NAMED, st.just(_MISSING)))
def test_ollama_finish_reason_is_the_done_reason_or_none(chat: bool, reason: Any) -> None:
    first = {"model": "llama3", "created_at": "2024-04-30T09:12:00Z", "done": False}
    first.update({"message": {"role": "assistant", "content": "Hi"}} if chat else {"response": "Hi"})
    reply = merge(ndjson_timeline([first, _final_ollama_line(chat, reason)]))
    named = reason if isinstance(reason, str) and reason else None
    assert (reply.profile, reply.text, reply.finish_reason, reply.complete) == ("ollama", "Hi!", named, True)
    assert reply.to_json()["finish_reason"] == named and reply.usage == {"eval_count": 3}
