"""`[[expect]]` tables of a request file: what a response must do, checked live by `app.assertions`.

One table may hold several checks (`event = "delta"` with `min_count` and `within_ms`); each check key
becomes one assertion with its own result. Reading is as strict as the rest of the request format (a
wrong type, a modifier without what it modifies or a bad regex is an error naming line and column) and
writing emits the keys in one fixed order, so the byte-exact round trip of request files holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from app.model.toml_location import FileFormatError
from app.vocabulary import Extra

CHECK_KEYS = (
    "status",
    "event",
    "merged_text_contains",
    "merged_text_matches",
    "complete",
    "no_errors",
    "ttft_ms_max",
    "duration_ms_max",
    "jsonpath",
)
"""Keys that make a table a check; `min_count`, `max_count`, `within_ms` and `equals` only refine one."""


class Table(Protocol):
    """What reading needs from `app.model.toml_table.TableReader` (named here so neither imports the other)."""

    def get(self, key: str, kind: type | tuple[type, ...], default: Any) -> Any: ...

    def text(self, key: str, default: str = "") -> str: ...

    def jsonpath(self, key: str, default: str = "") -> str: ...

    def value(self, key: str, default: Any) -> Any: ...

    def extra(self) -> Extra: ...

    def error(self, key: str | None, message: str) -> FileFormatError: ...


@dataclass(frozen=True, slots=True)
class Expectation:
    """One `[[expect]]` table. `None` (or an empty string) means the key is absent."""

    name: str = ""
    """An optional label shown instead of the generated one."""
    status: int | None = None
    event: str = ""
    """An SSE event name, or the `type` (else `event`) field of a JSON payload (NDJSON, JSON array, WebSocket)."""
    min_count: int | None = None
    max_count: int | None = None
    within_ms: float | None = None
    """The first such event arrived no later than this after the request started."""
    merged_text_contains: str = ""
    merged_text_matches: str = ""
    """A regular expression (RE2 syntax: `app.user_regex`) searched in the merged text."""
    complete: bool | None = None
    no_errors: bool | None = None
    ttft_ms_max: float | None = None
    duration_ms_max: float | None = None
    jsonpath: str = ""
    equals: Any = None
    """The value `jsonpath` must find (any TOML value, compared as JSON); `None`: the path must exist."""
    extra: Extra = ()
    """Keys Sluice does not know, written back untouched."""


def read_expectation(table: Table) -> Expectation:
    """An `[[expect]]` table; raises `FileFormatError` at the offending key."""
    expectation = Expectation(
        name=table.text("name"),
        status=table.get("status", int, None),
        event=table.text("event"),
        min_count=table.get("min_count", int, None),
        max_count=table.get("max_count", int, None),
        within_ms=_milliseconds(table, "within_ms"),
        merged_text_contains=table.text("merged_text_contains"),
        merged_text_matches=table.text("merged_text_matches"),
        complete=table.get("complete", bool, None),
        no_errors=table.get("no_errors", bool, None),
        ttft_ms_max=_milliseconds(table, "ttft_ms_max"),
        duration_ms_max=_milliseconds(table, "duration_ms_max"),
        jsonpath=table.jsonpath("jsonpath"),
        equals=table.value("equals", None),
        extra=table.extra(),
    )
    _check_consistent(expectation, table)
    return expectation


def _milliseconds(table: Table, key: str) -> float | None:
    value: float | None = table.get(key, (int, float), None)
    if value is not None and value < 0:
        raise table.error(key, f"'expect.{key}' must not be negative")
    return value


def _check_consistent(expectation: Expectation, table: Table) -> None:
    if not any(_present(getattr(expectation, key)) for key in CHECK_KEYS):
        raise table.error(None, f"an [[expect]] table needs one of: {', '.join(CHECK_KEYS)}")
    if not expectation.event:
        for key in ("min_count", "max_count", "within_ms"):
            if getattr(expectation, key) is not None:
                raise table.error(key, f"'expect.{key}' needs 'event' in the same table")
    if expectation.equals is not None and not expectation.jsonpath:
        raise table.error("equals", "'expect.equals' needs 'jsonpath' in the same table")
    if expectation.merged_text_matches:
        from app.user_regex import PatternError, UserRegex  # RE2: for the files that hold a regex

        try:
            UserRegex(expectation.merged_text_matches)
        except PatternError as error:
            raise table.error("merged_text_matches", f"'expect.merged_text_matches' is not a valid regex: {error}") from None


def _present(value: object) -> bool:
    return value is not None and value != ""


_MILLISECOND_KEYS = frozenset({"within_ms", "ttft_ms_max", "duration_ms_max"})
_WRITE_ORDER = ("name", "status", "event", "min_count", "max_count", "within_ms", "merged_text_contains",
                "merged_text_matches", "complete", "no_errors", "ttft_ms_max", "duration_ms_max", "jsonpath", "equals")


def expectation_to_dict(expectation: Expectation) -> dict[str, Any]:
    """The canonical table: keys in one order, absent ones left out, whole milliseconds as integers."""
    table: dict[str, Any] = {}
    for key in _WRITE_ORDER:
        value = getattr(expectation, key)
        if value is None or (value == "" and key != "equals"):
            # `equals = ""` is a real expectation: an empty string.
            continue
        if key in _MILLISECOND_KEYS and float(value).is_integer():
            # Read back as a float either way; `500` is how people write it.
            value = int(value)
        table[key] = value
    for key, value in expectation.extra:
        table.setdefault(key, value)
    return table
