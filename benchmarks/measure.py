"""Shared by the benchmarks: a server in its own process, and a timed child with its peak memory."""

from __future__ import annotations

import compileall
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Measurement:
    """Wall time, CPU time (user + system) and peak resident memory of one child process."""

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    exit_code: int


def compile_sluice() -> None:
    """Compile `app/` to bytecode once, before anything is timed: what installing it (pip compiles at
    install) or its first run does. Where PYTHONDONTWRITEBYTECODE is set (this development machine) every
    run would otherwise compile Sluice's ~100 modules again, about 0.2 s of CPU no user pays, while the
    ten-line baselines have next to nothing to compile. Existing bytecode is read whatever that variable
    says."""
    compileall.compile_dir(REPO_ROOT / "app", quiet=1)


def measure(command: list[str]) -> Measurement:
    """Run `command` with stdout to /dev/null and report its wall time and peak RSS."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    with open(os.devnull, "wb") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return Measurement(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode)


def instructions(command: list[str]) -> int:
    """The processor instructions `command` executes, counted by valgrind's callgrind: unlike a time, a
    count that a busy machine does not move (stdout to /dev/null). Needs `valgrind` on the PATH."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("--instructions needs valgrind (apt install valgrind)")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    counted = subprocess.run(
        [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True, check=False,
    )
    found = re.search(r"Collected : ([\d,]+)", counted.stderr)
    if found is None:
        raise SystemExit(f"callgrind counted nothing for {command}: {counted.stderr[-500:]}")
    return int(found.group(1).replace(",", ""))


@dataclass(frozen=True)
class InstructionCount:
    """Instructions of a command with one event and with `sample` events, and so its fixed cost and its
    cost per event."""

    one: int
    sampled: int
    sample: int

    @property
    def per_event(self) -> float:
        return (self.sampled - self.one) / (self.sample - 1)

    def at(self, events: int) -> float:
        """The count for `events` events, from the fixed cost and the cost per event."""
        return self.one + self.per_event * (events - 1)


def report_instructions(title: str, sluice: InstructionCount, baseline: InstructionCount, events: int, target: float) -> None:
    """Both counts, per event and fixed, and their ratio scaled to `events` events."""
    ratio = sluice.at(events) / baseline.at(events)
    verdict = "meets" if ratio <= target else "misses"
    print(f"{title}")
    for name, item in (("sluice", sluice), ("baseline", baseline)):
        print(f"  {name:<8} {item.per_event / 1000:7.1f}k instructions per event   fixed {item.one / 1e9:5.2f} G")
    print(f"  ratio    {ratio:7.2f}x at {events:,} events   ({verdict} the target of {target}x)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def raw_server_process() -> Iterator[str]:
    """`raw_server.py` in a separate process: pre-built bytes written in bulk, never the bottleneck.
    Sluice is compiled to bytecode first (`compile_sluice`)."""
    compile_sluice()
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve().parent / "raw_server.py")], stdout=subprocess.PIPE, text=True
    )
    try:
        yield server.stdout.readline().strip()  # the server prints its URL once it is listening
    finally:
        server.terminate()
        server.wait(10)


@contextmanager
def demo_server_process() -> Iterator[str]:
    """The demo server in a separate process, so it does not share the measured client's CPU time."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "demo-server", "--port", str(port)], stdout=subprocess.PIPE, env=env, text=True
    )
    try:
        server.stdout.readline()  # the server prints its URL once it is listening
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


def best_of(runs: int, command: list[str]) -> Measurement:
    """The fastest of `runs` runs (the least disturbed by the rest of the machine)."""
    results = [measure(command) for _ in range(runs)]
    return min(results, key=lambda item: item.seconds)


def report(title: str, sluice: Measurement, baseline: Measurement, target: float) -> None:
    """Both measurements and their ratios. On a busy machine the CPU ratio is the steadier figure."""
    ratio = sluice.seconds / baseline.seconds
    cpu_ratio = sluice.cpu_seconds / baseline.cpu_seconds
    verdict = "meets" if ratio <= target else "misses"
    print(f"{title}")
    for name, item in (("sluice", sluice), ("baseline", baseline)):
        print(
            f"  {name:<8} wall {item.seconds:7.3f} s   cpu {item.cpu_seconds:7.3f} s   "
            f"peak RSS {item.peak_rss_mb:7.1f} MB   exit {item.exit_code}"
        )
    print(f"  ratio    wall {ratio:7.2f}x   cpu {cpu_ratio:7.2f}x   ({verdict} the target of {target}x on wall time)")
