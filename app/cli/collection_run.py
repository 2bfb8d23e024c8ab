"""`sluice run a.toml b.toml …`: saved requests run in order, sharing the variables they extract."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from app.cli.capture_output import CaptureOutput, reconnect_from_args
from app.cli.interrupts import InterruptCancelsRun
from app.cli.output import HeadlessOutput
from app.cli.request_flags import UsageError, run_script, with_timeout
from app.cli.stderr import report
from app.run import ExitCode, RequestChain, StepProblem
from app.vocabulary import ParseMode


async def run_request_files(args: argparse.Namespace) -> int:
    """Run each request file in order; stop at the first that fails. Returns the exit code."""
    chain = RequestChain(args.env, dict(args.var))
    demo = None
    if args.demo:
        from app.demo.server import DemoServer

        demo = DemoServer().start()
        chain.variables.setdefault("base_url", demo.base_url)
        chain.variables.setdefault("ws_url", demo.ws_url)
    parse_mode = None if args.parse == ParseMode.AUTO.value else ParseMode(args.parse)
    script = run_script(args)
    captures = CaptureOutput(args, several=len(args.target) > 1)
    try:
        for target in args.target:
            path = Path(target)
            if not path.is_file():
                raise UsageError(f"{path} is neither a URL nor a request file")
            try:
                step = chain.prepare(path, parse_mode=parse_mode, max_event_size=args.max_event_size, script=script)
            except StepProblem as problem:
                report(str(problem))
                return ExitCode.FAILED
            step = replace(step, request=with_timeout(step.request, args.timeout))
            output = HeadlessOutput(args, step.merge, step.merge_script)
            capture_consumers, on_chunk = captures.attach(step.request, path.name)
            reconnect = reconnect_from_args(args, websocket=step.definition.is_websocket)
            with InterruptCancelsRun() as interrupts:
                run = chain.start(step, [*output.consumers, *capture_consumers], reconnect=reconnect, on_chunk=on_chunk)
                outcome = await interrupts.watch(run).run()
            output.finish(outcome, path.name)
            if outcome.exit_code != ExitCode.OK:
                return outcome.exit_code
        return ExitCode.OK if captures.finish() else ExitCode.FAILED
    finally:
        captures.finish()  # after a failed step too (a second call writes nothing)
        if demo is not None:
            demo.stop()
