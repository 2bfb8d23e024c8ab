"""Request files ⇄ `RequestDefinition`, in one canonical form.

Reading is strict about the keys Sluice knows (a wrong type is an error naming line and column) and keeps
the keys it does not know. Writing only emits non-default values in a fixed key order, so a file Sluice
wrote loads and saves back to the same bytes. The TOML reading and writing under it, shared with the
other collection files, are `app.model.toml_table` and `app.model.toml_writer`.
"""

from __future__ import annotations

from typing import Any

from app.model.expectations import expectation_to_dict, read_expectation
from app.model.request_definition import (
    MAX_FILE_CONNECT_TIMEOUT,
    MAX_FILE_READ_TIMEOUT,
    MAX_FILE_RECONNECTS,
    MAX_FILE_SIZE_LIMIT,
    Auth,
    AuthType,
    Body,
    BodyType,
    Disabled,
    Extra,
    ExtractionRule,
    ExtractSource,
    MergeRule,
    Pairs,
    RequestDefinition,
    RequestOptions,
    SavedMessage,
    StreamSettings,
    WebSocketSettings,
    pair_lines,
    split_pair_lines,
)
from app.model.toml_location import FileFormatError, locate
from app.model.toml_table import TableReader, parse_toml
from app.model.toml_writer import InlineTable, dumps_toml
from app.vocabulary import DEFAULT_MAX_MESSAGE_SIZE, ParseMode, RuleMode, WsFormat

_DEFAULT_OPTIONS = RequestOptions()


def _size_limit(table: TableReader, key: str, default: int) -> int:
    value = table.get(key, int, default)
    if value <= 0:
        raise table.error(key, f"'{table.where(key)}' should be a number of bytes, at least 1, not {value}")
    if value > MAX_FILE_SIZE_LIMIT:
        raise table.error(key, f"'{table.where(key)}' is {value:,} bytes; a file may set at most "
                               f"{MAX_FILE_SIZE_LIMIT:,} (256 MiB), so that a cloned collection cannot lift the memory limit")
    return int(value)


def _timeout(table: TableReader, key: str, default: float, most: float) -> float:
    value = table.seconds(key, default) or 0.0
    if value > most:
        raise table.error(key, f"'{table.where(key)}' is {value:g} s; a file may set at most {most:g} "
                               f"(0 means that), so that a cloned collection cannot park a run")
    return value


def _reconnects(table: TableReader) -> int | None:
    value: int | None = table.get("max_reconnects", int, None)
    if value is not None and not 0 <= value <= MAX_FILE_RECONNECTS:
        raise table.error("max_reconnects", f"'{table.where('max_reconnects')}' is {value}; "
                                            f"a file may ask for 0 to {MAX_FILE_RECONNECTS} reconnections")
    return value


def loads_request(text: str) -> RequestDefinition:
    """Parse a request file's text; raises `FileFormatError` with line and column."""
    data = parse_toml(text)
    top = TableReader(text, data)
    url = top.text("url")
    if not url:
        raise FileFormatError("missing 'url': every request needs one", 1, 1)
    body_table = top.table("body")
    form = body_table.pairs("form")
    content = body_table.text("content")
    inferred = BodyType.FORM if form else BodyType.TEXT if content else BodyType.NONE
    body = Body(body_table.choice("type", BodyType, inferred), content, form, body_table.extra())
    auth_table = top.table("auth")
    auth = Auth(
        type=auth_table.choice("type", AuthType, AuthType.NONE),
        token=auth_table.text("token"),
        username=auth_table.text("username"),
        password=auth_table.text("password"),
        key_name=auth_table.text("name"),
        key_value=auth_table.text("value"),
        location=auth_table.text("in", "header"),
        extra=auth_table.extra(),
    )
    if auth.location not in ("header", "query"):
        raise auth_table.error("in", f"'auth.in' is '{auth.location}'; expected header or query")
    stream_table = top.table("stream")
    rules = tuple(
        MergeRule(
            text=rule.jsonpath("text"),
            reasoning=rule.jsonpath("reasoning"),
            event=rule.text("event"),
            mode=rule.choice("mode", RuleMode, RuleMode.DELTA),
            extra=rule.extra(),
        )
        for rule in stream_table.array_of_tables("rules")
    )
    stream = StreamSettings(
        parse_mode=stream_table.choice("parse_mode", ParseMode, ParseMode.AUTO),
        merge_profile=stream_table.text("merge_profile", "auto"),
        rules=rules,
        merge_script=stream_table.text("merge_script"),
        reconnect=stream_table.get("reconnect", bool, False),
        max_reconnects=_reconnects(stream_table),
        extra=stream_table.extra(),
    )
    extract = tuple(
        ExtractionRule(
            variable=rule.text("variable"),
            source=rule.choice("from", ExtractSource, ExtractSource.BODY),
            path=rule.jsonpath("path", "$"),
            event=rule.text("event"),
            extra=rule.extra(),
        )
        for rule in top.array_of_tables("extract")
    )
    for index, rule in enumerate(extract):
        if not rule.variable:
            line, column = locate(text, "extract", None, index)
            raise FileFormatError("an [[extract]] rule needs 'variable'", line, column)
    expect = tuple(read_expectation(table) for table in top.array_of_tables("expect"))
    ws_table = top.table("websocket")
    websocket = WebSocketSettings(
        subprotocols=ws_table.strings("subprotocols"),
        origin=ws_table.text("origin"),
        cookies=ws_table.pairs("cookies"),
        auto_reconnect=ws_table.get("auto_reconnect", bool, False),
        max_message_size=_size_limit(ws_table, "max_message_size", DEFAULT_MAX_MESSAGE_SIZE),
        messages=tuple(
            SavedMessage(
                content=message.text("content"),
                format=message.choice("format", WsFormat, WsFormat.TEXT),
                name=message.text("name"),
                extra=message.extra(),
            )
            for message in ws_table.array_of_tables("messages")
        ),
        extra=ws_table.extra(),
    )
    params, disabled_params = split_pair_lines(top.pair_lines("params"))
    headers, disabled_headers = split_pair_lines(top.header_lines("headers"))
    options_table = top.table("options")
    read_timeout = _timeout(options_table, "read_timeout", _DEFAULT_OPTIONS.read_timeout or 0.0, MAX_FILE_READ_TIMEOUT)
    options = RequestOptions(
        connect_timeout=_timeout(options_table, "connect_timeout", _DEFAULT_OPTIONS.connect_timeout,
                                 MAX_FILE_CONNECT_TIMEOUT),
        # TOML has no null: 0 is kept as None (and saved back as 0); it sends with the longest a file may ask.
        read_timeout=read_timeout if read_timeout else None,
        follow_redirects=options_table.get("follow_redirects", bool, True),
        verify_tls=options_table.get("verify_tls", bool, True),
        http2=options_table.get("http2", bool, False),
        max_event_size=_size_limit(options_table, "max_event_size", _DEFAULT_OPTIONS.max_event_size),
        extra=options_table.extra(),
    )
    return RequestDefinition(
        name=top.text("name"),
        url=url,
        method=top.text("method", "GET").upper(),
        description=top.text("description"),
        params=params,
        headers=headers,
        disabled_params=disabled_params,
        disabled_headers=disabled_headers,
        body=body,
        auth=auth,
        stream=stream,
        extract=extract,
        expect=expect,
        websocket=websocket,
        options=options,
        variables=top.pairs("variables"),
        extra=top.extra(),
    )


def _pairs_table(pairs: Pairs, disabled: Disabled = ()) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for name, text, enabled in pair_lines(pairs, disabled):
        value: Any = text if enabled else InlineTable(value=text, enabled=False)
        if name in table:
            previous = table[name]
            table[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            table[name] = value
    return table


def _put(table: dict[str, Any], key: str, value: Any, default: Any) -> None:
    if value != default:
        table[key] = value


def _with_extra(table: dict[str, Any], extra: Extra) -> dict[str, Any]:
    for key, value in extra:
        table.setdefault(key, value)
    return table


def request_to_dict(definition: RequestDefinition) -> dict[str, Any]:
    """The canonical TOML document of a request: known keys in a fixed order, defaults left out."""
    document: dict[str, Any] = {}
    _put(document, "name", definition.name, "")
    if not (definition.is_websocket and definition.method == "GET"):
        document["method"] = definition.method
    document["url"] = definition.url
    _put(document, "description", definition.description, "")
    _put(document, "variables", _pairs_table(definition.variables), {})
    _put(document, "params", _pairs_table(definition.params, definition.disabled_params), {})
    _put(document, "headers", _pairs_table(definition.headers, definition.disabled_headers), {})
    auth = definition.auth
    if auth != Auth():
        auth_table: dict[str, Any] = {"type": auth.type.value}
        _put(auth_table, "token", auth.token, "")
        _put(auth_table, "username", auth.username, "")
        _put(auth_table, "password", auth.password, "")
        _put(auth_table, "name", auth.key_name, "")
        _put(auth_table, "value", auth.key_value, "")
        if auth.type is AuthType.API_KEY or auth.location != "header":
            auth_table["in"] = auth.location
        document["auth"] = _with_extra(auth_table, auth.extra)
    body = definition.body
    if body != Body():
        body_table: dict[str, Any] = {"type": body.type.value}
        _put(body_table, "content", body.content, "")
        _put(body_table, "form", _pairs_table(body.form), {})
        document["body"] = _with_extra(body_table, body.extra)
    stream = definition.stream
    if stream != StreamSettings():
        stream_table: dict[str, Any] = {}
        _put(stream_table, "parse_mode", stream.parse_mode.value, ParseMode.AUTO.value)
        _put(stream_table, "merge_profile", stream.merge_profile, "auto")
        _put(stream_table, "merge_script", stream.merge_script, "")
        rules = []
        for rule in stream.rules:
            rule_table: dict[str, Any] = {"text": rule.text}
            _put(rule_table, "reasoning", rule.reasoning, "")
            _put(rule_table, "event", rule.event, "")
            rule_table["mode"] = str(rule.mode)
            rules.append(_with_extra(rule_table, rule.extra))
        _put(stream_table, "rules", rules, [])
        _put(stream_table, "reconnect", stream.reconnect, False)
        _put(stream_table, "max_reconnects", stream.max_reconnects, None)
        document["stream"] = _with_extra(stream_table, stream.extra)
    extract = []
    for extraction in definition.extract:
        rule_table = {"variable": extraction.variable, "from": extraction.source.value, "path": extraction.path}
        _put(rule_table, "event", extraction.event, "")
        extract.append(_with_extra(rule_table, extraction.extra))
    _put(document, "extract", extract, [])
    _put(document, "expect", [expectation_to_dict(expectation) for expectation in definition.expect], [])
    websocket = definition.websocket
    if websocket != WebSocketSettings():
        ws_table: dict[str, Any] = {}
        _put(ws_table, "subprotocols", list(websocket.subprotocols), [])
        _put(ws_table, "origin", websocket.origin, "")
        _put(ws_table, "auto_reconnect", websocket.auto_reconnect, False)
        _put(ws_table, "max_message_size", websocket.max_message_size, DEFAULT_MAX_MESSAGE_SIZE)
        _put(ws_table, "cookies", _pairs_table(websocket.cookies), {})
        messages = []
        for message in websocket.messages:
            message_table: dict[str, Any] = {}
            _put(message_table, "name", message.name, "")
            message_table["format"] = str(message.format)
            message_table["content"] = message.content
            messages.append(_with_extra(message_table, message.extra))
        _put(ws_table, "messages", messages, [])
        document["websocket"] = _with_extra(ws_table, websocket.extra)
    options = definition.options
    if options != _DEFAULT_OPTIONS:
        options_table: dict[str, Any] = {}
        _put(options_table, "connect_timeout", options.connect_timeout, _DEFAULT_OPTIONS.connect_timeout)
        _put(options_table, "read_timeout", options.read_timeout or 0.0, _DEFAULT_OPTIONS.read_timeout)
        _put(options_table, "follow_redirects", options.follow_redirects, True)
        _put(options_table, "verify_tls", options.verify_tls, True)
        _put(options_table, "http2", options.http2, False)
        _put(options_table, "max_event_size", options.max_event_size, _DEFAULT_OPTIONS.max_event_size)
        document["options"] = _with_extra(options_table, options.extra)
    return _with_extra(document, definition.extra)


def dumps_request(definition: RequestDefinition) -> str:
    """The canonical file text of a request."""
    return dumps_toml(request_to_dict(definition))


