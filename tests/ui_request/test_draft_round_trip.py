"""Request file → editor draft → request file: the same bytes on disk and the same bytes on the wire.

Two levels: the draft ⇄ definition bridge over any request hypothesis can write (every body and auth
type, Base64 included), and the editor widget itself, whose selectors must offer every value the model
can hold (a Base64 body once came back as `type = "text"`).
"""

from __future__ import annotations

import base64
import string
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from app.model.request_definition import (
    MAX_FILE_SIZE_LIMIT,
    Auth,
    AuthType,
    Body,
    BodyType,
    DisabledPair,
    ExtractionRule,
    ExtractSource,
    MergeRule,
    RequestDefinition,
    SavedMessage,
    StreamSettings,
    WebSocketSettings,
    split_pair_lines,
)
from app.model.resolve import InvalidHeader, resolve_http, resolve_ws
from app.model.scopes import RunScopes
from app.model.toml_format import dumps_request, loads_request
from app.ui.request.bridge import definition_from_draft, draft_from_definition
from app.ui.request.draft import HTTP_METHODS
from app.ui.request.editor import RequestEditor
from app.ui.request.editor_tab import EditorKeys
from app.ui.request.tabs import EDITOR_TABS
from app.ui.request.url_bar import VariableHighlighter
from app.vocabulary import ParseMode, RuleMode, WsFormat

SCOPES = RunScopes(run={"host": "http://127.0.0.1:9", "token": "t0k"})

WORD = st.text(string.ascii_letters + string.digits + "-_", min_size=1, max_size=10)
# One-line values as a person types them: no line breaks, no surrounding spaces (a line is stripped).
LINE = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=16).map(str.strip)
PAIRS = st.lists(st.tuples(WORD, LINE), max_size=3).map(tuple)
# Enabled and `#`-disabled lines, in any order.
PAIR_LINES = st.lists(st.tuples(WORD, LINE, st.booleans()), max_size=4).map(split_pair_lines)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@st.composite
def bodies(draw: st.DrawFn) -> Body:
    kind = draw(st.sampled_from(BodyType))
    if kind is BodyType.NONE:
        return Body()
    if kind is BodyType.FORM:
        return Body(kind, form=draw(PAIRS.filter(bool)))
    if kind is BodyType.BASE64:
        return Body(kind, base64.b64encode(draw(st.binary(min_size=1, max_size=24))).decode("ascii"))
    return Body(kind, draw(TEXT.filter(bool)))


@st.composite
def auths(draw: st.DrawFn) -> Auth:
    kind = draw(st.sampled_from(AuthType))
    if kind is AuthType.NONE:
        return Auth()
    if kind is AuthType.BEARER:
        return Auth(kind, token=draw(LINE))
    if kind is AuthType.BASIC:
        return Auth(kind, username=draw(LINE), password=draw(LINE))
    return Auth(kind, key_name=draw(WORD), key_value=draw(LINE), location=draw(st.sampled_from(["header", "query"])))


RULES = st.builds(
    MergeRule, text=WORD.map(lambda word: f"$.{word}"), reasoning=st.just("") | WORD.map(lambda w: f"$.{w}"),
    event=st.just("") | WORD, mode=st.sampled_from(RuleMode),
)
EXTRACTS = st.builds(
    ExtractionRule, variable=WORD, source=st.sampled_from(ExtractSource), path=WORD.map(lambda w: f"$.{w}"),
    event=st.just("") | WORD,
)
MESSAGES = st.builds(SavedMessage, content=TEXT, format=st.sampled_from(WsFormat), name=LINE)


@st.composite
def definitions(draw: st.DrawFn) -> RequestDefinition:
    websocket = draw(st.booleans())
    url = draw(st.sampled_from(["{{host}}/a", "http://127.0.0.1:9/b?x=1", " http://127.0.0.1:9/padded "]))
    if websocket:
        url = draw(st.sampled_from(["ws://127.0.0.1:9/ws", "{{ws_url}}/chat"]))
    params, disabled_params = draw(PAIR_LINES)
    headers, disabled_headers = draw(PAIR_LINES)
    return RequestDefinition(
        name=draw(LINE),
        url=url,
        method="GET" if websocket else draw(st.sampled_from([*HTTP_METHODS, "PROPFIND"])),
        description=draw(TEXT),
        params=params,
        headers=headers,
        disabled_params=disabled_params,
        disabled_headers=disabled_headers,
        body=draw(bodies()),
        auth=draw(auths()),
        stream=StreamSettings(
            parse_mode=draw(st.sampled_from(ParseMode)),
            merge_profile=draw(st.sampled_from(["auto", "openai", "custom"])),
            rules=tuple(draw(st.lists(RULES, max_size=2))),
        ),
        extract=tuple(draw(st.lists(EXTRACTS, max_size=2))),
        websocket=WebSocketSettings(
            subprotocols=tuple(draw(st.lists(WORD, max_size=2))), origin=draw(LINE), cookies=draw(PAIRS),
            auto_reconnect=draw(st.booleans()), max_message_size=draw(st.integers(1, MAX_FILE_SIZE_LIMIT)),
            messages=tuple(draw(st.lists(MESSAGES, max_size=2))),
        ),
    )


def wire(definition: RequestDefinition) -> object:
    scopes = replace(SCOPES, run={**SCOPES.run, "ws_url": "ws://127.0.0.1:9"})
    try:
        return resolve_ws(definition, scopes) if definition.is_websocket else resolve_http(definition, scopes)
    except InvalidHeader as error:  # a non-ASCII header value httpx cannot send: refused alike both ways
        return str(error)


def unseen(definition: RequestDefinition) -> RequestDefinition:
    """`definition` without what the editor shows, so converting back must rebuild it from the draft."""
    return replace(definition, params=(), headers=(), disabled_params=(), disabled_headers=(), body=Body(), auth=Auth(), extract=(),
                   stream=StreamSettings(), websocket=WebSocketSettings(), method="GET")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(definitions())
def test_file_to_draft_to_file_is_byte_identical_and_sends_the_same_bytes(definition: RequestDefinition) -> None:
    text = dumps_request(definition)
    loaded = loads_request(text)
    draft = draft_from_definition(loaded)
    saved = definition_from_draft(draft, loaded)
    assert dumps_request(saved) == text
    assert wire(saved) == wire(loaded)
    # The draft alone carries every shown field: rebuilt from it, the request is the same.
    rebuilt = definition_from_draft(draft, unseen(loaded))
    assert dumps_request(replace(rebuilt, url=loaded.url)) == text
    assert wire(replace(rebuilt, url=loaded.url)) == wire(loaded)


def test_a_base64_body_is_sent_as_its_bytes() -> None:
    definition = loads_request('url = "http://127.0.0.1:9/up"\nmethod = "POST"\n[body]\ntype = "base64"\ncontent = "AP8Q"\n')
    draft = draft_from_definition(definition)
    assert draft.body_type is BodyType.BASE64
    assert resolve_http(definition_from_draft(draft, definition)).body == b"\x00\xff\x10"


class EditorApp(App[None]):
    def __init__(self, draft: object) -> None:
        super().__init__()
        self._draft = draft

    def compose(self) -> ComposeResult:
        yield RequestEditor(VariableHighlighter(lambda name: True), keys=EditorKeys("alt+v", "^j", "^s"),
                            id="editor")

    def on_mount(self) -> None:
        self.query_one(RequestEditor).load(self._draft, None)  # type: ignore[arg-type]


EDITOR_CASES = [
    RequestDefinition(name="b64", url="http://x/", method="POST", body=Body(BodyType.BASE64, "AP8Q"),
                      headers=(("A", "1"),), disabled_headers=(DisabledPair(0, "X-Off", "2"),),
                      auth=Auth(AuthType.API_KEY, key_name="k", key_value="v", location="query")),
    RequestDefinition(name="form", url="http://x/", method="PROPFIND", body=Body(BodyType.FORM, form=(("a", "1"),)),
                      auth=Auth(AuthType.BASIC, username="u", password="p"),
                      stream=StreamSettings(ParseMode.JSON_ARRAY, rules=(MergeRule("$.t", mode=RuleMode.SNAPSHOT),))),
    RequestDefinition(name="ws", url="{{ws_url}}/chat", method="WS", auth=Auth(AuthType.BEARER, token="t"),
                      websocket=WebSocketSettings(messages=(SavedMessage("AQI=", WsFormat.BASE64, "bin"),))),
]


@pytest.mark.parametrize("definition", EDITOR_CASES, ids=lambda definition: definition.name)
async def test_the_editor_gives_back_what_it_was_given(definition: RequestDefinition) -> None:
    text = dumps_request(definition)
    draft = draft_from_definition(loads_request(text))
    app = EditorApp(draft)
    async with app.run_test(size=(160, 45)) as pilot:
        editor = app.query_one(RequestEditor)
        for spec in EDITOR_TABS:
            editor.show_tab(spec.id)
            await pilot.pause()
        assert editor.draft == draft
        assert not editor.is_dirty
        assert dumps_request(definition_from_draft(editor.draft, loads_request(text))) == text
