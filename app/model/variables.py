"""`{{name}}` substitution over an ordered chain of scopes, and the dynamic `{{$…}}` values.

Order, most specific first: run values (`--var`, values extracted by earlier requests), request, folder
(innermost first), collection, environment, `.env`. The OS environment is read only when asked for by
name, `{{$env.NAME}}` (Bruno writes `{{process.env.NAME}}`): a plain `{{NAME}}` never resolves from it.

Values are not substituted again (a value extracted from a response that holds `{{$env.HOME}}` is sent as
written), except in a scope that names its `references`: an environment's `token = "{{staging_token}}"`
is looked up in `.env` (and `$env`) only, which is how a secret moved out of an environment file is found.
"""

from __future__ import annotations

import random
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

VARIABLE_PATTERN = re.compile(r"\{\{\s*(\$?[A-Za-z_][A-Za-z0-9_.\-]*)\s*\}\}")
"""`{{name}}`, spaces inside the braces allowed; names start with a letter, `_` or `$` (dynamic)."""


def _iso_timestamp() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


DYNAMIC_VALUES: Mapping[str, Callable[[], str]] = {
    "$uuid": lambda: str(uuid.uuid4()),
    "$timestamp": lambda: str(int(time.time())),
    "$isoTimestamp": _iso_timestamp,
    "$randomInt": lambda: str(random.randint(0, 1000)),
}
"""Fresh on every use: two `{{$uuid}}` in one request get two different values."""

OS_ENV_PREFIX = "$env."
"""`{{$env.NAME}}` is the OS environment variable NAME: the only way to reach the OS environment."""


class UnresolvedVariable(Exception):
    """A `{{name}}` no scope defines; raised before anything is sent."""

    def __init__(self, name: str, where: str) -> None:
        super().__init__(f"variable {{{{{name}}}}} used in {where} is not defined in any scope")
        self.name = name
        self.where = where


@dataclass(frozen=True, slots=True)
class Scope:
    """One named layer of variables (`request`, `folder api`, `environment demo`, `.env`, …)."""

    name: str
    values: Mapping[str, str]
    references: ScopeChain | None = None
    """Where `{{…}}` inside this scope's values are looked up (once); None: values are used as written."""
    sources: Mapping[str, str] = field(default_factory=dict)
    """A more exact origin for some names than `name` (a run value `extracted by Start job`)."""


@dataclass(frozen=True, slots=True)
class Resolution:
    """A variable's value and where it came from: `source` is the scope that defines it, `via` the scopes
    its value's own `{{references}}` were found in (an environment's `{{staging_token}}` found in `.env`)."""

    value: str
    source: str
    via: tuple[str, ...] = ()

    @property
    def origin(self) -> str:
        """`environment staging`, or `environment staging → .env` for a value kept in `.env`."""
        return " → ".join((self.source, *dict.fromkeys(self.via)))


@dataclass(frozen=True, slots=True)
class VariableSpan:
    """Where a `{{name}}` sits in a string, for the editor to highlight; `scope` is None when unresolved."""

    start: int
    end: int
    name: str
    value: str | None
    scope: str | None
    problem: str = ""
    """Why a name that a scope defines still cannot be used (its value names a variable nobody has)."""

    @property
    def resolved(self) -> bool:
        return self.scope is not None and not self.problem


class ScopeChain:
    """Scopes searched in order; the first that defines a name wins."""

    def __init__(self, scopes: Iterable[Scope]) -> None:
        self.scopes = tuple(scopes)

    def resolve(self, name: str) -> Resolution | None:
        """`name`'s value and origin, or None. Dynamic names report the source `dynamic`.

        Raises `UnresolvedVariable` when the defining scope's value refers to a name its references lack."""
        if name in DYNAMIC_VALUES:
            return Resolution(DYNAMIC_VALUES[name](), "dynamic")
        for scope in self.scopes:
            if name in scope.values:
                value = scope.values[name]
                source = scope.sources.get(name, scope.name)
                if scope.references is None or "{{" not in value:
                    return Resolution(value, source)
                return _expand(value, scope.references, source, f"{source} variable {name}")
        return None

    def knows(self, name: str) -> bool:
        """Whether `name` resolves (False too when its value refers to a name nobody defines): for
        highlighting, which must never raise."""
        try:
            return self.resolve(name) is not None
        except UnresolvedVariable:
            return False

    def lookup(self, name: str) -> tuple[str, str] | None:
        """(value, scope name) for `name`, or None (see `resolve`)."""
        found = self.resolve(name)
        return None if found is None else (found.value, found.source)

    def substitute(self, text: str, where: str) -> str:
        """`text` with every `{{name}}` replaced; `UnresolvedVariable` names the first missing one and `where`.

        Values are not substituted again: a value containing `{{x}}` is sent as written.
        """
        if "{{" not in text:
            return text

        def replace(match: re.Match[str]) -> str:
            found = self.lookup(match.group(1))
            if found is None:
                raise UnresolvedVariable(match.group(1), where)
            return found[0]

        return VARIABLE_PATTERN.sub(replace, text)

    def find(self, text: str) -> list[VariableSpan]:
        """Every `{{name}}` in `text` with its span and resolved state (dynamic values are not generated)."""
        spans = []
        for match in VARIABLE_PATTERN.finditer(text):
            name = match.group(1)
            if name in DYNAMIC_VALUES:
                spans.append(VariableSpan(match.start(), match.end(), name, None, "dynamic"))
                continue
            try:
                found = self.resolve(name)
            except UnresolvedVariable as error:
                source = next(scope.sources.get(name, scope.name) for scope in self.scopes if name in scope.values)
                spans.append(VariableSpan(match.start(), match.end(), name, None, source, str(error)))
                continue
            value, origin = (found.value, found.origin) if found else (None, None)
            spans.append(VariableSpan(match.start(), match.end(), name, value, origin))
        return spans


def _expand(value: str, references: ScopeChain, source: str, where: str) -> Resolution:
    """`value` (a scope's, with `{{…}}` in it) with each reference found in `references`, just once."""
    via: list[str] = []

    def replace(match: re.Match[str]) -> str:
        found = references.resolve(match.group(1))
        if found is None:
            raise UnresolvedVariable(match.group(1), where)
        via.append(found.source)
        return found.value

    return Resolution(VARIABLE_PATTERN.sub(replace, value), source, tuple(via))


def find_variables(text: str, chain: ScopeChain | None = None) -> list[VariableSpan]:
    """The `{{name}}` spans in `text`; without a chain every non-dynamic one is unresolved."""
    return (chain or ScopeChain(())).find(text)
