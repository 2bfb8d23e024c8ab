"""Where each `{{variable}}` of a request comes from: the editor's resolved preview, as data.

For every variable a request uses (URL, query parameters, headers, the collection's and folders'
headers it inherits, auth, body, WebSocket origin, cookies and saved messages): its value, the scope
that defines it (`request`, `folder chat`, `collection`, `environment staging`, `.env`, `OS environment`,
`run`, `demo server`, `extracted by POST Start job`, `dynamic`), the scopes its own `{{references}}`
went through (`environment staging → .env`), and whether the value is a secret to mask when shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.model.request_definition import AuthType, BodyType, RequestDefinition
from app.model.scopes import RunScopes
from app.model.secrets import MASK, is_secret_header, is_secret_param, looks_like_secret
from app.model.variables import ScopeChain

_SECRET_SOURCES = (".env", "OS environment")


@dataclass(frozen=True, slots=True)
class VariableUse:
    """One variable of a request and where it was found; `value` is None when no scope has it."""

    name: str
    where: tuple[str, ...]
    """Where the request uses it: `URL`, `header Authorization`, `body`, …, in order of first use."""
    value: str | None
    origin: str | None
    """`environment staging → .env`; None when unresolved."""
    problem: str = ""
    secret: bool = False
    """Shown masked (`****`) unless revealed: from `.env` or `$env`, or used where credentials go."""

    @property
    def resolved(self) -> bool:
        return self.origin is not None and not self.problem

    def shown_value(self, reveal: bool = False) -> str:
        if self.value is None:
            return ""
        return MASK if self.secret and not reveal and self.value else self.value


def _texts(definition: RequestDefinition, scopes: RunScopes) -> Iterator[tuple[str, str, bool]]:
    """(where, text, holds a credential) for every field of `definition` that variables can appear in."""
    yield "URL", definition.url, False
    for name, value in definition.params:
        yield f"query parameter {name}", value, is_secret_param(name)
    own = {name.lower() for name, _ in definition.headers}
    for name, value in (*[pair for pair in scopes.headers if pair[0].lower() not in own], *definition.headers):
        yield f"header {name}", value, is_secret_header(name)
    auth = definition.auth
    if auth.type is AuthType.BEARER:
        yield "auth token", auth.token, True
    elif auth.type is AuthType.BASIC:
        yield "auth username", auth.username, False
        yield "auth password", auth.password, True
    elif auth.type is AuthType.API_KEY:
        yield "auth key", auth.key_value, True
    body = definition.body
    if body.type is BodyType.FORM:
        for name, value in body.form:
            yield f"form field {name}", value, is_secret_param(name)
    elif body.type is not BodyType.NONE:
        yield "body", body.content, False
    websocket = definition.websocket
    if websocket.origin:
        yield "origin", websocket.origin, False
    for name, value in websocket.cookies:
        yield f"cookie {name}", value, True
    for message in websocket.messages:
        yield f"message {message.name}" if message.name else "message", message.content, False


def variable_report(definition: RequestDefinition, scopes: RunScopes) -> list[VariableUse]:
    """Every variable `definition` uses, in order of first use, with its value and origin."""
    chain: ScopeChain = scopes.chain(definition)
    uses: dict[str, VariableUse] = {}
    for where, text, credential in _texts(definition, scopes):
        for span in chain.find(text):
            known = uses.get(span.name)
            if known is not None:
                if where not in known.where:
                    uses[span.name] = VariableUse(known.name, (*known.where, where), known.value, known.origin,
                                                  known.problem, known.secret or credential)
                continue
            secret = credential or (span.value is not None and looks_like_secret(span.name, span.value)) or any(
                source in (span.scope or "") for source in _SECRET_SOURCES)
            uses[span.name] = VariableUse(span.name, (where,), span.value, span.scope, span.problem, secret)
    return list(uses.values())
