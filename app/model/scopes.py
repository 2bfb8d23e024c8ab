"""Which variables and inherited headers a request sees: built from the collection tree for one run."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.model.collection import COLLECTION_FILE, Collection
from app.model.dotenv import DOTENV_FILE
from app.model.environment import ENVIRONMENTS_DIR
from app.model.request_definition import Pairs, RequestDefinition
from app.model.variables import OS_ENV_PREFIX, Scope, ScopeChain


class UnknownEnvironment(Exception):
    """`--env NAME` (or the collection's default) names an environment the collection does not have."""

    def __init__(self, name: str, available: list[str], why: str = "") -> None:
        listed = ", ".join(available) if available else "none"
        super().__init__(f"no environment named '{name}' ({why or f'available: {listed}'})")
        self.name = name
        self.available = available


@dataclass(frozen=True, slots=True)
class RunScopes:
    """Every scope a request resolves against, except the request's own variables.

    `run` is deliberately mutable and shared: `--var` values start it, and extraction rules write into it
    so the next request of a chain sees them (e.g. `job_id`).
    """

    run: dict[str, str] = field(default_factory=dict)
    folders: tuple[Scope, ...] = ()
    """Innermost folder first."""
    collection: Mapping[str, str] = field(default_factory=dict)
    environment: Mapping[str, str] = field(default_factory=dict)
    environment_name: str = ""
    dotenv: Mapping[str, str] = field(default_factory=dict)
    os_env: Mapping[str, str] = field(default_factory=dict)
    run_sources: Mapping[str, str] = field(default_factory=dict)
    """Where some run values came from, for the editor's preview (`demo server`, `extracted by Start job`)."""
    headers: Pairs = ()
    """Collection then folder headers, outermost first; a request header of the same name replaces them."""
    unreadable: tuple[str, ...] = ()
    """The files of variables that could not be read (`.env` not UTF-8, `collection.toml` a FIFO, say:
    `path:line:column: why`): an undefined variable may be one of theirs, and its error says so."""

    def chain(self, definition: RequestDefinition | None = None) -> ScopeChain:
        """The lookup order for `definition`: run, request, folders, collection, environment, .env, and
        the OS environment for `{{$env.NAME}}` only."""
        request = dict(definition.variables) if definition else {}
        secrets = (
            Scope(".env", self.dotenv),
            # Only asked for by name: `{{$env.NAME}}`. A plain `{{NAME}}` never reaches the OS
            # environment, so a cloned collection cannot send `{{AWS_SECRET_ACCESS_KEY}}` unseen.
            Scope("OS environment", {f"{OS_ENV_PREFIX}{name}": value for name, value in self.os_env.items()}),
        )
        return ScopeChain(
            (
                Scope("run", self.run, sources=self.run_sources),
                Scope("request", request),
                *self.folders,
                Scope("collection", self.collection),
                # `token = "{{staging_token}}"`: the secret moved out of the environment file into `.env`.
                Scope(f"environment {self.environment_name}".strip(), self.environment, references=ScopeChain(secrets)),
                *secrets,
            )
        )


def scopes_for(
    collection: Collection | None,
    request_path: Path | None = None,
    environment: str | None = None,
    run: dict[str, str] | None = None,
    os_env: Mapping[str, str] | None = None,
) -> RunScopes:
    """The scopes of the request at `request_path` in `collection` with `environment`
    (None: the collection's default; "" for none). Raises `UnknownEnvironment`."""
    os_values = dict(os.environ if os_env is None else os_env)
    run_values = run if run is not None else {}
    if collection is None:
        if environment:
            # `--env staging` for a request outside any collection: there is no environment to use.
            raise UnknownEnvironment(environment, [], "the request is in no collection: no collection.toml above it")
        return RunScopes(run=run_values, os_env=os_values)
    name = collection.default_environment if environment is None else environment
    environment_values: Mapping[str, str] = {}
    if name:
        found = collection.environment(name)
        if found is None:
            broken = next((problem for problem in collection.problems
                           if problem.path.parent.name == ENVIRONMENTS_DIR and problem.path.stem == name), None)
            why = f"its file cannot be read: {broken}" if broken is not None else ""
            raise UnknownEnvironment(name, [item.name for item in collection.environments], why)
        environment_values = found.variables
    folders = collection.folders_above(request_path) if request_path else []
    headers = list(collection.headers)
    for folder in folders:
        headers.extend(folder.headers)
    return RunScopes(
        run=run_values,
        folders=tuple(Scope(f"folder {folder.name}", dict(folder.variables)) for folder in reversed(folders)),
        collection=dict(collection.variables),
        environment=environment_values,
        environment_name=name or "",
        dotenv=collection.dotenv,
        os_env=os_values,
        headers=tuple(headers),
        # `collection.toml` holds variables too: one that cannot be read (a FIFO, bad TOML) is named beside them.
        unreadable=tuple(str(problem) for problem in collection.problems
                         if problem.path.name == DOTENV_FILE or problem.path == collection.root / COLLECTION_FILE),
    )


def check_environment(root: Path, name: str) -> None:
    """Raise `UnknownEnvironment` unless the collection at `root` has an environment `name`: what `sluice
    --env NAME` checks before the TUI starts (file names only, no file is read)."""
    from app.model.environment import environment_names

    available = environment_names(root)
    if name not in available:
        raise UnknownEnvironment(name, available)
