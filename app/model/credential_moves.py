"""Literal credentials out of a request and into a collection's `.env`: the one mechanism every import
(`sluice import curl`, `sluice import postman`) and the TUI's save use.

`app.model.secrets` finds the credentials and writes the `{{references}}`, `app.model.dotenv` keeps the
values; this puts the two together. Its own module: only an import or a save that moves credentials loads it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from app.model.dotenv import store_secrets
from app.model.request_definition import RequestDefinition
from app.model.secrets import find_literal_credentials, with_credentials_as_variables


@dataclass(frozen=True, slots=True)
class MovedCredentials:
    """A request whose literal credentials were moved into a `.env` (`move_credentials_to_dotenv`)."""

    definition: RequestDefinition
    """The request with `{{references}}` in their place."""
    moved: tuple[tuple[str, str], ...] = ()
    """Each credential's `where` and the `.env` name it is kept under, in the request's order."""

    def summary(self, arrow: str = " as ") -> str:
        """`header Authorization as {{token}}, auth password as {{password}}` (no value in it)."""
        return ", ".join(f"{where}{arrow}{{{{{name}}}}}" for where, name in self.moved)


def move_credentials_to_dotenv(definition: RequestDefinition, dotenv: Path,
                               avoid: Collection[str] = ()) -> MovedCredentials:
    """Keep `definition`'s literal credentials in the `.env` at `dotenv` and put `{{references}}` in their
    place: the one way every import and save does it. A value `.env` already holds keeps its name; a new
    one gets a name not in `avoid` (names a scope searched before `.env` defines: `{{token}}` would find
    theirs). Raises what `store_secrets` raises (`OSError`, `FileFormatError`, `SaveConflict`,
    `ValueError`), nothing written then; with no credential, nothing is written."""
    found = find_literal_credentials(definition)
    if not found:
        return MovedCredentials(definition)
    names = store_secrets(dotenv, [(item.variable, item.value) for item in found], avoid)
    moved = with_credentials_as_variables(definition, {item.where: name for item, name in zip(found, names)})
    return MovedCredentials(moved, tuple((item.where, name) for item, name in zip(found, names)))
