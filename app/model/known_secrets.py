"""The values of secret variables, remembered so that every view of a request masks them (`KNOWN_SECRETS`).

Apart from `secrets`, which masks by name and shape, so that it needs nothing else: `request_secrets`
fills it from `variable_report` (which imports `secrets`), `secrets` reads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "****"
PLAIN_VALUE = re.compile(r"-?\d+(\.\d+)?|true|false", re.IGNORECASE)
"""A number or a boolean: never a secret (`max_tokens = 256`)."""


class KnownSecrets:
    """The values of the secret variables this process has put into requests, masked wherever a request
    is shown or exported, whatever the header, parameter or path segment holding one is called (as GitHub
    Actions masks a registered secret in every log line).

    Filled when a request is resolved (`request_secrets.remember_request_secrets`): a value from `.env`
    or `{{$env.NAME}}`, one whose name or shape is a credential's, one used where credentials go. Each
    is kept with the forms a URL gives it (`quote`, `quote_plus`). Values shorter than `MIN_CHARS` are
    not: they are words a URL or a body holds anyway (`demo`, `chat`), and a credential that short is
    still masked by where it is. At most `LIMIT` values, the oldest forgotten first: memory stays bounded
    in a TUI left open for days."""

    MIN_CHARS = 6
    LIMIT = 512

    def __init__(self) -> None:
        self._values: dict[str, None] = {}
        self._pattern: re.Pattern[str] | None = None

    def remember(self, values: Iterable[str]) -> None:
        added = False
        for value in values:
            for form in (value, quote(value, safe=""), quote(value, safe="/:@!$&'()*+,;="), quote_plus(value)):
                if len(form) >= self.MIN_CHARS and form not in self._values and not PLAIN_VALUE.fullmatch(form):
                    self._values[form] = None
                    added = True
        if not added:
            return
        while len(self._values) > self.LIMIT:
            del self._values[next(iter(self._values))]
        # Longest first, so that a value containing another is masked whole. Built here, once per change,
        # and read without a lock: a masking thread sees the old pattern or the new one, both whole.
        ordered = sorted(self._values, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered)))

    def forget(self) -> None:
        self._values.clear()
        self._pattern = None

    def mask(self, text: str) -> str:
        pattern = self._pattern
        return text if pattern is None or not text else pattern.sub(MASK, text)


KNOWN_SECRETS = KnownSecrets()
