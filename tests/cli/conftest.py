"""Fixtures of the `sluice run` tests beyond the shared ones: the endless HTTP streams of tests/run."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "run"))

from helpers_http import endless_server  # noqa: F401  (a fixture: HTTP streams that never end)
