"""Saved requests run one after another, sharing run variables: what one extracts, the next one uses.

`sluice run a.toml b.toml` and `sluice test` both walk a chain: `prepare()` loads and resolves a file
with the variables known so far (a problem is a `StepProblem`, before anything is sent), `start()` gives
the `RequestRun` for it, whose extraction rules write into the chain's `variables` when it ends. The TUI
resolves its editor's request with `resolve_step` and the workspace's scopes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from app.connections.interface import ChunkHook
from app.model.collection import BrokenFile, Collection, find_collection_root, load_collection, load_request_file
from app.model.http_request import HttpRequest
from app.model.merge_script import MergeScriptRef, merge_script_for
from app.model.request_definition import RequestDefinition
from app.model.resolve import InvalidBody, resolve_http, resolve_merge, resolve_ws, resolve_ws_message
from app.model.scopes import RunScopes, UnknownEnvironment, scopes_for
from app.model.variables import UnresolvedVariable
from app.model.ws_request import WsRequest
from app.run.reconnect import ReconnectPolicy, reconnect_policy
from app.run.request_run import Consumer, RequestRun
from app.run.script import WsScript
from app.vocabulary import MergeRule, ParseMode


class StepProblem(Exception):
    """A request file that cannot be sent as it stands (broken, unresolved variable, unknown environment)."""


@dataclass(frozen=True, slots=True)
class ChainStep:
    """One request, resolved with the variables known when it was prepared: ready to run."""

    path: Path | None
    """The request file it came from (None for a request that was never saved)."""
    definition: RequestDefinition
    request: HttpRequest | WsRequest
    script: WsScript
    merge: tuple[str | None, MergeRule | None]
    """The saved merge profile (None: detect) and custom rule, for the consumers that merge."""
    merge_script: MergeScriptRef | None = None
    """The merge script the request, its folder or its collection names (found, never run here)."""


def resolve_step(
    definition: RequestDefinition,
    scopes: RunScopes,
    path: Path | None = None,
    *,
    parse_mode: ParseMode | None = None,
    max_event_size: int | None = None,
    script: WsScript = WsScript(),
    send_saved: bool = False,
) -> ChainStep:
    """Resolve `definition` (a file's, or the TUI editor's) in `scopes`; the sends of `script` get their
    variables substituted now (an HTTP request keeps only its stop condition). With `send_saved` (headless runs), a WebSocket request whose `script` has
    no sends sends its saved messages; without it (the TUI) saved messages stay templates for the user.
    `parse_mode` and `max_event_size` override the definition's.

    Raises `StepProblem` (its `__cause__` is the `UnresolvedVariable` or `InvalidBody`) before any I/O."""
    where = f"{path}: " if path is not None else ""
    try:
        request: HttpRequest | WsRequest
        if definition.is_websocket:
            request = resolve_ws(definition, scopes)
            templates = script.sends or (definition.websocket.messages if send_saved else ())
            sends = tuple(resolve_ws_message(message, definition, scopes) for message in templates)
            script = replace(script, sends=sends)
        else:
            request = resolve_http(definition, scopes)
            if parse_mode is not None:
                request = replace(request, parse_mode=parse_mode)
            if max_event_size is not None:
                request = replace(request, max_event_size=max_event_size)
            # An HTTP stream keeps the run's stop condition (`--until-…`, `--duration`); sends are not for it.
            script = replace(script, sends=(), send_interval=0.0)
    except (UnresolvedVariable, InvalidBody, ValueError) as error:
        # An undefined variable may be one the unreadable `.env` holds: say so, not only "not defined".
        unread = "".join(f"; {problem} (none of its variables are defined)" for problem in scopes.unreadable
                         if isinstance(error, UnresolvedVariable))
        raise StepProblem(f"{where}{error}{unread}") from error
    return ChainStep(path, definition, request, script, resolve_merge(definition.stream))


class RequestChain:
    """Runs request files in order in one scope of run variables (`variables`, shared by every step)."""

    def __init__(self, environment: str | None = None, variables: dict[str, str] | None = None) -> None:
        self.environment = environment
        """The environment to resolve with (None: each collection's default; "" for none)."""
        self.variables: dict[str, str] = variables if variables is not None else {}
        """Run variables: `--var` values, then whatever each step's `[[extract]]` rules found (the
        mapping given is shared, not copied: the TUI passes its workspace's)."""
        self._collections: dict[Path, Collection] = {}

    def prepare(
        self,
        path: Path,
        *,
        parse_mode: ParseMode | None = None,
        max_event_size: int | None = None,
        script: WsScript = WsScript(),
    ) -> ChainStep:
        """Load and resolve `path`. A WebSocket request without sends in `script` sends its saved messages
        (either way with their variables substituted). `parse_mode` and `max_event_size` override the file's.

        Raises `StepProblem` for a file that cannot be sent; nothing has gone out then."""
        loaded = load_request_file(path)
        if isinstance(loaded, BrokenFile):
            raise StepProblem(str(loaded))
        try:
            collection = self._collection_of(path)
            scopes = scopes_for(collection, path.resolve(), self.environment, run=self.variables)
        except UnknownEnvironment as error:
            raise StepProblem(f"{path}: {error}") from error
        step = resolve_step(
            loaded.definition, scopes, path, parse_mode=parse_mode, max_event_size=max_event_size, script=script,
            send_saved=True,
        )
        return replace(step, merge_script=merge_script_for(collection, path.resolve(), loaded.definition))

    def start(
        self, step: ChainStep, consumers: Sequence[Consumer] = (), *, reconnect: ReconnectPolicy | None = None,
        on_chunk: ChunkHook | None = None,
    ) -> RequestRun:
        """The run of `step`; its extracted values go into `variables` when it ends. `reconnect` overrides
        the request file's own `[stream] reconnect` setting."""
        policy = reconnect or reconnect_policy(step.definition.stream)
        return RequestRun(
            step.request, consumers, extract=step.definition.extract, variables=self.variables, script=step.script,
            reconnect=policy.headless() if policy else None, on_chunk=on_chunk,  # a chain runs headless
        )

    def _collection_of(self, path: Path) -> Collection | None:
        root = find_collection_root(path)
        if root is None:
            return None
        if root not in self._collections:
            self._collections[root] = load_collection(root)
        return self._collections[root]
