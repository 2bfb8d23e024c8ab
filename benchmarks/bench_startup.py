"""Cold start to a settled screen: `sluice --demo` vs Posting, measured the same way, in one run.

    python benchmarks/bench_startup.py [--runs 5] [--posting PATH] [--size 120x40]
    python benchmarks/bench_startup.py --instructions [--also CHECKOUT]   # callgrind, to the first paint

Each sample starts the app in a fresh tmux session (a real terminal, so imports, the first frame and
everything the first screen waits for are included) and polls the pane: the time is from just before
the spawn until the last change of the screen, once it has stayed unchanged for 300 ms while showing
what only the full screen shows (Sluice: `env: demo`, set once the collection is on screen). Every
case runs with its bytecode compiled, as an install has it (PYTHONDONTWRITEBYTECODE is removed; Sluice's
cache goes to a temporary PYTHONPYCACHEPREFIX, warmed by one unmeasured run). Posting is not a
dependency: install it into a separate venv (`python -m venv /tmp/posting && /tmp/posting/bin/pip install
posting 'tree-sitter==0.25.2'`: Posting 2.11 with tree-sitter 0.26 segfaults on its first text area) and
pass `--posting /tmp/posting/bin/posting`. Target: Sluice ≤ 0.5× Posting's time.

The floor is printed too: `import textual.app` alone, and an empty Textual app (one `Static`) measured
exactly like the others, which no Textual app can beat. The cases take turns in every round, so a change
in the machine's load hits all of them alike; the load average is printed before and after.

`--instructions` counts instead the processor instructions (valgrind's callgrind) from the spawn of
`sluice --demo`, in a tmux pane, to the main screen's first paint, which is its settled screen (Pilot tests
check that no other paint follows at start-up): a figure a busy machine does not move, where the wall
times of the same code moved by 30% between rounds. Each `--also` checkout is counted beside it.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EMPTY_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Empty(App):\n"
    "    def compose(self):\n"
    "        yield Static('empty Textual app')\n"
    "Empty().run()\n"
)
SETTLED_FOR = 0.3
POLL = 0.01
GIVE_UP = 30.0
FIRST_PAINT_DRIVER = (
    "import os, sys\n"
    "from textual.app import App\n"
    "display = App._display\n"
    "def first_paint(self, screen, renderable):\n"
    "    display(self, screen, renderable)\n"
    "    if renderable is not None and type(screen).__name__ == 'MainScreen':\n"
    "        os._exit(0)\n"
    "App._display = first_paint\n"
    "sys.argv = ['sluice', '--demo']\n"
    "from app.cli.main import main\n"
    "main()\n"
)
"""`sluice --demo`, ended as soon as the main screen's first frame is written (for `--instructions`). Textual
has no public hook there: `App._display` writes each frame (`call_after_refresh` runs later, after the
refreshes that follow the first paint, which the settled-screen figure does not wait for)."""
SOCKET = f"sluice-bench-startup-{os.getpid()}"
"""The benchmark's own tmux server: a server exits with its last session, and a session started at that
moment fails ("server exited unexpectedly"); a private server with a keep-alive session never does."""


def _tmux(*args: str, check: bool = False) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=check).stdout


def _cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of process `pid` so far (its own, not its children's), or NaN."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError, TypeError):
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settle_time(command: str, size: str, env: dict[str, str], full: str) -> tuple[float, float]:
    """Seconds from spawning `command` in a new tmux session until its screen last changed, counting only
    a screen that shows `full` (an intermediate frame, such as Sluice's tree before the collection is
    read, may stay unchanged for 300 ms on a loaded machine: that is not the full screen); and the CPU
    seconds the process had used when that change was seen (Linux; less moved by the machine's load than
    the wall time, which waits for a core whenever other work holds both)."""
    name = f"perf-startup-{time.monotonic_ns()}"
    width, height = size.split("x")
    exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
    started = time.perf_counter()
    # Bytecode as an install has it (pip compiles at install time): a PYTHONDONTWRITEBYTECODE in the
    # caller's environment would make every run recompile Sluice, and with the prefix Textual and the
    # standard library too: about 5 s a run on a loaded 2-core machine, while Posting's venv has its .pyc.
    # `exec env`: the pane's process is the app itself, whose CPU time is read.
    _tmux("new-session", "-d", "-s", name, "-x", width, "-y", height,
          f"exec env -u PYTHONDONTWRITEBYTECODE {exports} {command}", check=True)
    try:
        pane_pid = _tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip()
        pid = int(pane_pid) if pane_pid.isdigit() else None
        last_screen = ""
        last_change, cpu_then = started, float("nan")
        while True:
            screen = _tmux("capture-pane", "-p", "-t", name)  # text only: a blinking cursor is not a change
            now = time.perf_counter()
            if screen != last_screen:
                last_screen, last_change, cpu_then = screen, now, _cpu_seconds(pid)
            elif full in screen and now - last_change >= SETTLED_FOR:
                return last_change - started, cpu_then
            if now - started > GIVE_UP:
                raise RuntimeError(f"{command!r} never settled")
            time.sleep(POLL)
    finally:
        _tmux("kill-session", "-t", name)


def first_paint_instructions(checkout: Path, size: str, work: Path) -> int:
    """Instructions from the spawn of `sluice --demo` from `checkout` to its main screen's first paint, counted
    by callgrind in a tmux pane of `size` (threads run one at a time, `--fair-sched`, so the collection's
    worker is counted as it ran; the hash seed is fixed). An unmeasured run first compiles the bytecode."""
    driver, log = work / "first_paint.py", work / "callgrind.log"
    driver.write_text(FIRST_PAINT_DRIVER, encoding="utf-8")
    width, height = size.split("x")
    env = (f"SLUICE_CONFIG_DIR={shlex.quote(str(work / 'config'))} PYTHONPATH={shlex.quote(str(checkout))} "
           f"PYTHONPYCACHEPREFIX={shlex.quote(str(work / 'bytecode'))} PYTHONHASHSEED=0")
    python = shlex.quote(sys.executable)
    valgrind = f"valgrind --tool=callgrind --fair-sched=yes --callgrind-out-file=/dev/null --log-file={shlex.quote(str(log))}"
    for prefix in ("", valgrind):
        name = f"perf-startup-{time.monotonic_ns()}"
        _tmux("new-session", "-d", "-s", name, "-x", width, "-y", height,
              f"exec env -u PYTHONDONTWRITEBYTECODE {env} {prefix} {python} {shlex.quote(str(driver))}", check=True)
        started = time.monotonic()
        while name in _tmux("list-sessions", "-F", "#{session_name}").split():
            if time.monotonic() - started > 20 * GIVE_UP:
                _tmux("kill-session", "-t", name)
                raise RuntimeError(f"sluice --demo from {checkout} never painted")
            time.sleep(0.5)
    found = re.search(r"Collected : (\d+)", log.read_text(encoding="utf-8"))
    if found is None:
        raise RuntimeError(f"callgrind counted nothing for {checkout}: see {log}")
    return int(found.group(1))


def import_time(module: str, runs: int) -> float:
    """Best wall time of a fresh interpreter that only imports `module`."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        samples.append(time.perf_counter() - started)
    return min(samples)


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def measure(options: argparse.Namespace) -> dict[str, list[tuple[float, float]]]:
    """Every case's settle times; the cases take turns in each round."""
    with tempfile.TemporaryDirectory() as config, tempfile.TemporaryDirectory() as bytecode, \
            tempfile.TemporaryDirectory() as posting_home:
        # An installed package has its bytecode compiled: cache it outside the repo instead of recompiling.
        sluice_env = {"SLUICE_CONFIG_DIR": config, "PYTHONPATH": str(REPO), "PYTHONPYCACHEPREFIX": bytecode}
        cases = [("sluice --demo", f"{shlex.quote(sys.executable)} -m app --demo", sluice_env, "env: demo")]
        for other in options.also:
            # Another checkout (main, before a change), in the same rounds: a before/after at the same load.
            other_env = {**sluice_env, "PYTHONPATH": str(Path(other).resolve())}
            cases.append((f"sluice@{Path(other).name}", f"{shlex.quote(sys.executable)} -m app --demo", other_env,
                          "env: demo"))
        if options.posting:
            collection = Path(posting_home) / "collection"
            collection.mkdir()
            posting_env = {"HOME": posting_home, "XDG_CONFIG_HOME": posting_home, "XDG_DATA_HOME": posting_home}
            cases.append(("posting", f"{shlex.quote(options.posting)} --collection {collection}", posting_env, "Posting"))
        if not options.no_floor:
            script = Path(bytecode) / "empty_textual_app.py"
            script.write_text(EMPTY_APP, encoding="utf-8")
            cases.append(("empty Textual", f"{shlex.quote(sys.executable)} {script}", {}, "empty Textual app"))
        for _name, command, env, full in cases:
            settle_time(command, options.size, env, full)  # warm the file and bytecode caches
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name, _command, _env, _full in cases}
        for _ in range(options.runs):
            for name, command, env, full in cases:
                samples[name].append(settle_time(command, options.size, env, full))
    return samples


def count_instructions(options: argparse.Namespace) -> None:
    """`--instructions`: this checkout's count and each `--also` checkout's, with this one's ratio to each."""
    _tmux("new-session", "-d", "-s", "keep-alive", "sleep 3600", check=True)
    try:
        counts = {}
        for checkout in (REPO, *(Path(other).resolve() for other in options.also)):
            with tempfile.TemporaryDirectory() as work:
                counts[checkout] = first_paint_instructions(checkout, options.size, Path(work))
    finally:
        _tmux("kill-server")
    for checkout, count in counts.items():
        name = "sluice --demo" if checkout == REPO else f"sluice@{checkout.name}"
        versus = "" if checkout == REPO else f"   (this checkout: {counts[REPO] / count:.3f}x)"
        print(f"{name:<22} {count / 1e9:.3f} G instructions to the first paint, tmux {options.size}{versus}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--posting", help="the posting executable (in its own venv)")
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--no-floor", action="store_true", help="skip the empty Textual app")
    parser.add_argument("--also", action="append", default=[], metavar="CHECKOUT",
                        help="also measure `sluice --demo` from another checkout of Sluice (repeatable)")
    parser.add_argument("--instructions", action="store_true",
                        help="count the instructions to the first paint (callgrind) instead of timing")
    options = parser.parse_args()
    if options.instructions:
        count_instructions(options)
        return
    print(f"load average before: {load_average()}")
    _tmux("new-session", "-d", "-s", "keep-alive", "sleep 3600", check=True)
    try:
        samples = measure(options)
    finally:
        _tmux("kill-server")
    for name, runs in samples.items():
        times, cpus = [wall for wall, _ in runs], [cpu for _, cpu in runs]
        print(f"{name:<22} settled screen: best {min(times) * 1000:6.0f} ms   median "
              f"{statistics.median(times) * 1000:6.0f} ms   CPU by then: best {min(cpus) * 1000:5.0f} ms   median "
              f"{statistics.median(cpus) * 1000:5.0f} ms   ({options.runs} runs, tmux {options.size})")
    if not options.no_floor:
        print(f"import textual.app (fresh interpreter): best {import_time('textual.app', options.runs) * 1000:.0f} ms")
    print(f"load average after: {load_average()}")
    if "posting" in samples:
        best = {name: min(wall for wall, _ in runs) for name, runs in samples.items()}
        middle = {name: statistics.median(wall for wall, _ in runs) for name, runs in samples.items()}
        cpu = {name: statistics.median(cpu for _, cpu in runs) for name, runs in samples.items()}
        ratio = best["sluice --demo"] / best["posting"]
        verdict = "meets" if ratio <= 0.5 else "misses"
        print(f"ratio {ratio:.2f}x   ({verdict} the target of 0.5x)   medians {middle['sluice --demo'] / middle['posting']:.2f}x"
              f"   CPU medians {cpu['sluice --demo'] / cpu['posting']:.2f}x")
        for name in samples:
            if name.startswith("sluice@"):
                print(f"{name}: ratio {best[name] / best['posting']:.2f}x   medians {middle[name] / middle['posting']:.2f}x"
                      f"   CPU medians {cpu[name] / cpu['posting']:.2f}x")
        if "empty Textual" in samples:
            floor = best["empty Textual"] / best["posting"]
            print(f"floor: an empty Textual app is {floor:.2f}x Posting's time")


if __name__ == "__main__":
    main()
