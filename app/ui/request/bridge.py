"""The one seam between the editor's `RequestDraft` and the collection model's `RequestDefinition`.

Converting back starts from the definition the draft was loaded from (`dataclasses.replace`), so keys
and settings the editor does not show (unknown TOML keys, timeouts, WebSocket handshake extras) survive
a save untouched.
"""

from __future__ import annotations

from dataclasses import replace

from app.model.header_syntax import header_problem
from app.model.request_definition import (
    MAX_FILE_SIZE_LIMIT,
    Auth,
    AuthType,
    BodyType,
    ExtractionRule,
    ExtractSource,
    MergeRule,
    RequestDefinition,
    StreamSettings,
    WebSocketSettings,
    pair_lines,
    split_pair_lines,
)
from app.ui.request.draft import (
    AuthDraft,
    RequestDraft,
    format_pair_lines,
    format_pairs,
    parse_pair_lines,
    parse_pairs,
)
from app.vocabulary import RuleMode


class DraftError(ValueError):
    """A line in the editor that cannot become part of a request (the message says which and why)."""


def _rule_line(rule: MergeRule) -> str:
    parts = [rule.text]
    if rule.reasoning:
        parts.append(f"reasoning={rule.reasoning}")
    if rule.event:
        parts.append(f"event={rule.event}")
    if rule.mode is not RuleMode.DELTA:
        parts.append(f"mode={rule.mode}")
    return " | ".join(parts)


def _parse_rule(line: str, base: MergeRule | None) -> MergeRule:
    text, *options = (part.strip() for part in line.split("|"))
    fields: dict[str, str] = {}
    for option in options:
        key, found, value = option.partition("=")
        if not found or key.strip() not in ("reasoning", "event", "mode"):
            raise DraftError(f"merge rule option {option!r}: use reasoning=…, event=… or mode=delta|snapshot")
        fields[key.strip()] = value.strip()
    try:
        mode = RuleMode(fields.get("mode", RuleMode.DELTA))
    except ValueError:
        raise DraftError(f"merge rule {line!r}: mode must be delta or snapshot") from None
    rule = base or MergeRule(text="")
    return replace(rule, text=text, reasoning=fields.get("reasoning", ""), event=fields.get("event", ""), mode=mode)


def _extract_line(rule: ExtractionRule) -> str:
    source = rule.source.value + (f":{rule.event}" if rule.event else "")
    return f"{rule.variable} = {source} {rule.path}"


def _parse_extract(line: str) -> ExtractionRule:
    variable, found, rest = line.partition("=")
    source_text, _, path = rest.strip().partition(" ")
    source_name, _, event = source_text.partition(":")
    if not found or not variable.strip():
        raise DraftError(f"extraction rule {line!r}: write `variable = body $.path`")
    try:
        source = ExtractSource(source_name.strip() or "body")
    except ValueError:
        raise DraftError(f"extraction rule {line!r}: source must be body, sse, ndjson or header") from None
    return ExtractionRule(variable=variable.strip(), source=source, path=path.strip() or "$", event=event.strip())


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def _websocket(draft: RequestDraft, shown: RequestDraft, base: RequestDefinition) -> WebSocketSettings:
    websocket = base.websocket
    if draft.subprotocols != shown.subprotocols:
        names = (name.strip() for name in draft.subprotocols.split(","))
        websocket = replace(websocket, subprotocols=tuple(name for name in names if name))
    if draft.cookies != shown.cookies:
        websocket = replace(websocket, cookies=parse_pairs(draft.cookies, "="))
    if draft.max_message_size != shown.max_message_size:
        text = draft.max_message_size.strip().replace("_", "")
        # A file may hold at most MAX_FILE_SIZE_LIMIT: saving more would write a file that does not load.
        digits = text.isascii() and text.isdigit() and len(text) <= 12  # int() refuses 4,300 digits and more
        if not digits or not 0 < int(text) <= MAX_FILE_SIZE_LIMIT:
            raise DraftError(f"max message size {draft.max_message_size!r}: give a number of bytes from 1 to "
                             f"{MAX_FILE_SIZE_LIMIT:,}")
        websocket = replace(websocket, max_message_size=int(text))
    return replace(
        websocket, origin=draft.origin.strip() if draft.origin != shown.origin else websocket.origin,
        auto_reconnect=draft.auto_reconnect, messages=draft.messages,
    )


def draft_from_definition(definition: RequestDefinition) -> RequestDraft:
    """What the editor shows for a stored request."""
    body = definition.body
    body_text = format_pairs(body.form, "=") if body.type == BodyType.FORM else body.content
    auth = definition.auth
    return RequestDraft(
        name=definition.name,
        method=definition.method.upper(),
        url=definition.url,
        params=format_pair_lines(pair_lines(definition.params, definition.disabled_params), "="),
        headers=format_pair_lines(pair_lines(definition.headers, definition.disabled_headers), ": "),
        body_type=body.type,
        body=body_text,
        auth=AuthDraft(
            type=auth.type, token=auth.token, username=auth.username, password=auth.password,
            key_name=auth.key_name or "x-api-key", key_value=auth.key_value, key_in=auth.location,
        ),
        parse_mode=definition.stream.parse_mode,
        merge_profile="" if definition.stream.merge_profile == "auto" else definition.stream.merge_profile,
        merge_rules="\n".join(_rule_line(rule) for rule in definition.stream.rules),
        reconnect=definition.stream.reconnect,
        messages=definition.websocket.messages,
        subprotocols=", ".join(definition.websocket.subprotocols),
        origin=definition.websocket.origin,
        cookies=format_pairs(definition.websocket.cookies, "="),
        auto_reconnect=definition.websocket.auto_reconnect,
        max_message_size=str(definition.websocket.max_message_size),
        extract="\n".join(_extract_line(rule) for rule in definition.extract),
        description=definition.description,
    )


def definition_from_draft(draft: RequestDraft, base: RequestDefinition | None = None) -> RequestDefinition:
    """The stored request for an edited draft; raises `DraftError` for a line that cannot be understood.

    A field whose text is unchanged from what `base` showed keeps `base`'s stored value exactly: lines
    are a lossy view (a value's surrounding spaces, a repeated rule's order), and an edit elsewhere must
    not rewrite them."""
    base = base or RequestDefinition(name=draft.name, url=draft.url)
    shown = draft_from_definition(base)
    if draft.body_type == shown.body_type and draft.body == shown.body:
        body = base.body
    elif draft.body_type is BodyType.FORM:
        body = replace(base.body, type=draft.body_type, content="", form=parse_pairs(draft.body, "="))
    else:
        content = draft.body if draft.body_type is not BodyType.NONE else ""
        body = replace(base.body, type=draft.body_type, content=content, form=())
    if draft.auth == shown.auth:
        auth = base.auth
    elif draft.auth.type is AuthType.NONE:
        auth = Auth(extra=base.auth.extra)
    else:
        auth = replace(
            base.auth, type=draft.auth.type, token=draft.auth.token, username=draft.auth.username,
            password=draft.auth.password, key_name=draft.auth.key_name if draft.auth.type is AuthType.API_KEY else "",
            key_value=draft.auth.key_value, location=draft.auth.key_in,
        )
    if draft.merge_rules == shown.merge_rules:
        rules = base.stream.rules
    else:
        base_rules = base.stream.rules
        rules = tuple(
            _parse_rule(line, base_rules[index] if index < len(base_rules) else None)
            for index, line in enumerate(_lines(draft.merge_rules))
        )
    merge_profile = base.stream.merge_profile if draft.merge_profile == shown.merge_profile else draft.merge_profile
    stream: StreamSettings = replace(
        base.stream, parse_mode=draft.parse_mode, merge_profile=merge_profile or "auto", rules=rules,
        reconnect=draft.reconnect,
    )
    if draft.params == shown.params:
        params, disabled_params = base.params, base.disabled_params
    else:
        params, disabled_params = split_pair_lines(parse_pair_lines(draft.params, "="))
    if draft.headers == shown.headers:
        headers, disabled_headers = base.headers, base.disabled_headers
    else:
        header_lines = parse_pair_lines(draft.headers, ":")
        for name, value, enabled in header_lines:
            # Saved, it would be a file that does not load; sent, h11 would refuse it naming no header.
            if problem := header_problem(name, value, templated=True, enabled=enabled):
                raise DraftError(problem)
        headers, disabled_headers = split_pair_lines(header_lines)
    unchanged = draft.url == shown.url
    return replace(
        base,
        name=draft.name,
        method=base.method if draft.method == shown.method else draft.method.upper(),
        url=base.url if unchanged else draft.url.strip(),
        description=draft.description,
        params=params,
        headers=headers,
        disabled_params=disabled_params,
        disabled_headers=disabled_headers,
        body=body,
        auth=auth,
        stream=stream,
        extract=base.extract if draft.extract == shown.extract else tuple(
            _parse_extract(line) for line in _lines(draft.extract)
        ),
        websocket=_websocket(draft, shown, base),
    )
