"""The editor draft ⇄ model definition seam: lossless round trips, clear errors for bad lines."""

from __future__ import annotations

import pytest

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
from app.ui.request.bridge import (
    DraftError,
    definition_from_draft,
    draft_from_definition,
)
from app.ui.request.draft import parse_pairs
from app.vocabulary import ParseMode, RuleMode, WsFormat

FULL = RequestDefinition(
    name="Chat",
    url="{{base_url}}/v1/chat/completions",
    method="POST",
    params=(("a", "1"), ("a", "2")),
    headers=(("Authorization", "Bearer {{token}}"), ("X-Trace", "on")),
    body=Body(BodyType.JSON, '{"stream": true}', extra=(("note", "kept"),)),
    auth=Auth(AuthType.API_KEY, key_name="x-api-key", key_value="{{api_key}}", location="query"),
    stream=StreamSettings(ParseMode.SSE, "openai", (MergeRule("$.a", reasoning="$.r", event="delta", mode=RuleMode.SNAPSHOT),)),
    extract=(ExtractionRule("job_id", ExtractSource.SSE, "$.id", "done"), ExtractionRule("h", ExtractSource.HEADER, "X-Id")),
    websocket=WebSocketSettings(subprotocols=("v1",), messages=(SavedMessage("hi", WsFormat.JSON, "greet"),)),
    options=RequestOptions(read_timeout=5.0),
    variables=(("model", "gpt"),),
    extra=(("unknown", 1),),
)


def test_round_trip_keeps_everything() -> None:
    assert definition_from_draft(draft_from_definition(FULL), FULL) == FULL


def test_form_body_and_basic_auth_round_trip() -> None:
    form = RequestDefinition(name="f", url="http://x", method="POST", body=Body(BodyType.FORM, form=(("a", "1"), ("b", ""))),
                             auth=Auth(AuthType.BASIC, username="u", password="p"))
    assert definition_from_draft(draft_from_definition(form), form) == form


def test_editing_changes_only_what_was_edited() -> None:
    draft = draft_from_definition(FULL).with_changes(url="http://other", headers="A: b\n# B: off")
    edited = definition_from_draft(draft, FULL)
    assert edited.url == "http://other"
    assert edited.headers == (("A", "b"),)
    assert edited.options == FULL.options and edited.extra == FULL.extra


def test_bad_rule_lines_are_named() -> None:
    draft = draft_from_definition(FULL)
    with pytest.raises(DraftError, match="source must be"):
        definition_from_draft(draft.with_changes(extract="x = nowhere $.a"), FULL)
    with pytest.raises(DraftError, match="merge rule option"):
        definition_from_draft(draft.with_changes(merge_rules="$.a | colour=red"), FULL)


def test_badges() -> None:
    draft = draft_from_definition(FULL)
    assert draft.badge == "SSE"
    assert draft.with_changes(parse_mode="auto").badge == "POST"
    assert draft.with_changes(url="wss://x").badge == "WS"


def test_parse_pairs_keeps_colons_in_values() -> None:
    assert parse_pairs("Host: a:1\n\n#off: x\nbare", ":") == (("Host", "a:1"), ("bare", ""))
