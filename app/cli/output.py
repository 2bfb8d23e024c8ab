"""What `sluice run` prints for one request: the consumers the output flags ask for, and the end."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, TextIO

from app.cli.merge_output import MergeOutput
from app.cli.printers import HumanPrinter, JsonlPrinter
from app.cli.stderr import report
from app.model.secrets import MASK, is_secret_param
from app.run import Consumer, RunOutcome
from app.vocabulary import MergeRule

if TYPE_CHECKING:
    from app.model.merge_script import MergeScriptRef  # a type only: its module loads collections

SavedMerge = tuple[str | None, MergeRule | None]
"""A saved request's (merge profile, custom rule); see `app.model.resolve.resolve_merge`."""


def use_color(choice: str, stream: TextIO) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return stream.isatty()


class HeadlessOutput:
    """The printer (`--jsonl`, or human lines) and, with `--jsonl` or `--merged`, the merge output.

    Built before the request is sent, so a bad merge flag is a usage error before anything goes out."""

    def __init__(
        self, args: argparse.Namespace, saved_merge: SavedMerge = (None, None), saved_script: MergeScriptRef | None = None
    ) -> None:
        stdout = sys.stdout.buffer
        self._jsonl = JsonlPrinter(stdout) if args.jsonl else None
        human = None if args.jsonl or args.merged else HumanPrinter(stdout, use_color(args.color, sys.stdout))
        self._merge = (
            MergeOutput.from_args(args, use_color(args.color, sys.stderr), saved_merge, saved_script)
            if args.jsonl or args.merged
            else None
        )
        self.consumers: list[Consumer] = [consumer for consumer in (self._jsonl, human, self._merge) if consumer is not None]

    def finish(self, outcome: RunOutcome, label: str = "") -> None:
        """The merged reply's end (or the closing JSONL lines), then on stderr: why the run failed, and
        what the extraction rules found (`label` names the request file)."""
        if self._merge is not None:
            self._merge.finish(self._jsonl)
        problem = outcome.problem
        if problem is not None:
            report(str(problem))
        extraction = outcome.extraction
        if extraction is None:
            return
        prefix = f"{label}: " if label else ""
        for name, value in extraction.values.items():
            report(f"{prefix}extracted {name} = {MASK if is_secret_param(name) else value}")
        for problem in extraction.problems:
            report(f"{prefix}could not extract {problem}")
