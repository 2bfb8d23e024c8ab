"""Request files: canonical round trip, unknown keys kept, positioned errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.model.request_definition import (
    Auth,
    AuthType,
    Body,
    BodyType,
    ExtractionRule,
    ExtractSource,
    MergeRule,
    RequestDefinition,
    RequestOptions,
    SavedMessage,
    StreamSettings,
    WebSocketSettings,
)
from app.model.toml_format import dumps_request, loads_request
from app.model.toml_location import FileFormatError
from app.vocabulary import ParseMode, WsFormat

FULL = RequestDefinition(
    name="Chat stream",
    url="{{base_url}}/v1/chats",
    method="POST",
    description="Streams a reply.\nSecond line.",
    params=(("fail", "1"), ("tag", "a"), ("tag", "b")),
    headers=(("Accept", "text/event-stream"),),
    body=Body(BodyType.JSON, '{\n  "input": "hi \\"there\\"",\n  "n": 1\n}\n'),
    auth=Auth(AuthType.BEARER, token="{{token}}"),
    stream=StreamSettings(ParseMode.SSE, "openai", (MergeRule("$.output.content", event="delta"),)),
    extract=(ExtractionRule("job_id", ExtractSource.BODY, "$.job_id"),),
    options=RequestOptions(read_timeout=None, verify_tls=False, max_event_size=1_000_000),
    variables=(("model", "gpt"),),
)


def test_a_full_request_round_trips_to_the_same_bytes() -> None:
    text = dumps_request(FULL)
    assert loads_request(text) == FULL
    assert dumps_request(loads_request(text)) == text


def test_json_bodies_are_written_as_readable_literal_strings() -> None:
    text = dumps_request(FULL)
    assert "content = '''\n{\n  \"input\"" in text


def test_websocket_request_needs_no_method_and_keeps_messages() -> None:
    definition = RequestDefinition(
        name="Echo",
        url="ws://127.0.0.1:1/ws/echo",
        websocket=WebSocketSettings(
            subprotocols=("sluice.v1",),
            messages=(SavedMessage('{"a": 1}', WsFormat.JSON, "hello"), SavedMessage("plain")),
        ),
    )
    text = dumps_request(definition)
    assert "method" not in text
    loaded = loads_request(text)
    assert loaded == definition and loaded.is_websocket
    assert dumps_request(loaded) == text


def test_unknown_keys_are_kept_at_every_level() -> None:
    text = (
        'url = "http://x"\nowner = "team-a"\n\n[auth]\ntype = "bearer"\ntoken = "t"\nrotate = true\n\n'
        '[plugin]\nlevel = 3\n\n[[extract]]\nvariable = "v"\nnote = "kept"\n'
    )
    saved = dumps_request(loads_request(text))
    reloaded = loads_request(saved)
    assert ("owner", "team-a") in reloaded.extra and ("plugin", {"level": 3}) in reloaded.extra
    assert reloaded.auth.extra == (("rotate", True),)
    assert reloaded.extract[0].extra == (("note", "kept"),)
    assert dumps_request(reloaded) == saved


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ('url = "http://x"\nname = [1\n', 2, 10, "invalid TOML"),
        ('name = "a"\nmethod = "GET"\n', 1, 1, "missing 'url'"),
        ('url = "http://x"\n\n[headers]\nAccept = 3\n', 4, 1, "'headers.Accept' should be a string"),
        ('url = "http://x"\n[options]\n  http2 = "yes"\n', 3, 3, "'options.http2' should be true or false"),
        ('url = "http://x"\n[body]\ntype = "xml"\n', 3, 1, "expected one of"),
        ('url = "http://x"\n[[extract]]\nvariable = "a"\n[[extract]]\nvariable = "b"\nfrom = 1\n', 6, 1, "extract.from"),
        ('url = 5\n', 1, 1, "'url' should be a string"),
        ('url = "http://x"\n[options]\nmax_event_size = 0\n', 3, 1, "'options.max_event_size' should be a number of bytes"),
    ],
)
def test_malformed_files_name_line_and_column(text: str, line: int, column: int, words: str) -> None:
    with pytest.raises(FileFormatError) as caught:
        loads_request(text)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert words in caught.value.message


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_header_value = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\t"), max_size=40)
"""What a header can hold (no line break nor other control: test_hostile_headers.py has those)."""


@settings(max_examples=150, deadline=None)
@given(
    name=_text,
    url=_text.filter(bool),
    content=_text,
    headers=st.lists(st.tuples(st.text("abcXY-", min_size=1, max_size=6), _header_value), max_size=4),
)
def test_any_request_sluice_writes_round_trips_byte_exact(
    name: str, url: str, content: str, headers: list[tuple[str, str]]
) -> None:
    # Repeated names are grouped into one array, so the canonical order puts them together.
    grouped = tuple(sorted(headers, key=lambda pair: [h[0] for h in headers].index(pair[0])))
    definition = RequestDefinition(
        name=name, url=url, method="POST", headers=grouped, body=Body(BodyType.TEXT, content)
    )
    text = dumps_request(definition)
    assert loads_request(text) == definition
    assert dumps_request(loads_request(text)) == text


def test_every_request_example_in_the_format_docs_loads() -> None:
    import re
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    examples = [block for block in re.findall(r"```toml\n(.*?)```", docs, re.DOTALL) if "\nurl = " in "\n" + block]
    assert len(examples) >= 4
    for example in examples:
        definition = loads_request(example)
        assert definition.url
        assert loads_request(dumps_request(definition)) == definition


def test_the_saved_max_event_size_reaches_the_wire_request() -> None:
    from app.model.resolve import resolve_http

    definition = loads_request('url = "http://x"\n[options]\nmax_event_size = 4096\n')
    assert definition.options.max_event_size == 4096
    assert "max_event_size = 4096" in dumps_request(definition)
    assert resolve_http(definition).max_event_size == 4096
