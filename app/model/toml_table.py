"""Reading TOML from outside: `parse_toml` (positioned errors, a depth limit before the parser) and
`TableReader`, which checks each key's type, names the line and column of a wrong one and keeps the keys
the reader did not ask for. Request, folder, collection and environment files all read through these.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable
from typing import Any

from app.model.header_syntax import header_problem
from app.model.request_definition import Pairs
from app.model.toml_location import FileFormatError, locate, syntax_error, toml_lines
from app.nesting import MAX_JSONPATH_STEPS, MAX_TOML_DEPTH, deeper_than, jsonpath_too_deep
from app.vocabulary import Extra


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

    def jsonpath(self, key: str, default: str = "") -> str:
        """A JSONPath expression, refused when it has more steps than jsonpath-ng can follow (it recurses
        once per step: a cloned file's `$.a.a.a…` would raise `RecursionError` on every event)."""
        value = self.text(key, default)
        if jsonpath_too_deep(value):
            raise self.error(key, f"'{self._where(key)}' is a JSONPath of more than {MAX_JSONPATH_STEPS} steps")
        return value

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

    def header_lines(self, key: str = "headers") -> list[tuple[str, str, bool]]:
        """`pair_lines` of HTTP headers, each checked as it will be sent (`header_problem`): a line break
        in a cloned file's header is an error here, at its line, not a refusal at send naming no header."""
        lines = self.pair_lines(key)
        self._check_headers(key, lines)
        return lines

    def header_pairs(self, key: str = "headers") -> Pairs:
        """`pairs` of HTTP headers, checked as `header_lines` checks them."""
        pairs = self.pairs(key)
        self._check_headers(key, [(name, value, True) for name, value in pairs])
        return pairs

    def _check_headers(self, key: str, lines: Iterable[tuple[str, str, bool]]) -> None:
        for name, value, enabled in lines:
            problem = header_problem(name, value, templated=True, enabled=enabled)
            if problem:
                raise TableReader(self._text, {}, self._where(key)).error(name, problem)

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


def parse_toml(text: str) -> dict[str, Any]:
    """tomllib with positioned errors; text nested deeper than `MAX_TOML_DEPTH` is refused unparsed
    (tomllib recurses per level: a 2 KB file of `[` would raise `RecursionError`), and so is a document
    whose dotted keys (`a.b.c… = 1`, `[a.b.c…]`) nest its tables that deep: tomllib builds those without
    recursing, but saving, comparing or showing the tables would not."""
    if deeper_than(text, MAX_TOML_DEPTH, toml=True):
        raise FileFormatError(f"arrays or inline tables nested more than {MAX_TOML_DEPTH} levels deep")
    try:
        document = tomllib.loads(text)
    except RecursionError:
        raise FileFormatError("arrays or inline tables nested too deeply to read") from None
    except tomllib.TOMLDecodeError as error:
        raise syntax_error(error, text) from None
    if _nests_deeper(document, MAX_TOML_DEPTH):
        line = next((number for number, content in enumerate(toml_lines(text), 1)
                     if content.count(".") >= MAX_TOML_DEPTH // 2), 1)
        raise FileFormatError(f"tables nested more than {MAX_TOML_DEPTH} levels deep (dotted keys)", line, 1)
    return document


def _nests_deeper(document: dict[str, Any], limit: int) -> bool:
    """True when tables and arrays nest more than `limit` levels: one pass with a stack, no recursion."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False
