"""Gemini's streamed function-call arguments (Vertex `streamFunctionCallArguments`) put back together.

Each `partialArg` names one argument by a JSON path (RFC 9535: `$.location`, `$.stops[1].city`,
`$['odd key']`) and carries one typed value (`stringValue`, `numberValue`, `boolValue` or `nullValue`).
A string that arrives over several parts is appended; any other value replaces what the path held.
"""

from __future__ import annotations

import re
from typing import Any

# One step of a path: `.name`, `['name']` / `["name"]`, or `[3]`.
_STEP = re.compile(r"""\.(?P<name>[^.\[\]]+)|\[(?P<index>\d+)\]|\[(?P<quote>['"])(?P<key>(?:\\.|(?!(?P=quote)).)*)(?P=quote)\]""")
_ESCAPE = re.compile(r"\\(.)")

Step = str | int


class BadPath(ValueError):
    """A `jsonPath` this reader does not understand (the message names it)."""


def parse_path(path: str) -> tuple[Step, ...]:
    """`$.a[0]['b c']` → `("a", 0, "b c")`."""
    if not path.startswith("$"):
        raise BadPath(f"the argument path {path!r} does not start with $")
    steps: list[Step] = []
    position = 1
    while position < len(path):
        match = _STEP.match(path, position)
        if match is None:
            raise BadPath(f"the argument path {path!r} is not a simple JSON path (at character {position})")
        if match.group("name") is not None:
            steps.append(match.group("name"))
        elif match.group("index") is not None:
            steps.append(int(match.group("index")))
        else:
            steps.append(_ESCAPE.sub(r"\1", match.group("key")))
        position = match.end()
    return tuple(steps)


def partial_value(partial: dict[str, Any]) -> tuple[bool, Any]:
    """`(True, value)` from the typed value a partial argument carries, `(False, None)` when it has none."""
    for key in ("stringValue", "numberValue", "boolValue"):
        if key in partial:
            return True, partial[key]
    if "nullValue" in partial:
        return True, None
    return False, None


def apply_partial(arguments: dict[str, Any], steps: tuple[Step, ...], value: Any) -> None:
    """Set (or, for a string continuing a string, extend) the value at `steps` inside `arguments`."""
    if not steps:
        return
    container: Any = arguments
    for step, following in zip(steps, steps[1:]):
        container = _child(container, step, {} if isinstance(following, str) else [])
    last = steps[-1]
    if isinstance(container, dict) and isinstance(last, str):
        previous = container.get(last)
        container[last] = previous + value if isinstance(previous, str) and isinstance(value, str) else value
    elif isinstance(container, list) and isinstance(last, int):
        while len(container) <= last:
            container.append(None)
        previous = container[last]
        container[last] = previous + value if isinstance(previous, str) and isinstance(value, str) else value
    else:
        raise BadPath("the argument path steps into a value of the wrong type")


def _child(container: Any, step: Step, empty: Any) -> Any:
    if isinstance(container, dict) and isinstance(step, str):
        child = container.get(step)
        if not isinstance(child, (dict, list)):
            child = container[step] = empty
        return child
    if isinstance(container, list) and isinstance(step, int):
        while len(container) <= step:
            container.append(None)
        if not isinstance(container[step], (dict, list)):
            container[step] = empty
        return container[step]
    raise BadPath("the argument path steps into a value of the wrong type")
