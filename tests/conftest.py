"""Fixtures shared by every test folder: the real demo server on 127.0.0.1 and the real `sluice` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from app.demo.server import DemoServer
from app.model.known_secrets import KNOWN_SECRETS

REPO_ROOT = Path(__file__).resolve().parent.parent

# Hypothesis's default 200 ms deadline per example is a timed assertion: the first examples of a cold,
# busy CI machine missed it (`test_a_chunk_taken_is_exactly_the_strict_values` once, on a machine up a
# minute). Speed is measured in benchmarks/; the tests check only what happens.
settings.register_profile("sluice", deadline=None)
settings.load_profile("sluice")


@pytest.fixture(autouse=True)
def no_secrets_known_from_earlier_tests() -> Iterator[None]:
    """The secret values a run learned are masked for the rest of its process (`KNOWN_SECRETS`): a test
    must not see the values an earlier test's requests resolved (`demo-token` masked in an unrelated
    export once failed a property test in CI)."""
    KNOWN_SECRETS.forget()
    yield
    KNOWN_SECRETS.forget()


@pytest.fixture(scope="session")
def demo_server() -> Iterator[DemoServer]:
    with DemoServer() as server:
        yield server


@dataclass(frozen=True)
class SluiceResult:
    """What a `sluice` command did: exit code, stdout, stderr."""

    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]

    def kinds(self) -> list[str]:
        return [line["kind"] for line in self.lines]


def run_sluice(*args: str, stdin: str | None = None, cwd: Path | None = None, timeout: float = 60) -> SluiceResult:
    """Run the real `sluice` command (as `python -m app`) in a subprocess."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "NO_COLOR": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "app", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd or REPO_ROOT,
        env=env,
        timeout=timeout,
    )
    return SluiceResult(completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture
def sluice():
    return run_sluice
