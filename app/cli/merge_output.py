"""Merged-reply output for `sluice run`: the live chat view (`--merged`) and the closing JSONL lines."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.printers import JsonlPrinter
from app.cli.request_flags import UsageError
from app.event_runs import BusItem
from app.events import TimelineEvent
from app.jsonl import TextPieces
from app.streams.merge import MergeEngine
from app.vocabulary import MergeRule, RuleMode

if TYPE_CHECKING:
    from app.model.merge_script import MergeScriptRef  # a type only: its module loads collections
    from app.streams.merge.script import MergeScriptSpec  # loaded when a script is named


def script_from_args(args: argparse.Namespace, saved: MergeScriptRef | None) -> MergeScriptSpec | None:
    """The merge script to use: `--merge-script FILE` (named on the command line, so trusted), else the
    saved request's, which runs only with `--trust-scripts`."""
    if not args.merge_script and saved is None:
        return None  # the usual run: no script, and none of a script's machinery loaded
    from app.streams.merge.script import MergeScriptSpec

    if args.merge_script:
        path = Path(args.merge_script)
        if not path.is_file():
            raise UsageError(f"--merge-script {args.merge_script}: no such file")
        return MergeScriptSpec(path.resolve(), args.merge_script, True)
    assert saved is not None
    if saved.problem:
        return MergeScriptSpec(saved.path, saved.shown, False, f"not run: {saved.problem}")
    if args.trust_scripts:
        return MergeScriptSpec(saved.path, saved.shown, True, inside=saved.collection_root)
    reason = (f"not run: {saved.shown} comes from the collection {saved.collection_root}, and nothing of a "
              "collection's scripts runs unless you trust it: add --trust-scripts")
    return MergeScriptSpec(saved.path, saved.shown, False, reason)


def engine_from_args(
    args: argparse.Namespace,
    saved: tuple[str | None, MergeRule | None] = (None, None),
    saved_script: MergeScriptRef | None = None,
) -> MergeEngine:
    """The merge engine the flags ask for (a forced profile, a custom JSONPath rule, a merge script, or
    detection); `saved` and `saved_script` are a saved request's own choice, used where the flags leave
    it open."""
    saved_profile, rule = saved
    if args.text_path:
        rule = MergeRule(args.text_path, args.reasoning_path or "", args.event or "",
                         RuleMode.SNAPSHOT if args.snapshot else RuleMode.DELTA)
    elif args.reasoning_path or args.event or args.snapshot:
        raise UsageError("--reasoning-path, --event and --snapshot refine a custom rule: give --text-path too")
    try:
        return MergeEngine(args.profile or saved_profile, rule, script=script_from_args(args, saved_script))
    except ValueError as error:
        raise UsageError(str(error)) from None


class MergeOutput:
    """The merge engine as a bus consumer, and what it prints when the stream ends."""

    def __init__(self, engine: MergeEngine, live_printer=None) -> None:
        self.engine = engine
        self._live_printer = live_printer

    @classmethod
    def from_args(
        cls,
        args: argparse.Namespace,
        color: bool,
        saved: tuple[str | None, MergeRule | None] = (None, None),
        saved_script: MergeScriptRef | None = None,
    ) -> MergeOutput:
        engine = engine_from_args(args, saved, saved_script)
        if args.merged:
            from app.cli.merged_printer import MergedPrinter

            return cls(engine, MergedPrinter(sys.stdout.buffer, sys.stderr.buffer, color, engine=engine))
        return cls(engine)

    def feed(self, events: list[TimelineEvent]) -> None:
        self.feed_items(events)

    def feed_items(self, items: Sequence[BusItem]) -> None:
        """A batch as the bus published it, runs included (`app.event_runs`)."""
        if self._live_printer is not None:
            self._live_printer.feed(items)
        else:
            self.engine.feed(items)

    def finish(self, jsonl_printer: JsonlPrinter | None) -> None:
        """Print the end of the merged view, or the closing `merged` and `metrics` JSONL lines."""
        if self._live_printer is not None:
            self._live_printer.finish()
            return
        if jsonl_printer is None:
            self.engine.finish()
            return
        line, text_pieces = self.engine.final_line()
        fields = _without_kind(line)
        if text_pieces is not None:
            fields["text"] = TextPieces(text_pieces)
        jsonl_printer.write_summary("merged", fields)
        jsonl_printer.write_summary("metrics", _without_kind(self.engine.metrics.to_json()))


def _without_kind(fields: dict) -> dict:
    return {key: value for key, value in fields.items() if key != "kind"}
