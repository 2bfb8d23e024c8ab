"""Which values a request is about to carry are secrets, remembered so that every view masks them.

`variable_report` already decides, for the resolved preview, which variables of a request are secret: a
value from `.env` or the OS environment (`{{$env.NAME}}`), one whose name or shape is a credential's
(`api_key`, `sk-…`), one used where credentials go (auth, a credential header or parameter). Their values
go into `KNOWN_SECRETS` before the request is sent, so that the request line, the Headers tab, `--jsonl`,
HAR, recordings and `sluice export curl` mask them wherever they sit: `X-Custom: {{token}}`,
`/v1/{{key}}/chat`, a JSON body's `"opaque": "{{token}}"`. (A module of its own: `secrets` cannot import
`variable_report`, which imports it.)
"""

from __future__ import annotations

from app.model.known_secrets import KNOWN_SECRETS
from app.model.request_definition import RequestDefinition
from app.model.scopes import RunScopes
from app.model.variable_report import variable_report


def remember_request_secrets(definition: RequestDefinition, scopes: RunScopes) -> None:
    """Add the values of `definition`'s secret variables (in `scopes`) to `KNOWN_SECRETS`."""
    KNOWN_SECRETS.remember(use.value for use in variable_report(definition, scopes) if use.secret and use.value)
