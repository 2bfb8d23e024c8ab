"""What counts as a secret, so that printers and exports mask it unless the user asks to reveal it."""

from __future__ import annotations

import re

MASK = "•••"
_SECRET_NAME = re.compile(r"(authorization|cookie|token|secret|passw|api[-_]?key|auth|session|signature|credential)", re.I)


def is_secret_name(name: str) -> bool:
    """True for header, query or variable names that usually carry credentials."""
    return bool(_SECRET_NAME.search(name))


def mask_value(name: str, value: str) -> str:
    """Hide a credential but keep its scheme (`Bearer •••`) so the output still says what was sent."""
    if not is_secret_name(name) or not value:
        return value
    scheme, _, rest = value.partition(" ")
    if rest and scheme.lower() in {"bearer", "basic", "token", "digest"}:
        return f"{scheme} {MASK}"
    return MASK


def mask_headers(headers: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple((name, mask_value(name, value)) for name, value in headers)


def mask_url(url: str) -> str:
    """Mask credential-like query parameters (`?api_key=…`), leaving the rest of the URL as sent."""
    base, sep, query = url.partition("?")
    if not sep:
        return url
    fragment = ""
    if "#" in query:
        query, fragment = query.split("#", 1)
        fragment = "#" + fragment
    parts = []
    for part in query.split("&"):
        name, eq, value = part.partition("=")
        parts.append(f"{name}={MASK}" if eq and value and is_secret_name(name) else part)
    return f"{base}?{'&'.join(parts)}{fragment}"
