"""`sluice run`: choose what to run (a URL or request files), wire the consumers, set the exit code."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.cli.http_run import Consumer, UsageError, build_http_request, run_http
from app.cli.printers import HumanPrinter, JsonlPrinter
from app.model.http_request import HttpRequest

if TYPE_CHECKING:
    from app.streams.merge import CustomRule

SavedMerge = tuple["str | None", "CustomRule | None"]
"""A saved request's (merge profile, custom rule); see `app.model.resolve.resolve_merge`."""

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def use_color(choice: str, stream) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return stream.isatty()


def run_command(parser: argparse.ArgumentParser, argv: list[str]) -> int:
    args = parser.parse_args(argv)
    if args.jsonl and args.merged:
        parser.error("choose one output: --jsonl or --merged")
    try:
        return asyncio.run(_run(args))
    except UsageError as error:
        parser.error(str(error))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`sluice run … | head`): stop quietly, and keep Python's exit-time
        # flush of stdout from failing again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    return EXIT_USAGE


async def _run(args: argparse.Namespace) -> int:
    target = args.target[0]
    if target.startswith(("ws://", "wss://")):
        from app.cli.ws_command import run_ws_command

        return await run_ws_command(args)
    if not target.startswith(("http://", "https://")):
        from app.cli.collection_run import run_request_files

        return await run_request_files(args)
    if len(args.target) > 1:
        raise UsageError("give one URL, or one or more request .toml files")
    websocket_only = [flag for flag, given in (
        ("--send…", args.sends), ("--subprotocol", args.subprotocol), ("--until-count", args.until_count is not None),
        ("--until-jsonpath", args.until_jsonpath), ("--duration", args.duration is not None),
    ) if given]
    if websocket_only:
        raise UsageError(f"not for HTTP requests (only for ws:// and wss://): {', '.join(websocket_only)}")
    return await run_http_command(build_http_request(args), args)


async def run_http_command(
    request: HttpRequest, args: argparse.Namespace, extra: Sequence[Consumer] = (), saved_merge: SavedMerge = (None, None)
) -> int:
    """Run one HTTP request with the output the flags ask for; returns the exit code.

    `saved_merge` is a saved request's merge profile and rule, used where the flags leave them open."""
    stdout = sys.stdout.buffer
    consumers: list[Consumer] = list(extra)
    merge = _merge_output(args, saved_merge) if args.jsonl or args.merged else None
    if args.jsonl:
        printer = JsonlPrinter(stdout)
        consumers.append(printer)
    elif not args.merged:
        consumers.append(HumanPrinter(stdout, use_color(args.color, sys.stdout)))
    if merge is not None:
        consumers.append(merge)
    outcome = await run_http(request, consumers)
    if merge is not None:
        merge.finish(printer if args.jsonl else None)
    if outcome.failure is not None:
        print(f"sluice: {outcome.failure.type.replace('_', ' ')}: {outcome.failure.message}", file=sys.stderr)
    return outcome.exit_code


def _merge_output(args: argparse.Namespace, saved_merge: SavedMerge):
    from app.cli.merge_output import MergeOutput

    return MergeOutput.from_args(args, use_color(args.color, sys.stderr), saved_merge)
