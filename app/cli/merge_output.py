"""Merged-reply output for `sluice run`: the live chat view (`--merged`) and the closing JSONL lines."""

from __future__ import annotations

import argparse


class MergeOutput:
    """The merge engine and metrics as bus consumers, and what they print when the stream ends."""

    consumers: list

    @classmethod
    def from_args(cls, args: argparse.Namespace, color: bool) -> "MergeOutput | None":
        return None

    def finish(self, jsonl_printer) -> None:
        return None
