"""What counts as a credential, so that printers and exports mask it unless the user asks to reveal it.

One definition for every place that shows or writes a request: the `--jsonl` and human printers,
`sluice export curl`, and the warning `sluice import curl` gives about literal credentials.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.model.request_definition import RequestDefinition

MASK = "****"
_AUTH_HEADERS = ("authorization", "proxy-authorization")
_SECRET_HEADER = re.compile(
    r"authorization|cookie|(^|[-_])(key|apikey|token|secret|password)$|token|secret|api[-_]?key", re.IGNORECASE
)
_SECRET_PARAM = re.compile(
    r"(^|[-_])(key|apikey|sig|signature|password|pass)$|token|secret|api[-_]?key", re.IGNORECASE
)


def is_secret_header(name: str) -> bool:
    """`Authorization`, `Cookie`, `x-api-key`, `X-Auth-Token`, …"""
    return bool(_SECRET_HEADER.search(name))


def is_secret_param(name: str) -> bool:
    """Query parameters and variables such as `api_key`, `access_token`, `sig`, `password`."""
    return bool(_SECRET_PARAM.search(name))


def mask_header(name: str, value: str) -> str:
    """Hide a credential header's value, keeping an auth scheme (`Bearer ****`) so the output says what was sent."""
    if name.lower() in _AUTH_HEADERS:
        scheme, space, _ = value.partition(" ")
        return f"{scheme} {MASK}" if space else MASK
    return MASK if value and is_secret_header(name) else value


def mask_headers(headers: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple((name, mask_header(name, value)) for name, value in headers)


def mask_url(url: str) -> str:
    """Mask the credentials a URL carries, leaving the rest as it was: the password in its userinfo
    (`user:****@host`; a userinfo without a password is masked whole, `****@host`, since a lone name there
    is usually a token), and credential-like query and fragment parameters (`?api_key=****`,
    `#access_token=****`). HTTP and WebSocket URLs alike."""
    url = _mask_userinfo(url)
    base, hash_mark, fragment = url.partition("#")
    base, question, query = base.partition("?")
    if question:
        base = f"{base}?{_mask_parameters(query)}"
    if hash_mark and "=" in fragment:
        fragment = _mask_parameters(fragment)
    return f"{base}{hash_mark}{fragment}"


def _mask_userinfo(url: str) -> str:
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    end = len(rest)
    for delimiter in "/?#":
        found = rest.find(delimiter)
        if found != -1 and found < end:
            end = found
    userinfo, at, host = rest[:end].rpartition("@")
    if not at or not userinfo:
        return url
    user, colon, password = userinfo.partition(":")
    shown = f"{user}:{MASK}" if colon and password else f"{user}:" if colon else MASK
    return f"{scheme}://{shown}@{host}{rest[end:]}"


def _mask_parameters(query: str) -> str:
    pieces = []
    for piece in query.split("&"):
        name, equals, value = piece.partition("=")
        pieces.append(f"{name}={MASK}" if equals and value and is_secret_param(name) else piece)
    return "&".join(pieces)


def literal_credentials(definition: RequestDefinition) -> list[str]:
    """Where a request holds a credential written out rather than as a `{{variable}}`: what to warn about
    before it goes into a TOML file (and then into git)."""

    def literal(value: str) -> bool:
        return bool(value) and "{{" not in value

    named = [f"header {name}" for name, value in definition.headers if literal(value) and is_secret_header(name)]
    auth = definition.auth
    if literal(auth.password) or literal(auth.token) or literal(auth.key_value):
        named.append("auth")
    if mask_url(definition.url) != definition.url and _userinfo_literal(definition.url):
        named.append("URL userinfo")
    query = definition.url.partition("?")[2].partition("#")[0]
    for piece in query.split("&"):
        name = piece.partition("=")[0]
        if "{{" not in piece and "=" in piece and is_secret_param(name):
            named.append(f"query parameter {name}")
    return named


def _userinfo_literal(url: str) -> bool:
    authority = url.partition("://")[2].split("/", 1)[0].split("?", 1)[0]
    userinfo = authority.rpartition("@")[0]
    return bool(userinfo) and "{{" not in userinfo
