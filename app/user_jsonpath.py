"""JSONPaths from files and users: parsed in one place, with every regex inside them matched by RE2.

jsonpath-ng's extended syntax runs Python's `re` on the payloads in two places a cloned file controls,
the filter operator `=~` and the string method `sub(/…/, …)`: `$[?(@.text =~ "^(a|a)*$")]` in an
extraction, a check or a merge rule hung on the first payload with forty `a`s (see `app.user_regex`).
After parsing, both are swapped for `UserRegex`, so a pattern RE2 refuses is a parse error like any other.
The step limit of `app.nesting` comes first, and jsonpath-ng's mixed exceptions (its lexer raises a bare
`Exception`) become one `PatternError`. Imported by the runs that use a JSONPath, never at start-up.
"""

from __future__ import annotations

from typing import Any

from jsonpath_ng import JSONPath
from jsonpath_ng.ext import parse
from jsonpath_ng.ext.filter import Expression
from jsonpath_ng.ext.string import Sub
from jsonpath_ng.jsonpath import DatumInContext

from app.nesting import MAX_JSONPATH_STEPS, jsonpath_too_deep
from app.user_regex import PatternError, UserRegex


def parse_jsonpath(expression: str) -> JSONPath:
    """The parsed expression; raises `PatternError` saying why it cannot be used."""
    if jsonpath_too_deep(expression):
        raise PatternError(f"a JSONPath of more than {MAX_JSONPATH_STEPS} steps")
    try:
        parsed = parse(expression)
    except Exception as error:  # jsonpath-ng: a bare Exception from its lexer, its own from the parser
        raise PatternError(str(error) or type(error).__name__) from None
    return _guarded(parsed)


class _RegexFilter(Expression):
    """`@.field =~ "pattern"`, matched by RE2 instead of `re.search`."""

    def __init__(self, target: Any, pattern: Any) -> None:
        super().__init__(target, "=~", pattern)
        if not isinstance(pattern, str):
            raise PatternError(f"'=~' needs a quoted regex, not {pattern!r}")
        self._regex = UserRegex(pattern)

    def find(self, datum: Any) -> list[Any]:
        found = self.target.find(DatumInContext.wrap(datum))
        return [data for data in found if isinstance(data.value, str) and self._regex.search(data.value)]


def _guarded(node: Any) -> Any:
    """`node` with each `=~` filter and `sub()` regex replaced, at any depth (bounded by the step limit)."""
    if isinstance(node, Expression) and node.op == "=~":
        return _RegexFilter(_guarded(node.target), node.value)
    if isinstance(node, Sub):
        regex = UserRegex(node.expr)
        regex.check_replacement(node.repl)
        # `Sub.find` calls `self.regex.sub(self.repl, value)`. Untyped: jsonpath-ng 1.16 types the
        # attribute as `re.Pattern`, which RE2's pattern is not (and older releases do not type it).
        untyped: Any = node
        untyped.regex = regex
    for name, value in list(vars(node).items()):
        setattr(node, name, _guarded_value(value))
    return node


def _guarded_value(value: Any) -> Any:
    if isinstance(value, JSONPath):
        return _guarded(value)
    if isinstance(value, list):
        return [_guarded_value(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_guarded_value(item) for item in value)
    return value
