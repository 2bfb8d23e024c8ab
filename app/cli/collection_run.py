"""`sluice run a.toml b.toml …`: saved requests run in order, sharing the variables they extract."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from app.cli.http_run import UsageError
from app.cli.run_command import EXIT_FAILED, run_http_command
from app.events import TimelineEvent
from app.model.collection import BrokenFile, find_collection_root, load_collection, load_request_file
from app.model.extraction import apply_extractions
from app.model.http_request import ParseMode
from app.model.resolve import InvalidBody, resolve_http, resolve_merge, resolve_ws, resolve_ws_message
from app.model.scopes import UnknownEnvironment, scopes_for
from app.model.secrets import MASK, is_secret_param
from app.model.variables import UnresolvedVariable


class EventRecorder:
    """Keeps a response's events, only for requests whose extraction rules need them afterwards."""

    def __init__(self) -> None:
        self.events: list[TimelineEvent] = []

    def feed(self, events: list[TimelineEvent]) -> None:
        self.events.extend(events)


async def run_request_files(args: argparse.Namespace) -> int:
    """Run each request file in order; stop at the first that fails. Returns the exit code."""
    run_values = dict(args.var)
    demo = None
    if args.demo:
        from app.demo.server import DemoServer

        demo = DemoServer().start()
        run_values.setdefault("base_url", demo.base_url)
        run_values.setdefault("ws_url", demo.ws_url)
    try:
        for target in args.target:
            code = await _run_one(Path(target), args, run_values)
            if code != 0:
                return code
        return 0
    finally:
        if demo is not None:
            demo.stop()


async def _run_one(path: Path, args: argparse.Namespace, run_values: dict[str, str]) -> int:
    if not path.is_file():
        raise UsageError(f"{path} is neither a URL nor a request file")
    loaded = load_request_file(path)
    if isinstance(loaded, BrokenFile):
        print(f"sluice: {loaded}", file=sys.stderr)
        return EXIT_FAILED
    definition = loaded.definition
    root = find_collection_root(path)
    try:
        collection = load_collection(root) if root is not None else None
        scopes = scopes_for(collection, path.resolve(), args.env, run=run_values)
        if definition.is_websocket:
            from app.cli.ws_command import run_ws_request

            # Without --send flags, a saved request sends its saved messages, in order.
            templates = args.sends or definition.websocket.messages
            sends = [resolve_ws_message(message, definition, scopes) for message in templates]
            return await run_ws_request(resolve_ws(definition, scopes), args, sends, resolve_merge(definition.stream))
        request = resolve_http(definition, scopes)
    except (UnresolvedVariable, InvalidBody, UnknownEnvironment) as error:
        print(f"sluice: {path}: {error}", file=sys.stderr)
        return EXIT_FAILED
    if args.parse != ParseMode.AUTO.value:
        request = replace(request, parse_mode=ParseMode(args.parse))
    recorder = EventRecorder() if definition.extract else None
    code = await run_http_command(request, args, [recorder] if recorder else [], resolve_merge(definition.stream))
    if recorder is not None:
        result = apply_extractions(definition.extract, recorder.events, scopes.run)
        for name, value in result.values.items():
            print(f"sluice: {path.name}: extracted {name} = {MASK if is_secret_param(name) else value}", file=sys.stderr)
        for problem in result.problems:
            print(f"sluice: {path.name}: could not extract {problem}", file=sys.stderr)
    return code
