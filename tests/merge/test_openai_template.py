"""Differential test: the OpenAI profile's chunk-template fast path merges exactly what decoding every
chunk merges, whatever the fragments hold (quotes, escapes, control characters, any Unicode) and however
the stream changes shape (other ids, finish reasons, usage, tool calls, duplicate keys)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from app.streams.merge.builder import ReplyBuilder
from app.streams.merge.profiles.openai import OpenAiProfile

HEAD = '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":'
TEXTS = st.text(max_size=6) | st.sampled_from(['"', "\\", "\\u0041", "\x00", "\u2028", "é", "", "a\"b"])


def plain(text: str, ensure_ascii: bool) -> str:
    return HEAD + '{"content":' + json.dumps(text, ensure_ascii=ensure_ascii) + '},"finish_reason":null}]}'


CHUNKS = st.one_of(
    st.builds(plain, TEXTS, st.booleans()),
    st.builds(plain, TEXTS, st.booleans()),
    st.builds(plain, TEXTS, st.booleans()),
    TEXTS.map(lambda text: plain(text, False).replace('"c1"', '"c2"')),
    TEXTS.map(lambda text: plain(text, False).replace('"finish_reason":null', '"finish_reason":"stop"')),
    TEXTS.map(lambda text: plain(text, False)[:-1] + ',"usage":{"completion_tokens":3}}'),
    TEXTS.map(lambda text: plain(text, False).replace('{"content":', '{"content":"x","content":')),
    TEXTS.map(lambda text: plain(text, False).replace('},"finish', ',"reasoning":"r"},"finish')),
    TEXTS.map(lambda text: plain(text, False).replace('"finish_reason":null}', '"finish_reason":null},{"index":1,"delta":{"content":"z"}}')),
    st.just(HEAD + '{"tool_calls":[{"index":0,"id":"t","function":{"name":"f","arguments":"{}"}}]}}]}'),
    st.just("[DONE]"),
    st.just("not json"),
)


class DecodingEveryChunk(OpenAiProfile):
    def __init__(self, reply) -> None:
        super().__init__(reply)
        self._template_tries = 0


def merged(profile_type: type[OpenAiProfile], chunks: list[str]) -> object:
    builder = ReplyBuilder("openai")
    profile = profile_type(builder)
    for chunk in chunks:
        profile.on_data("message", chunk)
    profile.finish()
    builder.close_tool_calls()
    builder.flush()
    return builder.snapshot(), builder.fragments


@settings(max_examples=400, deadline=None)
@given(st.lists(CHUNKS, max_size=25))
def test_the_template_path_merges_what_decoding_merges(chunks):
    assert merged(OpenAiProfile, chunks) == merged(DecodingEveryChunk, chunks)


def test_the_template_is_learnt_and_used():
    profile = OpenAiProfile(ReplyBuilder("openai"))
    for text in ("a", "b", 'c"d', "e"):
        profile.on_data("message", plain(text, False))
    assert profile._template is not None
    assert profile.reply.first.text == 'abc"de'


def merged_in_groups(chunks: list[str], cuts: list[int]) -> object:
    """As `merged`, but the chunks go to `on_messages` in groups (the SSE messages of one network chunk)."""
    builder = ReplyBuilder("openai")
    profile = OpenAiProfile(builder)
    edges = sorted({min(cut, len(chunks)) for cut in cuts})
    added = 0
    for start, end in zip([0, *edges], [*edges, len(chunks)]):
        group = chunks[start:end]
        before = builder.fragments
        added += profile.on_messages(["message"] * len(group), group)
        assert builder.fragments >= before
    profile.finish()
    builder.close_tool_calls()
    builder.flush()
    return builder.snapshot(), builder.fragments, added


@settings(max_examples=300, deadline=None)
@given(st.lists(CHUNKS, max_size=25), st.lists(st.integers(0, 25), max_size=5))
def test_messages_merged_a_group_at_a_time_merge_what_one_at_a_time_merges(chunks, cuts):
    snapshot, fragments, added = merged_in_groups(chunks, cuts)
    assert (snapshot, fragments) == merged(DecodingEveryChunk, chunks)
    # What `on_messages` returns counts the messages that added text, one each (the fragment metrics).
    single = ReplyBuilder("openai")
    profile = DecodingEveryChunk(single)
    expected = 0
    for chunk in chunks:
        before = single.fragments
        profile.on_data("message", chunk)
        expected += single.fragments != before
    assert added == expected
