"""The variable scopes a request in the open collection resolves against."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from app.model.collection import Collection
from app.model.scopes import RunScopes, scopes_for


def request_scopes(
    collection: Collection | None, request_path: Path | None, environment: str | None, run: dict[str, str],
    run_sources: Mapping[str, str] | None = None,
) -> RunScopes:
    """The scopes a request at `request_path` resolves against; `run` holds overrides and extracted values,
    `run_sources` where some of them came from (`demo server`, `extracted by …`) for the preview."""
    from dataclasses import replace

    scopes = scopes_for(collection, request_path, environment or "", run=run)
    return replace(scopes, run_sources=dict(run_sources or {}))
