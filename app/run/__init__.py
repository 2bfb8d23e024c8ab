"""Drives requests: worker → bus → consumers, cancellation, extraction and the outcome. No Textual.

`RequestRun` runs one resolved request (`HttpRequest` or `WsRequest`) and returns a `RunOutcome`;
`RequestChain` runs saved request files in order, sharing the variables they extract. `sluice run`,
`sluice test` and the TUI all go through here, so they cannot drift.
"""

from app.run.chain import ChainStep, RequestChain, StepProblem, resolve_step
from app.run.outcome import ExitCode, RunOutcome
from app.run.request_run import BACKPRESSURE_EVENTS, Consumer, RequestRun
from app.run.script import InvalidRun, WsScript

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
