"""`sluice run`: choose what to run (a URL or request files), wire the output, set the exit code."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from app.cli.capture_output import CaptureOutput, reconnect_from_args
from app.cli.interrupts import InterruptCancelsRun
from app.cli.output import HeadlessOutput
from app.cli.process_tuning import tune_for_a_stream
from app.cli.request_flags import (
    UsageError,
    build_http_request,
    build_ws_request,
    is_http_url,
    is_websocket_url,
    run_script,
)
from app.model.http_request import HttpRequest
from app.model.ws_request import WsRequest
from app.run import ExitCode, InvalidRun, RequestRun
from app.terminal_text import safe_line


def run_command(parser: argparse.ArgumentParser, argv: list[str]) -> int:
    args = parser.parse_args(argv)
    if args.jsonl and args.merged:
        parser.error("choose one output: --jsonl or --merged")
    tune_for_a_stream()
    try:
        return asyncio.run(_run(args))
    except (UsageError, InvalidRun) as error:
        parser.error(safe_line(str(error)))  # names files and values from outside
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`sluice run … | head`): stop quietly, and keep Python's exit-time
        # flush of stdout from failing again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitCode.FAILED


async def _run(args: argparse.Namespace) -> int:
    target = args.target[0]
    if not is_http_url(target) and not is_websocket_url(target):
        from app.cli.collection_run import run_request_files  # loads collections: not needed for a URL

        return await run_request_files(args)
    if len(args.target) > 1:
        raise UsageError("give one URL, or one or more request .toml files")
    if args.env:
        raise UsageError(f"--env {args.env}: a URL has no collection, so no environments (give a request file)")
    request: HttpRequest | WsRequest = build_ws_request(args) if is_websocket_url(target) else build_http_request(args)
    script = run_script(args)
    output = HeadlessOutput(args)
    captures = CaptureOutput(args)
    capture_consumers, on_chunk = captures.attach(request)
    reconnect = reconnect_from_args(args, websocket=isinstance(request, WsRequest))
    run = RequestRun(request, [*output.consumers, *capture_consumers], script=script, reconnect=reconnect, on_chunk=on_chunk)
    with InterruptCancelsRun() as interrupts:
        outcome = await interrupts.watch(run).run()
    output.finish(outcome)
    if not captures.finish() and outcome.exit_code == ExitCode.OK:
        return ExitCode.FAILED
    return outcome.exit_code
