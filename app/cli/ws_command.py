"""`sluice run ws://…` and saved WebSocket requests: the flags become a `WsRequest`, sends and an end."""

from __future__ import annotations

import argparse
import sys

from app.cli.http_run import UsageError
from app.cli.printers import HumanPrinter, JsonlPrinter
from app.cli.run_command import SavedMerge, use_color
from app.cli.stderr import report
from app.cli.ws_run import exit_code_for, run_ws, ws_request_from_cli
from app.events import ConnectionFailed, TimelineEvent, WsClosed
from app.model.ws_request import WsOutgoing, WsRequest


class _HeadlessOutput:
    """The printer and, when asked for, the merge engine, fed together; failures named on stderr."""

    def __init__(self, args: argparse.Namespace, saved_merge: SavedMerge) -> None:
        from app.cli.merge_output import MergeOutput

        stdout = sys.stdout.buffer
        self.printer = JsonlPrinter(stdout) if args.jsonl else None
        self.merge = MergeOutput.from_args(args, use_color(args.color, sys.stderr), saved_merge) if args.jsonl or args.merged else None
        self.human = None if args.jsonl or args.merged else HumanPrinter(stdout, use_color(args.color, sys.stdout))
        self.failure: ConnectionFailed | None = None
        self.closed: WsClosed | None = None

    def feed(self, events: list[TimelineEvent]) -> None:
        for consumer in (self.printer, self.human, self.merge):
            if consumer is not None:
                consumer.feed(events)
        for event in events:
            if isinstance(event.payload, ConnectionFailed):
                self.failure = event.payload
            elif isinstance(event.payload, WsClosed):
                self.closed = event.payload

    def finish(self) -> None:
        if self.merge is not None:
            self.merge.finish(self.printer)
        if self.failure is not None:
            report(f"{self.failure.type.replace('_', ' ')}: {self.failure.message}")
        elif self.closed is not None and exit_code_for(self.closed) != 0:
            reason = f" {self.closed.reason}" if self.closed.reason else ""
            report(f"closed by {self.closed.by}: {self.closed.code}{reason}")


async def run_ws_request(
    request: WsRequest, args: argparse.Namespace, sends: list[WsOutgoing], saved_merge: SavedMerge = (None, None)
) -> int:
    """Run one WebSocket session with the output and end condition the flags ask for."""
    output = _HeadlessOutput(args, saved_merge)
    return await run_ws(request, sends, args.send_interval, args.until_count, args.until_jsonpath, args.duration, output)


async def run_ws_command(args: argparse.Namespace) -> int:
    """`sluice run ws://URL [flags]`."""
    http_only = [flag for flag, given in (("-X", args.request), ("-d", args.data), ("--json", args.json is not None)) if given]
    if http_only:
        raise UsageError(f"not for WebSocket requests (send messages with --send…): {', '.join(http_only)}")
    request = ws_request_from_cli(args.target[0], args.header, args.subprotocol, args.insecure)
    return await run_ws_request(request, args, args.sends or [])
