"""Drives requests: worker → bus → consumers, cancellation, extraction and the outcome. No Textual.

`RequestRun` runs one resolved request (`HttpRequest` or `WsRequest`) and returns a `RunOutcome`;
`RequestChain` runs saved request files in order, sharing the variables they extract. `sluice run`,
`sluice test` and the TUI all go through here, so they cannot drift.

The chain's names are loaded on first use: they bring in the collection loader (TOML, environments,
scopes), which `sluice run URL` never needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.run.outcome import ExitCode, RunOutcome
from app.run.request_run import BACKPRESSURE_EVENTS, Consumer, RequestRun
from app.run.script import InvalidRun, WsScript

if TYPE_CHECKING:
    from app.run.chain import ChainStep, RequestChain, StepProblem, resolve_step

_CHAIN_NAMES = frozenset({"ChainStep", "RequestChain", "StepProblem", "resolve_step"})

__all__ = [
    "BACKPRESSURE_EVENTS",
    "ChainStep",
    "Consumer",
    "ExitCode",
    "InvalidRun",
    "RequestChain",
    "RequestRun",
    "RunOutcome",
    "StepProblem",
    "WsScript",
    "resolve_step",
]


def __getattr__(name: str) -> Any:
    if name in _CHAIN_NAMES:
        from app.run import chain

        return getattr(chain, name)
    raise AttributeError(f"module 'app.run' has no attribute {name!r}")
