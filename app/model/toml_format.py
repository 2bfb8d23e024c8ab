"""Request files ⇄ `RequestDefinition`, in one canonical form.

Reading is strict about the keys Sluice knows (a wrong type is an error naming line and column) and keeps
the keys it does not know. Writing only emits non-default values in a fixed key order, so a file Sluice
wrote loads and saves back to the same bytes.
"""

from __future__ import annotations

import math
import tomllib
from typing import Any

import tomli_w

from app.model.expectations import expectation_to_dict, read_expectation
from app.model.request_definition import (
    DEFAULT_MAX_MESSAGE_SIZE,
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
from app.model.toml_location import FileFormatError, locate, syntax_error
from app.nesting import MAX_TOML_DEPTH, deeper_than
from app.vocabulary import ParseMode, RuleMode, WsFormat

_DEFAULT_OPTIONS = RequestOptions()


class TableReader:
    """Reads one TOML table, checking types, remembering which keys were known."""

    def __init__(self, text: str, data: dict[str, Any], table: str = "", occurrence: int = 0) -> None:
        self._text = text
        self._data = data
        self._table = table
        self._occurrence = occurrence
        self._known: set[str] = set()

    def error(self, key: str | None, message: str) -> FileFormatError:
        line, column = locate(self._text, self._table, key, self._occurrence)
        return FileFormatError(message, line, column)

    def where(self, key: str) -> str:
        """The dotted name of `key` in this table, for messages."""
        return self._where(key)

    def _where(self, key: str) -> str:
        return f"{self._table}.{key}" if self._table else key

    def get(self, key: str, kind: type | tuple[type, ...], default: Any) -> Any:
        self._known.add(key)
        if key not in self._data:
            return default
        value = self._data[key]
        # bool is an int subclass: `timeout = true` must not pass as a number.
        numeric = kind in (float, (int, float))
        if numeric and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise self.error(key, f"'{self._where(key)}' should be {_article(expected)}, not {_toml_type(value)}")
        return value

    def value(self, key: str, default: Any) -> Any:
        """Any TOML value, unchecked (e.g. the value an expectation compares against)."""
        self._known.add(key)
        return self._data.get(key, default)

    def text(self, key: str, default: str = "") -> str:
        return self.get(key, str, default)

    def seconds(self, key: str, default: float | None) -> float | None:
        """A duration: a finite number ≥ 0 (TOML allows `nan` and `inf`, which no timer can use)."""
        value = self.get(key, float, default)
        if value is not None and not (math.isfinite(value) and value >= 0):
            raise self.error(key, f"'{self._where(key)}' should be a number of seconds (0 or more), not {value}")
        return value

    def choice(self, key: str, allowed: type, default: Any) -> Any:
        raw = self.text(key, str(default))
        try:
            return allowed(raw)
        except ValueError:
            names = ", ".join(member.value for member in allowed)  # type: ignore[attr-defined]
            raise self.error(key, f"'{self._where(key)}' is '{raw}'; expected one of: {names}") from None

    def pairs(self, key: str) -> Pairs:
        """A table of name = "value" or name = ["value", "value"] for repeated names."""
        table = self.get(key, dict, {})
        sub = TableReader(self._text, table, self._where(key))
        result: list[tuple[str, str]] = []
        for name, value in table.items():
            values = value if isinstance(value, list) else [value]
            for item in values:
                if not isinstance(item, str):
                    raise sub.error(name, f"'{self._where(key)}.{name}' should be a string, not {_toml_type(item)}")
                result.append((name, item))
        return tuple(result)

    def pair_lines(self, key: str) -> list[tuple[str, str, bool]]:
        """Like `pairs`, where a value may also be `{ value = "…", enabled = false }` (a line switched
        off in the editor): `(name, value, enabled)` in file order."""
        table = self.get(key, dict, {})
        result: list[tuple[str, str, bool]] = []
        for name, value in table.items():
            where = f"{self._where(key)}.{name}"
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    sub = TableReader(self._text, item, where)
                    result.append((name, sub.text("value"), sub.get("enabled", bool, True)))
                    unknown = [extra_key for extra_key, _ in sub.extra()]
                    if unknown:
                        raise sub.error(unknown[0], f"'{where}' may hold only 'value' and 'enabled', not '{unknown[0]}'")
                elif isinstance(item, str):
                    result.append((name, item, True))
                else:
                    message = f"'{where}' should be a string, not {_toml_type(item)}"
                    raise TableReader(self._text, table, self._where(key)).error(name, message)
        return result

    def table(self, key: str) -> TableReader:
        return TableReader(self._text, self.get(key, dict, {}), self._where(key))

    def array_of_tables(self, key: str) -> list[TableReader]:
        items = self.get(key, list, [])
        readers = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.error(key, f"'{self._where(key)}' should be an array of tables ([[{self._where(key)}]])")
            readers.append(TableReader(self._text, item, self._where(key), index))
        return readers

    def strings(self, key: str) -> tuple[str, ...]:
        values = self.get(key, list, [])
        for value in values:
            if not isinstance(value, str):
                raise self.error(key, f"'{self._where(key)}' should hold strings, not {_toml_type(value)}")
        return tuple(values)

    def extra(self) -> Extra:
        return tuple((key, value) for key, value in self._data.items() if key not in self._known)


def _article(name: str) -> str:
    names = {"int": "an integer", "str": "a string", "dict": "a table", "list": "an array", "bool": "true or false", "float": "a number"}
    return " or ".join(names.get(part, part) for part in name.split(" or "))


def _toml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _positive_int(table: TableReader, key: str, default: int) -> int:
    value = table.get(key, int, default)
    if value <= 0:
        raise table.error(key, f"'{table.where(key)}' should be a number of bytes, at least 1, not {value}")
    return int(value)


def parse_toml(text: str) -> dict[str, Any]:
    """tomllib with positioned errors; text nested deeper than `MAX_TOML_DEPTH` is refused unparsed
    (tomllib recurses per level: a 2 KB file of `[` would raise `RecursionError`)."""
    if deeper_than(text, MAX_TOML_DEPTH, toml=True):
        raise FileFormatError(f"arrays or inline tables nested more than {MAX_TOML_DEPTH} levels deep")
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise FileFormatError("arrays or inline tables nested too deeply to read") from None
    except tomllib.TOMLDecodeError as error:
        raise syntax_error(error, text) from None


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
            text=rule.text("text"),
            reasoning=rule.text("reasoning"),
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
        max_reconnects=stream_table.get("max_reconnects", int, None),
        extra=stream_table.extra(),
    )
    extract = tuple(
        ExtractionRule(
            variable=rule.text("variable"),
            source=rule.choice("from", ExtractSource, ExtractSource.BODY),
            path=rule.text("path", "$"),
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
        max_message_size=_positive_int(ws_table, "max_message_size", DEFAULT_MAX_MESSAGE_SIZE),
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
    headers, disabled_headers = split_pair_lines(top.pair_lines("headers"))
    options_table = top.table("options")
    read_timeout = options_table.seconds("read_timeout", _DEFAULT_OPTIONS.read_timeout)
    options = RequestOptions(
        connect_timeout=options_table.seconds("connect_timeout", _DEFAULT_OPTIONS.connect_timeout) or 0.0,
        # TOML has no null: 0 means "wait forever".
        read_timeout=read_timeout if read_timeout else None,
        follow_redirects=options_table.get("follow_redirects", bool, True),
        verify_tls=options_table.get("verify_tls", bool, True),
        http2=options_table.get("http2", bool, False),
        max_event_size=_positive_int(options_table, "max_event_size", _DEFAULT_OPTIONS.max_event_size),
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


class _InlineTable(dict[str, Any]):
    """A table written inline (`{ value = "x", enabled = false }`) where tomli-w would open a section."""


def _pairs_table(pairs: Pairs, disabled: Disabled = ()) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for name, text, enabled in pair_lines(pairs, disabled):
        value: Any = text if enabled else _InlineTable(value=text, enabled=False)
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


def dumps_toml(document: dict[str, Any]) -> str:
    """tomli-w, with multi-line text as literal `'''` strings so JSON bodies read (and diff) as written.

    tomli-w only writes basic strings, which escape every quote of a JSON body; multi-line values are
    swapped for placeholders before dumping and written back as literal strings after.
    """
    literals: dict[str, str] = {}
    text = tomli_w.dumps(_swap_literals(document, literals), multiline_strings=True)
    for placeholder, written in literals.items():
        text = text.replace(f'"{placeholder}"', written, 1)
    return text


def _one_line_string(value: str) -> str:
    # A CR inside a multi-line string may be read back as a plain LF (TOML lets parsers normalise line
    # ends there), so text holding one is written as an escaped single-line string.
    return tomli_w.dumps({"v": value}).partition(" = ")[2].rstrip("\n")


def _literal_safe(value: str) -> bool:
    if "\n" not in value or "'''" in value or value.endswith("'"):
        return False
    return all(char in "\t\n" or (" " <= char and char != "\x7f") for char in value)


def _swap_literals(value: Any, literals: dict[str, str], in_array: bool = False) -> Any:
    if isinstance(value, _InlineTable) and not in_array:
        # tomli-w writes a table inside a table as a `[section]`; inside an array it is already inline.
        placeholder = f"@@sluice-literal-{len(literals)}@@".ljust(100, "_")
        literals[placeholder] = tomli_w.dumps({"v": [dict(value)]}).partition("[\n    ")[2].rpartition(",\n]")[0]
        return placeholder
    if isinstance(value, str) and (_literal_safe(value) or "\r" in value):
        # Longer than a line so tomli-w never folds the enclosing table inline.
        placeholder = f"@@sluice-literal-{len(literals)}@@".ljust(100, "_")
        literals[placeholder] = f"'''\n{value}'''" if _literal_safe(value) else _one_line_string(value)
        return placeholder
    if isinstance(value, dict):
        return {key: _swap_literals(item, literals) for key, item in value.items()}
    if isinstance(value, list):
        return [_swap_literals(item, literals, True) for item in value]
    return value
