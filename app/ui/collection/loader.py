"""The variable scopes a request in the open collection resolves against."""

from __future__ import annotations

from pathlib import Path

from app.model.collection import Collection
from app.model.scopes import RunScopes, scopes_for


def request_scopes(
    collection: Collection | None, request_path: Path | None, environment: str | None, run: dict[str, str]
) -> RunScopes:
    """The scopes a request at `request_path` resolves against; `run` holds overrides and extracted values."""
    return scopes_for(collection, request_path, environment or "", run=run)
