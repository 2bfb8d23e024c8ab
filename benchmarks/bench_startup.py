"""Cold start to a settled screen: `sluice --demo` vs Posting, measured the same way, in one run.

    python benchmarks/bench_startup.py [--runs 5] [--posting PATH] [--size 120x40]

Each sample starts the app in a fresh tmux session (a real terminal, so imports, the first frame and
everything the first screen waits for are included) and polls the pane: the time is from just before
the spawn until the last change of the screen, once it has stayed unchanged for 300 ms. Posting is not a
dependency: install it into a separate venv (`python -m venv /tmp/posting && /tmp/posting/bin/pip install
posting 'tree-sitter==0.25.2'`: Posting 2.11 with tree-sitter 0.26 segfaults on its first text area) and
pass `--posting /tmp/posting/bin/posting`. Target: Sluice ≤ 0.5× Posting's time.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SETTLED_FOR = 0.3
POLL = 0.01
GIVE_UP = 30.0


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def settle_time(command: str, size: str, env: dict[str, str]) -> float:
    """Seconds from spawning `command` in a new tmux session until its screen last changed."""
    name = f"perf-startup-{os.getpid()}-{time.monotonic_ns()}"
    width, height = size.split("x")
    exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
    started = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", width, "-y", height, f"env {exports} {command}"], check=True
    )
    try:
        last_screen = ""
        last_change = started
        while True:
            screen = _tmux("capture-pane", "-p", "-t", name)  # text only: a blinking cursor is not a change
            now = time.perf_counter()
            if screen != last_screen:
                last_screen, last_change = screen, now
            elif screen.strip() and now - last_change >= SETTLED_FOR:
                return last_change - started
            if now - started > GIVE_UP:
                raise RuntimeError(f"{command!r} never settled")
            time.sleep(POLL)
    finally:
        _tmux("kill-session", "-t", name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--posting", help="the posting executable (in its own venv)")
    parser.add_argument("--size", default="120x40")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as config, tempfile.TemporaryDirectory() as bytecode, \
            tempfile.TemporaryDirectory() as posting_home:
        # An installed package has its bytecode compiled: cache it outside the repo instead of recompiling.
        sluice_env = {"SLUICE_CONFIG_DIR": config, "PYTHONPATH": str(REPO), "PYTHONPYCACHEPREFIX": bytecode}
        cases = [("sluice --demo", f"{shlex.quote(sys.executable)} -m app --demo", sluice_env)]
        if options.posting:
            collection = Path(posting_home) / "collection"
            collection.mkdir()
            posting_env = {"HOME": posting_home, "XDG_CONFIG_HOME": posting_home, "XDG_DATA_HOME": posting_home}
            cases.append(("posting", f"{shlex.quote(options.posting)} --collection {collection}", posting_env))
        results: dict[str, float] = {}
        for name, command, env in cases:
            settle_time(command, options.size, env)  # warm the file and bytecode caches
            samples = [settle_time(command, options.size, env) for _ in range(options.runs)]
            results[name] = min(samples)
            print(f"{name:<14} settled screen: best {min(samples) * 1000:6.0f} ms   median "
                  f"{statistics.median(samples) * 1000:6.0f} ms   ({options.runs} runs, tmux {options.size})")
    if "posting" in results:
        ratio = results["sluice --demo"] / results["posting"]
        verdict = "meets" if ratio <= 0.5 else "misses"
        print(f"ratio {ratio:.2f}x   ({verdict} the target of 0.5x)")


if __name__ == "__main__":
    main()
