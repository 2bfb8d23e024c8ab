"""Extraction rules: read values out of a finished response into variables, for chained requests."""

from __future__ import annotations

import json
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.events import BodyReceived, JsonArrayItem, NdjsonValue, ResponseOpened, SseMessage, TimelineEvent
from app.streams.json_payload import parse_json

if TYPE_CHECKING:  # rules come from request files, whose model `sluice run URL` never loads
    from app.model.request_definition import ExtractionRule

_MISSING = object()


@dataclass(frozen=True, slots=True)
class ExtractionResult:
    """Values found, and one plain sentence per rule that found nothing."""

    values: dict[str, str]
    problems: tuple[str, ...] = ()


def _as_variable(value: Any) -> str:
    # Strings go in bare (a job id); anything else as compact JSON so it can be pasted into a body.
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def _body_document(events: list[TimelineEvent]) -> Any:
    chunks = [event.payload.data for event in events if isinstance(event.payload, BodyReceived)]
    if chunks:
        return parse_json(b"".join(chunks).decode("utf-8"))
    items = [event.payload.value for event in events if isinstance(event.payload, JsonArrayItem)]
    if items:
        return items
    values = [event.payload.value for event in events if isinstance(event.payload, NdjsonValue)]
    if len(values) == 1:
        return values[0]
    return _MISSING


def _named_event_document(rule: ExtractionRule, events: list[TimelineEvent]) -> Any:
    from app.model.request_definition import ExtractSource

    found: Any = _MISSING
    for event in events:
        payload = event.payload
        if rule.source is ExtractSource.SSE and isinstance(payload, SseMessage):
            if not rule.event or payload.event == rule.event:
                found = payload.data
        elif rule.source is ExtractSource.NDJSON and isinstance(payload, NdjsonValue):
            value = payload.value
            name = value.get("type", value.get("event")) if isinstance(value, dict) else None
            if not rule.event or name == rule.event:
                found = value
    if isinstance(found, str):
        return parse_json(found)
    return found


def _extract_one(rule: ExtractionRule, events: list[TimelineEvent]) -> str:
    """The rule's value; raises LookupError or ValueError with the reason it found nothing."""
    from app.model.request_definition import ExtractSource

    if rule.source is ExtractSource.HEADER:
        for event in events:
            if isinstance(event.payload, ResponseOpened):
                value = event.payload.header(rule.path)
                if value is not None:
                    return value
        raise LookupError(f"no response header '{rule.path}'")
    if rule.source is ExtractSource.BODY:
        document = _body_document(events)
        where = "the response body"
    else:
        document = _named_event_document(rule, events)
        label = "SSE" if rule.source is ExtractSource.SSE else "NDJSON"
        where = f"the last {label} event '{rule.event}'" if rule.event else f"the last {label} event"
    if document is _MISSING:
        raise LookupError(f"{where} was not received")
    from app.user_jsonpath import parse_jsonpath  # imported by runs that extract, not by every run
    from app.user_regex import PatternError

    try:
        expression = parse_jsonpath(rule.path)
    except PatternError as error:
        raise ValueError(f"bad JSONPath '{rule.path}': {error}") from None
    matches = expression.find(document)
    if not matches:
        raise LookupError(f"'{rule.path}' matched nothing in {where}")
    return _as_variable(matches[0].value)


def extract_variables(rules: Iterable[ExtractionRule], events: Iterable[TimelineEvent]) -> ExtractionResult:
    """Apply every rule to a finished response's events; a failing rule is reported, never raised."""
    event_list = list(events)
    values: dict[str, str] = {}
    problems: list[str] = []
    for rule in rules:
        try:
            values[rule.variable] = _extract_one(rule, event_list)
        except json.JSONDecodeError as error:
            problems.append(f"{rule.variable}: the {rule.source.value} payload is not JSON ({error.msg})")
        except UnicodeDecodeError:
            problems.append(f"{rule.variable}: the response body is not UTF-8 text")
        except (LookupError, ValueError) as error:
            problems.append(f"{rule.variable}: {error}")
    return ExtractionResult(values, tuple(problems))


def apply_extractions(
    rules: Iterable[ExtractionRule], events: Iterable[TimelineEvent], store: MutableMapping[str, str]
) -> ExtractionResult:
    """`extract_variables`, writing the values into `store` (a `RunScopes.run`) for the next request."""
    result = extract_variables(rules, events)
    store.update(result.values)
    return result
