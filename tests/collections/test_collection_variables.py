"""Variable resolution order, unresolved-variable errors, dynamic values, spans, resolve and extraction."""

from __future__ import annotations

import base64
import re
import uuid
from pathlib import Path

import pytest

from app.events import BodyReceived, NdjsonValue, ResponseOpened, SseMessage, TimelineEvent
from app.model.collection import load_collection
from app.model.request_definition import (
    Auth,
    AuthType,
    Body,
    BodyType,
    ExtractionRule,
    ExtractSource,
    RequestDefinition,
    SavedMessage,
    WebSocketSettings,
)
from app.model.resolve import resolve_http, resolve_ws, resolve_ws_message
from app.model.scopes import RunScopes, UnknownEnvironment, scopes_for
from app.model.variables import UnresolvedVariable, find_variables
from app.run.extraction import apply_extractions, extract_variables
from app.vocabulary import WsFormat

LEVELS = ["run", "request", "folder", "collection", "environment", "dotenv", "os"]


def _collection(tmp_path: Path) -> Path:
    """Every level defines `v_<level>` and the names of the more specific levels: the most specific must win."""

    def defines(level: str) -> str:
        index = LEVELS.index(level)
        return "".join(f'v_{name} = "{level}"\n' for name in LEVELS[: index + 1])

    (tmp_path / "environments").mkdir()
    (tmp_path / "api").mkdir()
    (tmp_path / "collection.toml").write_text("[variables]\n" + defines("collection") + '[headers]\nX-Level = "collection"\nX-Keep = "yes"\n')
    (tmp_path / "environments/dev.toml").write_text(defines("environment"))
    (tmp_path / ".env").write_text(defines("dotenv").replace(" = ", "="))
    (tmp_path / "api/folder.toml").write_text("[variables]\n" + defines("folder") + '[headers]\nX-Level = "folder"\n')
    (tmp_path / "api/r.toml").write_text('url = "http://x"\n[variables]\n' + defines("request"))
    return tmp_path


def test_resolution_order_most_specific_first(tmp_path: Path) -> None:
    root = _collection(tmp_path)
    collection = load_collection(root)
    request = collection.requests()[0]
    os_env = {f"v_{name}": "os" for name in LEVELS}
    scopes = scopes_for(collection, request.path, "dev", run={"v_run": "run"}, os_env=os_env)
    chain = scopes.chain(request.definition)
    for level in LEVELS[:-1]:
        assert chain.lookup(f"v_{level}")[0] == level
    # The OS environment answers only `{{$env.NAME}}`, never a plain name.
    assert chain.lookup("v_os") is None
    assert chain.lookup("$env.v_os") == ("os", "OS environment")
    assert scopes.headers == (("X-Level", "collection"), ("X-Keep", "yes"), ("X-Level", "folder"))


def test_request_headers_replace_inherited_ones(tmp_path: Path) -> None:
    scopes = RunScopes(headers=(("X-Level", "collection"), ("X-Keep", "yes")))
    resolved = resolve_http(RequestDefinition(name="r", url="http://x", headers=(("x-level", "mine"),)), scopes)
    assert resolved.headers == (("X-Keep", "yes"), ("x-level", "mine"))


def test_unknown_environment_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UnknownEnvironment, match="available: dev"):
        scopes_for(load_collection(_collection(tmp_path)), None, "prod")


@pytest.mark.parametrize(
    ("definition", "where"),
    [
        (RequestDefinition(name="r", url="{{host}}/x"), "URL"),
        (RequestDefinition(name="r", url="http://x", headers=(("Authorization", "Bearer {{host}}"),)), "header Authorization"),
        (RequestDefinition(name="r", url="http://x", params=(("q", "{{host}}"),)), "query parameter q"),
        (RequestDefinition(name="r", url="http://x", body=Body(BodyType.JSON, '{"a": "{{host}}"}')), "body"),
        (RequestDefinition(name="r", url="http://x", auth=Auth(AuthType.BEARER, token="{{host}}")), "auth token"),
        (
            RequestDefinition(name="r", url="http://x", auth=Auth(AuthType.API_KEY, key_name="x-api-key", key_value="{{host}}")),
            "auth key x-api-key",
        ),
    ],
)
def test_unresolved_variable_names_itself_and_where(definition: RequestDefinition, where: str) -> None:
    with pytest.raises(UnresolvedVariable) as caught:
        resolve_http(definition, RunScopes(os_env={}))
    assert caught.value.name == "host" and caught.value.where == where
    assert "{{host}}" in str(caught.value) and where in str(caught.value)


def test_dynamic_values_are_fresh_and_well_formed() -> None:
    body = Body(BodyType.TEXT, "{{$uuid}} {{$uuid}} {{$timestamp}} {{$isoTimestamp}} {{ $randomInt }}")
    sent = resolve_http(RequestDefinition(name="r", url="http://x", method="POST", body=body)).body.decode()
    first, second, stamp, iso, number = sent.split(" ")
    assert uuid.UUID(first) != uuid.UUID(second)
    assert stamp.isdigit() and len(stamp) >= 10
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", iso)
    assert 0 <= int(number) <= 1000


def test_find_variables_reports_spans_and_state() -> None:
    chain = RunScopes(run={"known": "1"}).chain()
    spans = find_variables("{{known}}/{{ missing }}/{{$uuid}}", chain)
    assert [(span.start, span.end, span.name, span.resolved) for span in spans] == [
        (0, 9, "known", True),
        (10, 23, "missing", False),
        (24, 33, "$uuid", True),
    ]
    assert spans[0].scope == "run" and spans[0].value == "1"


def test_resolve_http_bodies_and_auth() -> None:
    scopes = RunScopes(dotenv={"user": "ann", "pw": "s3cret", "key": "demo-key"})
    json_request = resolve_http(
        RequestDefinition(name="r", url="http://x", method="POST", body=Body(BodyType.JSON, '{"u": "{{user}}"}'),
                          auth=Auth(AuthType.BASIC, username="{{user}}", password="{{pw}}")),
        scopes,
    )
    assert json_request.body == b'{"u": "ann"}'
    assert ("Content-Type", "application/json") in json_request.headers
    assert ("Authorization", "Basic " + base64.b64encode(b"ann:s3cret").decode()) in json_request.headers
    form_request = resolve_http(
        RequestDefinition(name="r", url="http://x", method="POST", body=Body(BodyType.FORM, form=(("a b", "c&d"),)),
                          headers=(("content-type", "text/x"),),
                          auth=Auth(AuthType.API_KEY, key_name="api_key", key_value="{{key}}", location="query")),
        scopes,
    )
    assert form_request.body == b"a+b=c%26d"
    assert form_request.headers == (("content-type", "text/x"),)
    assert form_request.params == (("api_key", "demo-key"),)


def test_resolve_ws_keeps_message_templates_until_sent() -> None:
    definition = RequestDefinition(
        name="ws", url="{{ws_url}}/ws/chat",
        websocket=WebSocketSettings(subprotocols=("sluice.v1",), messages=(SavedMessage('{"text": "{{greeting}}"}', WsFormat.JSON, "hi"),)),
    )
    scopes = RunScopes(run={"ws_url": "ws://127.0.0.1:9", "greeting": "hello"})
    request = resolve_ws(definition, scopes)
    assert request.url == "ws://127.0.0.1:9/ws/chat" and request.subprotocols == ("sluice.v1",)
    assert request.messages[0].content == '{"text": "{{greeting}}"}'
    assert resolve_ws_message(request.messages[0], definition, scopes).content == '{"text": "hello"}'
    with pytest.raises(UnresolvedVariable, match="message hi"):
        resolve_ws_message(request.messages[0], definition, RunScopes(run={}))


def _events(*payloads: object) -> list[TimelineEvent]:
    return [TimelineEvent(index, index * 0.1, payload) for index, payload in enumerate(payloads)]  # type: ignore[arg-type]


def test_extraction_from_body_sse_ndjson_and_header() -> None:
    opened = ResponseOpened(200, "HTTP/1.1", (("X-Request-Id", "req-7"),))
    rules = [
        ExtractionRule("job_id", ExtractSource.BODY, "$.job_id"),
        ExtractionRule("rid", ExtractSource.HEADER, "x-request-id"),
    ]
    body_events = _events(opened, BodyReceived(b'{"job_id": "job_'), BodyReceived(b'1", "n": 2}'))
    store: dict[str, str] = {}
    result = apply_extractions(rules, body_events, store)
    assert store == {"job_id": "job_1", "rid": "req-7"} and result.problems == ()
    sse = _events(SseMessage("delta", '{"id": 1}'), SseMessage("done", '{"output": {"content": "hi"}}'))
    assert extract_variables([ExtractionRule("text", ExtractSource.SSE, "$.output.content", "done")], sse).values == {"text": "hi"}
    ndjson = _events(NdjsonValue('{"type": "start", "id": "c1"}'), NdjsonValue('{"type": "done", "message": {"a": [1]}}'))
    found = extract_variables([ExtractionRule("m", ExtractSource.NDJSON, "$.message", "done")], ndjson)
    assert found.values == {"m": '{"a":[1]}'}


def test_extraction_that_finds_nothing_is_reported_not_raised() -> None:
    rules = [
        ExtractionRule("a", ExtractSource.BODY, "$.missing"),
        ExtractionRule("b", ExtractSource.SSE, "$.x", "done"),
        ExtractionRule("c", ExtractSource.BODY, "$[[["),
    ]
    result = extract_variables(rules, _events(BodyReceived(b'{"x": 1}')))
    assert result.values == {}
    assert [problem.split(":")[0] for problem in result.problems] == ["a", "b", "c"]
    assert "bad JSONPath" in result.problems[2]
